package dev.ktriage.grammar.parse;

import static dev.ktriage.grammar.parse.TestLogs.frame;
import static dev.ktriage.grammar.parse.TestLogs.functions;
import static dev.ktriage.grammar.parse.TestLogs.only;
import static dev.ktriage.grammar.parse.TestLogs.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.AccessOp;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanMode;
import dev.ktriage.model.RegionRelation;
import dev.ktriage.model.Report;
import dev.ktriage.model.ShadowDump;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Modern KASAN reports (Linux 5.x to 6.13) on x86_64, one per bug type, each checked against what
 * its log in {@code testdata/logs/kasan/} says.
 */
class KasanReportsTest {

  private static KasanDetails kasan(Report r) {
    return (KasanDetails) r.details();
  }

  private static BuggyRegion region(Report r) {
    return kasan(r).object().flatMap(BuggyObject::region).orElseThrow();
  }

  // The shadow byte under the caret, read from the dump itself: the caret must point into the buggy row.
  private static String byteUnderCaret(ShadowDump d) {
    String row = d.rows().get(d.buggyRow());
    return row.substring(d.caretColumn(), d.caretColumn() + 2);
  }

  @Test
  void negativeSizeMemmoveKeepsTheSizeTheKernelPrinted() {
    // print_error_description(): "%s of size %zu at addr %px by task %s/%d"; a size_t of 2^64-2
    // is a length of -2 passed to memmove (kasan_test.c's kmalloc_memmove_negative_size)
    Report r = only("kasan/out-of-bounds-negative-size-memmove-x86_64-6.6.log");
    assertEquals("out-of-bounds", r.bugType());
    assertFalse(r.corrupted());
    var a = r.access().orElseThrow();
    assertEquals(AccessOp.READ, a.op());
    assertEquals("18446744073709551614", Long.toUnsignedString(a.size().orElseThrow()));
    assertEquals(OptionalLong.of(0xffff88810b3c5204L), a.address());
    assertEquals("kunit_try_catch", a.task().orElseThrow().comm());
  }

