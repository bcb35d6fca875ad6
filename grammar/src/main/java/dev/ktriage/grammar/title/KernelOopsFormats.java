package dev.ktriage.grammar.title;

import static dev.ktriage.grammar.title.SkipRule.Action.TITLE_ONLY;

import dev.ktriage.grammar.title.FrameRecipe.Find;
import dev.ktriage.grammar.title.FrameRecipe.ParseStack;
import dev.ktriage.grammar.title.FrameRecipe.Part;
import dev.ktriage.grammar.title.OopsFormats.Frames;
import dev.ktriage.grammar.title.OopsFormats.OopsFormat;
import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.FaultDetails;
import dev.ktriage.model.FaultKind;
import dev.ktriage.model.HangKind;
import dev.ktriage.model.HungTaskDetails;
import dev.ktriage.model.KernelBugDetails;
import dev.ktriage.model.LockdepDetails;
import dev.ktriage.model.LockdepKind;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.StallDetails;
import dev.ktriage.model.StallKind;
import dev.ktriage.model.Tool;
import dev.ktriage.model.WarningDetails;
import dev.ktriage.model.WarningForm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The {@link OopsFormats} rows of the kernel's own reports: {@code WARN()}, lockdep, hung tasks, CPU
 * stalls and soft lockups, and the {@code BUG:} checks of the scheduler, spinlock debugging,
 * workqueues, mm and dcache. Each row follows one syzkaller format (pkg/report/linux.go) and the
 * kernel routine that prints the report; the frame comes from a {@link FrameRecipe} over the
 * report's lines, with the format's own skip rules.
 *
 * <p>Immutable and thread-safe.
 */
final class KernelOopsFormats {
  private KernelOopsFormats() {} // no instance

  // ---------------------------------------------------------------------------------------------
  // What recipes look for in the lines

  /**
   * A faulting-pc line: {@code RIP:} (kernel or user), {@code pc :}, {@code --- interrupt: N at}. A
   * symbolized one that names an inlined callee ({@code RIP: 0010:csd_lock_wait kernel/smp.c:108
   * [inline]}) is not: the real frame's line follows.
   */
  static final Predicate<TraceTape.Entry> PC = e -> e.kind() == TraceTape.Kind.PC
      && (e.function().isEmpty() || e.frameLike());
  /**
   * {@code Call Trace:} (x86, powerpc, s390, riscv), {@code Call trace:} (arm64), {@code Backtrace:} (arm).
   */
  static final Predicate<TraceTape.Entry> CALL_TRACE = e -> e.text().contains("Call Trace")
      || e.text().startsWith("Call trace:") || e.text().startsWith("Backtrace:");
  /** A lock line whose {@code at:} names a code location with an offset. */
  static final Predicate<TraceTape.Entry> LOCK_AT = e -> e.kind() == TraceTape.Kind.LOCK && e.frameLike()
      && !e.function().isEmpty();
  /** A lock line whose {@code at:} names a code location after a raw pc ({@code at: [<ffffffff8105bbd0>] f+0x0/0xb0}). */
  static final Predicate<TraceTape.Entry> PC_LOCK = e -> e.kind() == TraceTape.Kind.LOCK && e.frameLike() && e.rawPc();
  /** A line with a raw pc before a code location: {@code [<ffffffff81234567>] f+0x1/0x2}. */
  static final Predicate<TraceTape.Entry> PC_FRAME = e -> e.rawPc() && e.frameLike() && e.reliable()
      && !e.function().isEmpty();
  /**
   * Where the timer interrupt that noticed a stall entered: after it, the code the cpu was running
   * (x86 {@code apic_timer_interrupt} and {@code asm_sysvec_apic_timer_interrupt}, x86 before 4.x
   * {@code Exception stack}, arm64 {@code el1h_64_irq}).
   */
  static final Predicate<TraceTape.Entry> INTERRUPT_ENTRY = e -> e.reliable()
      && (e.text().contains("apic_timer_interrupt") || e.text().contains("Exception stack")
          || e.text().contains("el1h_64_irq"));

  private static Predicate<TraceTape.Entry> says(String text) {
    return e -> e.kind() != TraceTape.Kind.FRAME && e.text().contains(text);
  }

  /** A line that names a source position ({@code net/tipc/bearer.c:68}). */
  static final Predicate<TraceTape.Entry> SOURCE_LINE = e -> hasSource(e.text());

  // ---------------------------------------------------------------------------------------------
  // Recipes

  private static Find find(String name, Predicate<TraceTape.Entry> p, boolean capture) {
    return new Find(name, p, capture, 0);
  }

  private static final ParseStack STACK = new ParseStack();

  /** syzkaller's warningStackFmt: the pc line's function and the frames after it, else the call trace. */
  private static FrameRecipe warningStack(List<SkipRule> skips) {
    return new FrameRecipe(List.of(find("pc", PC, true), STACK), List.of(find("call trace", CALL_TRACE, false), STACK),
        skips, FrameRecipe.FIRST, true);
  }

  // syzkaller skips every name containing "panic"; the common table keeps skb_panic (a bug site) for
  // the sanitizers, and the oops rows add the substring: panic_on_warn's machinery and the saved
  // registers of a panicking cpu (panic_saved_regs) sit in their stacks.
  private static final List<SkipRule> PANIC_SKIPS = substrings(
      "the panic machinery a warning runs through with panic_on_warn (check_panic_on_warn, __panic)", "panic");

  private static FrameRecipe callTrace(List<SkipRule> skips, FrameRecipe.Extractor extractor) {
    return new FrameRecipe(List.of(find("call trace", CALL_TRACE, false), STACK), List.of(), skips, extractor, true);
  }

  /** A report pattern: these lines in order; the last one's function is the frame, taken as printed. */
  private static FrameRecipe pattern(Part... parts) {
    return new FrameRecipe(List.of(parts), List.of(), List.of(), FrameRecipe.FIRST, false);
  }

