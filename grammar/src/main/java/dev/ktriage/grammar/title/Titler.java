package dev.ktriage.grammar.title;

import dev.ktriage.grammar.title.OopsFormats.OopsFormat;
import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KfenceDetails;
import dev.ktriage.model.KmsanDetails;
import dev.ktriage.model.UbsanDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Title;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Gives a report the title syzbot would give it, its alternative titles and its guilty frame, from
 * the first row of {@link OopsFormats} that applies. The guilty frame is the first candidate the
 * row's frame source offers that {@link FrameSkipRules} (common and the row's own rules) does not
 * skip, without compiler suffixes and with one syscall prefix removed ({@link SyscallPrefixes});
 * every title passes through {@link TitleNormalizer}. Only the report's structure is read (banner,
 * bug type, header form, access, frames): never the header's text, except to repeat it whole in the
 * formats whose title is the header itself.
 *
 * <p>Stateless and thread-safe.
 */
public final class Titler {

  /** A title and, when the title could not be made properly, why. */
  public record Outcome(Title title, Optional<CorruptionReason> problem, String detail) {}

  /** The frame syzbot writes when every frame was skipped. */
  public static final String NO_FRAME = "corrupted";

  private final TitleNormalizer normalizer = new TitleNormalizer();
  private final SyscallPrefixes syscalls = new SyscallPrefixes();

  public Outcome title(Report report) {
    return title(report, TraceTape.EMPTY);
  }

  /**
   * The title of a report whose format reads its frame from the report's lines ({@link FrameRecipe}):
   * the oops families keep their lines as a {@link TraceTape} until they are titled.
   */
  public Outcome title(Report report, TraceTape tape) {
    OopsFormat format = format(report);
    if (format.frames() == OopsFormats.Frames.RECIPE && format.recipe().isPresent()) {
      return recipeTitle(report, format, format.recipe().get(), tape);
    }
    return title(report, accessFrames(report).stream().map(Frame::function).toList());
  }

  private Outcome recipeTitle(Report report, OopsFormat format, FrameRecipe recipe, TraceTape tape) {
    FrameRecipe.Result found = recipe.run(tape);
    if (found.frame().isEmpty()) {
      if (found.missing() || !recipe.parsesStack()) {
        // syzkaller's report pattern did not match: it titles the report with its header line.
        Title t = new Title(normalizer.normalize(report.header()), List.of(), Optional.empty());
        return new Outcome(t, Optional.of(CorruptionReason.MISSING_PART),
            "the report lacks the line that names the culprit (" + format.name() + ")");
      }
      Title t = new Title(render(format.title(), report, NO_FRAME),
          renderAll(format.alternatives(), report, List.of(NO_FRAME)), Optional.empty());
      return new Outcome(t, Optional.of(CorruptionReason.NO_GUILTY_FRAME),
          "no frame of the report's stack is left after skipping plumbing");
    }
    FrameRecipe.Pick pick = found.frame().get();
    String canonical = syscalls.strip(bareName(pick.title()));
    String title = render(format.title(), report, canonical);
    Set<String> alts = new LinkedHashSet<>(renderAll(format.alternatives(), report, List.of(canonical)));
    List<String> spellings = new ArrayList<>(syscalls.variants(bareName(pick.title())));
    if (!pick.printed().equals(pick.title())) {
      spellings.addAll(syscalls.variants(bareName(pick.printed())));
    }
    for (String v : spellings) {
      String t = render(format.title(), report, v);
      if (!t.equals(title)) {
        alts.add(t);
      }
      alts.addAll(renderAll(format.alternatives(), report, List.of(v)));
    }
    Optional<CorruptionReason> problem = format.corrupted();
    String detail = format.corruptedDetail();
    if (problem.isEmpty() && found.faultInjection()) {
      problem = Optional.of(CorruptionReason.FAULT_INJECTION);
      detail = "a fault-injection stack (should_fail) is printed in the middle of the report";
    }
    return new Outcome(new Title(title, List.copyOf(alts), Optional.of(canonical)), problem, detail);
  }

