/*
 * Lexer for one kernel sanitizer report (an "island" cut out of a console log by scan.IslandTracker).
 *
 * Input: the report's lines with their console prefixes already removed (timestamps, caller ids,
 * syslog levels), one line per '\n'. Every line is classified by its first token, which is lexed
 * in the default mode; the rest of the line is lexed in a mode that suits that kind of line and
 * that pops at the end of the line, down to the fields the parser's rules name. A line that starts
 * with nothing we know becomes OTHER + TEXT, so noise never stops the parser: it is a "sea" line
 * that the parser keeps as text.
 *
 * Frame lines are not lexed here: KernelReportLexerBase reads them with frame.FrameSyntax, the
 * decoder that symbolize and addr2line share, and makes each one token (FRAME, INLINE_FRAME,
 * REGISTER), as it does with the location a header names (LOCATION).
 *
 * The line kinds follow the kernel's print routines: mm/kasan/report.c (print_report,
 * print_error_description, print_address_description, print_memory_metadata),
 * kernel/kcsan/report.c (print_report, print_verbose_info), mm/kmsan/report.c (kmsan_report,
 * kmsan_print_origin), mm/kfence/report.c (kfence_report_error, kfence_print_object), lib/dump_stack.c
 * (dump_stack_print_info) and the arch stack dumpers (show_trace_log_lvl and friends).
 */
lexer grammar KernelReportLexer;

options { superClass = KernelReportLexerBase; }

// WORD is produced by several modes (any run of non-blank characters that no other rule wants).
// FRAME, INLINE_FRAME, REGISTER and LOCATION are made by KernelReportLexerBase from FrameSyntax: a
// line that FrameSyntax reads as a call-trace frame, an inlined callee or a register naming a code
// location is one token carrying what it decoded.
tokens { WORD, FRAME, INLINE_FRAME, REGISTER, LOCATION, LOCK, LOCK_HELD, LOCK_CHAIN }

// ---------------------------------------------------------------------------------------------
// Default mode: the first token of a line.
// ---------------------------------------------------------------------------------------------

// Indentation is not significant: x86 indents frames by one space, arm64 by one or none,
// mail clients and hand edits by anything.
INDENT : [ \t\u00a0]+ -> channel(HIDDEN) ;
NL : '\n' ;

// The rule of '=' that starts and ends every KASAN and KCSAN report (end_report() in
// mm/kasan/report.c, kcsan's print_report()).
SEPARATOR : '==========' '='* -> pushMode(LINE) ;

// Headers, one token per banner (model.Banner): syzkaller's titles are built from them.
KASAN_BUG : 'BUG: KASAN: ' -> pushMode(HEADER) ;
// Linux 4.0-4.3 spelled it "KASan", and its bug kinds in words ("use after free").
KASAN_4_0_BUG : 'BUG: KASan: ' -> pushMode(HEADER) ;
// The first KASAN (3.x patches, 2015) printed "BUG: AddressSanitizer: ... on address".
ASAN_BUG : 'BUG: AddressSanitizer: ' -> pushMode(HEADER) ;
KCSAN_BUG : 'BUG: KCSAN: ' -> pushMode(HEADER) ;
KMSAN_BUG : 'BUG: KMSAN: ' -> pushMode(HEADER) ;
KFENCE_BUG : 'BUG: KFENCE: ' -> pushMode(HEADER) ;
// lib/ubsan.c ubsan_prologue(): "UBSAN: shift-out-of-bounds in fs/x.c:12:3" ("Undefined behaviour"
// before 5.11). The rest of the report is the handler's lines and dump_stack().
UBSAN_BUG : 'UBSAN: ' -> pushMode(HEADER) ;

// KMSAN (mm/kmsan/report.c). kmsan_print_origin() walks the origin chain: "Uninit was stored to
// memory at:" before each store's stack, then "Uninit was created at:" (an allocation) or, for a
// stack variable, "Local variable ----buf@f created at:" (before 5.15 "Local variable description:
// ----buf@f" and "Variable was created at:").
UNINIT_STORED : 'Uninit was stored to memory at:' -> pushMode(LINE) ;
UNINIT_CREATED : 'Uninit was created at:' -> pushMode(LINE) ;
LOCAL_VARIABLE : 'Local variable' -> pushMode(LINE) ;
VARIABLE_CREATED : 'Variable was created at:' -> pushMode(LINE) ;
// kmsan_report(): "Byte 115 of 4096 is uninitialized", "Bytes 4-7 of 18 are uninitialized"; the
// token holds the offsets.
UNINIT_BYTES : 'Byte' 's'? ' ' DIGIT+ ('-' DIGIT+)? -> pushMode(LINE) ;
MEMORY_ACCESS : 'Memory access of size' -> pushMode(LINE) ;
USER_ADDRESS : 'Data copied to user address' -> pushMode(LINE) ;

