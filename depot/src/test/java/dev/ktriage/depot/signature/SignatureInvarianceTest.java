package dev.ktriage.depot.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.store.TestReports;
import dev.ktriage.model.Access;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.LogTime;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Metamorphic checks on real-format reports: what changes between occurrences of one bug on one build
 * (addresses, KASLR slide, tasks, pids, cpus, caller ids, times) leaves the exact key alone, and another
 * faulting instruction or function changes it.
 */
class SignatureInvarianceTest {
  private final Signer signer = new Signer();

  private static Report with(Report r, Optional<Access> access, KernelContext ctx, LogTime time, List<Stack> stacks) {
    return new Report(r.tool(), r.bugType(), r.header(), r.title(), access, ctx, time, stacks, r.details(),
        r.corruption(), r.complete(), r.source());
  }

  /**
   * Another occurrence on the same build: other address, task, pid, cpu, caller id, time and KASLR slide.
   * The faulting instruction, so its offset and access size, is the bug's.
   */
  private static Report occurrence(Report r, SplittableRandom rnd) {
    Optional<Access> access = r.access().map(a -> new Access(a.op(), a.size(),
        OptionalLong.of(0xffff888000000000L + rnd.nextInt(1 << 30)),
        Optional.of(new TaskRef("syz-executor." + rnd.nextInt(9), OptionalInt.of(rnd.nextInt(40000)))), a.tags()));
    KernelContext c = r.context();
    KernelContext ctx = new KernelContext(OptionalInt.of(rnd.nextInt(64)), OptionalInt.of(rnd.nextInt(40000)),
        Optional.of("kworker/u8:" + rnd.nextInt(9)), c.release(), c.build(), c.taint(), c.hardware(), c.arch(),
        Optional.of("T" + rnd.nextInt(40000)));
    long slide = (long) rnd.nextInt(512) << 21;
    List<Stack> stacks = new ArrayList<>();
    for (Stack s : r.stacks()) {
      List<Frame> fs = new ArrayList<>();
      for (Frame f : s.frames()) {
        fs.add(new Frame(f.function(), f.offset(), f.size(), f.module(),
            f.moduleBuildId(), f.reliable(), f.address().isPresent() ? OptionalLong.of(f.address().getAsLong() + slide)
                : OptionalLong.empty(), f.context(), f.location(), f.inlined(), f.logLine() + 1000));
      }
      stacks.add(s.withFrames(fs));
    }
    return with(r, access, ctx, new LogTime(OptionalDouble.of(rnd.nextDouble() * 1e5), Optional.empty()), stacks);
  }

  @Test
  void occurrencesOfOneBugHaveOneKey() throws Exception {
    SplittableRandom rnd = new SplittableRandom(11);
    List<Report> reports = TestReports.first(20);
    for (Report r : reports) {
      String key = signer.sign(r).exactKey();
      for (int i = 0; i < 5; i++) {
        Report o = occurrence(r, rnd);
        assertEquals(key, signer.sign(o).exactKey(), r.source() + " variant " + i);
        assertNotEquals(ReportFingerprint.of(r), ReportFingerprint.of(o), "an occurrence is a new report");
      }
    }
  }

  @Test
  void kcsanPairIsUnordered() throws Exception {
    int checked = 0;
    for (Report r : TestReports.first(40)) {
      if (r.tool() != Tool.KCSAN || r.stack(StackRole.RACE_2).isEmpty()) {
        continue;
      }
      List<Stack> swapped = new ArrayList<>();
      for (Stack s : r.stacks()) {
        StackRole role = s.role() == StackRole.RACE_1 ? StackRole.RACE_2 : s.role() == StackRole.RACE_2 ? StackRole.RACE_1 : s.role();
        swapped.add(new Stack(role, s.label(), s.origin(), s.frames(), s.unavailable()));
      }
      assertEquals(signer.sign(r).exactKey(), signer.sign(with(r, r.access(), r.context(), r.time(), swapped)).exactKey());
      checked++;
    }
    assertTrue(checked > 3, "KCSAN pairs checked: " + checked);
  }

