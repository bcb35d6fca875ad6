package dev.ktriage.grammar.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.grammar.parse.FrameLine;
import dev.ktriage.grammar.parse.FrameLineRecognizer;
import java.util.Optional;

/**
 * The frame-line syntax (what {@code symbolize} and {@code addr2line} read from a log line) on any
 * line: it never throws, and a frame it finds is made of the line's own text. Saved inputs in
 * {@code src/test/resources/.../FrameSyntaxFuzzTestInputs/}; {@code bench/fuzz/run.sh} fuzzes.
 */
class FrameSyntaxFuzzTest {
  private final FrameLineRecognizer recognizer = new FrameLineRecognizer();

  /** Frame-shaped pieces the fuzzer recombines, so it reaches the syntax's branches quickly. */
  private static final String[] PIECES = {
    "  ", " ? ", "ext4_fill_super", "+0x1f3e", "/0x25a0", " [ext4]", " [ext4 0123456789abcdef]", "[<ffffffff81234567>] ",
    "RIP: 0010:", "EIP: ", "pc : ", "lr : ", "PC is at ", "LR is at ", "NIP [c0000000000a1b2c] ", "epc : ", "ra : ",
    "BUG: KASAN: slab-out-of-bounds in ", " (unreliable)", " (P)", " (L)", " from ", "(", ")", " mm/slub.c:123",
    " (mm/slub.c:123)", " [inline]", ".isra.0", ".constprop.1", ".cold", "0x", "ffffffffc0123456", "+", "/", " ",
  };

  @FuzzTest(maxDuration = "1h")
  void anyLine(FuzzedDataProvider data) {
    StringBuilder line = new StringBuilder();
    int pieces = data.consumeInt(0, 12);
    for (int i = 0; i < pieces; i++) {
      line.append(data.consumeBoolean() ? PIECES[data.consumeInt(0, PIECES.length - 1)] : data.consumeString(12));
    }
    line.append(data.consumeRemainingAsString());
    String body = line.toString();
    Optional<FrameLine> f = recognizer.recognize(body);
    f.ifPresent(frame -> {
      assertTrue(body.contains(frame.function()), "function " + frame.function() + " not in " + body);
      frame.module().ifPresent(m -> assertTrue(body.contains(m), "module " + m + " not in " + body));
      frame.offset().ifPresent(o -> assertTrue(o >= 0, "offset " + o));
    });
  }
}
