package dev.ktriage.grammar.scan;

import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.model.Banner;
import java.util.List;

/**
 * How far an oops report without a closing rule reaches (every report but KASAN's and KCSAN's), as
 * syzkaller's report extraction (pkg/report/linux.go findReport) decides it:
 * <ul>
 *   <li>it starts with the {@code cut here} block printed just before its header (the warning's
 *       message), or the rule lockdep prints above its header;</li>
 *   <li>it goes on with the lines of its printk context until another oops starts there. With a task
 *       or cpu context ({@code CONFIG_PRINTK_CALLER}) that oops came from the same task and the first
 *       report goes on through it for a while (its title may need the second one's stack); without
 *       one, lines of every cpu are mixed and the report ends there;</li>
 *   <li>after {@code Sending NMI from CPU} the other cpus' backtraces belong to it, whatever their
 *       context;</li>
 *   <li>once it has more than {@link #WHOLE_LINES} lines, the panic that {@code panic_on_warn} raises
 *       and the circular-locking report that oops printing provokes end it;</li>
 *   <li>lockdep's {@code Disabling lock debugging due to kernel taint} is no part of any report.</li>
 * </ul>
 * Lines that only continue an oops ({@code invalid opcode: 0000} after {@code kernel BUG at},
 * {@code Kernel panic - not syncing: Fatal exception}) never end one.
 */
final class OopsExtent {
  private OopsExtent() {} // no instance

  /** Lines remembered per context before a banner: the cut-here rule, the warning's message. */
  static final int LEAD_IN_LINES = 4;
  /** A report this long is whole: a panic or a provoked lockdep report after it is not part of it. */
  static final int WHOLE_LINES = 22;
  /** How many lines an interrupted report goes on collecting. */
  static final int TAIL_LINES = 300;

  /** Printed by nmi_trigger_cpumask_backtrace() before the other cpus print their backtraces. */
  static final String SENDING_NMI = "Sending NMI from CPU";
  static final String CUT_HERE = "------------[ cut here ]------------";
  private static final String TAINT_NOTE = "Disabling lock debugging due to kernel taint";

  // Oops lines that continue the report they are printed in (syzkaller's reportStartIgnores).
  private static final List<String> CONTINUATIONS = List.of(
      "invalid opcode: 0000", // x86 BUG() trap after "kernel BUG at ..."
      "Kernel panic - not syncing", // the panic after an oops (panic_on_oops, panic_on_warn, Fatal exception)
      "unregister_netdevice: waiting for", // repeated every 10 s while a device stays busy
      "PANIC: double fault", // a double fault while handling a page fault of the same report
      "Internal error:"); // arm/arm64 die() after the fault handler's line ("Unable to handle kernel ...")

  // Messages that are no bug but print a stack, which would be taken for the report's (syzkaller's
  // infoMessagesWithStack).
  private static final List<String> INFO_WITH_STACK = List.of(
      "vmalloc: allocation failure:", // mm/vmalloc.c warn_alloc()
      "FAULT_INJECTION: forcing a failure", // lib/fault-inject.c
      "FAULT_FLAG_ALLOW_RETRY missing"); // mm/gup.c's old warning

  // mm/slub.c print_track()/print_trailer(): with SLUB_DEBUG, KASAN before 4.6 printed the object's
  // tracks and layout inside its report, as INFO: lines. They start no report of their own there.
  private static final List<String> SLUB_OBJECT_LINES = List.of(
      "INFO: Allocated in ", "INFO: Freed in ", "INFO: Slab 0x", "INFO: Object 0x",
      // slab_bug()'s own header line above them ("BUG kmalloc-128 (Not tainted): kasan: bad access detected")
      "BUG kmalloc-");

  /**
   * Whether a header line ({@code header} starts at its banner) is part of the open {@code island}: a
   * SLUB line inside a sanitizer report, or a header that only continues an oops ({@link #CONTINUATIONS}:
   * {@code invalid opcode} after {@code kernel BUG at}, {@code Internal error:} after arm64's {@code
   * Unable to handle kernel}, syzkaller's "never starts a second report").
   */
  static boolean continues(Island island, String header) {
    if (Banners.sanitizer(island.banner())) {
      // the panic after a sanitizer report whose closing rule was lost continues it too
      return SLUB_OBJECT_LINES.stream().anyMatch(header::startsWith) || header.startsWith("Kernel panic - not syncing");
    }
    if (island.banner() == Banner.RUST_PANIC && RUST_BUG.stream().anyMatch(header::startsWith)) {
      return true;
    }
    return CONTINUATIONS.stream().anyMatch(header::startsWith);
  }

