package dev.ktriage.depot.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.store.TestReports;
import dev.ktriage.model.Access;
import dev.ktriage.model.Frame;
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
 * Metamorphic checks on real-format reports: what must never split a bug leaves the exact key alone,
 * and a different guilty code path changes it.
 */
class SignatureInvarianceTest {
  private final Signer signer = new Signer();

  private static Report with(Report r, Optional<Access> access, KernelContext ctx, LogTime time, List<Stack> stacks) {
    return new Report(r.tool(), r.bugType(), r.header(), r.title(), access, ctx, time, stacks, r.details(),
        r.corruption(), r.complete(), r.source());
  }

  /** Another occurrence: other size, address, task, pid, cpu, time, KASLR slide and offsets. */
  private static Report occurrence(Report r, SplittableRandom rnd) {
    Optional<Access> access = r.access().map(a -> new Access(a.op(), OptionalLong.of(1L << rnd.nextInt(5)),
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
        fs.add(new Frame(f.function(), OptionalLong.of(f.offset().orElse(0) + rnd.nextInt(3)), f.size(), f.module(),
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
  void anotherGuiltyPathIsAnotherKey() throws Exception {
    for (Report r : TestReports.first(10)) {
      Signature sig = signer.sign(r);
      if (sig.guilty().isEmpty()) {
        continue;
      }
      String guilty = sig.guilty().get();
      List<Stack> stacks = new ArrayList<>();
      for (Stack s : r.stacks()) {
        List<Frame> fs = new ArrayList<>();
        for (Frame f : s.frames()) {
          boolean primary = s.role() == StackRole.ACCESS || s.role() == StackRole.RACE_1;
          fs.add(primary && f.function().startsWith(guilty) ? new Frame(guilty + "_other", f.offset(), f.size(),
              f.module(), f.moduleBuildId(), f.reliable(), f.address(), f.context(), f.location(), f.inlined(),
              f.logLine()) : f);
        }
        stacks.add(s.withFrames(fs));
      }
      assertNotEquals(sig.exactKey(), signer.sign(with(r, r.access(), r.context(), r.time(), stacks)).exactKey(),
          r.source().toString());
    }
  }
}