  @Test
  void slabOutOfBoundsWithCallerIdsAndAllocationOnCpu() {
    Report r = only("kasan/slab-out-of-bounds-x86_64-caller-ids.log");
    assertEquals(Tool.KASAN, r.tool());
    assertEquals("slab-out-of-bounds", r.bugType());
    assertEquals("KASAN: slab-out-of-bounds Read in hci_le_meta_evt", r.title().title());
    assertEquals(List.of("bad-access in hci_le_meta_evt"), r.title().alternatives());
    assertEquals(Optional.of("hci_le_meta_evt"), r.title().guiltyFrame());
    assertFalse(r.corrupted());
    assertTrue(r.complete());
    // The report is lines 18 (opening rule) to 83 (closing rule); other contexts' lines in between
    // ([ T1], [ C0], [ T5110], unprefixed executor output) are not part of it.
    assertEquals(18, r.source().firstLine());
    assertEquals(83, r.source().lastLine());
    assertEquals("testdata/logs/kasan/slab-out-of-bounds-x86_64-caller-ids.log", r.source().path());

    var a = r.access().orElseThrow();
    assertEquals(AccessOp.READ, a.op());
    assertEquals(OptionalLong.of(1), a.size());
    assertEquals(OptionalLong.of(0xffff88801f0c4a41L), a.address());
    assertEquals("kworker/u9:2", a.task().orElseThrow().comm());
    assertEquals(OptionalInt.of(5104), a.task().orElseThrow().pid());

    var c = r.context();
    assertEquals(OptionalInt.of(1), c.cpu());
    assertEquals(OptionalInt.of(5104), c.pid());
    assertEquals(Optional.of("kworker/u9:2"), c.comm());
    assertEquals(Optional.of("GBW"), c.taint());
    assertEquals(Optional.of("6.12.0-rc4-00112-g1f3a2b4c5d6e"), c.release());
    assertEquals(Optional.of("T5104"), c.callerId());
    assertEquals(Optional.of("x86_64"), c.arch());
    assertTrue(c.hardware().orElseThrow().startsWith("QEMU Standard PC (i440FX + PIIX, 1996)"));
    assertEquals(87.70, r.time().uptime().orElseThrow(), 1e-9);

    Stack access = stack(r, StackRole.ACCESS);
    assertEquals(15, access.frames().size());
    Frame guilty = access.frames().get(7);
    assertEquals("hci_le_meta_evt", guilty.function());
    assertEquals(OptionalLong.of(0x2e8), guilty.offset());
    assertEquals(OptionalLong.of(0x3a0), guilty.size());
    assertTrue(guilty.reliable());
    assertEquals(37, guilty.logLine());
    // "? " frames are kept but not trusted; every frame sits inside <TASK> ... </TASK>.
    assertFalse(access.frames().get(3).reliable());
    assertEquals("__virt_addr_valid", access.frames().get(3).function());
    assertTrue(access.frames().stream().allMatch(f -> f.context() == FrameContext.TASK));

    Stack alloc = stack(r, StackRole.ALLOC);
    assertEquals("Allocated by task 5110 on cpu 0 at 87.654321s:", alloc.label());
    var origin = alloc.origin().orElseThrow();
    assertEquals(OptionalInt.of(5110), origin.pid());
    assertEquals(OptionalInt.of(0), origin.cpu());
    assertEquals(87.654321, origin.seconds().orElseThrow(), 1e-9);
    assertEquals(11, alloc.frames().size());
    assertEquals("vhci_write", alloc.frames().get(6).function());

    BuggyObject o = kasan(r).object().orElseThrow();
    assertEquals(OptionalLong.of(0xffff88801f0c4a00L), o.address());
    assertEquals(Optional.of("kmalloc-64"), o.cache());
    assertEquals(OptionalLong.of(64), o.objectSize());
    assertEquals(new BuggyRegion(RegionRelation.RIGHT, 1, 64, "allocated", 0xffff88801f0c4a00L, 0xffff88801f0c4a40L),
        region(r));
    assertTrue(kasan(r).page().contains("page dumped because: kasan: bad access detected"));

    ShadowDump d = kasan(r).shadow().orElseThrow();
    assertEquals(5, d.rows().size());
    assertEquals(2, d.buggyRow());
    assertTrue(d.rows().get(2).startsWith("ffff88801f0c4a00:"));
    // 0x...a41 is in the granule at 0x...a40: the ninth byte of the row, the first redzone byte.
    assertEquals("fc", byteUnderCaret(d));
    assertEquals(18 + 8 * 3, d.caretColumn());
    assertEquals(KasanMode.GENERIC, kasan(r).mode());
    assertEquals(Optional.of("hci_le_meta_evt+0x2e8/0x3a0"), kasan(r).faultLocation());
  }

