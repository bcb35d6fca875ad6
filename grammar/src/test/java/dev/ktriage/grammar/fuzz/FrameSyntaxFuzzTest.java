package dev.ktriage.grammar.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.FrameLine;
import dev.ktriage.grammar.frame.FrameLineRecognizer;
import dev.ktriage.grammar.frame.FrameSyntax;
import java.util.Optional;

/**
 * The frame-line syntax ({@link FrameSyntax}, which the report lexer, {@code symbolize} and
 * {@code addr2line} all read frames with, and {@link FrameLineRecognizer} on top of it) on any line:
 * it never throws, and a frame it finds is made of the line's own text. Saved inputs in
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
    Optional<DecodedFrame> d = FrameSyntax.line(body);
    d.ifPresent(frame -> {
      assertTrue(body.contains(frame.function()), "function " + frame.function() + " not in " + body);
      frame.module().ifPresent(m -> assertTrue(body.contains(m), "module " + m + " not in " + body));
      frame.callee().ifPresent(c -> assertTrue(body.contains(c.function()), "callee " + c.function() + " not in " + body));
    });
    for (int from = 0; from <= body.length(); from += Math.max(1, body.length() / 7)) {
      Optional<FrameSyntax.Located> loc = FrameSyntax.location(body, from);
      int start = from;
      loc.ifPresent(l -> assertTrue(l.end() > start && l.end() <= body.length(), "end " + l.end() + " of " + body.length()));
    }
    FrameSyntax.FuncRef plain = FrameSyntax.plain(body);
    if (plain != null) {
      // the fast path's promise: the full decoder reads such a line the same way
      DecodedFrame full = d.orElseThrow(() -> new AssertionError("plain() took what line() refuses: " + body));
      assertTrue(full.function().equals(plain.name()) && full.offset().equals(java.util.OptionalLong.of(plain.offset()))
          && full.size().equals(plain.size()), "plain() " + plain + " but line() " + full + " for " + body);
    }
    FrameSyntax.hex(body);
    Optional<FrameLine> f = recognizer.recognize(body);
    f.ifPresent(frame -> assertTrue(body.contains(frame.function()), "function " + frame.function() + " not in " + body));
  }
}
