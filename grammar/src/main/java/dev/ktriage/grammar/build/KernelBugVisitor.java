package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.grammar.antlr.KernelReportParser.BadPageContext;
import dev.ktriage.grammar.antlr.KernelReportParser.BugBareContext;
import dev.ktriage.grammar.antlr.KernelReportParser.DentryInUseContext;
import dev.ktriage.grammar.antlr.KernelReportParser.GoRuntimeErrorContext;
import dev.ktriage.grammar.antlr.KernelReportParser.InfoBareContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KernelBugHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KernelPanicContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KmemleakBacktraceContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KmemleakCommContext;
import dev.ktriage.grammar.antlr.KernelReportParser.KmemleakObjectContext;
import dev.ktriage.grammar.antlr.KernelReportParser.MemoryLeakContext;
import dev.ktriage.grammar.antlr.KernelReportParser.NetdevWaitContext;
import dev.ktriage.grammar.antlr.KernelReportParser.NonZeroMmContext;
import dev.ktriage.grammar.antlr.KernelReportParser.PreemptibleUseContext;
import dev.ktriage.grammar.antlr.KernelReportParser.RawHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.RssCounterContext;
import dev.ktriage.grammar.antlr.KernelReportParser.RustPanicContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SchedAtomicContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SleepingFunctionContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SlubTrackHeaderContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SpinlockBugContext;
import dev.ktriage.grammar.antlr.KernelReportParser.StackProtectorPanicContext;
import dev.ktriage.grammar.antlr.KernelReportParser.SyzFailureContext;
import dev.ktriage.grammar.antlr.KernelReportParser.TrustyPanicContext;
import dev.ktriage.grammar.antlr.KernelReportParser.UnexpectedRebootContext;
import dev.ktriage.grammar.antlr.KernelReportParser.VfsTeardownContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WorkqueueLeakContext;
import dev.ktriage.grammar.antlr.KernelReportParser.WorkqueueLockupContext;
import dev.ktriage.model.Banner;
import dev.ktriage.model.KernelBugDetails;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Stack;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Tool;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.OptionalInt;

/**
 * Builds a report of one of the kernel's own {@code BUG:} checks from its parse tree (spinlock
 * debugging, the scheduler's atomic-context checks, workqueues, mm and dcache teardown), and of a
 * {@code BUG:} or {@code INFO:} line no format knows.
 *
 * <p>Not thread-safe; one instance per island.
 */
final class KernelBugVisitor extends OopsVisitor {

  private String check = "";
  private Optional<TaskRef> task = Optional.empty();
  private OptionalInt cpu = OptionalInt.empty();
  private Optional<SourceLocation> site = Optional.empty();
  private Optional<String> subject = Optional.empty();
  private Optional<String> culprit = Optional.empty(); // a function the header names
  private int rustMessageAt = -1; // where the Rust panic's message starts in `message`
  private String trustyPanicSoFar; // a Trusty panic line broken after "(caller ", until its rest comes
  private int trustyMessageAt;

  KernelBugVisitor(ReportDraft draft) {
    super(draft);
    draft.tool = Tool.KERNEL;
  }

  private String header(KernelBugHeaderContext h, String check) {
    draft.header = draft.lineText(h);
    this.check = check;
    draft.bugType = check;
    return draft.header;
  }

  // "BUG: spinlock bad magic on CPU#0, syz-executor/5123" (rwlock: ", <lock address>" after the task).
  @Override
  public Void visitSpinlockBug(SpinlockBugContext h) {
    String line = header(h, "");
    draft.tool = Tool.SPINLOCK;
    int on = line.indexOf(" on CPU#");
    String what = (on > 0 ? line.substring(0, on) : line).substring("BUG: ".length()).strip();
    check = what;
    draft.bugType = what;
    if (on > 0) {
      String rest = line.substring(on + " on CPU#".length());
      int comma = rest.indexOf(',');
      cpu = Fields.integer(comma > 0 ? rest.substring(0, comma) : rest);
      if (comma > 0) {
        String after = rest.substring(comma + 1).strip();
        int comma2 = after.indexOf(',');
        task = Optional.of(Fields.task(comma2 > 0 ? after.substring(0, comma2) : after));
      }
    }
    subject = restOf(KernelReportLexer.SPIN_LOCK_INFO);
    return null;
  }