  @Test
  void anotherFaultingInstructionOrFunctionIsAnotherKey() throws Exception {
    int checked = 0;
    for (Report r : TestReports.first(10)) {
      if (!(r.details() instanceof KasanDetails d) || d.faultLocation().isEmpty()
          || r.stacks().stream().anyMatch(st -> st.frames().stream().anyMatch(Frame::isSymbolized))) {
        continue; // symbolized reports are keyed by their line, which an offset does not move
      }
      String key = signer.sign(r).exactKey();
      String fault = d.faultLocation().get();
      String function = fault.substring(0, fault.indexOf('+'));
      String other = fault.replace(function + "+0x", function + "+0x1"); // another offset, one build
      assertNotEquals(key, signer.sign(withFault(r, fault, other, function, function)).exactKey(), r.source().toString());
      String renamed = fault.replace(function, function + "_other");
      assertNotEquals(key, signer.sign(withFault(r, fault, renamed, function, function + "_other")).exactKey(),
          r.source().toString());
      checked++;
    }
    assertTrue(checked > 3, "KASAN reports checked: " + checked);
  }

  /** The report with its header's fault site, and the access frame printed there, moved. */
  private static Report withFault(Report r, String fault, String newFault, String function, String newFunction) {
    KasanDetails d = (KasanDetails) r.details();
    String off = newFault.substring(newFault.indexOf('+') + 1, newFault.indexOf('/'));
    List<Stack> stacks = new ArrayList<>();
    for (Stack s : r.stacks()) {
      List<Frame> fs = new ArrayList<>();
      for (Frame f : s.frames()) {
        boolean site = s.role() == StackRole.ACCESS && f.function().startsWith(function)
            && fault.contains(String.format(java.util.Locale.ROOT, "+0x%x/", f.offset().orElse(-1)));
        fs.add(site ? new Frame(newFunction, OptionalLong.of(Long.parseLong(off.substring(2), 16)), f.size(),
            f.module(), f.moduleBuildId(), f.reliable(), f.address(), f.context(), f.location(), f.inlined(),
            f.logLine()) : f);
      }
      stacks.add(s.withFrames(fs));
    }
    KasanDetails moved = new KasanDetails(d.mode(), d.headerForm(), Optional.of(newFault), d.object(), d.variable(), d.stackOwner(),
        d.page(), d.shadow());
    return new Report(r.tool(), r.bugType(), r.header(), r.title(), r.access(), r.context(), r.time(), stacks, moved,
        r.corruption(), r.complete(), r.source());
  }

  /** Stored reports are deduplicated by fingerprint: it must not change between versions. */
  @org.junit.jupiter.api.Test
  void fingerprintsAreStableAcrossVersions() throws Exception {
    Report first = TestReports.first(1).getFirst();
    assertEquals("38c27852a309dbecb83d147f98989242", ReportFingerprint.of(first));
    // a non-ASCII task name goes through the UTF-8 encoder: same bytes as before
    Report r = new Report(first.tool(), first.bugType(), first.header(), first.title(), first.access(),
        new KernelContext(OptionalInt.of(1), OptionalInt.of(2), Optional.of("t\u00e2che\u4e2d"), first.context().release(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()),
        first.time(), first.stacks(), first.details(), first.corruption(), first.complete(), first.source());
    assertEquals("bd7469dd96c8ad56ad54521717404bc3", ReportFingerprint.of(r)); // as the per-char feed of 5b740f7 made it
  }

  @Test
  void aRepeatWithoutATimeStampIsAnotherOccurrenceACopyIsNot() throws Exception {
    Report first = TestReports.first(1).getFirst();
    Report timed = at(first, first.time(), "a.log", 10);
    assertEquals(ReportFingerprint.of(timed), ReportFingerprint.of(at(first, first.time(), "b.log", 500)),
        "with a time stamp, where the report is printed says nothing");
    Report untimed = at(first, LogTime.none(), "a.log", 10);
    assertEquals(ReportFingerprint.of(untimed), ReportFingerprint.of(at(first, LogTime.none(), "copy/a.log", 10)),
        "a copy of the log under another name adds nothing");
    assertNotEquals(ReportFingerprint.of(untimed), ReportFingerprint.of(at(first, LogTime.none(), "a.log", 60)),
        "the same bytes printed again further down the log are another occurrence");
  }

  private static Report at(Report r, LogTime time, String path, long line) {
    return new Report(r.tool(), r.bugType(), r.header(), r.title(), r.access(), r.context(), time, r.stacks(),
        r.details(), r.corruption(), r.complete(), new dev.ktriage.model.SourceSpan(path, line, line + 40));
  }
}
