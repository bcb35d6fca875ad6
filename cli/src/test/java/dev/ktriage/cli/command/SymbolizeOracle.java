package dev.ktriage.cli.command;

import dev.ktriage.cli.KfixTruth.SourceFrame;
import dev.ktriage.cli.KfixTruth.Symbol;
import dev.ktriage.cli.KfixTruth;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The expected {@code ktriage symbolize} output of the small test logs in {@code testdata/symbolize},
 * worked out from the fixtures' symbol list and addr2line truth (not from ktriage): each frame line
 * gains the location of its real function and is preceded by its inlined callees. It knows only the
 * frame shapes those logs use.
 */
public final class SymbolizeOracle {

  private static final String FUNC = "([A-Za-z_.][A-Za-z0-9_.]*)\\+0x([0-9a-f]+)(?:/0x([0-9a-f]+))?";
  private static final Pattern PREFIX = Pattern.compile("^(\\[[^\\]]*\\](?:\\[[^\\]]*\\])? )(.*)$");
  private static final Pattern HEADER = Pattern.compile("^(BUG: KASAN: .* in )" + FUNC + "$");
  // KCSAN (kernel/kcsan/report.c print_report()): the unknown-origin header and "reordered to:" print
  // return addresses.
  private static final Pattern KCSAN_HEADER = Pattern.compile("^(BUG: KCSAN: .* in )" + FUNC + "$");
  private static final Pattern REORDERED = Pattern.compile("^( *\\+-> reordered to: )" + FUNC + "$");
  private static final Pattern REGISTER =
      Pattern.compile("^(RIP: 0010:|IP: |pc : |lr : |PC is at |LR is at )(?:\\[<([0-9a-f]+)>\\] )?" + FUNC + "$");
  private static final Pattern TRACE = Pattern.compile(
      "^( +)(?:\\[<([0-9a-f]+)>\\] )?(?:\\? )?" + FUNC + "(?: \\[([a-z_]+)(?: [0-9a-f]+)?\\])?( \\([PL]\\))?$");
  // arm: "[<where>] (callee) from [<lr>] (caller+0x10/0x14)", " callee from caller+0x10/0x14 [mod]".
  private static final Pattern ARM = Pattern.compile("^( *)(?:\\[<[0-9a-f]+>\\] )?\\(?[A-Za-z_.][A-Za-z0-9_.]*"
      + "(?:\\+0x[0-9a-f]+/0x[0-9a-f]+)?\\)? from (?:\\[<([0-9a-f]+)>\\] )?\\(?" + FUNC + "(?: \\[([a-z_]+)\\])?\\)?$");
  private static final Pattern RAW = Pattern.compile("^( +)(?:\\[<([0-9a-f]+)>\\] ?)?(?:(?:\\? )?0x([0-9a-f]+))?$");

  private final KfixTruth truth;
  private final UnaryOperator<String> path;
  private final boolean modules;

  /**
   * @param path how a truth path is printed (raw, relative, prefix stripped)
   * @param modules whether the module fixture is available as {@code kfix}
   */
  public SymbolizeOracle(KfixTruth truth, UnaryOperator<String> path, boolean modules) {
    this.truth = truth;
    this.path = path;
    this.modules = modules;
  }

  /**
   * Expected output lines.
   *
   * @param slides the KASLR slide of each boot, in order ({@code Linux version} starts the next one)
   */
  List<String> expect(List<String> log, long... slides) {
    List<String> out = expectLines(log, slides);
    if (out.stream().allMatch(log::contains)) {
      throw new AssertionError("the oracle found nothing to symbolize: a broken test log?");
    }
    return out;
  }

  private List<String> expectLines(List<String> log, long... slides) {
    List<String> out = new ArrayList<>();
    int boot = -1;
    for (String line : log) {
      if (line.contains("Linux version ")) {
        boot++;
      }
      long slide = boot >= 0 && boot < slides.length ? slides[boot] : 0;
      out.addAll(expectLine(line, slide));
    }
    return out;
  }