  // "BUG: scheduling while atomic: syz-executor.5/12034/0x00000002"
  @Override
  public Void visitSchedAtomic(SchedAtomicContext h) {
    String line = header(h, "scheduling while atomic");
    String rest = line.substring(line.indexOf(": ", 4) + 2).strip();
    int last = rest.lastIndexOf('/');
    task = Optional.of(Fields.task(last > 0 ? rest.substring(0, last) : rest));
    return null;
  }

  // "BUG: sleeping function called from invalid context at include/linux/sched/mm.h:274"
  @Override
  public Void visitSleepingFunction(SleepingFunctionContext h) {
    header(h, "sleeping function called from invalid context");
    String w = h.site.getText();
    int colon = w.lastIndexOf(':');
    if (colon > 0) {
      Fields.integer(w.substring(colon + 1)).ifPresent(n -> site = Optional.of(new SourceLocation(w.substring(0, colon), n)));
    }
    return null;
  }

  // "BUG: using smp_processor_id() in preemptible [00000000] code: syz-executor.4/10022"
  @Override
  public Void visitPreemptibleUse(PreemptibleUseContext h) {
    String line = header(h, "");
    String rest = Fields.after(line, "BUG: using ".length());
    int in = rest.indexOf(" in preemptible");
    String fn = in > 0 ? rest.substring(0, in) : rest;
    check = "using " + fn + " in preemptible code";
    draft.bugType = check;
    int code = rest.indexOf("code: ");
    if (code > 0) {
      task = Optional.of(Fields.task(rest.substring(code + "code: ".length())));
    }
    return null;
  }

  @Override
  public Void visitWorkqueueLockup(WorkqueueLockupContext h) {
    String line = header(h, "workqueue lockup");
    subject = Optional.of(line.substring(line.indexOf(" - ") + 3).strip());
    return null;
  }

  // "BUG: workqueue leaked lock or atomic: kworker/0:2/0x00000000/3141"
  @Override
  public Void visitWorkqueueLeak(WorkqueueLeakContext h) {
    String line = header(h, "workqueue leaked lock or atomic");
    String rest = line.substring(line.lastIndexOf(": ") + 2).strip();
    String[] parts = rest.split("/");
    if (parts.length >= 3) {
      String comm = String.join("/", java.util.Arrays.copyOf(parts, parts.length - 2));
      task = Optional.of(new TaskRef(comm, Fields.integer(parts[parts.length - 1])));
    }
    return null;
  }

  @Override
  public Void visitRssCounter(RssCounterContext h) {
    String line = header(h, "Bad rss-counter state");
    subject = Optional.of(line.substring("BUG: Bad rss-counter state".length()).strip());
    return null;
  }

  // "BUG: non-zero nr_ptes on freeing mm: 1"
  @Override
  public Void visitNonZeroMm(NonZeroMmContext h) {
    String line = header(h, "");
    int colon = line.lastIndexOf(':');
    check = (colon > 4 ? line.substring(0, colon) : line).substring("BUG: ".length()).strip();
    draft.bugType = check;
    return null;
  }

  // "BUG: Dentry ffff888032b8e2c0{i=1,n=/}  still in use (1) [unmount of ramfs ramfs]"
  @Override
  public Void visitDentryInUse(DentryInUseContext h) {
    String line = header(h, "Dentry still in use");
    int of = line.indexOf("[unmount of ");
    int end = line.lastIndexOf(']');
    if (of > 0 && end > of) {
      subject = Optional.of(line.substring(of + "[unmount of ".length(), end));
    }
    return null;
  }

