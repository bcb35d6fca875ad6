package dev.ktriage.grammar.parse;

import static dev.ktriage.grammar.parse.TestLogs.frame;
import static dev.ktriage.grammar.parse.TestLogs.functions;
import static dev.ktriage.grammar.parse.TestLogs.only;
import static dev.ktriage.grammar.parse.TestLogs.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.AccessOp;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** KASAN as kernels 3.19 to 4.19 printed it: other headers, access lines and alloc/free stacks. */
class KasanOldFormatsTest {

  @Test
  void addressSanitizer2015HeaderWithAddressAndMarkerOnTheFrameLine() {
    Report r = only("kasan/addresssanitizer-x86_64-3.19-wild-memory-access.log");
    assertEquals("wild memory access", r.bugType());
    assertEquals("KASAN: wild-memory-access Read in ip_rcv_finish", r.title().title());
    assertFalse(r.corrupted());
    var a = r.access().orElseThrow();
    assertEquals(AccessOp.READ, a.op());
    assertEquals(OptionalLong.of(8), a.size());
    // "Read of size 8 by task swapper/1/0": the address is the header's "at addr".
    assertEquals(OptionalLong.of(0xdead4ead00000118L), a.address());
    assertEquals("swapper/1", a.task().orElseThrow().comm());
    assertEquals(OptionalInt.of(0), a.task().orElseThrow().pid());

    Stack s = stack(r, StackRole.ACCESS);
    assertEquals(19, s.frames().size());
    // " <IRQ>  [<ffffffff82101040>] dump_stack+0x4c/0x65": marker and first frame on one line.
    var first = s.frames().get(0);
    assertEquals("dump_stack", first.function());
    assertEquals(OptionalLong.of(0xffffffff82101040L), first.address());
    assertEquals(FrameContext.IRQ, first.context());
    assertEquals(FrameContext.IRQ, frame(s, "common_interrupt").context());
    // " <EOI>  [<...>] ? native_safe_halt+0x6/0x10": back on the task stack, and not reliable.
    var halt = frame(s, "native_safe_halt");
    assertFalse(halt.reliable());
    assertEquals(FrameContext.UNMARKED, halt.context());
    assertEquals(OptionalLong.of(0xffffffff8107a6f6L), halt.address());
  }

  @Test
  void useAfterScopeWithAtAddrHeaderOf410() {
    Report r = only("kasan/use-after-scope-x86_64-4.10-at-addr.log");
    assertEquals("use-after-scope", r.bugType());
    assertEquals("KASAN: use-after-scope Read in ip6_datagram_recv_specific_ctl", r.title().title());
    assertEquals(OptionalLong.of(0xffff8801c6ef7450L), r.access().orElseThrow().address());
    assertEquals(OptionalLong.of(4), r.access().orElseThrow().size());
    assertEquals("syz-executor5", r.access().orElseThrow().task().orElseThrow().comm());
    assertEquals(Optional.of("ip6_datagram_recv_specific_ctl+0x1c1a/0x1f90"),
        ((KasanDetails) r.details()).faultLocation());
    Stack s = stack(r, StackRole.ACCESS);
    assertEquals(13, s.frames().size());
    assertEquals(List.of("SYSC_recvmmsg"), frame(s, "SyS_recvmmsg").inlined().stream().map(i -> i.function()).toList());
  }

