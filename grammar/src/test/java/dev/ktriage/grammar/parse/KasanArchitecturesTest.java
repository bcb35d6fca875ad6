package dev.ktriage.grammar.parse;

import static dev.ktriage.grammar.parse.TestLogs.frame;
import static dev.ktriage.grammar.parse.TestLogs.functions;
import static dev.ktriage.grammar.parse.TestLogs.only;
import static dev.ktriage.grammar.parse.TestLogs.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.AccessOp;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanMode;
import dev.ktriage.model.MemoryTags;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The stack formats of arm, arm64, powerpc, s390 and riscv, and arm64's tag-based KASAN modes. */
class KasanArchitecturesTest {

  private static KasanDetails kasan(Report r) {
    return (KasanDetails) r.details();
  }

  @Test
  void armBacktraceFromLinesGiveOneFramePerFunction() {
    Report r = only("kasan/use-after-free-arm-backtrace.log");
    assertEquals("KASAN: use-after-free Read in omap8250_irq", r.title().title());
    assertEquals(Optional.of("arm"), r.context().arch());
    Stack s = stack(r, StackRole.ACCESS);
    assertEquals("Backtrace:", s.label());
    // "[<pc>] (callee) from [<lr>] (caller+off/size)": each function once, register lines skipped.
    assertEquals(List.of("dump_backtrace", "show_stack", "dump_stack", "print_address_description.constprop.0",
        "kasan_report", "__asan_load4", "omap8250_irq", "irq_forced_thread_fn", "irq_thread", "kthread",
        "ret_from_fork"), functions(s));
    var irq = frame(s, "omap8250_irq");
    assertEquals(OptionalLong.of(0x3c), irq.offset());
    assertEquals(OptionalLong.of(0x310), irq.size());
    assertEquals(OptionalLong.of(0xc0e2a7c4L), irq.address());
    assertEquals(OptionalLong.of(0xc5da4e10L), r.access().orElseThrow().address());
  }

  @Test
  void powerpcStackPointerAndPcWithUnreliableFrame() {
    Report r = only("kasan/slab-out-of-bounds-powerpc.log");
    assertEquals("KASAN: slab-out-of-bounds Read in raid6_altivec8_gen_syndrome_real", r.title().title());
    assertEquals(Optional.of("powerpc"), r.context().arch());
    Stack s = stack(r, StackRole.ACCESS);
    assertEquals(11, s.frames().size());
    var dump = s.frames().get(0);
    assertEquals("dump_stack", dump.function());
    assertFalse(dump.reliable()); // "(unreliable)"
    assertEquals(OptionalLong.of(0xc0517aacL), dump.address()); // the second bracket is the pc
    var guilty = frame(s, "raid6_altivec8_gen_syndrome_real");
    assertEquals(Optional.of("raid6_pq"), guilty.module());
    assertEquals(OptionalLong.of(0xb02004e0L), guilty.address());
    assertEquals("ret_from_syscall", s.frames().get(10).function());
    assertEquals(Optional.of("raid6_altivec8_gen_syndrome_real+0x2b0/0x480"), kasan(r).faultLocation());
  }

  @Test
  void s390AddressesAndVirtualMapping() {
    Report r = only("kasan/vmalloc-out-of-bounds-s390.log");
    assertEquals("KASAN: vmalloc-out-of-bounds Write in bpf_jit_binary_alloc", r.title().title());
    assertEquals(Optional.of("s390"), r.context().arch());
    assertEquals(Optional.of("GBW"), r.context().taint());
    Stack s = stack(r, StackRole.ACCESS);
    // "Last Breaking-Event-Address:" repeats kasan_report; it is the same trace, not a new frame of the bug.
    assertEquals("__s390x_sys_bpf", s.frames().get(8).function());
    assertEquals(OptionalLong.of(0x000000000059f9e8L), s.frames().get(8).address());
    assertEquals(OptionalLong.of(0x001bffff80002000L), r.access().orElseThrow().address());
    assertEquals(AccessOp.WRITE, r.access().orElseThrow().op());
  }