// KFENCE (mm/kfence/report.c kfence_report_error()): the access line under the header,
// "Out-of-bounds read at 0x... (1B left of kfence-#29):", "Use-after-free write at 0x... (in
// kfence-#69):", "Invalid read at 0x...:", "Invalid free of 0x... (in kfence-#33):", "Corrupted
// memory at 0x... [ 0x2a . . ] (in kfence-#37):". kfence_print_object() until 5.15: "kfence-#69
// [0x...-0x..., size=424, cache=kmalloc-512] allocated by task 9997:", then "freed by task 9997:";
// since 5.16 "kfence-#69: 0x...-0x..., size=424, cache=kmalloc-512", then kfence_print_stack()'s
// "allocated by task 9997 on cpu 0 at 221.2s (0.1s ago):" and "freed by ..." ("rcu freed by ..."
// while an RCU free is pending).
KFENCE_ACCESS : ('Out-of-bounds' | 'Use-after-free' | 'Invalid') ' ' ('read' | 'write') ' at' -> pushMode(LINE) ;
KFENCE_INVALID_FREE : 'Invalid free of' -> pushMode(LINE) ;
KFENCE_CORRUPTED : 'Corrupted memory at' -> pushMode(LINE) ;
KFENCE_OBJECT : 'kfence-#' DIGIT+ ':'? -> pushMode(LINE) ;
KFENCE_ALLOCATED : 'allocated by task' -> pushMode(LINE) ;
KFENCE_FREED : 'rcu '? 'freed by task' -> pushMode(LINE) ;

// print_error_description(): "Read of size 8 at addr X by task T/PID"; tag-based modes print
// "Read at addr X by task T/PID" (no size); kernels before 4.11 printed "Read of size 4 by task".
READ_OF_SIZE : 'Read of size' -> pushMode(LINE) ;
WRITE_OF_SIZE : 'Write of size' -> pushMode(LINE) ;
READ_AT_ADDR : 'Read at addr' -> pushMode(LINE) ;
WRITE_AT_ADDR : 'Write at addr' -> pushMode(LINE) ;
// Tag-based KASAN: "Pointer tag: [74], memory tag: [ff]".
POINTER_TAG : 'Pointer tag:' -> pushMode(LINE) ;

// KCSAN accesses: "read to 0x... of 8 bytes by task 1 on cpu 0:", "write (marked) to ...",
// "read-write to ...", "assert no writes to ...", with "(marked)", "(reordered)", "(scoped)".
// print_verbose_info() and the access line come from one format ("%s%s%s to 0x%px of %zu bytes by
// %s"): the operation and its qualifiers stay one token, so that only such a line is taken for one.
KCSAN_ACCESS : KCSAN_OP KCSAN_QUALIFIER* ' to ' -> pushMode(LINE) ;
KCSAN_UNKNOWN_ORIGIN : 'race at unknown origin, with ' KCSAN_OP KCSAN_QUALIFIER* ' to ' -> pushMode(LINE) ;
VALUE_CHANGED : 'value changed:' -> pushMode(LINE) ;
REPORTED_BY : 'Reported by Kernel Concurrency Sanitizer on:' -> pushMode(LINE) ;

// dump_stack_print_info(): "CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.0 #1".
CPU_LINE : 'CPU: ' -> pushMode(LINE) ;
// Since 6.12 the taint letters are explained on a line of their own: "Tainted: [W]=WARN".
TAINTED_LINE : 'Tainted: ' -> pushMode(LINE) ;
HARDWARE_NAME : 'Hardware name: ' -> pushMode(LINE) ;

// Stack trace headings: x86/powerpc/s390/riscv "Call Trace:", arm64 "Call trace:", arm "Backtrace:".
CALL_TRACE : ('Call Trace:' | 'Call trace:' | 'Backtrace:') -> pushMode(LINE) ;
// x86 show_trace_log_lvl() brackets stack segments: <IRQ> ... </IRQ>, <TASK> ... </TASK>;
// kernels before 4.14 printed <EOI> and <EOE>; exception stacks print <#DF>, <#MC>, ...
TRACE_MARKER : MARKER_BODY -> pushMode(LINE) ;
// Alloc/free stacks: "Allocated by task 12:", "Freed by task 12 on cpu 1 at 12.34s:" (6.2+);
// kernels 4.4-4.10 printed "Allocated:" / "Freed:" followed by "PID = 12".
ALLOCATED_BY : 'Allocated by task' -> pushMode(LINE) ;
FREED_BY : 'Freed by task' -> pushMode(LINE) ;
ALLOCATED_OLD : 'Allocated:' -> pushMode(LINE) ;
FREED_OLD : 'Freed:' -> pushMode(LINE) ;
PID_EQUALS : 'PID = ' -> pushMode(LINE) ;
// Linux 4.0-4.3 with SLUB debugging: the slab's own track records, "INFO: Allocated in f+0x1/0x2
// age=12 cpu=0 pid=1" followed by tab-indented frames.
SLUB_ALLOCATED : 'INFO: Allocated in ' -> pushMode(LINE) ;
SLUB_FREED : 'INFO: Freed in ' -> pushMode(LINE) ;
// kasan_record_aux_stack(): call_rcu()/queue_work() stacks, named differently over the years.
AUX_STACK
  : ( 'Last potentially related work creation:'
    | 'Second to last potentially related work creation:'
    | 'Last call_rcu():'
    | 'Second to last call_rcu():'
    | 'Last call_rcu() call stack:'
    | 'Second to last call_rcu() call stack:'
    ) -> pushMode(LINE) ;
