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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    Optional<Addr2lineInput> general = general(input, exact);
    if (general.isEmpty()) {
      String bracketed = bracketModule(input);
      if (!bracketed.equals(input)) {
        return general(bracketed, exact).map(i -> new Addr2lineInput(input, i.query(), i.address(), i.exact()));
      }
    }
    return general;
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
    FrameQuery.Lookup lookup = exact ? FrameQuery.Lookup.EXACT : LogAnnotator.lookupOf(fl);
    FrameQuery q = new FrameQuery(fl.function(), fl.offset().getAsLong(), fl.size(), fl.module(), OptionalLong.empty(),
        lookup);
    return Optional.of(new Addr2lineInput(input, q, 0, ex));
  }

  /**
   * Command-line words with a module word glued back to the frame before it: {@code helper+0x5/0x40
   * [kfix]} and {@code helper+0x5/0x40 kfix} arrive as two arguments and mean {@code helper+0x5/0x40
   * [kfix]}.
   */
  public static List<String> joinModules(List<String> args) {
    List<String> out = new ArrayList<>();
    for (String a : args) {
      String s = a.strip();
      boolean bracketed = s.startsWith("[") && s.endsWith("]") && !s.startsWith("[<");
      if (!out.isEmpty() && (bracketed || isModuleName(s)) && isBareFrame(out.get(out.size() - 1))) {
        out.set(out.size() - 1, out.get(out.size() - 1) + " " + (bracketed ? s : "[" + s + "]"));
      } else {
        out.add(a);
      }
    }
    return out;
  }

  // "name+0xoff" or "name+0xoff/0xsize" with nothing after it: a frame a module word may follow.
  private static final Pattern BARE_FRAME = Pattern.compile("[A-Za-z_.$][\\w.$]*\\+0x[0-9a-fA-F]+(/0x[0-9a-fA-F]+)?");
  // A module name as lsmod prints it; addresses (0x..., or 8+ hex digits) are not taken for one.
  private static final Pattern MODULE = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]+|[0-9a-fA-F]{8,16}");
  // A pasted "frame module" line without brackets, as some tools print it.
  private static final Pattern FRAME_THEN_MODULE = Pattern.compile("\\s*(\\S+)\\s+(\\S+)\\s*");

  private static boolean isBareFrame(String s) {
    return BARE_FRAME.matcher(s.strip()).matches();
  }

  private static boolean isModuleName(String s) {
    return MODULE.matcher(s).matches() && !ADDRESS.matcher(s).matches();
  }

  /** {@code helper+0x5/0x40 kfix} as {@code helper+0x5/0x40 [kfix]}; other lines as they are. */
  static String bracketModule(String line) {
    Matcher m = FRAME_THEN_MODULE.matcher(line);
    if (m.matches() && isBareFrame(m.group(1)) && isModuleName(m.group(2))) {
      return m.group(1) + " [" + m.group(2) + "]";
    }
    return line;
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
