package dev.ktriage.model;

/**
 * The banner a report's header starts with: which facility printed it, and in which of its
 * spellings. It is what the grammar matched, so titles and report families are chosen from it and
 * never by reading the header text again. Stable identifiers: they appear in JSON as
 * lowercase-with-dashes.
 *
 * <p>The sanitizer banners name their tool. The generic headers ({@link #BUG}, {@link #WARNING},
 * {@link #INFO}, syzkaller's oops headers) start reports of several facilities: the grammar tells
 * which from the rest of the header, and the report's {@link Report#tool()} says so; {@link #tool()}
 * is then only the fallback.
 */
public enum Banner {
  /** {@code BUG: KASAN: }, mm/kasan/report.c since 4.4. */
  KASAN("BUG: KASAN: ", Tool.KASAN),
  /** {@code BUG: KASan: }, Linux 4.0-4.3; its bug kinds are words ({@code use after free}). */
  KASAN_4_0("BUG: KASan: ", Tool.KASAN),
  /** {@code BUG: AddressSanitizer: }, the 2015 patches for 3.x; bug kinds in words, {@code on address}. */
  ADDRESS_SANITIZER("BUG: AddressSanitizer: ", Tool.KASAN),
  /** {@code BUG: KCSAN: }, kernel/kcsan/report.c. */
  KCSAN("BUG: KCSAN: ", Tool.KCSAN),
  /** {@code BUG: KMSAN: }, mm/kmsan/report.c kmsan_report() (uninit-value, kernel-infoleak, kernel-usb-infoleak). */
  KMSAN("BUG: KMSAN: ", Tool.KMSAN),
  /** {@code BUG: KFENCE: }, mm/kfence/report.c kfence_report_error(). */
  KFENCE("BUG: KFENCE: ", Tool.KFENCE),
  /**
   * {@code UBSAN: }, lib/ubsan.c ubsan_prologue(): {@code UBSAN: array-index-out-of-bounds in
   * file.c:12:3}; before 5.11 {@code UBSAN: Undefined behaviour in file.c:12:3}.
   */
  UBSAN("UBSAN: ", Tool.UBSAN),
  /**
   * {@code BUG:}: any other {@code BUG:} line (spinlock and sched checks, soft lockups, lockdep's old
   * {@code [ BUG: ... ]} headers, a bare {@code BUG:}). What printed it is decided by the grammar from
   * the rest of the line; the tool here is the fallback.
   */
  BUG("BUG:", Tool.KERNEL),
  /** {@code WARNING:}: {@code __warn()}'s line, lockdep's reports, the unwinder's complaints. */
  WARNING("WARNING:", Tool.WARNING),
  /** {@code INFO:}: hung tasks, RCU stalls, lockdep's old {@code [ INFO: ... ]} headers. */
  INFO("INFO:", Tool.KERNEL),
  // headers of reports that are no BUG:, WARNING: or INFO: line.
  /**
   * {@code Kernel panic - not syncing: }, kernel/panic.c panic(). After another oops of its context it
   * only continues that report (panic_on_oops, panic_on_warn, {@code Fatal exception}).
   */
  PANIC("Kernel panic - not syncing: ", Tool.KERNEL),
  /**
   * {@code unregister_netdevice: waiting for lo to become free. Usage count = 5}, net/core/dev.c
   * netdev_wait_allrefs(): a device's references are never released; printed again every 10 s (the
   * repeats continue the first report).
   */
  NETDEV_WAIT("unregister_netdevice: waiting for ", Tool.KERNEL),
  /** {@code VFS: Busy inodes after unmount of sda1. Self-destruct in 5 seconds.}, fs/super.c generic_shutdown_super(). */
  VFS_BUSY_INODES("VFS: Busy inodes after unmount", Tool.KERNEL),
  /** {@code VFS: Close: file count is 0}, fs/open.c filp_close() before 4.x: a file closed once too often. */
  VFS_FILE_COUNT("VFS: Close: file count is 0", Tool.KERNEL),
  /** {@code SYZFAIL: SIGSEGV}: the syzkaller executor's own failure, not the kernel's. */
  SYZFAIL("SYZFAIL:", Tool.SYZKALLER),
  /** {@code SYZFATAL: executor 4 failed 11 times: ...}: the syzkaller fuzzer's own fatal error. */
  SYZFATAL("SYZFATAL:", Tool.SYZKALLER),
  /**
   * {@code fatal error: out of memory}: the Go runtime's throw() (src/runtime/panic.go) in syz-fuzzer or
   * syz-manager, printed at the start of a line of the fuzzer's own output, then its goroutines' tracebacks.
   */
  GO_FATAL("fatal error:", Tool.SYZKALLER),
  /**
   * {@code trusty: panic (caller 0xffffffffe0002314): failed(-5) to start app 6}: the Trusty TEE (the secure
   * OS beside Android's kernel) panicked or failed an assertion; drivers/trusty/trusty-log.c forwards its
   * log line by line, each with {@code trusty: } in front.
   */
  TRUSTY_PANIC("trusty: panic", Tool.KERNEL),
  /**
   * {@code rust_kernel: panicked at drivers/android/binder/node.rs:877:13:} with the panic's message on the
   * next line: the kernel's Rust panic handler (rust/kernel/lib.rs) prints the {@code PanicInfo} with
   * {@code pr_emerg!}, then calls {@code BUG()}, whose oops follows in the same report.
   */
  RUST_PANIC("rust_kernel: panicked", Tool.KERNEL),
  /**
   * {@code Booting the kernel.}: the x86 decompressor (arch/x86/boot/compressed/misc.c) starts a kernel; after
   * the kernel had printed in the same log, the machine rebooted without an oops (syzkaller's unexpected reboot).
   */
  REBOOT("Booting the kernel", Tool.KERNEL),

