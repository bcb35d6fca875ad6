package dev.ktriage.grammar.build;

import java.util.List;

/**
 * Where a complete kernel stack ends: the entry from user space, the start of a kernel thread, the
 * boot and idle paths, an exception or interrupt entry stub. A call trace whose last frame is one of
 * these is whole; when the log ends right after any other frame, the trace was cut.
 *
 * <p>Each entry says which architecture or path prints it. Matched against the name without
 * compiler suffixes.
 */
final class StackBottoms {
  private StackBottoms() {} // no instance

  private record Bottom(String name, boolean prefix, String why) {}

  private static final List<Bottom> BOTTOMS = List.of(
      new Bottom("entry_SYSCALL_64", true, "x86-64 syscall entry (entry_SYSCALL_64_after_hwframe)"),
      new Bottom("entry_SYSENTER_compat", true, "x86 compat syscall entry"),
      new Bottom("entry_SYSCALL_compat", true, "x86 compat syscall entry"),
      new Bottom("entry_INT80_compat", true, "x86 int 0x80 entry"),
      new Bottom("asm_", true, "x86 exception and interrupt entry stubs (asm_exc_page_fault, asm_sysvec_*)"),
      new Bottom("ret_from_fork", true, "the start of every task and kernel thread (ret_from_fork_asm)"),
      new Bottom("kernel_thread_helper", false, "kernel threads before 3.7"),
      new Bottom("el0t_64_sync", false, "arm64 entry from user space"),
      new Bottom("el0t_32_sync", false, "arm64 entry from 32-bit user space"),
      new Bottom("el0t_64_irq", false, "arm64 interrupt from user space"),
      new Bottom("el0_svc", false, "arm64 syscall entry before 5.13"),
      new Bottom("el0_sync", false, "arm64 entry from user space before 5.13"),
      new Bottom("el1h_64_irq", false, "arm64 interrupt in the kernel"),
      new Bottom("ret_fast_syscall", false, "arm syscall return path"),
      new Bottom("vector_swi", false, "arm syscall entry"),
      new Bottom("__irq_svc", false, "arm interrupt in the kernel"),
      new Bottom("system_call_common", false, "powerpc syscall entry"),
      new Bottom("system_call_vectored_common", false, "powerpc scv syscall entry"),
      new Bottom("ret_from_syscall", false, "powerpc 32-bit syscall entry"),
      new Bottom("system_call", false, "s390 and powerpc 32-bit syscall entry"),
      new Bottom("ret_from_kernel_thread", false, "powerpc kernel thread start (its ret_from_fork)"),
      new Bottom("ret_from_kernel_user_thread", false, "powerpc user thread start from the kernel, 6.x"),
      new Bottom("start_kernel_thread", false, "powerpc kernel thread start, 6.x"),
      new Bottom("start_here_common", false, "powerpc64 boot"),
      new Bottom("start_here_multiplatform", false, "powerpc64 boot"),
      new Bottom("start_secondary_prolog", false, "powerpc64 secondary cpu start"),
      new Bottom("__ret_from_fork", false, "s390 task start"),
      new Bottom("handle_exception", false, "riscv trap entry"),
      new Bottom("ret_from_exception", false, "riscv trap return"),
      new Bottom("secondary_startup_64", true, "x86 secondary cpu start"),
      new Bottom("common_startup_64", false, "x86 cpu start since 6.9"),
      new Bottom("start_secondary", false, "secondary cpu start"),
      new Bottom("secondary_start_kernel", false, "arm/arm64 secondary cpu start"),
      new Bottom("x86_64_start_kernel", false, "x86 boot"),
      new Bottom("x86_64_start_reservations", false, "x86 boot"),
      new Bottom("start_kernel", false, "boot"),
      new Bottom("__primary_switched", false, "arm64 boot"),
      new Bottom("cpu_startup_entry", false, "idle loop"),
      new Bottom("rest_init", false, "boot"),
      new Bottom("kernel_init", false, "init"),
      new Bottom("kthread", false, "kernel threads whose trace omits ret_from_fork"));

  static boolean isBottom(String function) {
    String name = function;
    while (name.startsWith(".")) {
      name = name.substring(1); // powerpc64 ELFv1 dot symbols (.ret_from_kernel_thread)
    }
    int dot = name.indexOf('.', 1);
    if (dot > 0) {
      name = name.substring(0, dot);
    }
    for (Bottom b : BOTTOMS) {
      if (b.prefix() ? name.startsWith(b.name()) : name.equals(b.name())) {
        return true;
      }
    }
    return false;
  }
}