  @Test
  void riscvFramesAndUnavailableAllocationStack() {
    Report r = only("kasan/use-after-free-riscv-stack-unavailable.log");
    assertEquals("KASAN: use-after-free Read in ext4_xattr_set_entry", r.title().title());
    assertEquals(Optional.of("riscv"), r.context().arch());
    assertEquals(16, stack(r, StackRole.ACCESS).frames().size());
    assertEquals(OptionalLong.of(0xffffffff807c17b4L), frame(stack(r, StackRole.ACCESS), "ext4_xattr_set_entry").address());
    assertTrue(stack(r, StackRole.ALLOC).unavailable());
    assertFalse(stack(r, StackRole.FREE).unavailable());
    assertEquals("handle_exception", stack(r, StackRole.FREE).frames().get(6).function());
    assertFalse(r.corrupted());
  }

  @Test
  void arm64SoftwareTagsPrintSizeAndTags() {
    Report r = only("kasan/invalid-access-arm64-sw-tags.log");
    assertEquals("invalid-access", r.bugType());
    assertEquals("KASAN: invalid-access Write in binder_alloc_deferred_release", r.title().title());
    assertEquals(KasanMode.SW_TAGS, kasan(r).mode());
    var a = r.access().orElseThrow();
    assertEquals(OptionalLong.of(8), a.size());
    assertEquals(Optional.of(new MemoryTags("f9", "fe")), a.tags());
    assertEquals(OptionalLong.of(0xf9ff000012a8c7e0L), a.address());
    assertEquals(Optional.of("arm64"), r.context().arch());
    assertEquals("Call trace:", stack(r, StackRole.ACCESS).label());
  }

  @Test
  void arm64HardwareTagsReadAtAddrWithoutSizeThroughEl1hSync() {
    Report r = only("kasan/invalid-access-arm64-hw-tags.log");
    assertEquals("KASAN: invalid-access Read in ksize_uaf", r.title().title());
    assertEquals(KasanMode.HW_TAGS, kasan(r).mode());
    var a = r.access().orElseThrow();
    assertTrue(a.size().isEmpty()); // "Read at addr X by task T/1"
    assertEquals(OptionalLong.of(0xf2ff00000a75b000L), a.address());
    assertEquals("kunit_try_catch", a.task().orElseThrow().comm());
    assertEquals(Optional.of(new MemoryTags("f2", "fe")), a.tags());
    Stack s = stack(r, StackRole.ACCESS);
    // "show_stack+0x20/0x38 (C)": arm64's frame kind marker is not part of the function.
    assertEquals("show_stack", s.frames().get(0).function());
    assertTrue(functions(s).containsAll(List.of("el1h_64_sync_handler", "el1h_64_sync", "do_tag_check_fault")));
    assertEquals(Optional.of("kasan_test"), frame(s, "ksize_uaf").module());
    assertEquals(Optional.of("kunit"), frame(s, "kunit_try_run_case").module());
    assertEquals(Optional.of("GBN"), r.context().taint());
    assertEquals(Optional.of("QEMU KVM Virtual Machine, BIOS 2024.08-1 08/21/2024"), r.context().hardware());
  }

  @Test
  void arm64DecodedStacktraceWithoutOffsets() {
    Report r = only("kasan/out-of-bounds-arm64-decoded-dmesg-x.log");
    assertEquals("out-of-bounds", r.bugType());
    // memcpy is a string helper: the guilty frame is the caller that passed the bad length.
    assertEquals("KASAN: out-of-bounds Write in brcmf_sdio_hdparse", r.title().title());
    Stack s = stack(r, StackRole.ACCESS);
    assertEquals(15, s.frames().size());
    var f = frame(s, "brcmf_sdio_hdparse");
    assertTrue(f.offset().isEmpty());
    assertEquals("drivers/net/wireless/broadcom/brcm80211/brcmfmac/sdio.c:1597", f.location().orElseThrow().toString());
    // "(mm/kasan/report.c:320 mm/kasan/report.c:430)": addr2line -i prints the innermost inlined
    // location first and the frame's own last.
    assertEquals("mm/kasan/report.c:430", frame(s, "print_report").location().orElseThrow().toString());
    assertEquals(Optional.of("arm64"), r.context().arch());
  }
}
