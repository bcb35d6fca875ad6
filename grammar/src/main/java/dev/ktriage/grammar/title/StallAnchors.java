package dev.ktriage.grammar.title;

import java.util.List;
import java.util.Optional;

/**
 * Which frame a CPU stall or soft lockup is blamed on. When a stall is noticed the CPU is somewhere
 * in a loop that may span several functions, so the top of its stack is a random point of the loop
 * and titling by it splits one bug into many. Instead the stall is blamed on the caller of the first
 * <em>dispatcher</em> frame (syscall entry, work item, softirq, timer, file and socket operation
 * dispatch, fault entry, task work): the syscall or driver operation that started the looping code.
 * This is syzkaller's stall extractor (pkg/report/linux.go linuxStallFrameExtractor), the table
 * written out with a reason per entry.
 *
 * <p>Each anchor matches a frame whose name (prefixes included, compiler suffixes not) contains it,
 * starts with it, or is it.
 */
public final class StallAnchors {
  private StallAnchors() {} // no instance

  /** How an anchor's text is compared with a frame's name. */
  enum Match { CONTAINS, PREFIX, EXACT }

  /** An anchor: a dispatcher frame; the frame before it is blamed. */
  record Anchor(String text, Match match, String why) {
    boolean matches(String function) {
      return switch (match) {
        case CONTAINS -> function.contains(text);
        case PREFIX -> function.startsWith(text);
        case EXACT -> function.equals(text);
      };
    }
  }

  private static Anchor c(String text, String why) {
    return new Anchor(text, Match.CONTAINS, why);
  }

  private static Anchor p(String text, String why) {
    return new Anchor(text, Match.PREFIX, why);
  }

  private static Anchor x(String text, String why) {
    return new Anchor(text, Match.EXACT, why);
  }

  /** The dispatcher frames. */
  static final List<Anchor> ANCHORS = List.of(
      c("process_one_work", "runs a work item: the work function before it is the stalled code"),
      c("do_syscall_", "syscall entry (do_syscall_64, do_syscall_32_irqs_on)"),
      c("do_fast_syscall_", "32-bit fast syscall entry"),
      c("sysenter_dispatch", "old x86 sysenter entry"),
      c("tracesys_phase2", "old x86 traced syscall entry"),
      c("invoke_syscall", "arm64 syscall entry"),
      c("el0_svc", "arm64 syscall entry (el0_svc_common, do_el0_svc)"),
      c("netif_receive_skb", "network receive dispatch: the protocol handler before it"),
      c("do_softirq", "softirq dispatch (__do_softirq, do_softirq_own_stack)"),
      c("handle_softirqs", "softirq dispatch since 6.9"),
      c("call_timer_fn", "timer dispatch: the timer function before it"),
      c("_run_timers", "timer wheel (__run_timers, run_timers)"),
      c("run_timer_softirq", "timer softirq"),
      c("hrtimer_run_queues", "hrtimer dispatch (__hrtimer_run_queues, __run_hrtimer inlined): the hrtimer "
          + "function before it"),
      c("run_ksoftirqd", "softirq thread"),
      c("smpboot_thread_fn", "per-cpu kthreads"),
      x("kthread", "kthread body: its thread function before it (kthread_should_park and the like are "
          + "the thread function's helpers, not its dispatcher)"),
      c("start_secondary", "cpu bring-up: the idle loop"),
      c("cpu_startup_entry", "the idle loop"),
      p("ret_from_fork", "a new task's first frame (ret_from_fork_asm)"),
      c("vfs_write", "file write dispatch: the file's write before it"),
      c("new_sync_write", "file write dispatch through write_iter (call_write_iter inlined)"),
      c("new_sync_read", "file read dispatch through read_iter (call_read_iter inlined)"),
      c("vfs_read", "file read dispatch"),
      c("vfs_iter_read", "file read dispatch"),
      c("vfs_iter_write", "file write dispatch"),
      c("do_iter_read", "file read dispatch"),
      c("do_iter_write", "file write dispatch"),
      c("vfs_ioctl", "ioctl dispatch: the driver's ioctl before it"),
      c("ksys_ioctl", "ioctl dispatch (vfs_ioctl may be inlined into it)"),
      c("compat_ioctl", "compat ioctl dispatch"),
      c("compat_sys_ioctl", "compat ioctl dispatch"),
      c("blkdev_driver_ioctl", "block device ioctl dispatch"),
      c("blkdev_ioctl", "block device ioctl dispatch"),
      p("call_read_iter", "file read dispatch"),
      p("call_write_iter", "file write dispatch"),
      c("do_iter_readv_writev", "vectored file read/write dispatch"),
      p("call_mmap", "mmap dispatch: the file's mmap before it"),
      c("mmap_region", "mmap"),
      c("do_mmap", "mmap"),
      c("do_dentry_open", "open dispatch: the file's open before it"),
      c("vfs_open", "open dispatch"),
      p("sock_sendmsg", "socket send dispatch: the protocol's sendmsg before it"),
      p("sock_recvmsg", "socket receive dispatch"),
      p("sock_release", "socket release dispatch"),
      p("__sock_release", "socket release dispatch"),
      c("__sys_setsockopt", "setsockopt dispatch"),
      c("kernel_setsockopt", "setsockopt dispatch"),
      c("sock_common_setsockopt", "setsockopt dispatch"),
      c("__sys_listen", "listen dispatch"),
      c("kernel_listen", "listen dispatch"),
      c("sk_common_release", "socket release"),
      p("sock_mmap", "socket mmap dispatch"),
      c("__sys_accept", "accept dispatch"),
      c("kernel_accept", "accept dispatch"),
      p("sock_do_ioctl", "socket ioctl dispatch"),
      p("sock_ioctl", "socket ioctl dispatch"),
      p("compat_sock_ioctl", "socket ioctl dispatch"),
      p("nfnetlink_rcv_msg", "netfilter netlink dispatch: the subsystem's handler before it"),
      p("rtnetlink_rcv_msg", "rtnetlink dispatch: the message handler before it"),
      c("netlink_dump", "netlink dump dispatch: the family's dumpit before it"),
      c("__do_fault", "page fault dispatch: the vma's fault handler before it"),
      c("do_page_fault", "page fault entry"),
      p("page_fault", "page fault entry"),
      c("__fput", "close: the file's release before it"),
      c("task_work_run", "task work dispatch (deferred fput)"),
      c("exit_to_usermode", "return-to-user work"),
      c("exit_to_user_mode", "return-to-user work since 5.8"),
      c("smp_call_function", "a cross-cpu call: waiting for other cpus is the stall itself"));