  // The BUG() the kernel's Rust panic handler calls after printing the panic (rust/kernel/lib.rs ->
  // rust_helper_BUG): its oops is the panic's, not a report of its own. x86 and most arches print
  // "kernel BUG at rust/helpers/bug.c:7!", arm64 without the verbose BUG table "Internal error: Oops - BUG".
  private static final List<String> RUST_BUG = List.of("kernel BUG at rust/", "Kernel BUG at rust/");

  /** The marker printk prints when it prints a message again after a partial one. */
  static final String REPLAY = "** replaying previous printk message **";

  private static final List<String> PROVOKED = List.of(
      "Kernel panic - not syncing",
      "WARNING: possible circular locking dependency detected");

  /** The lines before a banner that belong to its report: the sanitizer's rule, or the cut-here block. */
  static List<ConsoleLine> leadIn(Banner banner, List<ConsoleLine> recent) {
    if (recent.isEmpty()) {
      return List.of();
    }
    ConsoleLine last = recent.get(recent.size() - 1);
    if (Banners.sanitizer(banner)) {
      return Island.isSeparator(last.body()) ? List.of(last) : List.of();
    }
    for (int i = recent.size() - 1; i >= 0; i--) {
      String body = recent.get(i).body();
      if (isCutHere(body)) {
        return recent.subList(i, recent.size());
      }
      if (Banners.find(body).isPresent()) {
        break; // the cut-here block before an earlier header is that report's, not this one's
      }
    }
    return Island.isSeparator(last.body()) ? List.of(last) : List.of();
  }

  /**
   * Whether {@code body} is the cut-here marker line: {@code report_bug()} and {@code __warn()} print it as a
   * line of its own ({@code pr_warn(CUT_HERE)}), so it starts the body after the console prefix. A marker
   * glued after another message's text (two CPUs' output on one line, without a printk time to split them
   * at) starts no lead-in: the line is the other message's, and the report starts at its header.
   */
  static boolean isCutHere(String body) {
    return body.stripLeading().startsWith(CUT_HERE);
  }

  /** Whether {@code body} ends {@code island} before it: a panic or provoked report after a whole report. */
  static boolean stopsBefore(Island island, String body) {
    if (Banners.sanitizer(island.banner()) || island.lines().size() - island.headerIndex() <= WHOLE_LINES) {
      return false;
    }
    for (String p : PROVOKED) {
      if (body.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code body} is no part of {@code island} although printed in its context. */
  static boolean dropped(Island island, String body) {
    return !Banners.sanitizer(island.banner()) && body.contains(TAINT_NOTE);
  }

  /** Whether {@code body} (no banner of ours) starts another oops that ends or interrupts {@code island}. */
  static boolean interruptedBy(Island island, String body) {
    boolean sanitizer = Banners.sanitizer(island.banner());
    if (!sanitizer && INFO_WITH_STACK.stream().anyMatch(body::contains)) {
      return true;
    }
    if (!OopsMarkers.startsOops(body)) {
      return false;
    }
    if (sanitizer) {
      return true;
    }
    return !body.contains(CUT_HERE) && CONTINUATIONS.stream().noneMatch(body::contains)
        && !(island.banner() == Banner.RUST_PANIC && RUST_BUG.stream().anyMatch(body::contains));
  }

  /** Whether an interrupted island goes on collecting: an oops report of a task or cpu context. */
  static boolean goesOnAfter(Island island) {
    String c = island.context();
    // The Trusty TEE's panic is the secure OS's log, forwarded: the oops the trusty driver raises after it
    // (its WARNING in trusty_std_call32) is the kernel's own report, whose stack is not the TEE's.
    return !Banners.sanitizer(island.banner()) && island.banner() != Banner.TRUSTY_PANIC && c.length() > 1 && (c.charAt(0) == 'T' || c.charAt(0) == 'C')
        && c.chars().skip(1).allMatch(Character::isDigit);
  }

  /** Whether an interrupted island has collected enough after the interruption. */
  static boolean tailFull(Island tail) {
    return tail.tailLines() >= TAIL_LINES || tail.lines().size() >= Island.MAX_LINES;
  }

  /** Whether a line of another cpu's context belongs to an island that takes the cpus' backtraces. */
  static boolean cpuLineBelongs(Island island, String body) {
    return !dropped(island, body);
  }
}