  /**
   * The title when inlined callees count as frames of their own (after symbolization): the
   * innermost inlined function of each frame comes first. It differs from {@link #title} when the
   * compiler inlined the guilty code into a helper's caller.
   */
  public Optional<Title> inlineAwareTitle(Report report) {
    List<String> names = new ArrayList<>();
    for (Frame f : accessFrames(report)) {
      f.inlined().forEach(i -> names.add(i.function()));
      names.add(f.function());
    }
    OopsFormat format = format(report);
    if (!fromStack(format)) {
      return Optional.empty();
    }
    Outcome o = title(report, names);
    return o.problem().isPresent() ? Optional.empty() : Optional.of(o.title());
  }

  /** The format that titles {@code report}: the first row of {@link OopsFormats#FORMATS} that applies. */
  public static OopsFormat format(Report report) {
    for (OopsFormat f : OopsFormats.FORMATS) {
      if (f.applies().test(report)) {
        return f;
      }
    }
    throw new IllegalStateException("no format for a " + report.tool() + " report"); // the table covers every tool
  }

  private Outcome title(Report report, List<String> stackNames) {
    OopsFormat format = format(report);
    Optional<String> raw = Optional.empty();
    switch (format.frames()) {
      case NONE -> { }
      case HEADER_FUNCTION -> raw = headerFunctions(report).stream().findFirst().map(Titler::bareName);
      case HEADER_THEN_ACCESS_STACK, ACCESS_STACK -> {
        List<String> candidates = new ArrayList<>();
        // With no access stack at all (the kernel printed none, or the poster left it out), the
        // header's function is the one witness of where the access was made.
        if (format.frames() == OopsFormats.Frames.HEADER_THEN_ACCESS_STACK || stackNames.isEmpty()) {
          headerFunctions(report).stream().findFirst().ifPresent(h -> candidates.add(bareName(h)));
        }
        for (String n : stackNames) {
          candidates.add(bareName(n));
        }
        raw = candidates.stream().filter(n -> !n.isEmpty() && !skipped(n, format.skips())).findFirst();
        if (raw.isEmpty()) {
          // Every frame matched syzkaller's broad patterns, and the stack ends there (a paste cut
          // after the culprit, or a kernel test whose name reads like an allocator's:
          // kmalloc_memmove_invalid_size). The header's function, where the access was executed, is
          // the guilty one unless it is itself real plumbing.
          raw = headerFunctions(report).stream().findFirst().map(Titler::bareName)
              .filter(h -> !h.isEmpty() && FrameSkipRules.plumbingRule(h).isEmpty());
        }
        if (raw.isEmpty()) {
          Title t = new Title(render(format.title(), report, NO_FRAME), renderAll(format.alternatives(), report,
              List.of(NO_FRAME)), Optional.empty());
          return new Outcome(t, Optional.of(CorruptionReason.NO_GUILTY_FRAME),
              "every frame of the access stack is sanitizer, allocator or helper code");
        }
      }
    }
    if (!fromStack(format)) {
      Title t = new Title(render(format.title(), report, raw.orElse("")),
          renderAll(format.alternatives(), report, List.of(raw.orElse(""))), raw);
      return new Outcome(t, format.corrupted(), format.corruptedDetail());
    }
    String canonical = syscalls.strip(raw.get());
    String title = render(format.title(), report, canonical);
    Set<String> alts = new LinkedHashSet<>(renderAll(format.alternatives(), report, List.of(canonical)));
    for (String v : syscalls.variants(raw.get())) {
      String t = render(format.title(), report, v);
      if (!t.equals(title)) {
        alts.add(t);
      }
      alts.addAll(renderAll(format.alternatives(), report, List.of(v)));
    }
    return new Outcome(new Title(title, List.copyOf(alts), Optional.of(canonical)), format.corrupted(),
        format.corruptedDetail());
  }