  @Test
  void slabUseAfterFreeInIrqWithAuxStacksAndPageOwner() {
    Report r = only("kasan/slab-use-after-free-x86_64-irq-aux-page-owner.log");
    assertEquals("KASAN: slab-use-after-free Read in tcp_write_timer_handler", r.title().title());
    assertFalse(r.corrupted());
    assertEquals(Optional.of(""), r.context().taint()); // "Not tainted"
    assertEquals(Optional.of("6.6.0-rc7-next-20231027"), r.context().release());
    assertEquals(Optional.of("#3"), r.context().build());
    assertEquals(Optional.of("swapper/0"), r.context().comm());
    assertEquals(OptionalInt.of(0), r.context().pid());

    Stack access = stack(r, StackRole.ACCESS);
    // <IRQ> ... </IRQ> then <TASK> ... </TASK>; the register dump between them is not a frame.
    assertEquals(FrameContext.IRQ, frame(access, "tcp_write_timer_handler").context());
    assertEquals(FrameContext.IRQ, frame(access, "sysvec_apic_timer_interrupt").context());
    assertEquals(FrameContext.TASK, frame(access, "asm_sysvec_apic_timer_interrupt").context());
    assertEquals(FrameContext.TASK, frame(access, "secondary_startup_64_no_verify").context());
    assertEquals(24, access.frames().size());

    List<StackRole> roles = r.stacks().stream().map(Stack::role).toList();
    assertEquals(List.of(StackRole.ACCESS, StackRole.ALLOC, StackRole.FREE, StackRole.AUX, StackRole.AUX,
        StackRole.PAGE_ALLOC, StackRole.PAGE_FREE), roles);
    assertEquals(OptionalInt.of(6021), stack(r, StackRole.FREE).origin().orElseThrow().pid());
    assertTrue(stack(r, StackRole.FREE).origin().orElseThrow().cpu().isEmpty()); // before 6.2: no "on cpu"
    assertEquals("Second to last potentially related work creation:", r.stacks().get(4).label());
    assertEquals("tcp_close", r.stacks().get(3).frames().get(3).function());
    assertEquals("queue_work_on", r.stacks().get(4).frames().get(4).function());

    Stack pageAlloc = stack(r, StackRole.PAGE_ALLOC);
    assertTrue(pageAlloc.label().startsWith("page last allocated via order 3, migratetype Unmovable"));
    assertEquals(15, pageAlloc.frames().size());
    assertEquals("post_alloc_hook", pageAlloc.frames().get(0).function());
    Stack pageFree = stack(r, StackRole.PAGE_FREE);
    assertEquals("page last free stack trace:", pageFree.label());
    assertEquals(12, pageFree.frames().size());
    assertEquals("free_unref_page_prepare", pageFree.frames().get(0).function());

    assertEquals(new BuggyRegion(RegionRelation.INSIDE, 210, 2400, "freed", 0xffff888029d3a000L, 0xffff888029d3a960L),
        region(r));
    assertEquals(Optional.of("TCP"), kasan(r).object().orElseThrow().cache());
    ShadowDump d = kasan(r).shadow().orElseThrow();
    assertEquals(1, d.buggyRow());
    assertEquals("fb", byteUnderCaret(d));
    assertEquals(18 + 10 * 3, d.caretColumn()); // 0xd2 - 0x80 = 82 bytes: granule 10 of the row
  }

  @Test
  void globalOutOfBoundsInModuleWithBuildIdAndVariable() {
    Report r = only("kasan/global-out-of-bounds-x86_64-module-buildid-syslog-levels.log");
    assertEquals("global-out-of-bounds", r.bugType());
    assertEquals("KASAN: global-out-of-bounds Read in alc_pick_fixup", r.title().title());
    assertEquals(Optional.of("alc269_fixups+0xa2a/0xb40"), kasan(r).variable());
    assertEquals(Optional.of("GB"), r.context().taint());

    Stack access = stack(r, StackRole.ACCESS);
    Frame f = access.frames().stream().filter(x -> x.function().equals("alc_pick_fixup") && x.reliable())
        .findFirst().orElseThrow();
    assertEquals(Optional.of("snd_hda_codec_realtek"), f.module());
    assertEquals(Optional.of("5f1d0c6a93e2b1a4c07d0fe9b8a1c3d2e4f56789"), f.moduleBuildId());
    Frame probe = frame(access, "hda_codec_driver_probe");
    assertEquals(Optional.of("snd_hda_codec"), probe.module());
    assertEquals(Optional.of("0e3a2f8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f"), probe.moduleBuildId());
    assertEquals(Optional.empty(), frame(access, "really_probe").module());
    // No timestamps in a "<3>" log.
    assertTrue(r.time().uptime().isEmpty());
    // 0x...c0ea is granule 13 of the row at 0x...c080, whose shadow says only 2 bytes are valid.
    assertEquals("02", byteUnderCaret(kasan(r).shadow().orElseThrow()));
  }

