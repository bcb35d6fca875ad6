package dev.ktriage.model;

/**
 * Which fault or trap a {@link FaultDetails} report is: what the kernel's fault handler or {@code die()}
 * says happened. Stable identifiers: they appear in JSON as lowercase-with-dashes.
 */
public enum FaultKind {
  /** x86 #GP: {@code general protection fault} (arch/x86/kernel/traps.c). */
  GENERAL_PROTECTION,
  /** x86 #SS: {@code stack segment: 0000 [#1]} (arch/x86/kernel/traps.c do_stack_segment). */
  STACK_SEGMENT,
  /** A kernel page fault at a mapped-out address: {@code BUG: unable to handle kernel paging request at},
   * {@code BUG: unable to handle page fault for address:} (x86), arm/arm64 {@code Unable to handle kernel
   * paging request at virtual address}, powerpc {@code Unable to handle kernel data access}. */
  PAGING_REQUEST,
  /** A kernel page fault near address 0: {@code BUG: kernel NULL pointer dereference, address:} and the
   * older {@code BUG: unable to handle kernel NULL pointer dereference at}. */
  NULL_POINTER,
  /** riscv/arm64 {@code Unable to handle kernel access to user memory}: user memory touched without uaccess. */
  USER_MEMORY_ACCESS,
  /** {@code BUG: unable to handle kernel} with nothing after it: its rest was printed by a later printk. */
  PAGE_FAULT_CUT,
  /** Another {@code Unable to handle kernel ...} form (arm64 {@code execute from non-executable memory}). */
  PAGE_FAULT_OTHER,
  /** x86 #DE: {@code divide error: 0000 [#1]}. */
  DIVIDE_ERROR,
  /** x86 #UD: {@code invalid opcode: 0000 [#1]}, the trap BUG() raises on x86. */
  INVALID_OPCODE,
  /** x86 #BP in the kernel: {@code int3: 0000 [#1]}. */
  INT3,
  /** x86 #DF: {@code PANIC: double fault, error_code: 0x0}. */
  DOUBLE_FAULT,
  /** BUG()/BUG_ON(): {@code kernel BUG at file:line!} (lib/bug.c report_bug()), {@code Kernel BUG at}. */
  KERNEL_BUG,
  /** SLUB's consistency checks: {@code BUG kmalloc-64 (Tainted: ...): Object already free} (mm/slub.c slab_bug()). */
  SLAB_CHECK,
  /** arm/arm64 die(): {@code Internal error: Oops: 96000005 [#1]}. */
  INTERNAL_ERROR,
  /** arm do_DataAbort()/do_PrefetchAbort(): {@code Unhandled fault: page domain fault (0x81b) at 0x..}. */
  UNHANDLED_FAULT,
  /** arm do_alignment(): {@code Alignment trap: not handling instruction e1932f9f at [<8028bd58>]}. */
  ALIGNMENT_TRAP,
  /** x86 handle_stack_overflow(): {@code BUG: TASK stack guard page was hit at X (stack is X..Y)}. */
  STACK_GUARD_PAGE
}