  private static boolean fromStack(OopsFormat format) {
    return format.frames() == OopsFormats.Frames.HEADER_THEN_ACCESS_STACK
        || format.frames() == OopsFormats.Frames.ACCESS_STACK;
  }

  private List<String> renderAll(List<String> templates, Report report, List<String> frames) {
    List<String> out = new ArrayList<>();
    for (String f : frames) {
      for (String t : templates) {
        out.add(render(t, report, f));
      }
    }
    return out;
  }

  private String render(String template, Report report, String frame) {
    String kind = titleKind(report);
    int space = kind.indexOf(' ');
    String t = template
        .replace("{line}", report.header())
        .replace("{banner}", bannerWord(report))
        .replace("{subject}", subject(report))
        .replace("{kind}", kind)
        .replace("{first-kind}", space < 0 ? kind : kind.substring(0, space))
        .replace("{op}", report.access().map(a -> a.op().titleWord()).orElse(""))
        .replace("{header}", afterBanner(report))
        .replace("{frame}", frame);
    if (t.contains("{origin}")) {
      t = t.replace("{origin}", originFrame(report));
    }
    return normalizer.normalize(t);
  }

  /**
   * The bug type as titles spell it: the first KASAN (2015) and Linux 4.0-4.3 spelled kinds in words
   * ({@code wild memory access}, {@code use after free}); with dashes they are today's names, and
   * their {@code out of bounds access} is today's {@code out-of-bounds}
   * (testdata/logs/kasan/addresssanitizer-*.log).
   */
  static String titleKind(Report report) {
    String kind = report.bugType();
    if (!OopsFormats.wordyKinds(report.banner())) {
      return kind;
    }
    return kind.equals("out of bounds access") ? "out-of-bounds" : kind.replace(' ', '-');
  }

  // "WARNING", "BUG" or "INFO": how the header spelled the report's kind (lockdep's old headers said
  // BUG: or INFO: where it says WARNING: now, and syzkaller keeps the spelling).
  private static String bannerWord(Report report) {
    String h = report.header();
    int colon = h.indexOf(':');
    return colon > 0 ? h.substring(0, colon) : h;
  }

  private static String subject(Report report) {
    return report.details() instanceof dev.ktriage.model.KernelBugDetails k ? k.subject().orElse("") : "";
  }

  // The header after its banner, for the formats whose title is the header itself.
  private static String afterBanner(Report report) {
    String h = report.header();
    String banner = report.banner().text();
    return h.startsWith(banner) ? h.substring(banner.length()) : h;
  }

  private static List<String> headerFunctions(Report report) {
    return switch (report.details()) {
      case KasanDetails k -> k.faultLocation().map(List::of).orElse(List.of());
      case KcsanDetails k -> k.functions();
      case KmsanDetails k -> k.useLocation().map(List::of).orElse(List.of());
      case KfenceDetails k -> k.faultLocation().map(List::of).orElse(List.of());
      case UbsanDetails u -> List.of(); // a source position, not a function
      default -> List.of(); // the oops families title from their lines (FrameRecipe)
    };
  }

  // KMSAN's origin: the first reliable frame of the origin stack that the format's skips keep.
  private String originFrame(Report report) {
    List<SkipRule> skips = format(report).skips();
    return report.stack(StackRole.ORIGIN).map(Stack::frames).orElse(List.of()).stream()
        .filter(Frame::reliable)
        .map(f -> bareName(f.function()))
        .filter(n -> !n.isEmpty() && !skipped(n, skips))
        .findFirst()
        .map(syscalls::strip)
        .orElse(NO_FRAME);
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

  /** A symbol without offset and compiler suffixes: {@code foo.isra.0+0x1/0x2} is {@code foo}. */
  public static String bareName(String symbol) {
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
}