  // --- faults and traps (h-oops-c): syzkaller's oops headers, as the fault handlers print them
  /** x86 #GP, arch/x86/kernel/traps.c; since 5.6 {@code general protection fault, probably for non-canonical address}. */
  GENERAL_PROTECTION("general protection fault", Tool.FAULT),
  /** x86 #SS: {@code stack segment: 0000 [#1]}. */
  STACK_SEGMENT("stack segment: ", Tool.FAULT),
  /** arm, arm64, riscv, powerpc page faults: {@code Unable to handle kernel paging request at virtual address}. */
  UNABLE_TO_HANDLE("Unable to handle kernel", Tool.FAULT),
  /** lib/bug.c report_bug(): {@code kernel BUG at file:line!}. */
  KERNEL_BUG("kernel BUG", Tool.FAULT),
  /** lib/bug.c without verbose BUG info: {@code Kernel BUG at f+0x1/0x2 [verbose debug info unavailable]}. */
  KERNEL_BUG_CAPITAL("Kernel BUG", Tool.FAULT),
  /** mm/slub.c slab_bug() for the kmalloc caches: {@code BUG kmalloc-8 (Tainted: G B): Object already free}. */
  SLAB_KMALLOC("BUG kmalloc-", Tool.FAULT),
  /** x86 #DE: {@code divide error: 0000 [#1]}. */
  DIVIDE_ERROR("divide error:", Tool.FAULT),
  /** x86 #DE as kernels before 2.6.25 named it. */
  DIVIDE_ERROR_OLD("divide_error:", Tool.FAULT),
  /** x86 #UD: {@code invalid opcode: 0000 [#1]}, also the trap BUG() raises. */
  INVALID_OPCODE("invalid opcode:", Tool.FAULT),
  /** x86 #BP in the kernel: {@code int3: 0000 [#1]} ({@code Oops: int3:} since 6.x). */
  INT3("int3:", Tool.FAULT),
  /** x86 #DF: {@code PANIC: double fault, error_code: 0x0}. */
  DOUBLE_FAULT("PANIC: double fault", Tool.FAULT),
  /** arm/arm64 die(): {@code Internal error: Oops: 96000005 [#1] PREEMPT SMP}. */
  INTERNAL_ERROR("Internal error:", Tool.FAULT),
  /** arm data and prefetch aborts: {@code Unhandled fault: page domain fault (0x81b) at 0x00001044}. */
  UNHANDLED_FAULT("Unhandled fault:", Tool.FAULT),
  /** arm do_alignment(): {@code Alignment trap: not handling instruction e1932f9f at [<8028bd58>]}. */
  ALIGNMENT_TRAP("Alignment trap:", Tool.FAULT);

  private final String text;
  private final Tool tool;

  Banner(String text, Tool tool) {
    this.text = text;
    this.tool = tool;
  }

  /** The banner as printed, with its trailing space. */
  public String text() {
    return text;
  }

  /** The facility that prints it. */
  public Tool tool() {
    return tool;
  }

  /** The JSON spelling: {@code kasan-4-0}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