  @Test
  void stackOutOfBoundsNamesTheTaskWhoseStackItIs() {
    Report r = only("kasan/stack-out-of-bounds-x86_64-dmesg-T.log");
    assertEquals("KASAN: stack-out-of-bounds Read in xfrm_state_find", r.title().title());
    assertEquals(Optional.of("ping/1423"), kasan(r).stackOwner());
    assertEquals(Optional.of("5.15.0-91-generic"), r.context().release());
    assertEquals(Optional.of("#101-Ubuntu"), r.context().build());
    assertEquals(Optional.of("Tue Jan  9 14:02:11 2024"), r.time().wallClock());
    assertEquals(20, stack(r, StackRole.ACCESS).frames().size());
    // "kernel_clone+0x0/..." of the virtual mapping and "xfrm_state_find+0x0/..." of the frame
    // description describe the address; they are no stack of their own.
    assertEquals(List.of(StackRole.ACCESS), r.stacks().stream().map(Stack::role).toList());
  }

  @Test
  void allocaOutOfBoundsFromATestModule() {
    Report r = only("kasan/alloca-out-of-bounds-x86_64-syslog.log");
    assertEquals("alloca-out-of-bounds", r.bugType());
    // KASAN's own test functions (kasan_*) and kmalloc_* helpers are never blamed (syzkaller's rules).
    assertEquals("KASAN: alloca-out-of-bounds Read in do_one_initcall", r.title().title());
    assertEquals(Optional.of("insmod/2271"), kasan(r).stackOwner());
    assertEquals(Optional.of("GBO"), r.context().taint());
    assertEquals(Optional.of("#1 Debian 5.10.209-2"), r.context().build());
    assertEquals(Optional.of("test_kasan"), frame(stack(r, StackRole.ACCESS), "kasan_alloca_oob_left").module());
  }

  @Test
  void doubleFreeIsTitledAsInvalidFreeOfTheCallerOfKfree() {
    Report r = only("kasan/double-free-x86_64.log");
    assertEquals("double-free", r.bugType());
    // kfree and the slab/KASAN frames are skipped for free bugs.
    assertEquals("KASAN: invalid-free in nfc_llcp_local_put", r.title().title());
    assertEquals(List.of("invalid-free in nfc_llcp_local_put"), r.title().alternatives());
    assertFalse(r.corrupted());
    // "Free of addr X by task" is not a Read/Write access.
    assertTrue(r.access().isEmpty());
    var freed = stack(r, StackRole.FREE).origin().orElseThrow();
    assertEquals(1034.219902, freed.seconds().orElseThrow(), 1e-9);
    assertEquals(new BuggyRegion(RegionRelation.INSIDE, 0, 1024, "", 0xffff88806ac14c00L, 0xffff88806ac15000L),
        region(r));
  }

  @Test
  void doubleFreeOrInvalidFreeWithoutAccessLine() {
    Report r = only("kasan/double-free-or-invalid-free-x86_64-4.19.log");
    assertEquals("double-free or invalid-free", r.bugType());
    assertEquals("KASAN: invalid-free in cryptd_skcipher_free", r.title().title());
    assertFalse(r.corrupted());
    Stack access = stack(r, StackRole.ACCESS);
    Frame kfree = frame(access, "kfree");
    // "__cache_free mm/slab.c:3498 [inline]" was inlined into kfree.
    assertEquals("__cache_free", kfree.inlined().get(0).function());
    assertEquals("mm/slab.c:3498", kfree.inlined().get(0).location().orElseThrow().toString());
    assertEquals("mm/slab.c:3813", kfree.location().orElseThrow().toString());
  }

  @Test
  void invalidFreeWithUnavailableFreeStack() {
    Report r = only("kasan/invalid-free-x86_64.log");
    assertEquals("KASAN: invalid-free in mempool_free", r.title().title());
    Stack freed = stack(r, StackRole.FREE);
    assertTrue(freed.unavailable());
    assertTrue(freed.frames().isEmpty());
    assertEquals(OptionalInt.of(0), freed.origin().orElseThrow().pid());
    // An unavailable stack is not a corruption.
    assertFalse(r.corrupted());
    assertEquals(Optional.of("bio-216"), kasan(r).object().orElseThrow().cache());
  }

  @Test
  void nullPtrDeref() {
    Report r = only("kasan/null-ptr-deref-x86_64.log");
    assertEquals("KASAN: null-ptr-deref Read in ext4_insert_range", r.title().title());
    assertEquals(OptionalLong.of(0x28), r.access().orElseThrow().address());
    assertEquals(12, stack(r, StackRole.ACCESS).frames().size());
    assertEquals(2, stack(r, StackRole.ACCESS).frames().stream().filter(f -> !f.reliable()).count());
  }

