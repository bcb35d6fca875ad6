package dev.ktriage.grammar.build;

import dev.ktriage.grammar.log.PrintkTimes;
import dev.ktriage.grammar.scan.Island;
import dev.ktriage.grammar.title.Titler;
import dev.ktriage.model.Corruption;
import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Elision;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Title;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a parsed report can be trusted, and titles it.
 *
 * <p>A report is corrupted when something that identifies the bug is missing or wrong: the header
 * cannot be read, the access line is missing, the access stack has no reliable frame, a stack
 * heading ({@code Freed by task 1:}) has no frames after it, or no frame is left after skipping
 * plumbing. It is also corrupted when it was cut off: another oops (or the next report) started in
 * its printk context before its closing rule, or the log ended in the middle of a frame line of its
 * call trace. A report whose log ends after whole frame lines of its call trace, or before its tail
 * (object, page or shadow description), is still usable: it is marked incomplete, not corrupted,
 * because people trim reports when they post them (and syzkaller asks no more of a stack than a
 * frame after its heading).
 *
 * <p>The log being cut is told from a person leaving parts out ({@link Elision}): when the header and
 * the access line are whole, a missing stack is an elision, not corruption, if the report says so
 * ({@code ...}, {@code Call Trace: ..}) or if it goes on to its closing rule without one.
 *
 * <p>Stateless and thread-safe.
 */
public final class ReportAssessor {

  private final Titler titler = new Titler();
  private final OopsAssessor oops = new OopsAssessor();

  /** The verdict on one report: why it cannot be trusted, if it cannot, and what a person left out. */
  private record Verdict(Optional<Corruption> corruption, List<Elision> elided) {
    static Verdict ok(List<Elision> elided) {
      return new Verdict(Optional.empty(), elided);
    }
  }

  public Report assess(ReportDraft.Report0 r, Island island) {
    // Title first: it needs the report but not the verdict.
    Report provisional = r.withVerdict(new Title("", List.of(), Optional.empty()), Optional.empty(), r.elided(),
        false);
    Titler.Outcome outcome = titler.title(provisional, r.tape());
    Verdict v;
    switch (r.tool()) {
      case KASAN -> v = kasan(r, island, outcome);
      case KCSAN -> v = kcsan(r, island);
      // KMSAN, KFENCE and UBSAN reports are judged like KASAN's: a header naming the bug, the stack
      // under it, the stacks of the memory's history (KMSAN, KFENCE), a closing rule.
      case KMSAN, KFENCE, UBSAN -> v = kasan(r, island, outcome);
      default -> {
        return oops.assess(r, island, outcome);
      }
    }
    Optional<Corruption> corruption = v.corruption();
    if (corruption.isEmpty() && mergedLines(outcome.title().title())) {
      corruption = Optional.of(new Corruption(CorruptionReason.MERGED_LINES,
          "the title contains a console timestamp: lines of two printk calls were merged",
          r.source().firstLine()));
    }
    return r.withVerdict(outcome.title(), corruption, v.elided(), island.end() == Island.End.SEPARATOR);
  }

  private Verdict kasan(ReportDraft.Report0 r, Island island, Titler.Outcome outcome) {
    boolean cut = cutOff(island);
    List<Elision> elided = new ArrayList<>(r.elided());
    Optional<Stack> access = stack(r.stacks(), StackRole.ACCESS);
    boolean accessFrames = access.map(s -> s.frames().stream().anyMatch(Frame::reliable)).orElse(false);
    if (outcome.problem().isPresent() && outcome.problem().get() != CorruptionReason.NO_GUILTY_FRAME) {
      if (cut && island.lines().size() <= 4) {
        return new Verdict(Optional.of(cutOff(island, "the report stops right after its header")), elided);
      }
      return new Verdict(Optional.of(new Corruption(outcome.problem().get(), outcome.detail(),
          r.source().firstLine())), elided);
    }
    if (!accessFrames && !(access.isPresent() && access.get().unavailable())) {
      // Header and access line are whole (the title says so): a stack left out by the person who
      // posted the report ("...", or nothing up to the closing rule) is an elision.
      // A call trace whose frames are all unreliable is damaged output, not an elision.
      boolean noFrames = access.isEmpty() || access.get().frames().isEmpty();
      boolean marked = r.elided().contains(Elision.LINES) || r.elided().contains(Elision.FRAMES);
      boolean personCut = noFrames
          && (marked || access.isEmpty() && (island.end() == Island.End.SEPARATOR || sawClosingRule(island)));
      if (personCut && outcome.title().guiltyFrame().isPresent()) {
        elided.add(Elision.CALL_TRACE);
        return Verdict.ok(elided);
      }
      if (cut) {
        return new Verdict(Optional.of(cutOff(island, "the report stops before its call trace")), elided);
      }
      if (access.isPresent()) {
        return new Verdict(Optional.of(new Corruption(CorruptionReason.EMPTY_STACK,
            "the call trace has no reliable frame", r.source().firstLine())), elided);
      }
      return new Verdict(Optional.of(new Corruption(CorruptionReason.NO_STACK_TRACE, "the report has no call trace",
          r.source().firstLine())), elided);
    }
    List<Stack> stacks = r.stacks();
    for (int i = 0; i < stacks.size(); i++) {
      Stack s = stacks.get(i);
      boolean framed = s.frames().stream().anyMatch(Frame::reliable);
      if (!framed && !s.unavailable() && s.role() != StackRole.PAGE_FREE && s.role() != StackRole.PAGE_ALLOC) {
        if (r.elided().contains(Elision.FRAMES) || r.elided().contains(Elision.LINES)) {
          continue; // "Freed by task 1:" followed by "...": the person cut it
        }
        if (cut && i == stacks.size() - 1) {
          return new Verdict(Optional.of(cutOff(island, "the report stops inside \"" + s.label() + "\"")), elided);
        }
        return new Verdict(Optional.of(new Corruption(CorruptionReason.EMPTY_STACK,
            "\"" + s.label() + "\" is not followed by frames", r.source().firstLine())), elided);
      }
    }
    if (outcome.problem().isPresent()) {
      return new Verdict(Optional.of(new Corruption(outcome.problem().get(), outcome.detail(),
          r.source().firstLine())), elided);
    }
    return new Verdict(cutInside(r, island), elided);
  }

