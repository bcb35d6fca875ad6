package dev.ktriage.cli.symbolize;

import dev.ktriage.cli.fastpath.PlainFrame;
import dev.ktriage.grammar.log.ConsolePrefixParser;
import dev.ktriage.grammar.log.LineSanitizer;
import dev.ktriage.grammar.frame.FrameLine;
import dev.ktriage.grammar.frame.FrameLineRecognizer;
import dev.ktriage.symbolizer.FrameQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One lookup {@code ktriage addr2line} was asked for: a link-time address ({@code ffffffff81234567},
 * {@code 0x401093}), a frame ({@code func+0x1a/0x40}, {@code func+0x1a [module]}), or a whole line
 * pasted from a log (console prefix, {@code ? }, {@code RIP: 0010:} and all).
 *
 * @param text the input as given, for messages
 * @param query the frame to resolve, or null for an address
 * @param address the address to look up when {@code query} is null
 * @param exact whether to look up the address itself rather than the call before it
 */
public record Addr2lineInput(String text, FrameQuery query, long address, boolean exact) {

  private static final FrameLineRecognizer FRAMES = new FrameLineRecognizer();
  private static final ConsolePrefixParser PREFIXES = new ConsolePrefixParser();
  private static final LineSanitizer SANITIZER = new LineSanitizer();

  public boolean isAddress() {
    return query == null;
  }

  /**
   * Parses one input; empty when it is none of the accepted shapes.
   *
   * @param exact {@code --exact}: frames are exact pcs too (else only bare addresses and faulting-pc
   *     lines are)
   */
  public static Optional<Addr2lineInput> parse(String input, boolean exact) {
    FrameQuery plain = PlainFrame.parse(input, exact);
    if (plain != null) {
      return Optional.of(new Addr2lineInput(input, plain, 0, exact));
    }
    return general(input, exact);
  }

  /** {@link #parse} without the plain-frame fast path: every accepted shape. */
  public static Optional<Addr2lineInput> general(String input, boolean exact) {
    String t = SANITIZER.sanitize(input).strip();
    if (t.isEmpty()) {
      return Optional.empty();
    }
    OptionalLong addr = hex(t);
    if (addr.isPresent()) {
      // A bare address is looked up as addr2line does, exactly; frames below are call-trace frames.
      return Optional.of(new Addr2lineInput(input, null, addr.getAsLong(), true));
    }
    String body = PREFIXES.split(t).body();
    Optional<FrameLine> f = FRAMES.recognize(" " + body.strip());
    if (f.isEmpty()) {
      return Optional.empty();
    }
    FrameLine fl = f.get();
    boolean ex = exact || fl.exactPc();
    if (!fl.hasSymbol()) {
      return Optional.of(new Addr2lineInput(input, null, fl.address().getAsLong(), ex));
    }
    // A raw address beside func+off is KASLR-slid and not a link-time address: not used here.
    FrameQuery q = new FrameQuery(fl.function(), fl.offset().getAsLong(), fl.size(), fl.module(), OptionalLong.empty(),
        !ex);
    return Optional.of(new Addr2lineInput(input, q, 0, ex));
  }

  /**
   * Command-line words with a {@code [module]} word glued back to the frame before it
   * ({@code helper+0x5/0x40 [kfix]} arrives as two arguments).
   */
  public static List<String> joinModules(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      String s = a.strip();
      if (s.startsWith("[") && s.endsWith("]") && !s.startsWith("[<") && !out.isEmpty()) {
        out.set(out.size() - 1, out.get(out.size() - 1) + " " + s);
      } else {
        out.add(a);
      }
    }
    return out;
  }

  /** {@code 0x401093} or {@code ffffffff81234567}: 1-16 hex digits. */
  private static OptionalLong hex(String t) {
    String h = t.startsWith("0x") || t.startsWith("0X") ? t.substring(2) : t;
    if (h.isEmpty() || h.length() > 16) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < h.length(); i++) {
      if (Character.digit(h.charAt(i), 16) < 0) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseUnsignedLong(h, 16));
  }
}