  // Syscall and socket-call entries whose argument decides the code run (ioctl, connect,
  // socketpair): their caller would name only the syscall, so they are anchors themselves.
  private static final List<String> DISCRIMINATED_SYSCALLS = List.of("socketpair", "connect", "ioctl");
  private static final List<String> SYSCALL_WRAPPERS = List.of("SYSC_", "SyS_", "__sys_", "___sys_", "__do_sys_",
      "__se_sys_", "__x64_sys_", "compat_SYSC_", "compat_SyS_", "compat___sys_", "compat___do_sys_",
      "compat___se_sys_", "compat___x64_sys_");

  /** Whether {@code function} is a dispatcher frame. */
  static boolean isAnchor(String function) {
    for (Anchor a : ANCHORS) {
      if (a.matches(function)) {
        return true;
      }
    }
    for (String w : SYSCALL_WRAPPERS) {
      if (function.startsWith(w) && DISCRIMINATED_SYSCALLS.contains(function.substring(w.length()))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The stall extractor: the frame before the first anchor; a cross-cpu call ({@code smp_call_function*})
   * is blamed itself, as {@code smp_call_function} (the variants differ by how many cpus they wait for;
   * the one printed gives the alternative titles).
   * Empty when no frame is an anchor.
   */
  public static final FrameRecipe.Extractor STALL = candidates -> {
    if (candidates.isEmpty()) {
      return Optional.empty();
    }
    String prev = candidates.get(0);
    for (String frame : candidates) {
      if (isAnchor(frame)) {
        if (frame.contains("smp_call_function")) {
          return Optional.of(new FrameRecipe.Pick("smp_call_function", frame));
        }
        // Syscall prefixes are left to the titler, which removes one and keeps the other spellings.
        return Optional.of(new FrameRecipe.Pick(prev, prev));
      }
      prev = frame;
    }
    return Optional.empty();
  };
}