STACK_UNAVAILABLE : '(stack is not available)' -> pushMode(LINE) ;

// describe_object(): "The buggy address belongs to the object at X\n which belongs to the cache
// kmalloc-64 of size 64"; before 4.11: "Object at X, in cache kmalloc-64 size: 64".
OBJECT_AT : 'The buggy address belongs to the object at' -> pushMode(LINE) ;
WHICH_BELONGS : 'which belongs to the cache' -> pushMode(LINE) ;
OBJECT_OLD : 'Object at' -> pushMode(LINE) ;
// describe_object_addr(): "The buggy address is located 8 bytes to the right of\n allocated
// 64-byte region [X, Y)" (the state word appeared in 6.2).
LOCATED : 'The buggy address is located' -> pushMode(LINE) ;
REGION : ([a-z]+ [ \t]+)? [0-9]+ '-byte region' -> pushMode(LINE) ;
// Globals, stack variables and vmalloc areas.
VARIABLE : 'The buggy address belongs to the variable:' -> pushMode(LINE) ;
STACK_OF_TASK : 'The buggy address belongs to stack of task' -> pushMode(LINE) ;
VIRTUAL_MAPPING : 'The buggy address belongs to the virtual mapping at' -> pushMode(LINE) ;
// print_memory_metadata()'s page part and dump_page().
PAGE_INTRO
  : ( 'The buggy address belongs to the physical page:'
    | 'The buggy address belongs to the page:'
    ) -> pushMode(LINE) ;

// The shadow dump: " ffff888012a4a000: fa fb ...", the buggy row marked with '>', and a caret
// line under the bad byte.
SHADOW_INTRO : 'Memory state around the buggy address:' -> pushMode(LINE) ;
SHADOW_ROW : '>'? HEXDIGIT HEXDIGIT HEXDIGIT HEXDIGIT HEXDIGIT HEXDIGIT HEXDIGIT HEXDIGIT HEXDIGIT* ':' -> pushMode(LINE) ;
CARET : '^' -> pushMode(LINE) ;

// ---------------------------------------------------------------------------------------------
// The other oops families' headers (issue 16). The island's first line starts at the banner
// (model.Banner: BUG:, WARNING:, INFO:); the longest literal tells the family and form.
// ---------------------------------------------------------------------------------------------

// kernel/panic.c __warn(): "WARNING: CPU: 1 PID: 2 at net/x.c:12 f+0x1/0x2" (3.12-6.18),
// "WARNING: at net/x.c:12 f+0x1/0x2()" (before 3.12), and since 2025 "WARNING: [cond] net/x.c:12 at
// f+0x1/0x2, CPU#1: comm/2" (WARNING_BANNER with the WARN mode's fields).
WARN_CPU : 'WARNING: CPU: ' -> pushMode(WARN) ;
WARN_AT : 'WARNING: at ' -> pushMode(WARN) ;
// arch/x86/kernel/unwind_frame.c: "WARNING: kernel stack regs at X in comm:pid has bad 'bp' value Y".
WARN_STACK_REGS : 'WARNING: kernel stack regs at ' -> pushMode(LINE) ;
WARN_FRAME_POINTER : 'WARNING: kernel stack frame pointer at ' -> pushMode(LINE) ;
WARNING_BANNER : 'WARNING:' -> pushMode(WARN) ;

