package dev.ktriage.grammar.title;

import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Title;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.Locale;

/**
 * Gives a report the title syzbot would give it, its alternative titles and its guilty frame.
 *
 * <p>KASAN access bugs: {@code KASAN: <bug type> <Read|Write> in <guilty frame>}, alternative
 * {@code bad-access in <guilty frame>}; free bugs: {@code KASAN: invalid-free in <guilty frame>},
 * alternative {@code invalid-free in <guilty frame>}; the 2015 {@code ... on address} form:
 * {@code KASAN: <bug type> <Read|Write>}; any other header: {@code KASAN: <header>}, which cannot
 * be trusted. KCSAN: the header itself, {@code KCSAN: data-race in a / b}: the kernel already
 * orders the pair and skips its own frames. The guilty frame is the first of the header's function
 * and the access stack's reliable frames that {@link FrameSkipRules} does not skip, without compiler
 * suffixes and with one syscall prefix removed ({@link SyscallPrefixes}); every title passes
 * through {@link TitleNormalizer}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Titler {

  /** A title and, when the title could not be made properly, why. */
  public record Outcome(Title title, Optional<CorruptionReason> problem, String detail) {}

  /** The frame syzbot writes when every frame was skipped. */
  public static final String NO_FRAME = "corrupted";

  private static final Set<String> FREE_KINDS = Set.of("double-free or invalid-free", "double-free", "invalid-free");

  private final TitleNormalizer normalizer = new TitleNormalizer();
  private final SyscallPrefixes syscalls = new SyscallPrefixes();

  public Outcome title(Report report) {
    return switch (report.tool()) {
      case KASAN -> kasan(report, Frame::function);
      case KCSAN -> kcsan(report);
    };
  }

  /**
   * The title when inlined callees count as frames of their own (after symbolization): the
   * innermost inlined function of each frame comes first. It differs from {@link #title} when the
   * compiler inlined the guilty code into a helper's caller.
   */
  public Optional<Title> inlineAwareTitle(Report report) {
    if (report.tool() != dev.ktriage.model.Tool.KASAN) {
      return Optional.empty();
    }
    Outcome o = kasanWithFrames(report, expandInlines(report));
    return o.problem().isPresent() ? Optional.empty() : Optional.of(o.title());
  }

  private Outcome kasan(Report report, Function<Frame, String> name) {
    List<String> candidates = new ArrayList<>();
    for (Frame f : accessFrames(report)) {
      candidates.add(name.apply(f));
    }
    return kasanWithFrames(report, candidates);
  }

  private Outcome kasanWithFrames(Report report, List<String> stackNames) {
    String kind = report.bugType();
    KasanDetails d = (KasanDetails) report.details();
    Optional<String> headerFunction = d.faultLocation().map(Titler::bareName);
    List<String> candidates = new ArrayList<>();
    headerFunction.ifPresent(candidates::add);
    for (String n : stackNames) {
      candidates.add(bareName(n));
    }
    boolean access = report.access().isPresent();
    if (FREE_KINDS.contains(kind) && headerFunction.isPresent()) {
      return framed(candidates, FrameSkipRules.KASAN_FREE, "KASAN: invalid-free in %s", "invalid-free in %s");
    }
    // The first KASAN (2015) spelled its kinds in words: "BUG: AddressSanitizer: wild memory access
    // in f+0x1/0x2 at addr X"; with dashes they are today's names (wild-memory-access,
    // user-memory-access, null-ptr-deref, use-after-free); testdata/logs/kasan/addresssanitizer-*.log.
    // Linux 4.0-4.3 ("BUG: KASan: use after free in ...") did the same; its "out of bounds access"
    // is today's out-of-bounds.
    boolean wordy = report.header().startsWith("BUG: AddressSanitizer: ") || report.header().startsWith("BUG: KASan: ");
    String titleKind = !wordy ? kind : kind.equals("out of bounds access") ? "out-of-bounds" : kind.replace(' ', '-');
    if (headerFunction.isPresent() && access && isWord(titleKind)) {
      String op = report.access().get().op().titleWord();
      return framed(candidates, FrameSkipRules.KASAN_ACCESS, "KASAN: " + titleKind + " " + op + " in %s",
          "bad-access in %s");
    }
    int on = report.header().indexOf(" on address");
    if (on > 0 && access) {
      String oldKind = afterBanner(report.header()).replace(" on address", "");
      oldKind = oldKind.substring(0, Math.max(0, oldKind.indexOf(' ') < 0 ? oldKind.length() : oldKind.indexOf(' ')));
      String op = report.access().get().op().titleWord();
      return new Outcome(new Title(normalizer.normalize("KASAN: " + oldKind + " " + op), List.of(), Optional.empty()),
          Optional.empty(), "");
    }
    // Any other header: syzkaller titles it with the header text and calls it corrupted.
    Title t = new Title(normalizer.normalize("KASAN: " + afterBanner(report.header())), List.of(), Optional.empty());
    CorruptionReason why = access || !headerFunction.isPresent() ? CorruptionReason.UNRECOGNIZED_HEADER
        : CorruptionReason.NO_ACCESS_LINE;
    return new Outcome(t, Optional.of(why), why == CorruptionReason.NO_ACCESS_LINE
        ? "no Read/Write line after the header" : "header has no bug type and function");
  }

  private Outcome kcsan(Report report) {
    KcsanDetails d = (KcsanDetails) report.details();
    String title = normalizer.normalize("KCSAN: " + afterBanner(report.header()));
    Optional<String> frame = d.functions().isEmpty() ? Optional.empty() : Optional.of(bareName(d.functions().get(0)));
    return new Outcome(new Title(title, List.of(), frame), Optional.empty(), "");
  }

  // Picks the guilty frame and renders the title and its alternatives.
  private Outcome framed(List<String> candidates, List<SkipRule> extra, String format, String altFormat) {
    Optional<String> raw = candidates.stream().filter(n -> !n.isEmpty() && !skipped(n, extra)).findFirst();
    if (raw.isEmpty()) {
      Title t = new Title(normalizer.normalize(String.format(Locale.ROOT, format, NO_FRAME)),
          List.of(normalizer.normalize(String.format(Locale.ROOT, altFormat, NO_FRAME))), Optional.empty());
      return new Outcome(t, Optional.of(CorruptionReason.NO_GUILTY_FRAME),
          "every frame of the access stack is sanitizer, allocator or helper code");
    }
    String canonical = syscalls.strip(raw.get());
    String title = normalizer.normalize(String.format(Locale.ROOT, format, canonical));
    Set<String> alts = new LinkedHashSet<>();
    alts.add(normalizer.normalize(String.format(Locale.ROOT, altFormat, canonical)));
    for (String v : syscalls.variants(raw.get())) {
      String t = normalizer.normalize(String.format(Locale.ROOT, format, v));
      if (!t.equals(title)) {
        alts.add(t);
      }
      alts.add(normalizer.normalize(String.format(Locale.ROOT, altFormat, v)));
    }
    return new Outcome(new Title(title, List.copyOf(alts), Optional.of(canonical)), Optional.empty(), "");
  }

  /** Whether the title skips {@code function} for a report with the given extra rules ({@link FrameSkipRules#titleSkips}). */
  public static boolean skipped(String function, List<SkipRule> extra) {
    return FrameSkipRules.titleSkips(function, extra);
  }

  private static List<Frame> accessFrames(Report report) {
    return report.stack(StackRole.ACCESS).map(Stack::frames).orElse(List.of()).stream()
        .filter(Frame::reliable)
        .toList();
  }

  private static List<String> expandInlines(Report report) {
    List<String> names = new ArrayList<>();
    for (Frame f : accessFrames(report)) {
      f.inlined().forEach(i -> names.add(i.function()));
      names.add(f.function());
    }
    return names;
  }

  /** A symbol without offset and compiler suffixes: {@code foo.isra.0+0x1/0x2} is {@code foo}. */
  static String bareName(String symbol) {
    String s = symbol;
    int plus = s.indexOf('+');
    if (plus >= 0) {
      s = s.substring(0, plus);
    }
    int start = 0;
    while (start < s.length() && s.charAt(start) == '.') {
      start++; // powerpc64 ELFv1 dot symbols (.foo)
    }
    int dot = s.indexOf('.', start);
    return s.substring(start, dot < 0 ? s.length() : dot);
  }

  private static boolean isWord(String kind) {
    if (kind.isEmpty()) {
      return false;
    }
    for (int i = 0; i < kind.length(); i++) {
      char c = kind.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static String afterBanner(String header) {
    for (String banner : List.of("BUG: KASAN: ", "BUG: KCSAN: ", "BUG: KASan: ", "BUG: AddressSanitizer: ")) {
      if (header.startsWith(banner)) {
        return header.substring(banner.length());
      }
    }
    return header;
  }
}