  // syzkaller's per-format skip lists are substrings of the function name.
  private static List<SkipRule> substrings(String why, String... patterns) {
    List<SkipRule> out = new ArrayList<>();
    for (String p : patterns) {
      String core = p;
      while (core.startsWith("_")) {
        core = core.substring(1); // rules compare the name without its leading underscores
      }
      out.add(new SkipRule(SkipRule.Match.CONTAINS, core, TITLE_ONLY, why));
    }
    return List.copyOf(out);
  }

  // ---------------------------------------------------------------------------------------------
  // Report predicates

  private static Optional<WarningDetails> warning(Report r) {
    return r.details() instanceof WarningDetails w ? Optional.of(w) : Optional.empty();
  }

  private static boolean warningAt(Report r, Predicate<String> file, Predicate<String> function) {
    return warning(r).filter(w -> w.site().map(SourceLocation::file).filter(file).isPresent()
        && w.function().map(Titler::bareName).filter(function).isPresent()).isPresent();
  }

  // The 2025 form prints "at 0x0" when __warn() was not given the caller: the file alone decides.
  private static boolean warningIn(Report r, String file, Predicate<String> function) {
    return warning(r).filter(w -> w.site().map(SourceLocation::file).filter(file::equals).isPresent()
        && w.function().map(Titler::bareName).map(f -> function.test(f) || f.isEmpty() || f.startsWith("0x"))
            .orElse(true)).isPresent();
  }

  private static boolean warningForm(Report r, WarningForm form) {
    return warning(r).filter(w -> w.form() == form).isPresent();
  }

  private static boolean lockdep(Report r, LockdepKind kind) {
    return r.details() instanceof LockdepDetails l && l.kind() == kind;
  }

  private static boolean hang(Report r, HangKind... kinds) {
    return r.details() instanceof HungTaskDetails h && List.of(kinds).contains(h.kind());
  }

  private static boolean stall(Report r, StallKind... kinds) {
    return r.details() instanceof StallDetails s && List.of(kinds).contains(s.kind());
  }

  private static boolean check(Report r, Tool tool, String check) {
    return r.tool() == tool && r.details() instanceof KernelBugDetails k && k.check().equals(check);
  }

  private static boolean subject(Report r, String subject) {
    return r.details() instanceof KernelBugDetails k && k.subject().filter(subject::equals).isPresent();
  }

  private static boolean hasSubject(Report r) {
    return r.details() instanceof KernelBugDetails k && k.subject().filter(x -> !x.isBlank()).isPresent();
  }

  private static boolean checkStarts(Report r, Tool tool, String prefix) {
    return r.tool() == tool && r.details() instanceof KernelBugDetails k && k.check().startsWith(prefix);
  }

  // --- faults (h-oops-c)
  private static boolean fault(Report r, FaultKind... kinds) {
    return r.details() instanceof FaultDetails f && List.of(kinds).contains(f.kind());
  }

  // BUG() in a file: "kernel BUG at lib/list_debug.c:53!" (also printed "./lib/list_debug.c").
  private static boolean bugIn(Report r, String file) {
    return r.details() instanceof FaultDetails f && f.kind() == FaultKind.KERNEL_BUG
        && f.site().map(l -> l.file().startsWith("./") ? l.file().substring(2) : l.file()).filter(file::equals)
            .isPresent();
  }

  private static boolean slab(Report r, String message) {
    return r.details() instanceof FaultDetails f && f.kind() == FaultKind.SLAB_CHECK && f.message().equals(message);
  }

  /** syzkaller's RIP-only recipe (x86 traps): the faulting pc's function, nothing else. */
  private static FrameRecipe pcOnly() {
    // the stack part reads nothing past the registers (the trace has its heading): it makes a missing or
    // skipped pc "corrupted" rather than a report pattern that did not match
    return new FrameRecipe(List.of(find("pc", PC, true), STACK), List.of(), NONE, FrameRecipe.FIRST, true);
  }

  private static final List<String> BAD_ACCESS = List.of("bad-access in {frame}");

  private static OopsFormat row(String name, Predicate<Report> applies, String title, List<String> alts,
      FrameRecipe given, boolean stackExpected, String why) {
    List<SkipRule> skips = new ArrayList<>(given.skips());
    skips.addAll(PANIC_SKIPS);
    FrameRecipe recipe = new FrameRecipe(given.requires(), given.parts(), given.fallback(), List.copyOf(skips),
        given.extractor(), given.skipCaptures());
    return new OopsFormat(name, applies, title, alts, Frames.RECIPE, recipe.skips(), Optional.empty(), "", why,
        Optional.of(recipe), stackExpected);
  }

  private static OopsFormat fixed(String name, Predicate<Report> applies, String title, List<String> alts,
      boolean stackExpected, String why) {
    return new OopsFormat(name, applies, title, alts, Frames.NONE, List.of(), Optional.empty(), "", why,
        Optional.empty(), stackExpected);
  }

  private static OopsFormat corrupt(String name, Predicate<Report> applies, String title, String detail, String why) {
    return new OopsFormat(name, applies, title, List.of(), Frames.NONE, List.of(),
        Optional.of(CorruptionReason.UNRECOGNIZED_HEADER), detail, why, Optional.empty(), false);
  }

  private static final List<SkipRule> NONE = List.of();

  // Stack cuts of the kinds beyond BUG:/WARNING:/INFO: (kmemleak, panic(), mm, teardown) ------------

  /** kmemleak's {@code backtrace:} ({@code backtrace (crc 6bd2b8c2):} since 6.7), not lockdep's {@code stack backtrace:}. */
  static final Predicate<TraceTape.Entry> KMEMLEAK_BACKTRACE = e -> e.kind() != TraceTape.Kind.FRAME
      && e.text().startsWith("backtrace");

