package dev.ktriage.grammar.scan;

import dev.ktriage.model.Banner;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The oops headers: the text that makes a console line the start of a report, wherever it is in the
 * line (printk lines of two CPUs get glued together), and the lines that contain it but are not
 * reports. This is syzkaller's detection rule (pkg/report/linux.go: an oops header substring and none
 * of that oops' exclusions); each exclusion says what prints such a line and why it is no bug.
 *
 * <p>A header names its {@link Banner}, the vocabulary the lexer and the byte scanner share; a more
 * specific banner that starts at the same place ({@code BUG: KASAN: } inside {@code BUG:}) wins.
 */
final class OopsHeaders {
  private OopsHeaders() {} // no instance

  /** A text that, found in a line, excludes that line from being this header's report start. */
  record Exclusion(String text, boolean ignoreCase, String why) {
    boolean matches(String line) {
      return ignoreCase ? line.toLowerCase(Locale.ROOT).contains(text) : line.contains(text);
    }
  }

  /**
   * One oops header.
   *
   * @param banner the banner a report that starts here gets, unless a more specific one starts there
   * @param afterWord whether the header may follow a letter, digit or underscore ({@code CAM_INFO:}
   *     and {@code BTF_INFO:} are driver messages, {@code ODEBUG:} is not a {@code BUG:})
   * @param lineStart whether the header must start the line (after its console prefix, if any)
   * @param exclusions lines holding the header that are no report
   * @param why what prints the header
   */
  record Header(Banner banner, boolean afterWord, boolean lineStart, List<Exclusion> exclusions, String why) {
    Header(Banner banner, boolean afterWord, List<Exclusion> exclusions, String why) {
      this(banner, afterWord, false, exclusions, why);
    }

    String text() {
      return banner.text();
    }
  }

  private static Exclusion x(String text, String why) {
    return new Exclusion(text, false, why);
  }

  private static Exclusion xi(String text, String why) {
    return new Exclusion(text.toLowerCase(Locale.ROOT), true, why);
  }

