package dev.ktriage.grammar.title;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;


/**
 * Where an oops format finds its guilty frame in the report's lines ({@link TraceTape}): syzkaller's
 * stack recipe (pkg/report's {@code stackFmt}). A recipe is a sequence of parts, each either
 * <ul>
 *   <li>{@link Find}: the next line that matches (the {@code RIP:} line, the {@code at:} of a lock, an
 *       interrupt entry); it may give a candidate frame; or</li>
 *   <li>{@link ParseStack}: the frames that follow, up to the next line that starts a stack.</li>
 * </ul>
 * The candidates that survive the skip rules go to the recipe's {@link Extractor} (by default the
 * first one); when none survives, the {@code fallback} parts are tried. The lines are read from the
 * header on.
 *
 * @param requires lines the report must hold, in this order, for the recipe to apply at all
 *     (syzkaller's {@code report} pattern); when one is missing the report is not whole
 * @param parts the parts, in order
 * @param fallback the parts tried when {@code parts} give no frame (syzkaller's {@code parts2}); may be empty
 * @param skips the format's own skip rules, besides {@link FrameSkipRules#COMMON}
 * @param extractor picks the guilty frame among the candidates
 * @param skipCaptures whether a candidate that a {@link Find} gives is skipped like a stack frame
 *     (syzkaller skips them when the format has a stack; a report pattern's capture it takes as is)
 */
