package dev.ktriage.grammar.build;

import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.FrameSyntax;
import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.grammar.log.PrintkTimes;
import dev.ktriage.grammar.scan.Island;
import dev.ktriage.grammar.title.FrameRecipe;
import dev.ktriage.grammar.title.OopsFormats.OopsFormat;
import dev.ktriage.grammar.title.StallAnchors;
import dev.ktriage.grammar.title.Titler;
import dev.ktriage.grammar.title.TraceTape;
import dev.ktriage.model.Corruption;
import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.HungTaskDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.StallDetails;
import java.util.List;
import java.util.Optional;

/**
 * The verdict on an oops report of the families without a closing rule (WARN(), lockdep, hung tasks,
 * stalls, the kernel's BUG: checks), as syzkaller gives it (pkg/report/linux.go isCorrupted): the
 * title could not be made properly (no frame left, a line the kind always prints is missing, the
 * format itself says so), a fault-injection stack is mixed in, or a format that expects a stack finds
 * none: no {@code Call Trace} or {@code backtrace} at all, or a stack heading without frames within
 * the next lines. It also completes the details that come from the title: where a hung task blocks,
 * what a stall is blamed on.
 *
 * <p>Stateless and thread-safe.
 */
final class OopsAssessor {

  // syzkaller looks this far after a stack heading for its first frame.
  private static final int FRAMES_WITHIN = 15;

  Report assess(ReportDraft.Report0 r, Island island, Titler.Outcome titled) {
    Titler.Outcome outcome = titled.title().title().isBlank() ? unreadHeader(r, island) : titled;
    Report provisional = r.withVerdict(outcome.title(), Optional.empty(), r.elided(), true);
    OopsFormat format = Titler.format(provisional);
    Optional<Corruption> corruption = outcome.problem()
        .map(p -> new Corruption(p, outcome.detail(), r.source().firstLine()));
    if (corruption.isEmpty() && format.stackExpected()) {
      corruption = stackProblem(r, island);
    }
    if (corruption.isEmpty() && PrintkTimes.indexOf(outcome.title().title(), 0, 1) >= 0) {
      corruption = Optional.of(new Corruption(CorruptionReason.MERGED_LINES,
          "the title contains a console timestamp: lines of two printk calls were merged", r.source().firstLine()));
    }
    if (corruption.isEmpty() && island.leftOutLines() > 0) {
      // scan.Interleave: another oops of the same kind printed at once, no caller ids to tell them apart
      corruption = Optional.of(new Corruption(CorruptionReason.MERGED_LINES, "repaired: another oops was printed "
          + "at the same time without caller ids; " + island.leftOutLines() + " line(s) among its own were left out",
          r.source().firstLine()));
    }
    ReportDetails details = withTitleParts(r.details(), outcome.title().guiltyFrame(), r.tape());
    ReportDraft.Report0 done = new ReportDraft.Report0(r.tool(), r.banner(), r.bugType(), r.header(), r.access(),
        r.context(), r.time(), r.stacks(), details, r.elided(), r.repairs(), r.source(), r.tape());
    return done.withVerdict(outcome.title(), corruption, r.elided(), island.end() != Island.End.TOO_LONG);
  }

  // The grammar could not read the header (lines of other cpus around it broke the report's shape):
  // the title is the header line as printed, as syzkaller titles a report its formats do not know.
  private static Titler.Outcome unreadHeader(ReportDraft.Report0 r, Island island) {
    String line = island.headerIndex() >= 0 ? island.lines().get(island.headerIndex()).body().strip() : "";
    String title = line.isBlank() ? r.banner().text() + " corrupted" : line;
    return new Titler.Outcome(new dev.ktriage.model.Title(title, List.of(), Optional.empty()),
        Optional.of(CorruptionReason.UNRECOGNIZED_HEADER), "the report's header line could not be read");
  }