  /** The headers, in the order syzkaller tries them when one line holds several. */
  static final List<Header> HEADERS = List.of(
      new Header(Banner.BUG, false, List.of(
          x("Boot_DEBUG:", "Android's boot-time logger"),
          x("xlog_status:", "Android's xlog settings line"),
          x("DEBUG:", "debug output (Android ART, drivers) that contains BUG:"),
          x("BUG: no syscalls can create resource", "syzkaller's own host check, not the kernel")),
          "BUG(), the sanitizers and the kernel's consistency checks (spinlock, sched, workqueue, mm)"),
      new Header(Banner.WARNING, false, List.of(
          x("WARNING: /etc/ssh/moduli does not exist", "sshd on the test machine"),
          x("WARNING: workqueue cpumask: online intersect > possible intersect",
              "kernel/workqueue.c boot notice about the cpumask, not a bug"),
          xi("WARNING: the mand mount option", "fs/namespace.c deprecation notice for the mand mount option"),
          x("WARNING: Unsupported flag value(s) of 0x%x in DT_FLAGS_1",
              "glibc's ld.so message, seen when a binary is dumped to the console"),
          x("WARNING: Unprivileged eBPF is enabled with eIBRS",
              "arch/x86/kernel/cpu/bugs.c mitigation notice"),
          x("WARNING: fbcon: Driver ", "drivers/video/fbdev/core/fbcon.c notice about a driver's screen size"),
          x("Speculative Return Stack Overflow: WARNING:", "arch/x86/kernel/cpu/bugs.c mitigation notice"),
          xi("warning: `", "notices that name a process in quotes (kernel/capability.c legacy capability use, "
              + "net/wireless/wext-core.c wireless extensions): printed as \"warning:\", and __warn() never "
              + "quotes after its banner; seen as WARNING: in logs a pipeline upper-cased"),
          x("WARNING: kernel not compiled with CPU_SRSO", "arch/x86/kernel/cpu/bugs.c mitigation notice")),
          "WARN() (kernel/panic.c __warn()), lockdep, the x86 unwinder"),
      new Header(Banner.INFO, false, List.of(
          x("INFO: lockdep is turned off", "lockdep's note after an earlier report, not a report"),
          x("INFO: Stall ended before state dump start", "kernel/rcu/tree_stall.h: the stall resolved itself"),
          x("INFO: NMI handler", "arch/x86/kernel/nmi.c: an NMI handler took too long, a performance notice"),
          x("INFO: recovery required on readonly filesystem", "ext4's mount notice"),
          x("took too long", "interrupt and NMI handler duration notices"),
          x("INFO: sys_", "syzkaller's host check: a syscall missing from /proc/kallsyms"),
          x("rmt_storage:INFO:", "Android's remote storage daemon prints its log level after its name"),
          x("INFO: no syscalls can create resource", "syzkaller's own host check")),
          "hung tasks, RCU stalls, lockdep's old [ INFO: ... ] headers"),
      // sanitizer headers that do not start with BUG: (KMSAN and KFENCE are more specific
      // banners inside BUG:).
      new Header(Banner.UBSAN, false, List.of(),
          "lib/ubsan.c ubsan_prologue(): every UBSAN check's report (before 5.11 'Undefined behaviour in')"),
      // panic() (a report of its own only when no other oops of its context is open:
      // OopsExtent.continues).
      new Header(Banner.PANIC, false, List.of(),
          "kernel/panic.c panic(): the kernel stops; alone, its message says why"),
      // teardown that never finishes, and the fuzzer's own failures (syzkaller's headers)
      new Header(Banner.NETDEV_WAIT, false, List.of(),
          "net/core/dev.c netdev_wait_allrefs(): a network device cannot be unregistered (a leaked reference)"),
      new Header(Banner.VFS_BUSY_INODES, false, List.of(),
          "fs/super.c generic_shutdown_super(): inodes still referenced after their filesystem was unmounted"),
      new Header(Banner.VFS_FILE_COUNT, false, List.of(),
          "fs/open.c filp_close() (before 4.x): a file closed with no reference left"),
      new Header(Banner.SYZFAIL, true, List.of(),
          "the syzkaller executor's failure message (after any text: it is glued to the fuzzer's output)"),
      new Header(Banner.SYZFATAL, true, List.of(),
          "the syzkaller fuzzer's fatal error (after any text: it follows the fuzzer's log time stamp)"),
      new Header(Banner.GO_FATAL, false, true, List.of(
          x("fatal error: cannot create timer", "sound/core/seq/seq_timer.c snd_seq_timer_open()'s notice 'ALSA: "
              + "seq fatal error: cannot create timer (-22)', whose 'fatal error:' starts a line when two printk "
              + "calls race and split it")),
          "the Go runtime's throw() in the fuzzer (src/runtime/panic.go fatalthrow): it starts a line of the "
              + "fuzzer's output; after other text it is a kernel message's words ('ALSA: seq fatal error: ...')"),
      new Header(Banner.TRUSTY_PANIC, false, List.of(),
          "the Trusty TEE's panic() and ASSERT(), forwarded by drivers/trusty/trusty-log.c"),
      new Header(Banner.RUST_PANIC, false, List.of(),
          "the kernel's Rust panic handler (rust/kernel/lib.rs): pr_emerg! of the PanicInfo, then BUG()"),
      new Header(Banner.REBOOT, false, true, List.of(
          x("Decompressing Linux", "the decompressor's own line, glued to it when the console lost a newline"),
          x("Parsing ELF", "the same, from the decompressor's 'Parsing ELF... done.'"),
          x("Unknown parameter '", "a mount option the fuzzer read from the console, printed back by the filesystem "
              + "(syzkaller issue 3955)")),
          "the x86 decompressor's 'Booting the kernel.' (arch/x86/boot/compressed/misc.c): a new kernel starts; it "
              + "starts its line, and is a report only after the kernel printed (IslandTracker)"),

      // --- faults and traps (h-oops-c)
      new Header(Banner.GENERAL_PROTECTION, true, List.of(
          x("general protection fault ip:", "arch/x86/kernel/traps.c show_signal(): a user-space process got "
              + "SIGSEGV (\"traps: comm[pid] general protection fault ip:... sp:... error:0 in lib.so\")")),
          "x86 #GP in the kernel: arch/x86/kernel/traps.c die()"),
      new Header(Banner.STACK_SEGMENT, true, List.of(), "x86 #SS: arch/x86/kernel/traps.c do_error_trap()"),
      new Header(Banner.UNABLE_TO_HANDLE, true, List.of(),
          "arm/arm64/riscv/powerpc kernel page faults (arch/arm64/mm/fault.c die_kernel_fault())"),
      new Header(Banner.KERNEL_BUG, true, List.of(), "BUG()/BUG_ON(): lib/bug.c report_bug()"),
      new Header(Banner.KERNEL_BUG_CAPITAL, true, List.of(),
          "BUG() without the verbose BUG table: lib/bug.c report_bug()"),
      new Header(Banner.SLAB_KMALLOC, true, List.of(), "SLUB's object checks: mm/slub.c slab_bug()"),
      new Header(Banner.DIVIDE_ERROR, true, List.of(), "x86 #DE: arch/x86/kernel/traps.c"),
      new Header(Banner.DIVIDE_ERROR_OLD, true, List.of(), "x86 #DE as kernels before 2.6.25 named it"),
      new Header(Banner.INVALID_OPCODE, true, List.of(), "x86 #UD, the trap BUG() raises: arch/x86/kernel/traps.c"),
      new Header(Banner.INT3, false, List.of(), "x86 #BP in the kernel: arch/x86/kernel/traps.c"),
      new Header(Banner.DOUBLE_FAULT, true, List.of(), "x86 #DF: arch/x86/kernel/traps.c exc_double_fault()"),
      new Header(Banner.INTERNAL_ERROR, true, List.of(), "arm/arm64 die(): arch/arm64/kernel/traps.c"),
      new Header(Banner.UNHANDLED_FAULT, true, List.of(), "arm aborts: arch/arm/mm/fault.c do_DataAbort()"),
      new Header(Banner.ALIGNMENT_TRAP, true, List.of(), "arm alignment fixups: arch/arm/mm/alignment.c"));