  // Cut off after the parts that identify the bug: by another oops anywhere before the closing
  // rule, by the end of the log in the middle of the last stack's last frame line.
  private static Optional<Corruption> cutInside(ReportDraft.Report0 r, Island island) {
    switch (island.end()) {
      case OTHER_OOPS, NEXT_REPORT, TOO_LONG -> {
        return Optional.of(cutOff(island, "the report stops before its closing rule"));
      }
      case END_OF_LOG, STALE -> {
        if (r.stacks().isEmpty() || r.elided().contains(Elision.FRAMES) || r.elided().contains(Elision.LINES)) {
          return Optional.empty();
        }
        Stack last = r.stacks().get(r.stacks().size() - 1);
        boolean primary = last.role() == StackRole.ACCESS || last.role() == StackRole.RACE_1
            || last.role() == StackRole.RACE_2;
        if (!primary || last.frames().isEmpty()) {
          return Optional.empty();
        }
        Frame lastFrame = last.frames().get(last.frames().size() - 1);
        boolean endsReport = lastFrame.logLine() >= r.source().lastLine();
        // "kthread+0x2" where the other frames say "+0x1a/0x40": the last line itself was cut.
        boolean cutLine = lastFrame.offset().isPresent() && lastFrame.size().isEmpty()
            && last.frames().stream().anyMatch(f -> f.size().isPresent());
        // Whole frame lines up to the end prove nothing: a person stops a paste anywhere in a
        // trace, and so does a console; syzkaller calls such a report complete.
        if (endsReport && cutLine) {
          return Optional.of(cutOff(island, "the log ends inside \"" + last.label()
              + "\" after " + lastFrame.function()));
        }
        return Optional.empty();
      }
      default -> {
        return Optional.empty();
      }
    }
  }

  private Verdict kcsan(ReportDraft.Report0 r, Island island) {
    KcsanDetails d = (KcsanDetails) r.details();
    List<Elision> elided = r.elided();
    boolean cut = cutOff(island);
    if (d.accesses().isEmpty()) {
      if (cut) {
        return new Verdict(Optional.of(cutOff(island, "the report stops before its first access")), elided);
      }
      return new Verdict(Optional.of(new Corruption(CorruptionReason.NO_ACCESS_LINE, "the report shows no access",
          r.source().firstLine())), elided);
    }
    if (cut && !elided.contains(Elision.FRAMES) && !elided.contains(Elision.LINES)) {
      Stack last = r.stacks().get(r.stacks().size() - 1);
      boolean lastIsRace = last.role() == StackRole.RACE_1 || last.role() == StackRole.RACE_2;
      if (lastIsRace && last.frames().isEmpty()) {
        return new Verdict(Optional.of(cutOff(island, "the report stops before the stack of \""
            + last.label() + "\"")), elided);
      }
    }
    return new Verdict(cutInside(r, island), elided);
  }

  // The closing rule was printed, though another oops followed it in the same context (a GPF right
  // after a wild-memory-access report): the report itself was whole.
  private static boolean sawClosingRule(Island island) {
    List<dev.ktriage.grammar.log.ConsoleLine> lines = island.lines();
    for (int i = lines.size() - 1; i > 0; i--) {
      if (Island.isSeparator(lines.get(i).body())) {
        return true;
      }
      if (!lines.get(i).body().isBlank()) {
        return false;
      }
    }
    return false;
  }

  private static boolean cutOff(Island island) {
    return island.end() != Island.End.SEPARATOR;
  }

  private static Corruption cutOff(Island island, String what) {
    return switch (island.end()) {
      case OTHER_OOPS, NEXT_REPORT -> new Corruption(CorruptionReason.INTERRUPTED_BY_OOPS,
          what + ": another oops starts at line " + island.endLine(), island.endLine());
      case TOO_LONG -> new Corruption(CorruptionReason.TRUNCATED,
          what + ": no closing rule within " + Island.MAX_LINES + " lines", island.endLine());
      case STALE -> new Corruption(CorruptionReason.TRUNCATED,
          what + ": its printk context printed nothing more", island.endLine());
      default -> new Corruption(CorruptionReason.TRUNCATED, what + ": the log ends", island.endLine());
    };
  }

  private static Optional<Stack> stack(List<Stack> stacks, StackRole role) {
    return stacks.stream().filter(s -> s.role() == role).findFirst();
  }

  // "[  12.345678]" inside a title: two printk lines were glued together.
  private static boolean mergedLines(String title) {
    return PrintkTimes.indexOf(title, 0, 1) >= 0;
  }
}