// kernel/locking/lockdep.c report headers, "WARNING: ..." since 4.15, "[ INFO: ... ]" and
// "[ BUG: ... ]" before (the island starts at INFO:/BUG:, after the bracket).
LOCKDEP_CIRCULAR : LOCKDEP_LEAD 'possible circular locking dependency detected' -> pushMode(LINE) ;
LOCKDEP_IRQ_INVERSION : LOCKDEP_LEAD 'possible irq lock inversion dependency detected' -> pushMode(LINE) ;
LOCKDEP_IRQ_ORDER : LOCKDEP_LEAD [A-Z_]+ '-safe -> ' [A-Z_]+ '-unsafe lock order detected' -> pushMode(LINE) ;
LOCKDEP_RECURSIVE : LOCKDEP_LEAD 'possible recursive locking detected' -> pushMode(LINE) ;
LOCKDEP_INCONSISTENT : LOCKDEP_LEAD 'inconsistent lock state' -> pushMode(LINE) ;
LOCKDEP_RCU : LOCKDEP_LEAD 'suspicious RCU usage' -> pushMode(LINE) ;
LOCKDEP_UNLOCK_BALANCE : LOCKDEP_LEAD 'bad unlock balance detected!' -> pushMode(LINE) ;
LOCKDEP_HELD_FREED : LOCKDEP_LEAD 'held lock freed!' -> pushMode(LINE) ;
// "WARNING: syz-executor.3/7311 still has locks held!": the task is between.
LOCKDEP_STILL_HELD : LOCKDEP_LEAD ~[\n]+? ' still has locks held!' -> pushMode(LINE) ;
LOCKDEP_NESTED : LOCKDEP_LEAD 'Nested lock was not taken' -> pushMode(LINE) ;
LOCKDEP_USER_RETURN : LOCKDEP_LEAD 'lock held when returning to user space!' -> pushMode(LINE) ;
LOCKDEP_WAIT_CONTEXT : LOCKDEP_LEAD 'Invalid wait context' -> pushMode(LINE) ;
// assign_lock_key(): "INFO: trying to register non-static key."
LOCKDEP_NON_STATIC : 'INFO: trying to register non-static key' -> pushMode(LINE) ;
// lockdep's tables ran out: "BUG: MAX_STACK_TRACE_ENTRIES too low!", "BUG: MAX_LOCKDEP_KEYS too low!".
LOCKDEP_TOO_LOW : 'BUG: MAX_' [A-Z_]+ ' too low!' -> pushMode(LINE) ;