  /** A header found in a line. */
  record Found(Header header, Banner banner, int index) {}

  /** The report start in {@code line}, if it holds one: the leftmost header that is not excluded. */
  static Optional<Found> find(String line) {
    if (!Marks.occursIn(line)) {
      return Optional.empty(); // every header's text is a banner's, and so a mark
    }
    Found best = null;
    for (Header h : HEADERS) {
      int i = firstOccurrence(line, h);
      if (i < 0 || best != null && i >= best.index()) {
        continue;
      }
      if (excluded(line, h)) {
        continue;
      }
      best = new Found(h, specific(line, i, h.banner()), i);
    }
    return Optional.ofNullable(best);
  }

  private static int firstOccurrence(String line, Header h) {
    String t = h.text();
    if (h.lineStart()) {
      return line.startsWith(t) ? 0 : -1;
    }
    int i = line.indexOf(t);
    while (i >= 0) {
      if (h.afterWord() || i == 0 || !isWordChar(line.charAt(i - 1)) || cutTimestamp(line, i)) {
        return i;
      }
      i = line.indexOf(t, i + 1);
    }
    return -1;
  }

  // "[   12.5000BUG: KASAN: ...": all before the header is a console timestamp that another printk
  // call cut short (issue 19), not a word the header is part of.
  private static boolean cutTimestamp(String line, int i) {
    if (line.charAt(0) != '[') {
      return false;
    }
    for (int k = 1; k < i; k++) {
      char c = line.charAt(k);
      if (c != ' ' && c != '.' && (c < '0' || c > '9')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isWordChar(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_';
  }

  private static boolean excluded(String line, Header h) {
    for (Exclusion e : h.exclusions()) {
      if (e.matches(line)) {
        return true;
      }
    }
    return false;
  }

  // The longest banner that starts at `i` and begins with the header's text.
  private static Banner specific(String line, int i, Banner generic) {
    Banner best = generic;
    for (Banner b : Banner.values()) {
      if (b.text().length() > best.text().length() && b.text().startsWith(generic.text())
          && line.startsWith(b.text(), i)) {
        best = b;
      }
    }
    return best;
  }
}