  @Test
  void useAfterFreeOf49WithObjectLineAndPidLines() {
    Report r = only("kasan/use-after-free-x86_64-4.9-old-object-and-pid.log");
    assertEquals("KASAN: use-after-free Read in consume_skb", r.title().title());
    assertFalse(r.corrupted());
    assertEquals(OptionalLong.of(0xffff8801cbeda574L), r.access().orElseThrow().address());

    Stack access = stack(r, StackRole.ACCESS);
    // "[<ffffffff834c2bb9>] __dump_stack lib/dump_stack.c:15 [inline]" belongs to the next frame.
    assertEquals(12, access.frames().size());
    var dump = access.frames().get(0);
    assertEquals("dump_stack", dump.function());
    assertEquals(OptionalLong.of(0xffffffff834c2bb9L), dump.address());
    assertEquals("__dump_stack", dump.inlined().get(0).function());
    assertEquals(List.of("print_address_description", "kasan_report_error"),
        frame(access, "kasan_report").inlined().stream().map(i -> i.function()).toList());

    // "Allocated:" + "PID = 4655", "Freed:" + "PID = 4655"
    Stack alloc = stack(r, StackRole.ALLOC);
    assertEquals("Allocated:", alloc.label());
    assertEquals(OptionalInt.of(4655), alloc.origin().orElseThrow().pid());
    assertEquals(9, alloc.frames().size());
    Stack free = stack(r, StackRole.FREE);
    assertEquals(OptionalInt.of(4655), free.origin().orElseThrow().pid());
    assertEquals("kfree_skbmem", free.frames().get(4).function());

    // "Object at ffff8801cbeda480, in cache skbuff_head_cache size: 248"
    var o = ((KasanDetails) r.details()).object().orElseThrow();
    assertEquals(OptionalLong.of(0xffff8801cbeda480L), o.address());
    assertEquals(Optional.of("skbuff_head_cache"), o.cache());
    assertEquals(OptionalLong.of(248), o.objectSize());
    assertTrue(o.region().isEmpty());
  }

  @Test
  void wildMemoryAccessOnAddressFormHasNoFrameInItsTitle() {
    Report r = only("kasan/wild-memory-access-x86_64-4.9-on-address.log");
    assertEquals("wild-memory-access", r.bugType());
    // syzkaller's title for "... on address X" + "Read of size N": kind and direction only.
    assertEquals("KASAN: wild-memory-access Read", r.title().title());
    assertFalse(r.corrupted());
    assertEquals(OptionalLong.of(205), r.access().orElseThrow().size());
    assertEquals(OptionalLong.of(0xffe7087450a17000L), r.access().orElseThrow().address());
    assertEquals(11, stack(r, StackRole.ACCESS).frames().size());
    assertEquals("packet_sendmsg", stack(r, StackRole.ACCESS).frames().get(6).function());
  }

  @Test
  void frameAddressesAreKeptOnOldX86() {
    Report r = only("kasan/use-after-free-x86_64-4.9-old-object-and-pid.log");
    List<String> names = functions(stack(r, StackRole.ACCESS));
    assertEquals("entry_SYSCALL_64_fastpath", names.get(names.size() - 1));
    assertEquals(OptionalLong.of(0xffffffff85e2a6c1L),
        frame(stack(r, StackRole.ACCESS), "entry_SYSCALL_64_fastpath").address());
  }

  // Linux 4.0-4.3 spelled the banner "KASan" and its kinds in words, and with SLUB debugging the
  // slab printed its own 77-character rule, track records ("INFO: Allocated in ...", tab-indented
  // frames) and object bytes inside the report.
  @Test
  void kasanMixedCaseWithSlubDebugRecordsOf43() {
    Report r = only("kasan/use-after-free-x86_64-4.3-kasan-slub-debug.log");
    assertEquals("use after free", r.bugType());
    assertEquals("KASAN: use-after-free Read in ext4_ext_find_extent", r.title().title());
    assertFalse(r.corrupted());
    assertTrue(r.complete(), "SLUB's 77-character rule on line 5 does not end the report");
    assertEquals(2, r.source().firstLine());
    assertEquals(65, r.source().lastLine()); // the closing rule
    assertEquals(OptionalLong.of(0xffff8800b4d2c0a8L), r.access().orElseThrow().address());

    Stack alloc = stack(r, StackRole.ALLOC);
    assertEquals(11, alloc.frames().size());
    assertEquals(OptionalInt.of(3141), alloc.origin().orElseThrow().pid());
    assertEquals(OptionalInt.of(1), alloc.origin().orElseThrow().cpu());
    assertEquals("___slab_alloc", alloc.frames().get(0).function());
    Stack free = stack(r, StackRole.FREE);
    assertEquals(List.of("__slab_free", "kfree", "ext4_ext_find_extent"), functions(free).subList(0, 3));

    Stack access = stack(r, StackRole.ACCESS);
    assertEquals(13, access.frames().size());
    assertEquals("entry_SYSCALL_64_fastpath", access.frames().get(12).function());
    var shadow = ((KasanDetails) r.details()).shadow().orElseThrow();
    assertEquals(2, shadow.buggyRow());
    assertEquals(33, shadow.caretColumn()); // byte 0x28 of the row: the fifth shadow byte
  }
}