  @Test
  void wildMemoryAccessFollowedByTheGeneralProtectionFault() {
    // The report is closed by its rule before the GPF: it is whole, and the GPF is a report of its own
    // (issue 16's fault family), blamed on its RIP.
    List<Report> all = TestLogs.parse("kasan/wild-memory-access-x86_64-then-gpf.log");
    assertEquals(2, all.size());
    assertEquals("general protection fault in bitmap_ip_del", all.get(1).title().title());
    Report r = all.get(0);
    assertEquals("KASAN: wild-memory-access Write in bitmap_ip_del", r.title().title());
    assertFalse(r.corrupted());
    assertTrue(r.complete());
    assertEquals(27, r.source().lastLine());
    assertEquals(OptionalLong.of(0x1fffffff91d2a8b0L), r.access().orElseThrow().address());
  }

  @Test
  void userMemoryAccessFollowedByAPageFault() {
    // The page fault after the closing rule is a report of its own (issue 16).
    Report r = TestLogs.parse("kasan/user-memory-access-x86_64-then-page-fault.log").get(0);
    assertEquals("KASAN: user-memory-access Read in fat_get_cluster", r.title().title());
    assertFalse(r.corrupted());
    assertEquals(20, r.source().lastLine());
    assertEquals(OptionalLong.of(0x20000340L), r.access().orElseThrow().address());
  }

  @Test
  void unknownCrashBlamesTheCallerOfTheUsercopyCheck() {
    Report r = only("kasan/unknown-crash-x86_64.log");
    assertEquals("unknown-crash", r.bugType());
    // The header names check_stack_object, which no skip rule covers (only check_object_size's family).
    assertEquals("KASAN: unknown-crash Read in check_stack_object", r.title().title());
    Frame vt = frame(stack(r, StackRole.ACCESS), "vt_ioctl");
    assertEquals(List.of("check_object_size", "__copy_to_user"),
        vt.inlined().stream().map(i -> i.function()).toList());
    assertEquals("drivers/tty/vt/vt_ioctl.c:1092", vt.location().orElseThrow().toString());
  }

  @Test
  void useAfterFreeSymbolizedBySyzbotWithRepeatedHeader() {
    Report r = only("kasan/use-after-free-x86_64-symbolized-no-prefix.log");
    // The first header only names the inlined callee (memcpy [inline]); the report's header is the second.
    assertEquals("BUG: KASAN: use-after-free in ext4_xattr_set_entry+0x4b2/0x2120 fs/ext4/xattr.c:1749", r.header());
    assertEquals("KASAN: use-after-free Read in ext4_xattr_set_entry", r.title().title());
    assertEquals(6, r.source().firstLine());
    assertEquals(59, r.source().lastLine());
    assertEquals(OptionalLong.of(4092), r.access().orElseThrow().size());
    assertTrue(r.context().callerId().isEmpty());
    assertTrue(r.time().uptime().isEmpty());

    Stack access = stack(r, StackRole.ACCESS);
    assertEquals(17, access.frames().size());
    Frame set = frame(access, "ext4_xattr_set_entry");
    assertEquals("fs/ext4/xattr.c", set.location().orElseThrow().file());
    assertEquals(1749, set.location().orElseThrow().line());
    assertEquals("memcpy", set.inlined().get(0).function());
    assertEquals("include/linux/fortify-string.h:678", set.inlined().get(0).location().orElseThrow().toString());
    Frame x64 = frame(access, "__x64_sys_setxattr");
    assertEquals(List.of("__do_sys_setxattr", "__se_sys_setxattr"), x64.inlined().stream().map(i -> i.function()).toList());
    assertEquals(List.of(), frame(access, "entry_SYSCALL_64_after_hwframe").inlined());
    assertTrue(frame(access, "entry_SYSCALL_64_after_hwframe").location().isEmpty());
  }
}