  // A panic whose message starts with `message`.
  private static boolean panic(Report r, String message) {
    return check(r, Tool.KERNEL, "kernel panic") && r.details() instanceof KernelBugDetails k
        && k.subject().filter(s -> s.startsWith(message)).isPresent();
  }

  // A panic that follows an oops whose report is not in the log: seen first, its header was lost
  // (syzkaller's corrupted formats).
  private static OopsFormat lostOops(String name, Predicate<Report> applies, String title, String why) {
    return new OopsFormat(name, applies, title, List.of(), Frames.NONE, List.of(),
        Optional.of(CorruptionReason.MISSING_PART), "the oops this panic follows is not in the log", why,
        Optional.empty(), false);
  }

  /** The rows, in the order they are tried after the sanitizers'. */
  static final List<OopsFormat> FORMATS = List.of(
      // --- WARN() ------------------------------------------------------------------------------
      row("warning-odebug", r -> warningIn(r, "lib/debugobjects.c",
              f -> f.startsWith("debug_print") || f.startsWith("debug_check")),
          "WARNING: ODEBUG bug in {frame}", List.of(),
          warningStack(substrings("debugobjects' users: timers, work, percpu, the allocator free paths",
              "debug_", "rcu", "hrtimer_", "timer_", "work_", "percpu_", "kmem_", "slab_", "kfree", "vunmap",
              "vfree", "__free_", "debug_check", "kobject_")),
          true, "lib/debugobjects.c debug_print_object(): an object freed or reinitialized while active; "
              + "blamed on the code that freed it, past the object's own helpers"),
      row("warning-usercopy", r -> warningAt(r, "mm/usercopy.c"::equals, f -> f.startsWith("usercopy_warn")),
          "WARNING: bad usercopy in {frame}", List.of(),
          warningStack(substrings("usercopy hardening's checks", "usercopy", "__check")),
          true, "mm/usercopy.c usercopy_warn(): a copy to or from user memory outside a whitelisted region"),
      row("warning-kobject", r -> warningAt(r, "lib/kobject.c"::equals, f -> f.startsWith("kobject_")),
          "WARNING: kobject bug in {frame}", List.of(),
          warningStack(substrings("the kobject core", "kobject_")),
          true, "lib/kobject.c: a kobject used before init or put too often"),
      row("warning-proc", r -> warningAt(r, "fs/proc/generic.c"::equals, f -> f.startsWith("proc_register")),
          "WARNING: proc registration bug in {frame}", List.of(),
          warningStack(substrings("procfs registration helpers", "proc_")),
          true, "fs/proc/generic.c proc_register(): a proc entry registered twice"),
      row("warning-refcount", r -> warningIn(r, "lib/refcount.c", f -> f.startsWith("refcount_")),
          "WARNING: refcount bug in {frame}", List.of(),
          warningStack(substrings("refcount_t's own checks and kobject puts", "refcount", "kobject_")),
          true, "lib/refcount.c refcount_warn_saturate(): a reference count overflowed, or went to zero twice"),
      row("warning-locking", r -> warningAt(r, "kernel/locking/lockdep.c"::equals, f -> f.contains("lock_")),
          "WARNING: locking bug in {frame}", List.of(),
          warningStack(substrings("socket lock wrappers", "lock_sock", "release_sock")),
          true, "kernel/locking/lockdep.c DEBUG_LOCKS_WARN_ON(): lockdep's internal consistency checks"),
      row("warning-zero-size-vmalloc", r -> warningAt(r, "mm/vmalloc.c"::equals, f -> f.startsWith("__vmalloc_node")),
          "WARNING: zero-size vmalloc in {frame}", List.of(),
          warningStack(substrings("the vmalloc family", "vmalloc")),
          true, "mm/vmalloc.c __vmalloc_node_range(): a vmalloc of size 0"),
      row("warning-kmalloc", r -> warningAt(r, f -> f.startsWith("mm/") && f.endsWith(".c"),
              KernelOopsFormats::mallocName),
          "WARNING: kmalloc bug in {frame}", List.of(),
          warningStack(substrings("the allocators", "kmalloc", "kcalloc", "kzalloc", "krealloc", "vmalloc", "slab",
              "kmem")),
          true, "mm/ allocator checks (kvmalloc_node's size limit, kmalloc_slab): an impossible allocation"),
      row("warning-usb-submit-urb", r -> warning(r).flatMap(WarningDetails::function).map(Titler::bareName)
              .filter("usb_submit_urb"::equals).isPresent(),
          "WARNING in {frame}/usb_submit_urb", List.of(),
          warningStack(substrings("the USB core's submit wrappers", "usb_submit_urb", "usb_start_wait_urb",
              "usb_bulk_msg", "usb_interrupt_msg", "usb_control_msg")),
          true, "drivers/usb/core/urb.c usb_submit_urb(): a driver submitted a bad URB; titled by the driver"),
      row("warning", r -> warningForm(r, WarningForm.CPU_PID) || warningForm(r, WarningForm.AT)
              || warningForm(r, WarningForm.CPU_HASH),
          "WARNING in {frame}", List.of(), warningStack(NONE),
          true, "kernel/panic.c __warn(): the function the warning fired in, else the first of its callers"),
      fixed("warning-bad-stack-regs", r -> warningForm(r, WarningForm.BAD_STACK_REGS), "WARNING: {kind}", List.of(),
          false, "arch/x86/kernel/unwind_frame.c: the unwinder found a bad register value; no stack follows"),
      fixed("warning-bad-frame-pointer", r -> warningForm(r, WarningForm.BAD_FRAME_POINTER), "WARNING: {kind}",
          List.of(), false, "arch/x86/kernel/unwind_frame.c: the unwinder found a bad frame pointer"),
      corrupt("warning-bare", r -> warningForm(r, WarningForm.BARE), "WARNING: corrupted",
          "the WARNING: line lost its rest", "a WARNING: with nothing after it: the line was cut or merged"),
      fixed("warning-text", r -> warningForm(r, WarningForm.TEXT), "{line}", List.of(), false,
          "any other WARNING: line is titled with its text, as syzkaller does"),

      // --- lockdep -----------------------------------------------------------------------------
      row("lockdep-circular-info", r -> lockdep(r, LockdepKind.CIRCULAR_DEPENDENCY) && r.header().startsWith("INFO:"),
          "possible deadlock in {frame}", List.of(),
          pattern(find("acquire", says("is trying to acquire lock"), false), find("its lock", PC_LOCK, true)),
          true, "lockdep's circular report before 4.15 ([ INFO: ... ]): where the lock being acquired was taken"),
      row("lockdep-circular", r -> lockdep(r, LockdepKind.CIRCULAR_DEPENDENCY), "possible deadlock in {frame}",
          List.of(), new FrameRecipe(List.of(find("acquire", says("is trying to acquire lock"), false)),
              List.of(find("lock being acquired", LOCK_AT, true), find("lock already held", LOCK_AT, true), STACK),
              List.of(),
              substrings("workqueue functions take the locks of work items: their deadlocks are the work's",
                  "process_one_work", "flush_workqueue", "drain_workqueue", "destroy_workqueue"),
              FrameRecipe.FIRST, true),
          true, "kernel/locking/lockdep.c print_circular_bug(): blamed on where the lock being acquired was "
              + "taken, else the held lock's, else the dependency chain's frames"),
      row("lockdep-irq-inversion", r -> lockdep(r, LockdepKind.IRQ_LOCK_INVERSION), "possible deadlock in {frame}",
          List.of(), pattern(find("state change", says("just changed the state of lock"), false),
              find("its lock", LOCK_AT, true)),
          true, "print_irq_inversion_bug(): where the lock whose irq state changed was taken"),
      row("lockdep-irq-order", r -> lockdep(r, LockdepKind.IRQ_LOCK_ORDER), "possible deadlock in {frame}",
          List.of(), new FrameRecipe(List.of(find("irq-safe usage", says("-irq-safe at:"), false), STACK),
              List.of(find("acquire", says("is trying to acquire"), false), find("its lock", LOCK_AT, true)), NONE,
              FrameRecipe.FIRST, true),
          true, "print_bad_irq_dependency(): where the irq-safe lock was taken in irq context, else where the "
              + "irq-unsafe lock is being acquired"),
      row("lockdep-recursive", r -> lockdep(r, LockdepKind.RECURSIVE_LOCKING), "possible deadlock in {frame}",
          List.of(), pattern(find("acquire", says("is trying to acquire lock"), false), find("its lock", LOCK_AT, true)),
          true, "print_deadlock_bug(): where the lock already held is taken again"),
      row("lockdep-inconsistent-info", r -> lockdep(r, LockdepKind.INCONSISTENT_LOCK_STATE)
              && r.header().startsWith("INFO:"),
          "inconsistent lock state in {frame}", List.of(),
          pattern(find("takes", says("takes:"), false), find("its lock", PC_LOCK, true)),
          true, "lockdep's report before 4.15 ([ INFO: ... ]): where the lock is taken"),
      row("lockdep-inconsistent", r -> lockdep(r, LockdepKind.INCONSISTENT_LOCK_STATE),
          "inconsistent lock state in {frame}", List.of(),
          new FrameRecipe(List.of(find("takes", says("takes:"), false)),
              List.of(find("call trace", CALL_TRACE, false), STACK), List.of(), NONE, FrameRecipe.FIRST, true),
          true, "print_usage_bug(): the code that took the lock in the inconsistent state"),
      row("lockdep-suspicious-rcu", r -> lockdep(r, LockdepKind.SUSPICIOUS_RCU_USAGE),
          "{banner}: suspicious RCU usage in {frame}", List.of(),
          new FrameRecipe(List.of(find("site", SOURCE_LINE, false)), List.of(find("call trace", CALL_TRACE, false), STACK),
              List.of(), substrings("RCU and the allocators", "rcu", "kmem", "slab", "kmalloc", "vmalloc", "kcalloc",
                  "kzalloc"), FrameRecipe.FIRST, true),
          true, "lockdep_rcu_suspicious(): an RCU pointer used without the protection it needs; the source "
              + "position must follow the header"),
      row("lockdep-bad-unlock-balance", r -> lockdep(r, LockdepKind.BAD_UNLOCK_BALANCE),
          "{banner}: bad unlock balance in {frame}", List.of(),
          new FrameRecipe(List.of(find("release", says("is trying to release lock"), false),
              new Find("the unlocking code", PC_FRAME, true, 15), STACK), List.of(), NONE, FrameRecipe.FIRST, true),
          true, "print_unlock_imbalance_bug(): the code that released a lock it did not hold"),
      row("lockdep-held-lock-freed", r -> lockdep(r, LockdepKind.HELD_LOCK_FREED), "{banner}: held lock freed in {frame}",
          List.of(), pattern(find("the lock", LOCK_AT, true)),
          true, "print_freed_lock_bug(): memory freed with a lock in it still held; where that lock was taken"),
      row("lockdep-still-held", r -> lockdep(r, LockdepKind.LOCKS_STILL_HELD), "{banner}: still has locks held in {frame}",
          List.of(), pattern(find("a held lock", e -> PC_FRAME.test(e) || LOCK_AT.test(e), true)),
          true, "print_held_locks_bug(): a task exits or freezes holding a lock; where it was taken"),
      row("lockdep-nested", r -> lockdep(r, LockdepKind.NESTED_LOCK_NOT_TAKEN),
          "WARNING: nested lock was not taken in {frame}", List.of(),
          new FrameRecipe(List.of(find("the lock", LOCK_AT, true), STACK),
              List.of(find("call trace", CALL_TRACE, false), STACK), NONE, FrameRecipe.FIRST, true),
          true, "print_lock_nested_lock_not_held(): a nest lock annotation without its lock held"),
      row("lockdep-user-return", r -> lockdep(r, LockdepKind.LOCK_HELD_RETURNING_TO_USER),
          "{banner}: lock held when returning to user space in {frame}", List.of(),
          pattern(find("leaving", says("leaving the kernel with locks still held"), false), find("the lock", LOCK_AT, true)),
          false, "lockdep_sys_exit(): a syscall returned with a lock held; where it was taken"),
      row("lockdep-wait-context", r -> lockdep(r, LockdepKind.INVALID_WAIT_CONTEXT), "WARNING: locking bug in {frame}",
          List.of(), callTrace(NONE, FrameRecipe.FIRST),
          true, "print_lock_invalid_wait_context(): a sleeping lock taken in atomic context; titled like "
              + "lockdep's own warnings, as syzkaller does"),
      row("lockdep-non-static-key", r -> lockdep(r, LockdepKind.NON_STATIC_KEY),
          "INFO: trying to register non-static key in {frame}", List.of(),
          callTrace(substrings("lock and stack plumbing (substrings, as syzkaller's)", "stack", "lock", "IRQ"),
              FrameRecipe.FIRST),
          true, "assign_lock_key(): a lock used without lockdep initialization, usually an uninitialized object"),
      fixed("lockdep-limit", r -> lockdep(r, LockdepKind.LIMIT_TOO_LOW), "{line}", List.of(), false,
          "lockdep ran out of a table: titled with the line, as syzkaller does"),

      // --- hung tasks ----------------------------------------------------------------------------
      row("hung-task", r -> hang(r, HangKind.BLOCKED, HangKind.BLOCKED_IN_IO_WAIT), "INFO: task hung in {frame}",
          List.of("hang in {frame}"), callTrace(NONE, HangAnchors.HANG),
          true, "kernel/hung_task.c check_hung_task(): blamed on where the task waits (HangAnchors)"),
      row("task-cant-die", r -> hang(r, HangKind.CANT_DIE), "INFO: task can't die in {frame}",
          List.of("hang in {frame}"), callTrace(substrings("the scheduler", "schedule"), FrameRecipe.FIRST),
          true, "a killed task that did not exit: where it is stuck"),

      // --- stalls --------------------------------------------------------------------------------
      row("rcu-stall", r -> stall(r, StallKind.RCU_SELF_DETECTED, StallKind.RCU_DETECTED, StallKind.RCU_EXPEDITED,
              StallKind.RCU_TASKS), "INFO: rcu detected stall in {frame}", List.of("stall in {frame}"),
          new FrameRecipe(List.of(find("interrupt entry", INTERRUPT_ENTRY, false), find("pc", PC, true), STACK),
              List.of(find("interrupt entry", INTERRUPT_ENTRY, false), STACK),
              substrings("the timer interrupt and RCU itself", "apic_timer_interrupt", "rcu"),
              StallAnchors.STALL, true),
          true, "kernel/rcu/tree_stall.h: the code the timer interrupt found running, blamed on its dispatcher "
              + "(StallAnchors)"),
      row("soft-lockup", r -> stall(r, StallKind.SOFT_LOCKUP), "BUG: soft lockup in {frame}", List.of("stall in {frame}"),
          new FrameRecipe(List.of(find("pc", PC, true), STACK), List.of(find("call trace", CALL_TRACE, false), STACK),
              NONE, StallAnchors.STALL, true),
          true, "kernel/watchdog.c watchdog_timer_fn(): the looping code, blamed on its dispatcher"),

      // --- faults and traps (h-oops-c) -------------------------------------------------------------
      row("gpf", r -> fault(r, FaultKind.GENERAL_PROTECTION), "general protection fault in {frame}", BAD_ACCESS,
          warningStack(NONE), true, "arch/x86/kernel/traps.c: x86 #GP in the kernel (a non-canonical pointer; on "
              + "KASAN kernels with its null-ptr-deref range line): the faulting pc's function, else the call trace"),
      row("stack-segment", r -> fault(r, FaultKind.STACK_SEGMENT), "stack segment fault in {frame}", List.of(),
          warningStack(NONE), true, "x86 #SS: a bad stack-relative access; the faulting pc, else the call trace"),
      row("page-fault-paging", r -> fault(r, FaultKind.PAGING_REQUEST),
          "BUG: unable to handle kernel paging request in {frame}", BAD_ACCESS, warningStack(NONE), true,
          "arch/x86/mm/fault.c show_fault_oops(), arm64 die_kernel_fault(): a kernel access to an unmapped "
              + "address; the faulting pc's function, else the call trace"),
      row("page-fault-null", r -> fault(r, FaultKind.NULL_POINTER),
          "BUG: unable to handle kernel NULL pointer dereference in {frame}", BAD_ACCESS, warningStack(NONE), true,
          "the page fault handlers: an access near address 0"),
      row("page-fault-user", r -> fault(r, FaultKind.USER_MEMORY_ACCESS),
          "BUG: unable to handle kernel access to user memory in {frame}", BAD_ACCESS, warningStack(NONE), true,
          "riscv/arm64: user memory touched without the uaccess routines"),
      corrupt("page-fault-cut", r -> fault(r, FaultKind.PAGE_FAULT_CUT), "BUG: unable to handle kernel",
          "the page fault line lost what it could not handle",
          "x86 before 5.1 printed the header with two printk calls; alone, the second was lost"),
      fixed("page-fault-other", r -> fault(r, FaultKind.PAGE_FAULT_OTHER), "{line}", List.of(), false,
          "another 'Unable to handle kernel' form: titled with its line, as syzkaller does"),
      row("divide-error", r -> fault(r, FaultKind.DIVIDE_ERROR), "divide error in {frame}", List.of(), pcOnly(), true,
          "x86 #DE: the division is at the faulting pc"),
      row("invalid-opcode", r -> fault(r, FaultKind.INVALID_OPCODE), "invalid opcode in {frame}", List.of(), pcOnly(),
          true, "x86 #UD without a kernel BUG line before it: the instruction is at the faulting pc"),
      row("int3", r -> fault(r, FaultKind.INT3), "int3 in {frame}", List.of(), warningStack(NONE), true,
          "x86 #BP in the kernel (a stray breakpoint, a text patch in progress): the faulting pc, else the call trace"),
      row("double-fault", r -> fault(r, FaultKind.DOUBLE_FAULT), "PANIC: double fault in {frame}", List.of(), pcOnly(),
          true, "x86 #DF (usually a stack overflow): the faulting pc"),
      row("bug-list", r -> bugIn(r, "lib/list_debug.c"), "BUG: corrupted list in {frame}", BAD_ACCESS,
          warningStack(NONE), true, "lib/list_debug.c: CONFIG_DEBUG_LIST found broken list pointers; blamed past "
              + "the list checks"),
      row("bug-usercopy", r -> bugIn(r, "mm/usercopy.c"), "BUG: bad usercopy in {frame}", List.of(),
          warningStack(substrings("usercopy hardening's checks", "usercopy", "__check")), true,
          "mm/usercopy.c usercopy_abort(): a copy to or from user memory outside its object"),
      row("kernel-bug", r -> fault(r, FaultKind.KERNEL_BUG) && r.details() instanceof FaultDetails f
              && f.site().isPresent(), "kernel BUG in {frame}", List.of(),
          warningStack(List.of(new SkipRule(SkipRule.Match.PREFIX, "skb_", TITLE_ONLY,
              "skb_put/skb_push/skb_pull's overflow checks BUG() for their callers (syzkaller's ^skb_)"))), true,
          "lib/bug.c report_bug(): BUG_ON() fired; the function it is in, else the call trace"),
      fixed("kernel-bug-other", r -> fault(r, FaultKind.KERNEL_BUG), "kernel BUG{header}", List.of(), false,
          "a BUG line without a file:line (no verbose BUG table): titled with its text, as syzkaller does"),
      fixed("slab-object-free", r -> slab(r, "Object already free"), "BUG: Object already free", List.of(), true,
          "mm/slub.c free_consistency_checks(): an object freed twice"),
      fixed("slab-check", r -> fault(r, FaultKind.SLAB_CHECK), "{line}", List.of(), false,
          "SLUB's other object checks: titled with the line, as syzkaller does"),
      row("internal-error", r -> fault(r, FaultKind.INTERNAL_ERROR), "Internal error in {frame}", BAD_ACCESS,
          warningStack(NONE), true, "arm/arm64 die() for an abort or a BUG(): the pc, else the call trace"),
      row("unhandled-fault", r -> fault(r, FaultKind.UNHANDLED_FAULT), "Unhandled fault in {frame}", BAD_ACCESS,
          warningStack(NONE), true, "arm do_DataAbort(): a kernel abort with no handler; the pc, else the call trace"),
      row("alignment-trap", r -> fault(r, FaultKind.ALIGNMENT_TRAP), "Alignment trap in {frame}", List.of(),
          warningStack(NONE), true, "arm do_alignment(): an unaligned access the kernel cannot fix up"),
      row("stack-guard-page", r -> fault(r, FaultKind.STACK_GUARD_PAGE), "BUG: stack guard page was hit in {frame}",
          List.of("stack-overflow in {frame}"),
          new FrameRecipe(List.of(find("pc", PC, true), STACK), List.of(find("call trace", CALL_TRACE, false), STACK),
              NONE, StallAnchors.STALL, true),
          true, "arch/x86/kernel/dumpstack_64.c handle_stack_overflow(): a recursion ran off the stack; blamed on "
              + "its dispatcher like a stall (StallAnchors), as syzkaller does"),

      // --- the kernel's BUG: checks ----------------------------------------------------------------
      row("spinlock", r -> r.tool() == Tool.SPINLOCK, "BUG: {kind} in {frame}", List.of(),
          callTrace(substrings("the spinlock implementation and the runqueue lock helpers around it", "spin_",
              "rq_lock"), FrameRecipe.FIRST),
          true, "kernel/locking/spinlock_debug.c spin_dump()/rwlock_bug(): a corrupt or misused lock"),
      row("scheduling-while-atomic", r -> check(r, Tool.KERNEL, "scheduling while atomic"),
          "BUG: scheduling while atomic in {frame}", List.of(),
          callTrace(substrings("the scheduler", "schedule"), FrameRecipe.FIRST),
          true, "kernel/sched/core.c __schedule_bug(): a task slept with preemption disabled"),
      row("sleeping-in-atomic", r -> check(r, Tool.KERNEL, "sleeping function called from invalid context"),
          "BUG: sleeping function called from invalid context in {frame}", List.of(), callTrace(NONE, FrameRecipe.FIRST),
          true, "kernel/sched/core.c __might_resched(): a function that may sleep called in atomic context"),
      row("preemptible", r -> checkStarts(r, Tool.KERNEL, "using "), "BUG: {kind} in {frame}", List.of(),
          callTrace(substrings("the preemption checks", "dump_stack", "preemption", "preempt", "debug_",
              "processor_id", "this_cpu"), FrameRecipe.FIRST),
          true, "lib/smp_processor_id.c check_preemption_disabled(): a per-cpu access in preemptible code"),
      fixed("workqueue-lockup", r -> check(r, Tool.KERNEL, "workqueue lockup"), "BUG: workqueue lockup", List.of(),
          false, "kernel/workqueue.c wq_watchdog_timer_fn(): a worker pool made no progress"),
      row("workqueue-leak", r -> check(r, Tool.KERNEL, "workqueue leaked lock or atomic"),
          "BUG: workqueue leaked lock or atomic in {frame}", List.of(),
          pattern(find("last function", says("last function:"), true)),
          false, "kernel/workqueue.c process_one_work(): a work function returned holding a lock or atomic"),
      fixed("bad-rss-counter", r -> check(r, Tool.KERNEL, "Bad rss-counter state"), "BUG: Bad rss-counter state",
          List.of(), false, "kernel/fork.c check_mm(): an mm freed with pages still counted"),
      fixed("non-zero-mm", r -> checkStarts(r, Tool.KERNEL, "non-zero "), "BUG: {kind}", List.of(), false,
          "kernel/fork.c check_mm(): an mm freed with page tables still counted"),
      fixed("dentry-in-use", r -> check(r, Tool.KERNEL, "Dentry still in use"), "BUG: Dentry still in use in unmount",
          List.of("BUG: Dentry still in use [unmount of {subject}]"), true,
          "fs/dcache.c umount_check(): a dentry still referenced at unmount"),
      corrupt("bug-bare", r -> check(r, Tool.KERNEL, "BUG:"), "BUG: corrupted", "the BUG: line lost its rest",
          "a BUG: with nothing after it: the line was cut or merged"),
      corrupt("info-bare", r -> check(r, Tool.KERNEL, "INFO:"), "INFO: corrupted", "the INFO: line lost its rest",
          "an INFO: with nothing after it: the line was cut or merged"),
      corrupt("slub-track", r -> check(r, Tool.KERNEL, "slub track"), "{line}",
          "a SLUB track line without its KASAN report",
          "INFO: Allocated in / Freed in starts a report only when the KASAN header before it was lost"),

      // --- kmemleak ------------------------------------------------------------------
      row("memory-leak", r -> r.tool() == Tool.KMEMLEAK, "memory leak in {frame}", List.of(),
          new FrameRecipe(List.of(find("backtrace", KMEMLEAK_BACKTRACE, false), STACK), List.of(),
              substrings("the allocators and the helpers that allocate for their caller: the leak is the caller's "
                  + "(syzkaller's list, substrings)", "kmemleak", "mmap", "kmem", "slab", "alloc", "create_object",
                  "idr_get", "list_lru_init", "kasprintf", "kvasprintf", "pcpu_create", "strdup", "strndup", "memdup"),
              FrameRecipe.FIRST, true),
          true, "mm/kmemleak.c print_unreferenced(): an object nothing points to; blamed on the first caller of "
              + "the allocators in its allocation stack"),

      // --- panic() -------------------------------------------------------------------
      // Stack overflows that panic() reports: syzkaller's "stack overflow" kinds.
      row("panic-stack-protector", r -> panic(r, "stack-protector:"), "kernel panic: stack is corrupted in {frame}",
          List.of(), new FrameRecipe(List.of(find("message", says("Kernel stack is corrupted in"), true),
              find("call trace", CALL_TRACE, false), STACK), List.of(),
              substrings("the stack protector's failure path (__stack_chk_fail)", "stack_chk"), FrameRecipe.FIRST, true),
          false, "kernel/panic.c __stack_chk_fail(): a function overwrote its stack canary; the message names it "
              + "(%pB), else (a bare address) the call trace past __stack_chk_fail; the trace is often empty, as the "
              + "stack it would walk is the smashed one, so none is expected"),
      row("panic-corrupted-stack-end", r -> panic(r, "corrupted stack end"), "kernel panic: corrupted stack end in {frame}",
          List.of("stack-overflow in {frame}"), callTrace(NONE, StallAnchors.STALL), true,
          "kernel/sched/core.c schedule_debug(): the task's STACK_END_MAGIC was overwritten (a deep recursion "
              + "ran off its stack); where it looped is arbitrary, so it is blamed on its dispatcher like a stall "
              + "(StallAnchors), as syzkaller does"),
      row("panic-stack-overflow", r -> panic(r, "kernel stack overflow") || panic(r, "Kernel stack overflow"),
          "kernel stack overflow in {frame}", List.of("stack-overflow in {frame}"), callTrace(NONE, StallAnchors.STALL),
          true, "arm64 panic_bad_stack() (\"kernel stack overflow\"), riscv handle_bad_stack() (\"Kernel stack "
              + "overflow\"): the stack pointer left the task's stack; blamed on its dispatcher like a stall"),
      fixed("panic-kill-init", r -> panic(r, "Attempted to kill init!"), "kernel panic: Attempted to kill init!",
          List.of(), false, "kernel/exit.c do_exit() of pid 1: init died; its exit code varies, the bug does not"),
      fixed("panic-n-tty", r -> panic(r, "Couldn't open N_TTY ldisc"), "kernel panic: Couldn't open N_TTY ldisc",
          List.of(), false, "drivers/tty/tty_ldisc.c: the tty layer lost its default line discipline"),
      lostOops("panic-fatal-exception", r -> panic(r, "Fatal exception"), "kernel panic: Fatal exception",
          "oops_end(): the panic after an oops whose own report is not in the log"),
      lostOops("panic-on-warn", r -> panic(r, "panic_on_warn set"), "kernel panic: panic_on_warn set",
          "check_panic_on_warn(): the panic after a warning whose report is not in the log"),
      lostOops("panic-hung-task", r -> panic(r, "hung_task: blocked tasks"), "kernel panic: hung_task: blocked tasks",
          "kernel/hung_task.c with hung_task_panic: the panic after a hung task report that is not in the log"),
      fixed("panic", r -> check(r, Tool.KERNEL, "kernel panic"), "kernel panic: {subject}", List.of(), false,
          "kernel/panic.c panic(): titled with its message, as syzkaller does"),

      // --- mm's bad pages ------------------------------------------------------------
      row("bad-page-state", r -> check(r, Tool.KERNEL, "Bad page state") || check(r, Tool.KERNEL, "Bad page cache"),
          "BUG: {kind} in {frame}", List.of(),
          new FrameRecipe(List.of(find("page_owner's allocation", says("page last allocated"), false), STACK),
              List.of(), substrings("the page allocator, page_owner and page pools: a page is blamed on the code that "
                  + "asked for it", "page_owner", "alloc", "get_page", "folio", "page_pool"),
              FrameRecipe.FIRST, true),
          true, "mm/page_alloc.c bad_page(): a page in a bad state when freed or allocated; blamed on where "
              + "page_owner says it was allocated ('corrupted' without page_owner)"),
      fixed("bad-page-map", r -> check(r, Tool.KERNEL, "Bad page map"), "BUG: Bad page map", List.of(), false,
          "mm/memory.c print_bad_pte(): a page table entry that points to a bad page"),

      // --- teardown that never finishes, and the fuzzer's own failures -----------------
      fixed("netdev-wait", r -> check(r, Tool.KERNEL, "unregister_netdevice: waiting for device"),
          "unregister_netdevice: waiting for DEV to become free", List.of(), false,
          "net/core/dev.c netdev_wait_allrefs(): a leaked reference keeps a device from going away; the device's "
              + "name (lo, bond0, ...) is left out, as syzkaller does: the leak is the bug, not the device"),
      fixed("vfs-busy-inodes", r -> check(r, Tool.KERNEL, "Busy inodes after unmount"),
          "VFS: Busy inodes after unmount (use-after-free)", List.of(), false,
          "fs/super.c generic_shutdown_super(): inodes outlive their superblock, which is then freed under them"),
      fixed("vfs-file-count", r -> check(r, Tool.KERNEL, "Close: file count is 0"),
          "VFS: Close: file count is zero (use-after-free)", List.of(), false,
          "fs/open.c filp_close(): a file closed after its last reference went away"),
      fixed("syzfail", r -> r.tool() == Tool.SYZKALLER && check(r, Tool.SYZKALLER, "SYZFAIL"), "SYZFAIL: {subject}",
          List.of(), false, "the syzkaller executor's own failure (executor/common.h fail()): titled with its message"),
      fixed("syzfatal", r -> check(r, Tool.SYZKALLER, "SYZFATAL"), "SYZFATAL: {subject}", List.of("SYZFATAL"), false,
          "the syzkaller manager's or fuzzer's fatal error (log.SyzFatalf): titled with its message; the bare "
              + "SYZFATAL alternative groups them, as syzbot does"),
      new OopsFormat("trusty-assert-cut", r -> check(r, Tool.KERNEL, "trusty panic") && subject(r, "ASSERT FAILED:"),
          "trusty: {subject}", List.of(), Frames.NONE, List.of(), Optional.of(CorruptionReason.TRUNCATED),
          "the failed assertion's text is not on the panic line", "trusty-log.c forwards the secure log in chunks: "
              + "an assertion whose text went to a line of its own cannot be told from the next message",
          Optional.empty(), false),
      fixed("trusty", r -> check(r, Tool.KERNEL, "trusty panic"), "trusty: {subject}", List.of(), false,
          "the Trusty TEE panicked ('panic: <message>') or failed an assertion ('ASSERT FAILED: <expr>'), as "
              + "syzkaller titles them; the caller address is left out (it changes with every build)"),
      row("rust-panic", r -> check(r, Tool.KERNEL, "rust panic") && hasSubject(r), "{subject} in {frame}", List.of(),
          callTrace(substrings("the Rust panic machinery between the BUG() and the code that panicked: the "
              + "panic handler (core's panicking functions go by the oops rows' 'panic')", "rust_begin_unwind"),
              FrameRecipe.FIRST),
          true, "rust/kernel/lib.rs: a Rust panic (an overflow, an index out of bounds, unwrap on None) titled "
              + "with its message and the first frame past the panic machinery, as syzkaller does"),
      row("rust-panic-no-message", r -> check(r, Tool.KERNEL, "rust panic"), "rust_kernel: panicked in {frame}",
          List.of(), callTrace(substrings("as for rust-panic", "rust_begin_unwind"), FrameRecipe.FIRST), true,
          "a Rust panic whose message line is not in the log (cut, or another context's line took its place)"),
      fixed("reboot", r -> check(r, Tool.KERNEL, "unexpected kernel reboot"), "unexpected kernel reboot", List.of(),
          false, "the decompressor started a kernel after the kernel had printed in this log: the machine rebooted "
              + "without printing an oops (a triple fault, a watchdog, a firmware reset), as syzkaller titles it"),
      fixed("go-runtime", r -> check(r, Tool.SYZKALLER, "go runtime error"), "go runtime error", List.of(), false,
          "the fuzzer's Go runtime threw (out of memory, a concurrent map write, ...): one title for all, as "
              + "syzkaller gives; the message is in kernelBug.subject"),

      fixed("kernel-text", r -> r.details() instanceof KernelBugDetails, "{line}", List.of(), false,
          "any other BUG: or INFO: line is titled with its text, as syzkaller does"));

  // syzkaller's "k?.?malloc": a name with "malloc" in it (kmalloc, kvmalloc_node, __kmalloc).
  private static boolean mallocName(String f) {
    return f.contains("malloc");
  }

  static boolean hasSource(String text) {
    int i = text.indexOf(':');
    while (i > 0) {
      int dot = text.lastIndexOf('.', i);
      boolean ext = dot > 0 && dot < i - 1 && text.substring(dot + 1, i).chars().allMatch(Character::isLetter)
          && text.charAt(dot - 1) != ' ';
      if (ext && i + 1 < text.length() && Character.isDigit(text.charAt(i + 1))) {
        return true;
      }
      i = text.indexOf(':', i + 1);
    }
    return false;
  }
}