  // "INFO: Allocated in f+0x1/0x2 age=1 cpu=0 pid=1": SLUB's track line, whose KASAN report header was lost.
  @Override
  public Void visitSlubTrackHeader(SlubTrackHeaderContext h) {
    header(h, "slub track");
    return null;
  }

  // kmemleak and panic() ---------------------------------------------------------------

  // "BUG: memory leak": syzkaller's line before each object of /sys/kernel/debug/kmemleak.
  @Override
  public Void visitMemoryLeak(MemoryLeakContext h) {
    header(h, "memory leak");
    draft.tool = Tool.KMEMLEAK;
    return null;
  }

  // mm/kmemleak.c print_unreferenced(): "unreferenced object 0xffff88810c5f2a80 (size 32):"
  @Override
  public Void visitKmemleakObject(KmemleakObjectContext o) {
    String rest = Fields.after(draft.lineTextFrom(o.KMEMLEAK_OBJECT().getSymbol()), "unreferenced object ".length())
        .strip();
    if (subject.isEmpty()) {
      subject = Optional.of(rest.endsWith(":") ? rest.substring(0, rest.length() - 1) : rest);
    }
    return null;
  }

  // "  comm "syz-executor.3", pid 7281, jiffies 4294944719 (age 13.910s)": the allocating task.
  @Override
  public Void visitKmemleakComm(KmemleakCommContext c) {
    String line = draft.lineTextFrom(c.KMEMLEAK_COMM().getSymbol());
    int close = line.indexOf("\", pid ");
    if (task.isEmpty() && close > "comm \"".length()) {
      String comm = line.substring("comm \"".length(), close);
      String after = line.substring(close + "\", pid ".length());
      int comma = after.indexOf(',');
      task = Optional.of(new TaskRef(comm, Fields.integer(comma > 0 ? after.substring(0, comma) : after)));
    }
    return null;
  }

  // "  backtrace:" ("  backtrace (crc 6bd2b8c2):" since 6.7) and the allocation's stack: the report's own.
  @Override
  public Void visitKmemleakBacktrace(KmemleakBacktraceContext b) {
    StackCollector c = draft.collector();
    c.body(b.stackBody());
    draft.addStack(new Stack(nextTraceRole(), draft.lineTextFrom(b.KMEMLEAK_BACKTRACE().getSymbol()),
        Optional.empty(), c.frames(), c.unavailable()));
    return null;
  }

  // kernel/panic.c panic(): "Kernel panic - not syncing: Attempted to kill init! exitcode=0x0000000b".
  @Override
  public Void visitKernelPanic(KernelPanicContext h) {
    panicHeader(h);
    return null;
  }

  // panic()'s message, after "Kernel panic - not syncing: ", is the subject; a line cut right after the
  // banner (its blank stripped with the line's end) has none.
  private void panicHeader(KernelBugHeaderContext h) {
    String line = header(h, "kernel panic");
    subject = Optional.of(Fields.after(line, "Kernel panic - not syncing: ".length()).strip());
  }

  // kernel/panic.c __stack_chk_fail(): "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted
  // in: udp4_lib_lookup2+0x7ea/0x7f0": the function whose stack canary was overwritten, as %pB printed it
  // (a bare address when the symbol is unknown: no function then).
  @Override
  public Void visitStackProtectorPanic(StackProtectorPanicContext h) {
    panicHeader(h);
    if (h.loc != null && h.loc.LOCATION() != null) {
      culprit = Optional.of(Fields.locationFunction(h.loc)).filter(f -> !f.isEmpty() && !Fields.bareAddress(f));
    }
    return null;
  }

  // mm/page_alloc.c bad_page(): "BUG: Bad page state in process syz-executor209  pfn:7deea"; mm/memory.c
  // print_bad_pte(): "BUG: Bad page map in process syz  pte:8000000012345067 pmd:12345067".
  @Override
  public Void visitBadPage(BadPageContext h) {
    String line = header(h, "");
    String after = line.substring("BUG: ".length());
    int in = after.indexOf(" in process ");
    check = (in > 0 ? after.substring(0, in) : after).strip();
    draft.bugType = check;
    if (in > 0) {
      String rest = after.substring(in + " in process ".length()).strip();
      int gap = rest.indexOf("  ");
      String comm = gap > 0 ? rest.substring(0, gap) : rest;
      if (!comm.isEmpty()) {
        task = Optional.of(new TaskRef(comm, OptionalInt.empty()));
      }
      if (gap > 0) {
        subject = Optional.of(rest.substring(gap).strip());
      }
    }
    return null;
  }