// kernel/locking/spinlock_debug.c spin_dump()/rwlock_bug(): "BUG: spinlock bad magic on CPU#0, comm/1".
SPINLOCK_BUG : 'BUG: ' ('spinlock' | 'rwlock') ' ' -> pushMode(LINE) ;
// kernel/watchdog.c: "BUG: soft lockup - CPU#1 stuck for 143s! [syz-executor.3:18813]".
SOFT_LOCKUP : 'BUG: soft lockup - CPU#' -> pushMode(LINE) ;
// kernel/sched/core.c __schedule_bug(): "BUG: scheduling while atomic: comm/pid/0x00000002".
SCHED_ATOMIC : 'BUG: scheduling while atomic: ' -> pushMode(LINE) ;
// kernel/sched/core.c __might_resched(): "BUG: sleeping function called from invalid context at mm/x.c:12".
SLEEPING_FUNCTION : 'BUG: sleeping function called from invalid context at ' -> pushMode(LINE) ;
// lib/smp_processor_id.c: "BUG: using smp_processor_id() in preemptible [00000000] code: comm/pid".
PREEMPTIBLE_USE : 'BUG: using ' -> pushMode(LINE) ;
// kernel/workqueue.c: "BUG: workqueue lockup - pool cpus=0 ..." and "BUG: workqueue leaked lock or
// atomic: kworker/0:2/0x00000000/3141" followed by "    last function: f".
WQ_LOCKUP : 'BUG: workqueue lockup - ' -> pushMode(LINE) ;
WQ_LEAK : 'BUG: workqueue leaked lock or atomic: ' -> pushMode(LINE) ;
LAST_FUNCTION : 'last function: ' -> pushMode(LINE) ;
// kernel/fork.c check_mm() and mm_free_pgd's checks; fs/dcache.c umount_check().
RSS_COUNTER : 'BUG: Bad rss-counter state' -> pushMode(LINE) ;
NON_ZERO_MM : 'BUG: non-zero ' -> pushMode(LINE) ;
DENTRY_IN_USE : 'BUG: Dentry ' -> pushMode(LINE) ;
// h-oops-a: kmemleak. syzkaller prints "BUG: memory leak" before each object it reads from
// /sys/kernel/debug/kmemleak; mm/kmemleak.c print_unreferenced() prints the object: "unreferenced
// object 0xffff888... (size 32):", "  comm "syz", pid 1, jiffies 4294944719 (age 13.910s)", the
// hex dump, and "  backtrace:" ("  backtrace (crc 6bd2b8c2):" since 6.7) with the allocation's stack.
MEMORY_LEAK : 'BUG: memory leak' -> pushMode(LINE) ;
KMEMLEAK_OBJECT : 'unreferenced object ' -> pushMode(LINE) ;
KMEMLEAK_COMM : 'comm "' -> pushMode(LINE) ;
KMEMLEAK_HEX_DUMP : 'hex dump (first ' -> pushMode(LINE) ;
KMEMLEAK_BACKTRACE : 'backtrace' (' (crc ' [0-9a-fA-F]* ')')? ':' -> pushMode(LINE) ;
// h-oops-a: kernel/panic.c panic(): "Kernel panic - not syncing: Fatal exception".
PANIC_BANNER : 'Kernel panic - not syncing: ' -> pushMode(LINE) ;
// kernel/panic.c __stack_chk_fail(): "Kernel panic - not syncing: stack-protector: Kernel stack is corrupted
// in: udp4_lib_lookup2+0x7ea/0x7f0" (%pB; a bare address where the symbol is unknown, and before 4.x's %pB).
// The location after it is read like a KASAN header's (KernelReportLexerBase).
PANIC_STACK_PROTECTOR : 'Kernel panic - not syncing: stack-protector: Kernel stack is corrupted in:' -> pushMode(HEADER) ;
// h-oops-a: mm/page_alloc.c bad_page(): "BUG: Bad page state in process syz  pfn:7deea"; mm/memory.c
// print_bad_pte(): "BUG: Bad page map in process syz  pte:... pmd:...".
BAD_PAGE : 'BUG: Bad page ' ('state' | 'cache' | 'map') -> pushMode(LINE) ;
BUG_BANNER : 'BUG:' -> pushMode(LINE) ;
// h-oops-a: net/core/dev.c netdev_wait_allrefs(): "unregister_netdevice: waiting for lo to become free. Usage
// count = 5"; fs/super.c generic_shutdown_super(): "VFS: Busy inodes after unmount of loop0. Self-destruct in 5
// seconds.  Have a nice day..."; fs/open.c filp_close() before 4.x: "VFS: Close: file count is 0".
NETDEV_WAIT : 'unregister_netdevice: waiting for ' -> pushMode(LINE) ;
VFS_BUSY_INODES : 'VFS: Busy inodes after unmount' -> pushMode(LINE) ;
VFS_FILE_COUNT : 'VFS: Close: file count is 0' -> pushMode(LINE) ;
// h-oops-a: syzkaller's own failures: "SYZFAIL: SIGSEGV", "SYZFATAL: executor 4 failed 11 times: ...".
SYZFAIL_BANNER : 'SYZFAIL:' -> pushMode(LINE) ;
SYZFATAL_BANNER : 'SYZFATAL:' -> pushMode(LINE) ;
// h-oops-a: the Go runtime's throw() in the fuzzer (src/runtime/panic.go): "fatal error: out of memory".
GO_FATAL_BANNER : 'fatal error:' -> pushMode(LINE) ;
// h-oops-a: the Trusty TEE's panic as drivers/trusty/trusty-log.c forwards it: "trusty: panic (caller 0x...): msg".
TRUSTY_PANIC : 'trusty: panic' -> pushMode(LINE) ;
// The kernel's Rust panic handler (rust/kernel/lib.rs): "rust_kernel: panicked at file.rs:877:13:", message next.
RUST_PANIC : 'rust_kernel: panicked' -> pushMode(LINE) ;
// The x86 decompressor starting a kernel (arch/x86/boot/compressed/misc.c): a reboot when the kernel printed before.
REBOOT_BANNER : 'Booting the kernel' -> pushMode(LINE) ;

// kernel/hung_task.c check_hung_task(): "INFO: task syz:1234 blocked for more than 143 seconds."
HUNG_TASK : 'INFO: task ' -> pushMode(HANG) ;
// kernel/rcu/tree_stall.h: "INFO: rcu_preempt self-detected stall on CPU", "INFO: rcu_sched detected
// stalls on CPUs/tasks:", "... detected expedited stalls ...", "INFO: rcu_tasks detected stalls on tasks:".
RCU_STALL : 'INFO: rcu_' [a-z_]+ -> pushMode(STALL) ;
INFO_BANNER : 'INFO:' -> pushMode(LINE) ;

// --- faults and traps (h-oops-c): the fault handlers' and die()'s headers ----------------------
// x86 (arch/x86/kernel/traps.c do_error_trap()/die(), arch/x86/kernel/dumpstack.c __die_header()):
// "general protection fault: 0000 [#1] SMP KASAN", since 5.6 "general protection fault, probably for
// non-canonical address 0xdffffc0000000003: 0000 [#1] PREEMPT SMP KASAN", since 6.x after "Oops: ".
GPF : 'general protection fault' -> pushMode(LINE) ;
STACK_SEGMENT : 'stack segment: ' -> pushMode(LINE) ;
DIVIDE_ERROR : ('divide error:' | 'divide_error:') -> pushMode(LINE) ;
INVALID_OPCODE : 'invalid opcode:' -> pushMode(LINE) ;
INT3 : 'int3:' -> pushMode(LINE) ;
// arch/x86/kernel/traps.c exc_double_fault(): "PANIC: double fault, error_code: 0x0".
DOUBLE_FAULT : 'PANIC: double fault' -> pushMode(LINE) ;
// arch/x86/mm/fault.c show_fault_oops(): before 5.1 "BUG: unable to handle kernel paging request at X" and
// "... NULL pointer dereference at X" (the rest of the line a second printk: alone, it was cut); since
// 5.1 "BUG: unable to handle page fault for address: X" and "BUG: kernel NULL pointer dereference, address: X".
PF_PAGING : ('BUG: unable to handle kernel paging request' | 'BUG: unable to handle page fault for address'
    | 'BUG: Unable to handle kernel data access') -> pushMode(LINE) ;