  // The first frame after a KCSAN access line is a return address like the others
  // (kernel/kcsan/report.c: replace_stack_entry() puts the _RET_IP_ of the __tsan_* call there).
  private List<String> expectLine(String line, long slide) {
    Matcher p = PREFIX.matcher(line);
    if (!p.matches()) {
      return List.of(line);
    }
    String prefix = p.group(1);
    String body = p.group(2);
    Matcher m;
    if ((m = HEADER.matcher(body)).matches()) {
      return frame(line, prefix, m.group(1), m.group(2), m.group(3), m.group(4), null, null, true, slide);
    }
    if ((m = KCSAN_HEADER.matcher(body)).matches() || (m = REORDERED.matcher(body)).matches()) {
      return frame(line, prefix, m.group(1), m.group(2), m.group(3), m.group(4), null, null, false, slide);
    }
    if ((m = REGISTER.matcher(body)).matches()) {
      boolean exact = !m.group(1).equals("lr : ") && !m.group(1).equals("LR is at ");
      return frame(line, prefix, "", m.group(3), m.group(4), m.group(5), null, m.group(2), exact, slide);
    }
    if ((m = TRACE.matcher(body)).matches()) {
      boolean exact = " (P)".equals(m.group(7)); // arm64: the frame taken from the pc
      return frame(line, prefix, m.group(1), m.group(3), m.group(4), m.group(5), m.group(6), m.group(2), exact, slide);
    }
    if ((m = ARM.matcher(body)).matches()) {
      return frame(line, prefix, m.group(1), m.group(3), m.group(4), m.group(5), m.group(6), m.group(2), false, slide);
    }
    if ((m = RAW.matcher(body)).matches() && (m.group(2) != null || m.group(3) != null)) {
      long raw = Long.parseUnsignedLong(m.group(3) != null ? m.group(3) : m.group(2), 16);
      Symbol s = truth.symbolAt(raw - slide);
      long off = raw - slide - s.value();
      List<SourceFrame> f = truth.at(s, off, false);
      List<String> out = inlines(prefix + m.group(1), f);
      out.add(line + String.format(Locale.ROOT, " %s+0x%x/0x%x ", s.name(), off, s.kallsymsSize())
          + loc(f.get(f.size() - 1)));
      return out;
    }
    return List.of(line);
  }

  private List<String> frame(String line, String prefix, String lead, String name, String off, String size,
      String module, String rawHex, boolean exact, long slide) {
    if (module != null && !(modules && module.equals("kfix"))) {
      return List.of(line);
    }
    String fixture = module == null ? KfixTruth.VMLINUX : KfixTruth.MODULE;
    List<Symbol> candidates = truth.symbols(fixture, name,
        size == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(size, 16)));
    long offset = Long.parseLong(off, 16);
    if (candidates.size() > 1 && rawHex != null) {
      long linkTime = Long.parseUnsignedLong(rawHex, 16) - slide;
      candidates = candidates.stream().filter(c -> c.value() + offset == linkTime).toList();
    }
    if (candidates.isEmpty()) {
      return List.of(line);
    }
    if (candidates.size() > 1) {
      Set<String> places = new LinkedHashSet<>();
      for (Symbol c : candidates) {
        List<SourceFrame> f = truth.at(c, offset, exact);
        places.add(loc(f.get(f.size() - 1)));
      }
      return List.of(line + " " + String.join(" | ", places));
    }
    List<SourceFrame> f = truth.at(candidates.get(0), offset, exact);
    List<String> out = inlines(prefix + lead, f);
    out.add(line + " " + loc(f.get(f.size() - 1)));
    return out;
  }

  private List<String> inlines(String lead, List<SourceFrame> f) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < f.size() - 1; i++) {
      out.add(lead + f.get(i).function() + " " + loc(f.get(i)) + " [inline]");
    }
    return out;
  }

  private String loc(SourceFrame f) {
    return path.apply(f.file()) + ":" + f.line();
  }
}