  // teardown that never finishes, and the fuzzer's own failures ---------------------------

  // net/core/dev.c netdev_wait_allrefs(): "unregister_netdevice: waiting for lo to become free. Usage count = 5".
  @Override
  public Void visitNetdevWait(NetdevWaitContext h) {
    String line = header(h, "unregister_netdevice: waiting for device");
    String rest = Fields.after(line, "unregister_netdevice: waiting for ".length());
    int to = rest.indexOf(" to become free");
    subject = Optional.of((to > 0 ? rest.substring(0, to) : rest).strip()).filter(s -> !s.isEmpty());
    return null;
  }

  // fs/super.c generic_shutdown_super(): "VFS: Busy inodes after unmount of loop0. Self-destruct in 5 seconds.
  // Have a nice day..."; fs/open.c filp_close(): "VFS: Close: file count is 0".
  @Override
  public Void visitVfsTeardown(VfsTeardownContext h) {
    String line = header(h, "");
    boolean busy = h.VFS_BUSY_INODES() != null;
    check = busy ? "Busy inodes after unmount" : "Close: file count is 0";
    draft.bugType = check;
    int of = line.indexOf(" of ");
    if (busy && of > 0) {
      String dev = line.substring(of + " of ".length());
      int dot = dev.indexOf(". ");
      subject = Optional.of((dot > 0 ? dev.substring(0, dot) : dev).strip()).filter(s -> !s.isEmpty());
    }
    return null;
  }

  // syzkaller's own failures: "SYZFAIL: SIGSEGV", "SYZFATAL: executor 4 failed 11 times: failed to create temp dir".
  @Override
  public Void visitSyzFailure(SyzFailureContext h) {
    String line = header(h, h.SYZFAIL_BANNER() != null ? "SYZFAIL" : "SYZFATAL");
    draft.tool = Tool.SYZKALLER;
    int colon = line.indexOf(':');
    subject = Optional.of(line.substring(colon + 1).strip()).filter(s -> !s.isEmpty());
    return null;
  }

  // The fuzzer's Go runtime: "fatal error: out of memory" (src/runtime/panic.go throw()), its message the subject.
  @Override
  public Void visitGoRuntimeError(GoRuntimeErrorContext h) {
    String line = header(h, "go runtime error");
    draft.tool = Tool.SYZKALLER;
    subject = Optional.of(line.substring("fatal error:".length()).strip()).filter(s -> !s.isEmpty());
    return null;
  }

  // "Booting the kernel." after the kernel had printed: the machine rebooted without an oops.
  @Override
  public Void visitUnexpectedReboot(UnexpectedRebootContext h) {
    header(h, "unexpected kernel reboot");
    return null;
  }

  // The kernel's Rust panic handler (rust/kernel/lib.rs): pr_emerg!("{}\n", info) prints core's PanicInfo,
  // "panicked at drivers/android/binder/node.rs:877:13:" and the message on the next line, then BUG().
  @Override
  public Void visitRustPanic(RustPanicContext h) {
    String rest = header(h, "rust panic").substring(Banner.RUST_PANIC.text().length()).strip();
    if (rest.startsWith("at ")) {
      String where = rest.substring(3).strip();
      where = where.endsWith(":") ? where.substring(0, where.length() - 1) : where;
      // file:line:column; the column goes (SourceLocation has none)
      int c2 = where.lastIndexOf(':');
      int c1 = c2 > 0 ? where.lastIndexOf(':', c2 - 1) : -1;
      if (c1 > 0) {
        String file = where.substring(0, c1);
        Fields.integer(where.substring(c1 + 1, c2)).ifPresent(n -> site = Optional.of(new SourceLocation(file, n)));
      }
    }
    rustMessageAt = message.size(); // the lines right after the header are the message
    return null;
  }