PF_NULL : ('BUG: unable to handle kernel NULL pointer dereference' | 'BUG: kernel NULL pointer dereference') -> pushMode(LINE) ;
PF_CUT : 'BUG: unable to handle kernel' -> pushMode(LINE) ;
// arm, arm64 (die_kernel_fault()), riscv, powerpc: "Unable to handle kernel paging request at virtual address X".
UNABLE_TO_HANDLE : 'Unable to handle kernel' -> pushMode(LINE) ;
// arch/x86/kernel/dumpstack_64.c handle_stack_overflow(): "BUG: TASK stack guard page was hit at X (stack
// is X..Y)" (the stack's name since 4.20; none before).
STACK_GUARD : 'BUG: ' (~[ \t\n:]+ ' ')? 'stack guard page was hit' -> pushMode(LINE) ;
// lib/bug.c report_bug(): "kernel BUG at lib/list_debug.c:53!"; without the verbose BUG table
// "Kernel BUG at f+0x1/0x2 [verbose debug info unavailable]".
KERNEL_BUG_AT : 'kernel BUG at ' -> pushMode(LINE) ;
KERNEL_BUG : ('kernel BUG' | 'Kernel BUG') -> pushMode(LINE) ;
// mm/slub.c slab_bug(): "BUG kmalloc-8 (Tainted: G    B   ): Object already free".
SLAB_KMALLOC : 'BUG kmalloc-' -> pushMode(LINE) ;
// arm/arm64 die(): "Internal error: Oops: 96000005 [#1] PREEMPT SMP"; arm's aborts and alignment fixups.
INTERNAL_ERROR : 'Internal error:' -> pushMode(LINE) ;
UNHANDLED_FAULT : 'Unhandled fault:' -> pushMode(LINE) ;
ALIGNMENT_TRAP : 'Alignment trap:' -> pushMode(LINE) ;

// Lines of those reports.
CUT_HERE : '------------[ cut here ]------------' -> pushMode(LINE) ;
END_TRACE : '---[ end trace' -> pushMode(LINE) ;
MODULES_LINKED : 'Modules linked in:' -> pushMode(LINE) ;
WORKQUEUE_LINE : 'Workqueue: ' -> pushMode(LINE) ;
IRQ_EVENT_STAMP : 'irq event stamp:' -> pushMode(LINE) ;
IRQS_LAST : ('hardirqs' | 'softirqs') ' last ' -> pushMode(LINE) ;
PREEMPTION_DISABLED : 'Preemption disabled at:' -> pushMode(LINE) ;
CALLER_IS : 'caller is ' -> pushMode(LINE) ;
SPIN_LOCK_INFO : 'lock: ' -> pushMode(LINE) ;
IN_ATOMIC : 'in_atomic(): ' -> pushMode(LINE) ;
// lockdep: the task's action (the task name may hold blanks, so the line's end is the token's).
LOCK_ACQUIRE : TASKISH ' is trying to ' ('acquire lock:' | 'acquire:' | 'lock:') -> pushMode(LINE) ;
LOCK_RELEASE : TASKISH ' is trying to release lock' -> pushMode(LINE) ;
LOCK_STATE_CHANGE : TASKISH ' just changed the state of lock:' -> pushMode(LINE) ;
LOCK_TAKES : TASKISH ' takes:' -> pushMode(LINE) ;
LOCK_FREEING : TASKISH ' is freeing memory ' -> pushMode(LINE) ;
LOCK_LEAVING : TASKISH ' is leaving the kernel with locks still held!' -> pushMode(LINE) ;
LOCK_HOLDING : ('but task is already holding lock:' | 'and this task is already holding:'
    | 'but this task is not holding:') -> pushMode(LINE) ;
