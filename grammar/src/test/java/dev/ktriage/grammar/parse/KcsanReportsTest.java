package dev.ktriage.grammar.parse;

import static dev.ktriage.grammar.parse.TestLogs.only;
import static dev.ktriage.grammar.parse.TestLogs.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.AccessOp;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import dev.ktriage.model.ValueChange;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** KCSAN's three report kinds and the words of its access lines (kernel/kcsan/report.c). */
class KcsanReportsTest {

  private static KcsanDetails kcsan(Report r) {
    return (KcsanDetails) r.details();
  }

  @Test
  void dataRaceBetweenTwoTasksWithValueChange() {
    Report r = only("kcsan/data-race-x86_64-value-changed.log");
    assertEquals(Tool.KCSAN, r.tool());
    assertEquals("data-race", r.bugType());
    assertEquals("KCSAN: data-race in generic_fillattr / inode_set_ctime_current", r.title().title());
    assertEquals(Optional.of("generic_fillattr"), r.title().guiltyFrame());
    assertFalse(r.corrupted());
    assertTrue(r.complete());
    KcsanDetails k = kcsan(r);
    assertEquals(KcsanKind.DATA_RACE, k.kind());
    assertEquals(List.of("generic_fillattr", "inode_set_ctime_current"), k.functions());

    RaceAccess w = k.accesses().get(0);
    assertEquals(AccessOp.WRITE, w.op());
    assertEquals(List.of(), w.qualifiers());
    assertEquals(OptionalLong.of(0xffff888107a3b0c8L), w.address());
    assertEquals(OptionalLong.of(8), w.size());
    assertEquals(OptionalInt.of(5120), w.task().orElseThrow().pid());
    assertEquals(OptionalInt.of(1), w.cpu());
    assertFalse(w.interrupt());
    assertEquals(StackRole.RACE_1, w.stack());
    RaceAccess rd = k.accesses().get(1);
    assertEquals(AccessOp.READ, rd.op());
    assertEquals(OptionalInt.of(5117), rd.task().orElseThrow().pid());
    assertEquals(OptionalInt.of(0), rd.cpu());
    assertEquals(StackRole.RACE_2, rd.stack());

    assertEquals("inode_set_ctime_current", stack(r, StackRole.RACE_1).frames().get(0).function());
    assertEquals(9, stack(r, StackRole.RACE_1).frames().size());
    assertEquals("generic_fillattr", stack(r, StackRole.RACE_2).frames().get(0).function());
    assertEquals(9, stack(r, StackRole.RACE_2).frames().size());
    assertEquals(Optional.of(new ValueChange("0x000000002f1a7b90", "0x0000000030445c31")), k.valueChange());

    // "Reported by Kernel Concurrency Sanitizer on:" is followed by the reporting cpu's context.
    assertEquals(OptionalInt.of(0), r.context().cpu());
    assertEquals(OptionalInt.of(5117), r.context().pid());
    assertEquals(Optional.of("syz.2.118"), r.context().comm());
    assertEquals(Optional.of("T5117"), r.context().callerId());
    assertEquals(2, r.source().firstLine());
    assertEquals(32, r.source().lastLine());
  }

  @Test
  void interruptMarkedReadWriteAndReordered() {
    Report r = only("kcsan/data-race-interrupt-marked-read-write-reordered.log");
    assertEquals("KCSAN: data-race in rcu_all_qs / rcu_disable_urgency_upon_qs", r.title().title());
    KcsanDetails k = kcsan(r);
    RaceAccess first = k.accesses().get(0);
    assertEquals(AccessOp.WRITE, first.op());
    assertEquals(List.of("marked"), first.qualifiers());
    assertTrue(first.interrupt());
    assertTrue(first.task().isEmpty());
    assertEquals(OptionalInt.of(1), first.cpu());
    assertEquals(OptionalLong.of(0xeedc7805L), first.address());
    RaceAccess second = k.accesses().get(1);
    assertEquals(AccessOp.READ_WRITE, second.op());
    assertEquals(List.of("reordered"), second.qualifiers());
    assertEquals(OptionalInt.of(331), second.task().orElseThrow().pid());
    assertEquals(OptionalLong.of(1), second.size());
    assertEquals(18, stack(r, StackRole.RACE_1).frames().size());
    // The "|" and "+-> reordered to:" lines after the second stack are not frames.
    assertEquals(9, stack(r, StackRole.RACE_2).frames().size());
    assertEquals(Optional.of("ttm"), stack(r, StackRole.RACE_2).frames().get(3).module());
    assertTrue(k.valueChange().isEmpty());
    assertEquals(Optional.of("powerpc"), r.context().arch());
  }

  @Test
  void raceAtUnknownOrigin() {
    Report r = only("kcsan/data-race-unknown-origin.log");
    // The header names one function, with its offset; the title strips it.
    assertEquals("KCSAN: data-race in blk_add_timer", r.title().title());
    KcsanDetails k = kcsan(r);
    assertEquals(KcsanKind.UNKNOWN_ORIGIN, k.kind());
    assertEquals(1, k.accesses().size());
    assertEquals(AccessOp.READ, k.accesses().get(0).op());
    assertEquals(OptionalInt.of(6), k.accesses().get(0).cpu());
    assertEquals(OptionalInt.of(3725), k.accesses().get(0).task().orElseThrow().pid());
    assertEquals(Optional.of(new ValueChange("0x00000bb8", "0x000005dc")), k.valueChange());
    assertEquals(15, stack(r, StackRole.RACE_1).frames().size());
    assertEquals(Optional.of("nvme"), stack(r, StackRole.RACE_1).frames().get(2).module());
    assertEquals(Optional.of("#47 PREEMPT(voluntary)"), r.context().build());
    assertFalse(r.corrupted());
  }

  @Test
  void assertRaceWithAssertNoWrites() {
    Report r = only("kcsan/assert-race-exclusive-writer.log");
    assertEquals("assert: race", r.bugType());
    assertEquals("KCSAN: assert: race in dequeue_entities / set_next_entity", r.title().title());
    KcsanDetails k = kcsan(r);
    assertEquals(KcsanKind.ASSERT, k.kind());
    assertEquals(List.of("dequeue_entities", "set_next_entity"), k.functions());
    assertEquals(List.of("assert no writes"), k.accesses().get(0).qualifiers());
    assertEquals(OptionalInt.of(0), k.accesses().get(0).task().orElseThrow().pid());
    assertTrue(k.accesses().get(1).interrupt());
    assertEquals(OptionalInt.of(5), k.accesses().get(1).cpu());
    assertEquals(8, stack(r, StackRole.RACE_2).frames().size());
    assertEquals(Optional.of("swapper/2"), r.context().comm());
  }
}