  // The Trusty TEE's panic: "trusty: panic (caller 0xffffffffe0002314): failed(-5) to start app 6", or a failed
  // assertion, "trusty: panic (caller 0x...): ASSERT FAILED at (file.c:472): expr". trusty-log.c forwards the
  // secure log in chunks, so the line may break right after "(caller "; its rest is the next line, after that
  // line's own "trusty: ".
  @Override
  public Void visitTrustyPanic(TrustyPanicContext h) {
    String rest = header(h, "trusty panic").substring(Banner.TRUSTY_PANIC.text().length());
    if (rest.contains("):")) {
      subject = Optional.of(trustySubject(rest));
    } else {
      trustyPanicSoFar = rest;
      trustyMessageAt = message.size(); // the lines after the header join the message from here
    }
    return null;
  }

  // The rest of a Trusty panic line broken after "(caller ": the first message line after the header.
  private void trustyRest() {
    if (trustyPanicSoFar != null) {
      String more = message.size() > trustyMessageAt ? message.get(trustyMessageAt).strip() : "";
      more = more.startsWith(TRUSTY_LOG) ? more.substring(TRUSTY_LOG.length()) : more;
      subject = Optional.of(trustySubject(trustyPanicSoFar.strip() + " " + more));
      trustyPanicSoFar = null;
    }
  }

  private static final String TRUSTY_LOG = "trusty: ";
  private static final Pattern TRUSTY_ASSERT = Pattern.compile("\\s*\\(caller [^)]*\\): ASSERT FAILED at \\([^)]*\\):(.*)");
  private static final Pattern TRUSTY_CALLER = Pattern.compile("\\s*\\(caller [^)]*\\):(.*)");

  // "ASSERT FAILED: expr" or "panic: message", what syzkaller titles after "trusty: "; an assertion whose
  // text went to a line of its own leaves "ASSERT FAILED:" (KernelOopsFormats calls that corrupted).
  private static String trustySubject(String rest) {
    Matcher a = TRUSTY_ASSERT.matcher(rest);
    if (a.matches()) {
      return ("ASSERT FAILED: " + a.group(1).strip()).strip();
    }
    Matcher p = TRUSTY_CALLER.matcher(rest);
    return ("panic: " + (p.matches() ? p.group(1) : rest).strip()).strip();
  }

  @Override
  public Void visitBugBare(BugBareContext h) {
    header(h, "BUG:");
    return null;
  }

  @Override
  public Void visitInfoBare(InfoBareContext h) {
    header(h, "INFO:");
    return null;
  }

  @Override
  public Void visitRawHeader(RawHeaderContext h) {
    String line = header(h, "");
    check = line;
    draft.bugType = line;
    return null;
  }

  @Override
  ReportDetails details() {
    trustyRest();
    if (rustMessageAt >= 0 && message.size() > rustMessageAt) {
      subject = Optional.of(message.get(rustMessageAt).strip()).filter(m -> !m.isEmpty());
    }
    // "caller is f+0x1/0x2" (preemptible use), "last function: f" (workqueue leak), "Preemption
    // disabled at:" and its frame (sleeping in atomic context).
    Optional<String> function = culprit.or(() -> restOf(KernelReportLexer.CALLER_IS).flatMap(OopsVisitor::function))
        .or(() -> restOf(KernelReportLexer.LAST_FUNCTION).flatMap(OopsVisitor::function));
    if (task.isEmpty() && draft.comm.isPresent() && draft.pid.isPresent()) {
      task = Optional.of(new TaskRef(draft.comm.get(), OptionalInt.of(draft.pid.getAsInt())));
    }
    return new KernelBugDetails(check, task, cpu, site, function, subject, locksIn(LockPlace.HELD_LIST));
  }
}