LOCKS_HELD_BY : (DIGIT+ ' lock' 's'? | 'no locks') ' held by ' -> pushMode(LINE) ;
STACK_BACKTRACE : 'stack backtrace:' -> pushMode(LINE) ;
DEPENDENCY_CHAIN : 'the existing dependency chain (in reverse order) is:' -> pushMode(LINE) ;
INCONSISTENT_USAGE : 'inconsistent {' -> pushMode(LINE) ;
// "{HARDIRQ-ON-W} state was registered at:", "  HARDIRQ-ON-W at:", "INITIAL USE at:": a stack follows.
USAGE_AT : ('{' [A-Z_-]+ '} state was registered' | [A-Z_-]+ | 'INITIAL USE' | 'INITIAL READ USE') ' at:'
    -> pushMode(LINE) ;
// lockdep_rcu_suspicious(): "net/tipc/bearer.c:68 suspicious rcu_dereference_protected() usage!"
RCU_SUSPICIOUS_SITE : SOURCE_FILE ':' DIGIT+ ' suspicious ' -> pushMode(LINE) ;
// hung tasks and all-cpu backtraces.
TASK_STATE : 'task:' -> pushMode(LINE) ;
SHOWING_LOCKS : 'Showing all locks held in the system:' -> pushMode(LINE) ;
NMI_BACKTRACE : 'NMI backtrace for cpu ' -> pushMode(LINE) ;
SENDING_NMI : 'Sending NMI from CPU ' -> pushMode(LINE) ;
TASK_DUMP : 'Task dump for CPU ' -> pushMode(LINE) ;
// RCU's stall lines carry "rcu: " (pr_fmt) since 4.19: the line's kind comes after it.
RCU_PREFIX : 'rcu: ' -> channel(HIDDEN) ;
STALLED_CPU : DIGIT+ '-' [.a-zA-Z!?]+ ':' -> pushMode(LINE) ;
DETECTED_BY : '(detected by ' -> pushMode(LINE) ;
STALL_TIME : '(t=' -> pushMode(LINE) ;
TASKS_BLOCKED : 'Tasks blocked on level-' -> pushMode(LINE) ;
RCU_GP_DUMP : 'RCU grace-period kthread stack dump:' -> pushMode(LINE) ;

// What a person put where they cut a report: "...", "[...]", "<snip>" (ReportAssessor's elisions).
ELLIPSIS : ('...' '.'* | '[...]' | '<snip>' | '[snip]' | '<...>' | '\u2026') -> pushMode(LINE) ;

// Anything else: a line of text (the sea).
OTHER : ~[ \t\u00a0\n] -> pushMode(TEXT_REST) ;

// ---------------------------------------------------------------------------------------------
// Shared fragments.
// ---------------------------------------------------------------------------------------------
fragment HEXDIGIT : [0-9a-fA-F] ;
fragment DIGIT : [0-9] ;
fragment KCSAN_OP : 'read-write' | 'read' | 'write' | 'assert no writes' | 'assert no accesses' ;
fragment KCSAN_QUALIFIER : ' (' [a-z]+ ')' ;
fragment WS_CHAR : [ \t\u00a0] ;
fragment LOCKDEP_LEAD : ('WARNING' | 'INFO' | 'BUG') ': ' ;
fragment TASKISH : ~[ \t\u00a0\n] ~[\n]*? ;
fragment SOURCE_FILE : [a-zA-Z0-9_./-]+ '.' [a-zA-Z]+ ;
fragment MARKER_BODY : '<' '/'? ('IRQ' | 'NMI' | 'TASK' | 'SOFTIRQ' | 'EOI' | 'EOE' | '#' [A-Z]+) '>' ;

// ---------------------------------------------------------------------------------------------
// HEADER: the rest of "BUG: KASAN: ..." / "BUG: KCSAN: ...".
// ---------------------------------------------------------------------------------------------
mode HEADER;
H_WS : WS_CHAR+ -> channel(HIDDEN) ;
H_NL : '\n' -> type(NL), popMode ;
// After IN (and KCSAN's SLASH) the lexer's base class reads the location with FrameSyntax and
// emits it as one LOCATION token: "foo+0x1a/0x40 [mod]", "foo (include/x.h:3 mm/x.c:12)",
// "memset include/linux/string.h:330 [inline]".
IN : 'in' ;
ON_ADDRESS : 'on address' ;
H_AT_ADDR : 'at addr' -> type(AT_ADDR) ;
SLASH : '/' ;
H_WORD : ~[ \t\u00a0\n]+ -> type(WORD) ;