  // syzkaller: a format with a stack needs "Call Trace" or "backtrace" in the report, and after each
  // kind of stack heading a frame within the next lines.
  private static Optional<Corruption> stackProblem(ReportDraft.Report0 r, Island island) {
    List<ConsoleLine> lines = island.lines().subList(Math.max(0, island.headerIndex()), island.lines().size());
    // Any "backtrace" counts here, lockdep's "stack backtrace:" too (a report cut before it has none).
    boolean any = lines.stream().map(ConsoleLine::body).anyMatch(b -> heading(b) != null || b.contains("backtrace"));
    if (!any) {
      return Optional.of(new Corruption(CorruptionReason.NO_STACK_TRACE, "the report has no call trace",
          r.source().firstLine()));
    }
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      String kind = heading(lines.get(i).body());
      if (kind == null || !seen.add(kind)) {
        continue;
      }
      if (lines.size() - i < 4) {
        return Optional.of(new Corruption(CorruptionReason.EMPTY_STACK, "\"" + lines.get(i).body().strip()
            + "\" is the end of the report", lines.get(i).number()));
      }
      boolean framed = false;
      for (int k = i + 1, n = 0; k < lines.size() && n < FRAMES_WITHIN; k++) {
        String b = lines.get(k).body();
        // Another heading does not end the look: riscv's "status: ... badaddr:" line is followed by the
        // panic's "Call Trace:" and its frames, and syzkaller finds those.
        if (b.contains("(stack is not available)") || frame(b)) {
          framed = true;
          break;
        }
        if (!questionable(b)) {
          n++;
        }
      }
      if (!framed) {
        return Optional.of(new Corruption(CorruptionReason.EMPTY_STACK, "\"" + lines.get(i).body().strip()
            + "\" is not followed by frames", lines.get(i).number()));
      }
    }
    return Optional.empty();
  }

  // The kind of stack heading a line is, or null: "Call Trace", "Allocated", "Freed", kmemleak's
  // "backtrace:" (not lockdep's "stack backtrace:").
  private static String heading(String body) {
    if (body.contains("Call Trace") || body.contains("Call trace") || body.contains("Backtrace")
        || body.startsWith("status: ") && body.contains(" badaddr: ")) {
      return "call trace";
    }
    if (body.contains("Allocated by task ") || body.contains("Allocated:")) {
      return "allocated";
    }
    if (body.contains("Freed by task ") || body.contains("Freed:")) {
      return "freed";
    }
    int b = body.indexOf(" backtrace:");
    if (b > 0 && body.charAt(b - 1) != 'k') {
      return "backtrace";
    }
    return null;
  }

  // A frame as syzkaller's corruption check sees one: a function with an offset and size.
  private static boolean frame(String body) {
    Optional<DecodedFrame> d = FrameSyntax.line(body);
    if (d.isEmpty() || !d.get().reliable() || d.get().source() != DecodedFrame.Source.CALL_TRACE) {
      return false;
    }
    return d.get().offset().isPresent() || d.get().callee().isPresent();
  }

  // x86's "? f+0x1/0x2": syzkaller removes such lines from the report before looking at it.
  private static boolean questionable(String body) {
    return FrameSyntax.line(body).filter(d -> !d.reliable()).isPresent();
  }

  /**
   * The details that the title decides: a hung task blocks in the title's frame; a stall is blamed on
   * it. When the stall's title found no frame because the kernel printed the stalled cpu's stack
   * without a timer interrupt (an NMI backtrace of a detected stall, a tasks-RCU holdout), the anchor
   * is looked for in that stack instead (syzkaller calls those reports corrupted).
   */
  private static ReportDetails withTitleParts(ReportDetails d, Optional<String> frame, TraceTape tape) {
    if (d instanceof HungTaskDetails h && h.blockedIn().isEmpty()) {
      return new HungTaskDetails(h.kind(), h.task(), h.seconds(), h.state(), frame, h.heldLocks());
    }
    if (d instanceof StallDetails s && s.anchor().isEmpty()) {
      if (frame.isPresent()) {
        return new StallDetails(s.kind(), s.flavour(), s.stalledCpus(), s.detectedBy(), s.duration(), s.task(),
            s.blockedTasks(), frame, Optional.of("interrupted"));
      }
      for (var alt : BETTER_ANCHORS) {
        Optional<FrameRecipe.Pick> p = alt.recipe().run(tape).frame();
        if (p.isPresent()) {
          return new StallDetails(s.kind(), s.flavour(), s.stalledCpus(), s.detectedBy(), s.duration(), s.task(),
              s.blockedTasks(), Optional.of(Titler.bareName(p.get().title())), Optional.of(alt.from()));
        }
      }
    }
    return d;
  }

  private record Better(FrameRecipe recipe, String from) {}

  // Where a stall's stack is when no timer interrupt entered it: the stalled cpu's NMI backtrace (its
  // pc, then its frames), or the first task dump (tasks RCU, preemptible RCU's blocking tasks).
  private static final List<Better> BETTER_ANCHORS = List.of(
      new Better(new FrameRecipe(List.of(
          new FrameRecipe.Find("nmi backtrace", e -> e.text().startsWith("NMI backtrace for cpu")
              && !e.text().contains("skipped"), false, 0),
          new FrameRecipe.Find("pc", e -> e.kind() == TraceTape.Kind.PC && (e.function().isEmpty() || e.frameLike()),
              true, 0),
          new FrameRecipe.ParseStack()), List.of(), List.of(), StallAnchors.STALL, true), "nmi-backtrace"),
      new Better(new FrameRecipe(List.of(
          new FrameRecipe.Find("task dump", e -> e.text().startsWith("task:"), false, 0),
          new FrameRecipe.Find("call trace", e -> e.kind() == TraceTape.Kind.HEADING, false, 0),
          new FrameRecipe.ParseStack()), List.of(), List.of(), StallAnchors.STALL, true), "task"));
}
