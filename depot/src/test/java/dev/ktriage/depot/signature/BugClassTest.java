package dev.ktriage.depot.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.ktriage.model.Tool;
import org.junit.jupiter.api.Test;

/** The coarse classes of {@link BugClass}, each rule with a case that holds and one that does not. */
class BugClassTest {
  @Test
  void kasanTypesAreBadAccessOrInvalidFree() {
    assertEquals("bad-access", BugClass.of(Tool.KASAN, "slab-use-after-free"));
    assertEquals("bad-access", BugClass.of(Tool.KASAN, "null-ptr-deref"));
    assertEquals("invalid-free", BugClass.of(Tool.KASAN, "double-free or invalid-free"));
    assertEquals("invalid-free", BugClass.of(Tool.KASAN, "double-free"));
  }

  @Test
  void kcsanAssertionsAreApartFromDataRaces() {
    assertEquals("assert", BugClass.of(Tool.KCSAN, "assert: race"));
    assertEquals("data-race", BugClass.of(Tool.KCSAN, "data-race"));
  }

  @Test
  void anyOtherCheckIsItsOwnClassWithoutTheOccurrencesNumbers() {
    // bug types as the kernel's own checks print them (kernel/sched/core.c __schedule_bug(),
    // kernel/locking/lockdep.c print_circular_bug_header())
    assertEquals("scheduling-while-atomic", BugClass.ofCheck("scheduling while atomic"));
    assertEquals("possible-circular-locking-dependency", BugClass.ofCheck("possible circular locking dependency"));
    assertEquals(BugClass.ofCheck("unable to handle page fault for address: ffffed1003a3c0a8"),
        BugClass.ofCheck("unable to handle page fault for address: ffffed1003a3c7f0"));
    assertEquals(BugClass.ofCheck("soft lockup - CPU#0 stuck for 22s!"),
        BugClass.ofCheck("soft lockup - CPU#1 stuck for 23s!"));
    assertNotEquals(BugClass.ofCheck("scheduling while atomic"), BugClass.ofCheck("sleeping function called from invalid context"));
    // a KASAN type name under another tool is that tool's check, never a KASAN class
    assertNotEquals("bad-access", BugClass.ofCheck("null-ptr-deref"));
    assertEquals("other", BugClass.ofCheck(" "));
  }
}