public record FrameRecipe(List<Find> requires, List<Part> parts, List<Part> fallback, List<SkipRule> skips,
    Extractor extractor, boolean skipCaptures) {

  /** A recipe without required lines. */
  public FrameRecipe(List<Part> parts, List<Part> fallback, List<SkipRule> skips, Extractor extractor,
      boolean skipCaptures) {
    this(List.of(), parts, fallback, skips, extractor, skipCaptures);
  }

  public FrameRecipe {
    requires = List.copyOf(requires);
    parts = List.copyOf(parts);
    fallback = List.copyOf(fallback);
    skips = List.copyOf(skips);
  }

  /** One step of a recipe. */
  public sealed interface Part permits Find, ParseStack {}

  /**
   * The next line that {@code matches}, at most {@code withinLines} entries after the last part's line
   * (0: anywhere); with {@code capture}, its function is a candidate.
   */
  public record Find(String name, Predicate<TraceTape.Entry> matches, boolean capture, int withinLines)
      implements Part {}

  /** The frames from here to the next line that starts a stack. */
  public record ParseStack() implements Part {}

  /**
   * The frame an extractor picked: the name the title uses and the frame as printed. They differ when
   * the extractor names a bucket ({@code synchronize_rcu} for a hang in {@code synchronize_sched});
   * the printed one then gives alternative titles, as syzbot keeps them.
   */
  public record Pick(String title, String printed) {}

  /** Picks the guilty frame among the candidates that survived the skip rules; empty if none fits. */
  @FunctionalInterface
  public interface Extractor extends Function<List<String>, Optional<Pick>> {}

  /** The first candidate. */
  public static final Extractor FIRST = c -> c.stream().findFirst().map(f -> new Pick(f, f));

  /**
   * What a recipe found.
   *
   * @param frame the guilty frame as printed (suffixes included), if one was found
   * @param faultInjection whether a fault-injection frame ({@code should_fail}) was among the lines
   *     read: such stacks are printed in the middle of other reports (syzkaller calls those corrupted)
   */
  public record Result(Optional<Pick> frame, boolean faultInjection, boolean missing) {}

  /**
   * Whether the recipe parses a stack. One that does not stands for a report pattern (syzkaller's
   * {@code report} regexp): when it finds nothing, the report is not whole.
   */
  public boolean parsesStack() {
    return parts.stream().anyMatch(p -> p instanceof ParseStack) || fallback.stream().anyMatch(p -> p instanceof ParseStack);
  }

  // Whether the required lines are there, in order.
  private boolean complete(TraceTape tape) {
    int pos = 0;
    for (Find f : requires) {
      int hit = -1;
      for (int i = pos; i < tape.entries().size(); i++) {
        if (f.matches().test(tape.entries().get(i))) {
          hit = i;
          break;
        }
      }
      if (hit < 0) {
        return false;
      }
      pos = hit + 1;
    }
    return true;
  }

  /** Runs the recipe over {@code tape} (from its first entry, the header). */
  public Result run(TraceTape tape) {
    if (!complete(tape)) {
      return new Result(Optional.empty(), false, true);
    }
    Result r = run(tape, parts);
    if (r.frame().isPresent() || fallback.isEmpty()) {
      return r;
    }
    Result second = run(tape, fallback);
    return new Result(second.frame(), r.faultInjection() || second.faultInjection(), false);
  }

  private Result run(TraceTape tape, List<Part> steps) {
    List<TraceTape.Entry> lines = tape.entries();
    List<String> candidates = new ArrayList<>();
    boolean faultInjection = false;
    int pos = 0; // the next line to read
    int lastLine = 0; // the line of the last match, for Find.withinLines
    for (int p = 0; p < steps.size(); p++) {
      Part part = steps.get(p);
      if (part instanceof Find f) {
        int limit = f.withinLines() > 0 ? Math.min(lines.size(), lastLine + f.withinLines() + 1) : lines.size();
        int hit = -1;
        for (int i = pos; i < limit; i++) {
          TraceTape.Entry e = lines.get(i);
          if (faultInjection(e)) {
            faultInjection = true;
          }
          if (f.matches().test(e)) {
            hit = i;
            break;
          }
        }
        if (hit < 0) {
          pos = lines.size(); // like a scanner run dry: the parts after it see nothing
          continue;
        }
        take(f, lines.get(hit), candidates);
        pos = hit + 1;
        lastLine = hit;
        continue;
      }
      // ParseStack: frames up to the next stack heading; the next part's line, if it comes first,
      // is that part's.
      Find next = p + 1 < steps.size() && steps.get(p + 1) instanceof Find f ? f : null;
      int i = pos;
      for (; i < lines.size(); i++) {
        TraceTape.Entry e = lines.get(i);
        if (faultInjection(e)) {
          faultInjection = true;
          i++;
          break;
        }
        if (e.kind() == TraceTape.Kind.HEADING) {
          i++;
          break;
        }
        if (next != null && next.matches().test(e)) {
          take(next, e, candidates);
          lastLine = i;
          p++;
          i++;
          break;
        }
        if (e.kind() == TraceTape.Kind.FRAME && e.namesFrame() && !skipped(e.function())) {
          candidates.add(Demangler.demangle(Titler.bareName(e.function())));
        }
      }
      pos = i;
    }
    return new Result(extractor.apply(candidates), faultInjection, false);
  }

  private void take(Find f, TraceTape.Entry e, List<String> candidates) {
    if (f.capture() && !e.function().isEmpty() && (!skipCaptures || !skipped(e.function()))) {
      candidates.add(Demangler.demangle(Titler.bareName(e.function())));
    }
  }

  private boolean skipped(String function) {
    return FrameSkipRules.titleSkips(function, skips);
  }

  // syzkaller's corruptedLines: a fault-injection frame (should_fail, should_failslab, with any
  // compiler suffix). Not x86's "? should_fail+0x1/0x2": syzkaller drops those questionable lines
  // before it reads the report, and a stale return address on the stack is no fault injection.
  private static boolean faultInjection(TraceTape.Entry e) {
    if (e.kind() != TraceTape.Kind.FRAME || !e.reliable()) {
      return false;
    }
    String f = e.function();
    return f.equals("should_fail") || f.startsWith("should_fail.") || f.equals("should_failslab")
        || f.startsWith("should_failslab.") || f.equals("should_fail_ex") || f.startsWith("should_fail_ex.");
  }
}
