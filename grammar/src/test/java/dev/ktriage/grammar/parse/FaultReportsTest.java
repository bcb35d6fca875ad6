package dev.ktriage.grammar.parse;

import static dev.ktriage.grammar.parse.TestLogs.only;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.title.CrashTypes;
import dev.ktriage.model.CrashType;
import dev.ktriage.model.FaultDetails;
import dev.ktriage.model.FaultKind;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Tool;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The fault and trap family (issue 16): one log per kind in testdata/logs/fault/, written from the
 * kernel's printing code (cited per test), each giving syzkaller's title, alternative titles, type and
 * guilty frame, and the fields the report carries (faulting address, error code, faulting pc,
 * registers, BUG()'s file:line, the KASAN range line of a GPF).
 */
class FaultReportsTest {

  private static FaultDetails fault(Report r) {
    assertEquals(Tool.FAULT, r.tool());
    return (FaultDetails) r.details();
  }

  private static void titled(Report r, String title, List<String> alts, String frame) {
    assertEquals(title, r.title().title());
    assertEquals(alts, r.title().alternatives());
    assertEquals(Optional.of(frame), r.title().guiltyFrame());
    assertFalse(r.corrupted(), () -> r.corruption().toString());
  }

  @Test
  void generalProtectionFaultWithItsKasanRangeLine() {
    // arch/x86/kernel/traps.c exc_general_protection() -> die_addr() (the non-canonical address hint
    // since 5.6), mm/kasan/report.c kasan_non_canonical_hook() (the range line), arch/x86/kernel/
    // dumpstack.c __die_header() ("Oops: " since 6.x), process_64.c __show_regs(), show_trace_log_lvl().
    Report r = only("fault/gpf-kasan-null-ptr-deref-x86_64-6.10.log");
    FaultDetails f = fault(r);
    titled(r, "general protection fault in tcf_exts_miss_cookie_base_destroy",
        List.of("bad-access in tcf_exts_miss_cookie_base_destroy"), "tcf_exts_miss_cookie_base_destroy");
    assertEquals(CrashType.DOS, CrashTypes.of(r.title().title()));
    assertEquals(FaultKind.GENERAL_PROTECTION, f.kind());
    assertEquals(Optional.of("0xdffffc0000000003"), f.address());
    assertEquals(Optional.of("0000"), f.errorCode());
    assertEquals(Optional.of("null-ptr-deref in range [0x0000000000000018-0x000000000000001f]"), f.kasanRange());
    assertEquals(Optional.of("tcf_exts_miss_cookie_base_destroy+0x71/0x1d0"), f.pc());
    assertEquals("0000000000000003", f.registers().get("RDX"));
    assertEquals("00007f3b2c5fdff8", f.registers().get("CR2"), "the kernel's registers, not the user ones after");
    assertEquals("dffffc0000000000", f.registers().get("RAX"));
  }

  @Test
  void pageFaultSince51() {
    // arch/x86/mm/fault.c show_fault_oops(): "BUG: unable to handle page fault for address: %px" and the
    // two "#PF:" lines, dump_pagetable(), then __die() "Oops: %04lx".
    Report r = only("fault/page-fault-x86_64-6.1.log");
    FaultDetails f = fault(r);
    titled(r, "BUG: unable to handle kernel paging request in hfs_bnode_read", List.of("bad-access in hfs_bnode_read"),
        "hfs_bnode_read");
    assertEquals(CrashType.MEMORY_SAFETY_BUG, CrashTypes.of(r.title().title()));
    assertEquals(FaultKind.PAGING_REQUEST, f.kind());
    assertEquals(Optional.of("ffffed1003a74d82"), f.address());
    assertEquals(Optional.of("supervisor read access in kernel mode; error_code(0x0000) - not-present page"),
        f.access());
  }

  @Test
  void nullPointerDereferenceSince51() {
    // arch/x86/mm/fault.c show_fault_oops(): "BUG: kernel NULL pointer dereference, address: %px" for an
    // address below PAGE_SIZE.
    Report r = only("fault/null-ptr-deref-x86_64-5.10.log");
    FaultDetails f = fault(r);
    titled(r, "BUG: unable to handle kernel NULL pointer dereference in nci_send_cmd",
        List.of("bad-access in nci_send_cmd"), "nci_send_cmd");
    assertEquals(FaultKind.NULL_POINTER, f.kind());
    assertEquals(Optional.of("0000000000000008"), f.address());
    assertEquals(Optional.of("nci_send_cmd+0x9c/0x150"), f.pc());
  }

  @Test
  void listCorruptionIsABugOfItsOwn() {
    // lib/list_debug.c __list_del_entry_valid(): the pr_err() of what is broken, then BUG() ->
    // lib/bug.c report_bug() "kernel BUG at %s:%u!", and x86's trap "invalid opcode: 0000 [#1]", which
    // continues this report and starts none of its own.
    Report r = only("fault/kernel-bug-list-corruption-x86_64-5.15.log");
    FaultDetails f = fault(r);
    titled(r, "BUG: corrupted list in tipc_nametbl_unsubscribe", List.of("bad-access in tipc_nametbl_unsubscribe"),
        "tipc_nametbl_unsubscribe");
    assertEquals(FaultKind.KERNEL_BUG, f.kind());
    assertEquals(Optional.of(new SourceLocation("lib/list_debug.c", 53)), f.site());
  }

  @Test
  void kernelBugAtAFile() {
    // lib/bug.c report_bug(): "kernel BUG at fs/ext4/inode.c:2745!"; the BUG_ON() is in the RIP's function.
    Report r = only("fault/kernel-bug-x86_64-6.2.log");
    FaultDetails f = fault(r);
    titled(r, "kernel BUG in ext4_writepages", List.of(), "ext4_writepages");
    assertEquals(CrashType.BUG, CrashTypes.of(r.title().title()));
    assertEquals(Optional.of(new SourceLocation("fs/ext4/inode.c", 2745)), f.site());
    assertEquals("kernel BUG at fs/ext4/inode.c", r.bugType());
  }

  @Test
  void divideErrorIsBlamedOnTheFaultingInstruction() {
    // arch/x86/kernel/traps.c do_error_trap() -> die("divide error", ...): __die_header()'s
    // "divide error: 0000 [#1] PREEMPT SMP KASAN"; the title names the RIP's function only.
    Report r = only("fault/divide-error-x86_64-4.19.log");
    FaultDetails f = fault(r);
    titled(r, "divide error in __tcp_select_window", List.of(), "__tcp_select_window");
    assertEquals(FaultKind.DIVIDE_ERROR, f.kind());
    assertEquals(Optional.of("0000"), f.errorCode());
  }

  @Test
  void arm64PageFaultWithItsKasanRangeLine() {
    // arch/arm64/mm/fault.c die_kernel_fault(): "Unable to handle kernel %s at virtual address %016lx",
    // kasan_non_canonical_hook(), mem_abort_decode(), show_pte(); arch/arm64/kernel/traps.c die() ->
    // __die() "Internal error: %s: %016lx [#%d]" (continues this report), process.c __show_regs().
    Report r = only("fault/unable-to-handle-paging-request-arm64-6.1.log");
    FaultDetails f = fault(r);
    titled(r, "BUG: unable to handle kernel paging request in vgic_mmio_write_invlpi",
        List.of("bad-access in vgic_mmio_write_invlpi"), "vgic_mmio_write_invlpi");
    assertEquals(Optional.of("dfff800000000005"), f.address());
    assertEquals(Optional.of("null-ptr-deref in range [0x0000000000000028-0x000000000000002f]"), f.kasanRange());
    assertEquals(Optional.of("vgic_mmio_write_invlpi+0x84/0x180"), f.pc());
    assertEquals("ffff800012fe3a70", f.registers().get("x29"));
    assertEquals("0000000000000005", f.registers().get("x1"));
  }

  @Test
  void armUnhandledFault() {
    // arch/arm/mm/fault.c do_DataAbort(): "8<--- cut here ---", "Unhandled fault: %s (0x%03x) at 0x%08lx",
    // show_pte(); arch/arm/kernel/traps.c __die() "Internal error: %s: %x [#%d]" with an empty string,
    // __show_regs() ("PC is at", "pc : [<..>]", "r10: .."), dump_backtrace() "(callee) from (caller)".
    Report r = only("fault/unhandled-fault-arm-5.10.log");
    FaultDetails f = fault(r);
    titled(r, "Unhandled fault in jffs2_parse_param", List.of("bad-access in jffs2_parse_param"),
        "jffs2_parse_param");
    assertEquals(FaultKind.UNHANDLED_FAULT, f.kind());
    assertEquals(Optional.of("0x00000008"), f.address());
    assertEquals(Optional.of("0x01b"), f.errorCode());
    assertEquals("8054b7c0", f.registers().get("pc"));
    assertEquals("00000000", f.registers().get("r9"));
  }

  @Test
  void stackGuardPageIsBlamedLikeAStall() {
    // arch/x86/kernel/dumpstack_64.c handle_stack_overflow(): "BUG: %s stack guard page was hit at %px
    // (stack is %px..%px)", then die("stack guard page", ...).
    Report r = only("fault/stack-guard-page-x86_64-5.16.log");
    FaultDetails f = fault(r);
    assertEquals(FaultKind.STACK_GUARD_PAGE, f.kind());
    assertEquals(Optional.of("ffffc9000e4aff58"), f.address());
    assertTrue(r.title().title().startsWith("BUG: stack guard page was hit in "), r.title().title());
    assertEquals(List.of(r.title().title().replace("BUG: stack guard page was hit", "stack-overflow")),
        r.title().alternatives());
    assertFalse(r.corrupted(), () -> r.corruption().toString());
  }
}