// ---------------------------------------------------------------------------------------------
// LINE: the rest of a known line: the keywords and values its fields are made of, and any word.
// Keywords come before WORD, which they would otherwise tie with.
// ---------------------------------------------------------------------------------------------
mode LINE;
L_WS : WS_CHAR+ -> channel(HIDDEN) ;
L_NL : '\n' -> type(NL), popMode ;
// "on CPU#0," of spinlock_debug.c and the soft lockup's "CPU#1" (its keyword is the token's).
CPU_HASH : 'CPU#' DIGIT+ ;
AT_ADDR : 'at addr' ;
BY_TASK : 'by task' ;
BY_INTERRUPT : 'by interrupt' ;
ON_CPU : 'on cpu' ;
OF_SIZE : 'of size' ;
OF : 'of' ;
AT : 'at' ;
BYTES : 'bytes' ;
TO_THE_RIGHT_OF : 'to the right of' ;
TO_THE_LEFT_OF : 'to the left of' ;
INSIDE_OF : 'inside of' ;
IN_CACHE : 'in cache' ;
SIZE_KW : 'size:' ;
MEMORY_TAG : 'memory tag:' ;
ARROW : '->' ;
PID_KW : 'PID:' ;
UID_KW : 'UID:' ;
COMM_KW : 'Comm:' ;
KDUMP : 'Kdump: loaded' ;
NOT_TAINTED : 'Not tainted' ;
TAINTED_KW : 'Tainted:' ;
// SLUB's track record: "age=12 cpu=0 pid=1".
AGE_EQ : 'age=' DIGIT+ ;
CPU_EQ : 'cpu=' DIGIT+ ;
PID_EQ : 'pid=' DIGIT+ ;
// print_tainted(): one capital letter per taint, ' ' or the letter in its column.
TAINT_FLAG : [A-Z] ;
// "[74]," of the pointer-tag line; "[ffff888012a4a080," and "ffff888012a4a0c0)" of a region.
TAG : '[' HEXDIGIT+ ']' ;
RANGE_START : '[' HEXDIGIT+ ;
RANGE_END : HEXDIGIT+ ')' ;
HEX_NUMBER : '0x' HEXDIGIT+ ;
NUMBER : DIGIT+ ;
// A number that ends a heading: "Allocated by task 12:", "... on cpu 0:".
NUMBER_COLON : DIGIT+ ':' ;
// kasan's track time: "Freed by task 12 on cpu 1 at 53.123456s:".
SECONDS : DIGIT+ '.' DIGIT+ 's:' ;
COMMA : ',' ;
L_WORD : ~[ \t\u00a0\n,]+ -> type(WORD) ;

// ---------------------------------------------------------------------------------------------
// TEXT: the rest of a line that starts with nothing known.
// ---------------------------------------------------------------------------------------------
mode TEXT_REST;
TEXT : ~[\n]+ ;
T_NL : '\n' -> type(NL), popMode ;

// ---------------------------------------------------------------------------------------------
// WARN: the rest of a WARNING: line (kernel/panic.c __warn()).
// ---------------------------------------------------------------------------------------------
mode WARN;
W_WS : WS_CHAR+ -> channel(HIDDEN) ;
W_NL : '\n' -> type(NL), popMode ;
W_PID : 'PID:' ;
W_AT : 'at' ;
// The condition of the 2025 form: "[time_after(jiffies, timeout)]".
W_COND : '[' ~[\n]* ']' ;
W_CPU_HASH : 'CPU#' DIGIT+ ':' ;
// Where the WARN() is: "net/ipv4/tcp_output.c:2051".
W_SITE : SOURCE_FILE ':' DIGIT+ ;
W_NUMBER : DIGIT+ -> type(NUMBER) ;
W_COMMA : ',' -> type(COMMA) ;
W_WORD : ~[ \t\u00a0\n,]+ -> type(WORD) ;

// ---------------------------------------------------------------------------------------------
// HANG: the rest of "INFO: task comm:pid blocked for more than N seconds.".
// ---------------------------------------------------------------------------------------------
mode HANG;
HG_WS : WS_CHAR+ -> channel(HIDDEN) ;
HG_NL : '\n' -> type(NL), popMode ;
BLOCKED_FOR : 'blocked for more than' ;
BLOCKED_IO_FOR : 'blocked in I/O wait for more than' ;
CANT_DIE_FOR : 'can\'t die for more than' ;
SECONDS_DOT : 'seconds.' ;
HG_NUMBER : DIGIT+ -> type(NUMBER) ;
HG_WORD : ~[ \t\u00a0\n]+ -> type(WORD) ;

// ---------------------------------------------------------------------------------------------
// STALL: the rest of "INFO: rcu_preempt self-detected stall on CPU" and its siblings.
// ---------------------------------------------------------------------------------------------
mode STALL;
S_WS : WS_CHAR+ -> channel(HIDDEN) ;
S_NL : '\n' -> type(NL), popMode ;
SELF_DETECTED : 'self-detected stall on CPU' ;
DETECTED_EXPEDITED : 'detected expedited stalls on CPUs/tasks:' ;
DETECTED_STALLS : 'detected stalls on CPUs/tasks:' ;
DETECTED_TASKS : 'detected stalls on tasks:' ;
S_NUMBER : DIGIT+ -> type(NUMBER) ;
S_WORD : ~[ \t\u00a0\n]+ -> type(WORD) ;
