/*
 * Parser for one kernel sanitizer report; tokens come from KernelReportLexer.
 *
 * The structure follows the order in which the kernel prints a report, but every section is
 * optional and may repeat: reports from the wild are trimmed, mail-wrapped and interleaved with
 * unrelated lines, and old kernels printed sections in other orders. What the grammar fixes is
 * what belongs to what (which frames form which stack, which lines describe the object, the page
 * or the shadow memory) and, for each kind of line, its fields: an exact alternative per form the
 * kernel prints (labelled #...Exact and the like), then a labelled lenient fallback (#...Loose)
 * that keeps a damaged line of that kind without trusting its fields. Lines nobody recognizes are
 * kept as textLine.
 *
 * The build package's visitors turn the tree into a model.Report: one per report family
 * (KasanVisitor, KcsanVisitor, KmsanVisitor, KfenceVisitor, UbsanVisitor), one for the context lines (ContextLines). A new family is a new
 * alternative of `family` with its rules, a visitor, and rows in title.OopsFormats.
 */
parser grammar KernelReportParser;

options { tokenVocab = KernelReportLexer; }

report
  : NL* family EOF
  ;

family
  : kasanReport
  | kcsanReport
  | kmsanReport
  | kfenceReport
  | ubsanReport
  | oopsReport
  ;

// ----------------------------------------------------------------------------------------------
// KASAN (mm/kasan/report.c)
// ----------------------------------------------------------------------------------------------

// syzbot's symbolized reports repeat the header once per inlined callee, innermost first:
// "BUG: KASAN: use-after-free in memset include/linux/string.h:330 [inline]" before the real one.
kasanReport
  : separatorLine? kasanHeader+ kasanSection*
  ;

kasanBanner
  : KASAN_BUG | KASAN_4_0_BUG | ASAN_BUG
  ;

// print_error_description(): "BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40 [mod]"; before 4.11
// "... in foo+0x1a/0x40 at addr X"; 2015: "BUG: AddressSanitizer: out of bounds access in foo+0x1a/0x40
// at addr X" and "... on address X".
kasanHeader
  : kasanBanner kind=bugKind IN loc=location (AT_ADDR addr=headerWord)? NL   # kasanHeaderExact
  | kasanBanner kind=bugKind ON_ADDRESS addr=headerWord NL                   # kasanHeaderOnAddress
  | kasanBanner headerWord* NL                                               # kasanHeaderLoose
  ;

kasanSection
  : accessLine
  | pointerTagLine
  | contextLine
  | callTrace
  | allocStack
  | freeStack
  | auxStack
  | unavailableLine
  | objectLine
  | locatedLine
  | regionLine
  | variableDesc
  | stackOwnerDesc
  | virtualMappingDesc
  | pageDesc
  | shadowDump
  | implicitTrace
  | registerLine
  | elisionLine
  | separatorLine
  | oopsLine
  | NL
  | textLine
  ;

accessOp
  : READ_OF_SIZE | WRITE_OF_SIZE | READ_AT_ADDR | WRITE_AT_ADDR
  ;

// "Read of size 8 at addr ffff888012345678 by task syz-executor.0/1234" (4.11+); tag-based modes
// "Read at addr X by task T/1"; before 4.11 "Read of size 4 by task T/1" (the address was in the header).
accessLine
  : op=(READ_OF_SIZE | WRITE_OF_SIZE) size=NUMBER AT_ADDR addr=address BY_TASK task=taskName NL   # accessExact
  | op=(READ_AT_ADDR | WRITE_AT_ADDR) addr=address BY_TASK task=taskName NL                      # accessTagged
  | op=(READ_OF_SIZE | WRITE_OF_SIZE) size=NUMBER BY_TASK task=taskName NL                       # accessNoAddress
  | accessOp lineWord* NL                                                                         # accessLoose
  ;

// "Pointer tag: [74], memory tag: [ff]"
pointerTagLine
  : POINTER_TAG pointer=TAG COMMA? MEMORY_TAG memory=TAG NL   # pointerTagExact
  | POINTER_TAG lineWord* NL                                  # pointerTagLoose
  ;

// "Allocated by task 1234:", "Allocated by task 1234 on cpu 0 at 12.345678s:" (6.2+), old
// "Allocated:" with "PID = 1234" on the next line, SLUB's "INFO: Allocated in f+0x1/0x2 age=1 cpu=0 pid=1".
allocStack
  : allocHeading stackBody
  ;

allocHeading
  : ALLOCATED_BY pid=NUMBER_COLON NL                                        # allocByTask
  | ALLOCATED_BY pid=NUMBER ON_CPU cpu=NUMBER AT time=SECONDS NL            # allocByTaskOnCpu
  | ALLOCATED_OLD NL pidLine?                                               # allocOld
  | SLUB_ALLOCATED slubTrack NL                                             # allocSlub
  | (ALLOCATED_BY | ALLOCATED_OLD | SLUB_ALLOCATED) lineWord* NL pidLine?   # allocLoose
  ;

freeStack
  : freeHeading stackBody
  ;

freeHeading
  : FREED_BY pid=NUMBER_COLON NL                                    # freeByTask
  | FREED_BY pid=NUMBER ON_CPU cpu=NUMBER AT time=SECONDS NL        # freeByTaskOnCpu
  | FREED_OLD NL pidLine?                                           # freeOld
  | SLUB_FREED slubTrack NL                                         # freeSlub
  | (FREED_BY | FREED_OLD | SLUB_FREED) lineWord* NL pidLine?       # freeLoose
  ;

// mm/slub.c print_track(): "f+0x1/0x2 age=12 cpu=0 pid=1".
slubTrack
  : WORD AGE_EQ? CPU_EQ? PID_EQ? lineWord*
  ;

auxStack
  : AUX_STACK lineWord* NL stackBody
  ;

pidLine
  : PID_EQUALS pid=NUMBER NL    # pidExact
  | PID_EQUALS lineWord* NL     # pidLoose
  ;

unavailableLine
  : STACK_UNAVAILABLE lineWord* NL
  ;

// describe_object(): "The buggy address belongs to the object at X\n which belongs to the cache
// kmalloc-64 of size 64"; before 4.11 "Object at X, in cache kmalloc-64 size: 64".
objectLine
  : OBJECT_AT addr=address NL cacheLine?                                         # objectExact
  | OBJECT_OLD addr=address COMMA? IN_CACHE cache=WORD SIZE_KW size=NUMBER NL     # objectOld
  | (OBJECT_AT | OBJECT_OLD) lineWord* NL cacheLine?                              # objectLoose
  | cacheLine                                                                     # objectCacheOnly
  ;

cacheLine
  : WHICH_BELONGS cache=WORD OF_SIZE size=NUMBER NL    # cacheExact
  | WHICH_BELONGS lineWord* NL                         # cacheLoose
  ;

// describe_object_addr(): "The buggy address is located 8 bytes to the right of\n allocated
// 64-byte region [X, Y)".
locatedLine
  : LOCATED distance=NUMBER BYTES relation NL regionLine?    # locatedExact
  | LOCATED lineWord* NL regionLine?                         # locatedLoose
  ;

relation
  : TO_THE_RIGHT_OF | TO_THE_LEFT_OF | INSIDE_OF
  ;

// " allocated 64-byte region [ffff888012a4a080, ffff888012a4a0c0)" (the state word since 6.2)
regionLine
  : REGION start=RANGE_START COMMA end=RANGE_END NL   # regionExact
  | REGION lineWord* NL                               # regionLoose
  ;

// "The buggy address belongs to the variable:\n global_array+0x28/0x40"
variableDesc
  : VARIABLE lineWord* NL NL* frameLine?
  ;

// "The buggy address belongs to stack of task a.out/123\n and is located at offset 32 in frame:\n
// foo+0x0/0x120\n\nThis frame has 1 object:\n [32, 40) 'buf'"
stackOwnerDesc
  : STACK_OF_TASK task=taskName NL    # stackOwnerExact
  | STACK_OF_TASK NL                  # stackOwnerLoose
  ;

// "The buggy address belongs to the virtual mapping at\n [X, Y) created by:\n foo+0x1/0x2"
virtualMappingDesc
  : VIRTUAL_MAPPING lineWord* NL (textLine frameLine?)?
  ;

// dump_page() and, with page_owner, the page's last alloc and free stacks.
pageDesc
  : PAGE_INTRO lineWord* NL pageLine*
  ;

pageLine
  : textLine
  | frameLine
  | inlineLine
  | markerLine
  ;

shadowDump
  : SHADOW_INTRO lineWord* NL shadowLine*
  ;

shadowLine
  : SHADOW_ROW lineWord* NL    # shadowRow
  | CARET lineWord* NL         # shadowCaret
  ;

// ----------------------------------------------------------------------------------------------
// KCSAN (kernel/kcsan/report.c)
// ----------------------------------------------------------------------------------------------

kcsanReport
  : separatorLine? kcsanHeader kcsanSection*
  ;

// "BUG: KCSAN: data-race in foo / bar", "BUG: KCSAN: data-race in foo+0x1/0x2" (unknown origin),
// "BUG: KCSAN: assert: race in foo / bar"
kcsanHeader
  : KCSAN_BUG kind=bugKind IN first=location (SLASH second=location)? NL   # kcsanHeaderExact
  | KCSAN_BUG headerWord* NL                                               # kcsanHeaderLoose
  ;

kcsanSection
  : raceAccess
  | valueChangedLine
  | reportedByLine
  | contextLine
  | callTrace
  | implicitTrace
  | registerLine
  | elisionLine
  | separatorLine
  | oopsLine
  | NL
  | textLine
  ;

// "write (marked) to 0xffff888012345678 of 8 bytes by task 123 on cpu 0:" and its stack;
// "race at unknown origin, with read to 0x... of 4 bytes by task 1 on cpu 0:".
raceAccess
  : raceHeading stackBody
  ;

raceHeading
  : op=(KCSAN_ACCESS | KCSAN_UNKNOWN_ORIGIN) addr=HEX_NUMBER OF size=NUMBER BYTES
      (BY_TASK pid=NUMBER | BY_INTERRUPT) ON_CPU cpu=NUMBER_COLON NL             # raceExact
  | (KCSAN_ACCESS | KCSAN_UNKNOWN_ORIGIN) lineWord* NL                           # raceLoose
  ;

// "value changed: 0x00000000 -> 0x00000001"
valueChangedLine
  : VALUE_CHANGED before=HEX_NUMBER ARROW after=HEX_NUMBER NL   # valueChangedExact
  | VALUE_CHANGED lineWord* NL                                  # valueChangedLoose
  ;

reportedByLine
  : REPORTED_BY lineWord* NL
  ;


// ----------------------------------------------------------------------------------------------
// The other oops families (issue 16): WARN(), lockdep, hung tasks, CPU stalls and the kernel's own
// BUG: checks. Their reports have no closing rule: an island runs to the next oops of its context
// (scan.OopsExtent), so every section may come in any order, and lines of an oops that interrupted
// the report are kept as oopsLine and text.
// ----------------------------------------------------------------------------------------------

oopsReport
  : oopsLead? oopsHeader oopsSection*
  ;

// The lines printed just before the header: "------------[ cut here ]------------" and the
// warning's own message (ODEBUG:, refcount_t:), or the rule above a lockdep header. The rule may
// follow other text on its line ("syzkaller login: ------------[ cut here ]------------"): then the
// line is text.
oopsLead
  : (cutHereLine | textLine) leadLine*
  | separatorLine
  ;

// Between the rule and the header other cpus' lines may be printed (without caller ids).
leadLine
  : textLine
  | NL
  | contextLine
  | frameLine
  | inlineLine
  | registerLine
  | markerLine
  | elisionLine
  | separatorLine
  ;

oopsHeader
  : warningHeader
  | lockdepHeader
  | hungTaskHeader
  | stallHeader
  | kernelBugHeader
  // faults (h-oops-c)
  | faultHeader
  ;

// kernel/panic.c __warn() and the x86 unwinder. The pid is a word: a corrupted task struct prints a
// negative one, and the report is still a warning.
warningHeader
  : WARN_CPU cpu=NUMBER W_PID pid=warnWord W_AT site=W_SITE fn=warnWord warnWord* NL                  # warnCpuPid
  | WARN_CPU cpu=NUMBER W_PID pid=warnWord W_AT fn=warnWord warnWord* NL                              # warnCpuPidNoSite
  | WARN_AT site=W_SITE fn=warnWord warnWord* NL                                                    # warnAt
  | WARNING_BANNER cond=W_COND? site=W_SITE W_AT fn=warnWord COMMA cpu=W_CPU_HASH task+=warnWord+ NL  # warnCpuHash
  | WARNING_BANNER W_AT fn=warnWord COMMA cpu=W_CPU_HASH task+=warnWord+ NL                          # warnCpuHashNoSite
  | WARN_STACK_REGS addr=lineWord WORD task=lineWord WORD WORD reg=lineWord lineWord* NL           # warnStackRegs
  | WARN_FRAME_POINTER lineWord* NL                                                                 # warnFramePointer
  | WARNING_BANNER NL                                                                               # warnBare
  | (WARN_CPU | WARN_AT | WARNING_BANNER | WARN_STACK_REGS) anyWord* NL                             # warnText
  ;

warnWord
  : WORD | NUMBER | COMMA | W_SITE | W_AT | W_PID | W_COND | W_CPU_HASH
  ;

// kernel/locking/lockdep.c: the header says which report; its parts are in the sections.
lockdepHeader
  : LOCKDEP_CIRCULAR anyWord* NL         # lockdepCircular
  | LOCKDEP_RECURSIVE anyWord* NL        # lockdepRecursive
  | LOCKDEP_IRQ_INVERSION anyWord* NL    # lockdepIrqInversion
  | LOCKDEP_IRQ_ORDER anyWord* NL        # lockdepIrqOrder
  | LOCKDEP_INCONSISTENT anyWord* NL     # lockdepInconsistent
  | LOCKDEP_RCU anyWord* NL              # lockdepRcu
  | LOCKDEP_UNLOCK_BALANCE anyWord* NL   # lockdepUnlockBalance
  | LOCKDEP_HELD_FREED anyWord* NL       # lockdepHeldFreed
  | LOCKDEP_STILL_HELD anyWord* NL       # lockdepStillHeld
  | LOCKDEP_NESTED anyWord* NL           # lockdepNested
  | LOCKDEP_USER_RETURN anyWord* NL      # lockdepUserReturn
  | LOCKDEP_WAIT_CONTEXT anyWord* NL     # lockdepWaitContext
  | LOCKDEP_NON_STATIC anyWord* NL       # lockdepNonStatic
  | LOCKDEP_TOO_LOW anyWord* NL          # lockdepTooLow
  ;

// kernel/hung_task.c: "INFO: task syz:1234 blocked for more than 143 seconds."
hungTaskHeader
  : HUNG_TASK task+=hangWord+ kind=(BLOCKED_FOR | BLOCKED_IO_FOR | CANT_DIE_FOR) secs=NUMBER SECONDS_DOT NL  # hungTaskExact
  | HUNG_TASK anyWord* NL                                                                                   # hungTaskLoose
  ;

hangWord
  : WORD | NUMBER | SECONDS_DOT
  ;

// kernel/rcu/tree_stall.h and kernel/watchdog.c.
stallHeader
  : RCU_STALL kind=(SELF_DETECTED | DETECTED_STALLS | DETECTED_EXPEDITED | DETECTED_TASKS) anyWord* NL  # rcuStallExact
  | RCU_STALL anyWord* NL                                                                             # rcuStallLoose
  | SOFT_LOCKUP cpu=NUMBER WORD WORD secs=WORD task+=lineWord+ NL                                      # softLockupExact
  | SOFT_LOCKUP anyWord* NL                                                                           # softLockupLoose
  ;

// The kernel's own BUG: checks, and BUG:/INFO: lines no format knows.
kernelBugHeader
  : SPINLOCK_BUG anyWord* NL           # spinlockBug
  | SCHED_ATOMIC anyWord* NL           # schedAtomic
  | SLEEPING_FUNCTION site=lineWord anyWord* NL   # sleepingFunction
  | PREEMPTIBLE_USE anyWord* NL        # preemptibleUse
  | WQ_LOCKUP anyWord* NL              # workqueueLockup
  | WQ_LEAK anyWord* NL                # workqueueLeak
  | RSS_COUNTER anyWord* NL            # rssCounter
  | NON_ZERO_MM anyWord* NL            # nonZeroMm
  | DENTRY_IN_USE anyWord* NL          # dentryInUse
  | (SLUB_ALLOCATED | SLUB_FREED) anyWord* NL   # slubTrackHeader
  // h-oops-a: kmemleak's objects as syzkaller prints them, panic(), mm's bad pages
  | MEMORY_LEAK anyWord* NL            # memoryLeak
  | PANIC_STACK_PROTECTOR loc=location? headerWord* NL   # stackProtectorPanic
  | PANIC_BANNER anyWord* NL           # kernelPanic
  | BAD_PAGE anyWord* NL               # badPage
  | NETDEV_WAIT anyWord* NL            # netdevWait
  | (VFS_BUSY_INODES | VFS_FILE_COUNT) anyWord* NL   # vfsTeardown
  | (SYZFAIL_BANNER | SYZFATAL_BANNER) anyWord* NL   # syzFailure
  | GO_FATAL_BANNER anyWord* NL        # goRuntimeError
  | TRUSTY_PANIC anyWord* NL           # trustyPanic
  | RUST_PANIC anyWord* NL             # rustPanic
  | REBOOT_BANNER anyWord* NL          # unexpectedReboot
  | BUG_BANNER NL                      # bugBare
  | INFO_BANNER NL                     # infoBare
  | (BUG_BANNER | INFO_BANNER) anyWord+ NL   # rawHeader
  ;

// --- faults and traps (h-oops-c) ---------------------------------------------------------------
// The fault handlers' and die()'s headers; FaultVisitor reads their fields (the faulting address,
// the error code, BUG()'s file:line). The registers and the faulting pc follow as sections.
faultHeader
  : GPF anyWord* NL                                                  # gpfHeader
  | STACK_SEGMENT anyWord* NL                                        # stackSegmentHeader
  | trap=(DIVIDE_ERROR | INVALID_OPCODE | INT3 | DOUBLE_FAULT) anyWord* NL   # trapHeader
  | kind=(PF_PAGING | PF_NULL) anyWord* NL                            # pageFaultHeader
  | PF_CUT anyWord* NL                                               # pageFaultCut
  | UNABLE_TO_HANDLE anyWord* NL                                     # unableToHandle
  | STACK_GUARD anyWord* NL                                          # stackGuardHeader
  | KERNEL_BUG_AT anyWord* NL                                        # kernelBugAt
  | KERNEL_BUG anyWord* NL                                           # kernelBugOther
  | SLAB_KMALLOC anyWord* NL                                         # slabCheck
  | arm=(INTERNAL_ERROR | UNHANDLED_FAULT | ALIGNMENT_TRAP) anyWord* NL      # armFault
  ;

oopsSection
  : contextLine
  | callTrace
  | implicitTrace
  | registerLine
  | markerLine
  | elisionLine
  | separatorLine
  | lockSection
  | kmemleakLine
  | oopsLine
  | NL
  | textLine
  ;

// h-oops-a: mm/kmemleak.c print_unreferenced(): the object, the task that allocated it, the first
// bytes, and the allocation's stack.
kmemleakLine
  : KMEMLEAK_OBJECT anyWord* NL                # kmemleakObject
  | KMEMLEAK_COMM anyWord* NL                  # kmemleakComm
  | KMEMLEAK_HEX_DUMP anyWord* NL              # kmemleakHexDump
  | KMEMLEAK_BACKTRACE anyWord* NL stackBody   # kmemleakBacktrace
  ;

// lockdep's parts: the task's action, its locks, the dependency chain and the lock-state stacks.
lockSection
  : lockActionLine
  | lockLine
  | heldLockLine
  | chainLink
  | usageStack
  ;

lockActionLine
  : action=(LOCK_ACQUIRE | LOCK_RELEASE | LOCK_STATE_CHANGE | LOCK_TAKES | LOCK_FREEING | LOCK_LEAVING) anyWord* NL
  ;

lockLine
  : LOCK NL
  ;

heldLockLine
  : LOCK_HELD NL
  ;

// "-> #1 (&ovl_dir_file->mutex){+.+.}-{3:3}:" and the stack that recorded that order.
chainLink
  : LOCK_CHAIN NL stackBody
  ;

// "{HARDIRQ-ON-W} state was registered at:" and its stack.
usageStack
  : USAGE_AT anyWord* NL stackBody
  ;

// A line of a kind the oops families print, outside the places their grammar expects it (or in a
// KASAN/KCSAN report that another oops interrupted): kept whole.
oopsLine
  : oopsLineStart anyWord* NL
  ;

oopsLineStart
  : CUT_HERE | END_TRACE | MODULES_LINKED | WORKQUEUE_LINE | IRQ_EVENT_STAMP | IRQS_LAST | PREEMPTION_DISABLED
  | CALLER_IS | SPIN_LOCK_INFO | IN_ATOMIC | LOCK_HOLDING | LOCKS_HELD_BY | STACK_BACKTRACE | DEPENDENCY_CHAIN
  | INCONSISTENT_USAGE | RCU_SUSPICIOUS_SITE | TASK_STATE | SHOWING_LOCKS | NMI_BACKTRACE | SENDING_NMI
  | TASK_DUMP | STALLED_CPU | DETECTED_BY | STALL_TIME | TASKS_BLOCKED | RCU_GP_DUMP | LAST_FUNCTION
  | WARN_CPU | WARN_AT | WARN_STACK_REGS | WARN_FRAME_POINTER | WARNING_BANNER | LOCKDEP_CIRCULAR
  | LOCKDEP_IRQ_INVERSION | LOCKDEP_IRQ_ORDER | LOCKDEP_RECURSIVE | LOCKDEP_INCONSISTENT | LOCKDEP_RCU
  | LOCKDEP_UNLOCK_BALANCE | LOCKDEP_HELD_FREED | LOCKDEP_STILL_HELD | LOCKDEP_NESTED | LOCKDEP_USER_RETURN
  | LOCKDEP_WAIT_CONTEXT | LOCKDEP_NON_STATIC | LOCKDEP_TOO_LOW | SPINLOCK_BUG | SOFT_LOCKUP | SCHED_ATOMIC
  | SLEEPING_FUNCTION | PREEMPTIBLE_USE | WQ_LOCKUP | WQ_LEAK | RSS_COUNTER | NON_ZERO_MM | DENTRY_IN_USE
  | BUG_BANNER | HUNG_TASK | RCU_STALL | INFO_BANNER | LOCK_ACQUIRE | LOCK_RELEASE | LOCK_STATE_CHANGE
  | LOCK_TAKES | LOCK_FREEING | LOCK_LEAVING | LOCK | LOCK_HELD | LOCK_CHAIN | USAGE_AT
  // h-oops-a
  | MEMORY_LEAK | KMEMLEAK_OBJECT | KMEMLEAK_COMM | KMEMLEAK_HEX_DUMP | KMEMLEAK_BACKTRACE | PANIC_BANNER
  | PANIC_STACK_PROTECTOR | NETDEV_WAIT | VFS_BUSY_INODES | VFS_FILE_COUNT | SYZFAIL_BANNER | SYZFATAL_BANNER
  | GO_FATAL_BANNER | TRUSTY_PANIC | RUST_PANIC | REBOOT_BANNER | BAD_PAGE
  // faults (h-oops-c)
  | GPF | STACK_SEGMENT | DIVIDE_ERROR | INVALID_OPCODE | INT3 | DOUBLE_FAULT | PF_PAGING | PF_NULL | PF_CUT
  | UNABLE_TO_HANDLE | STACK_GUARD | KERNEL_BUG_AT | KERNEL_BUG | SLAB_KMALLOC | INTERNAL_ERROR | UNHANDLED_FAULT
  | ALIGNMENT_TRAP
  ;

cutHereLine
  : CUT_HERE anyWord* NL
  ;

// Any token of a line but its end: the words of a line kept whole.
anyWord
  : ~NL
  ;

// ----------------------------------------------------------------------------------------------
// KMSAN (mm/kmsan/report.c kmsan_report(), kmsan_print_origin())
// ----------------------------------------------------------------------------------------------

// The use's stack follows the header without a heading (stack_trace_print()); then the origin
// chain, the uninitialized bytes, the context lines and the closing rule.
kmsanReport
  : separatorLine? kmsanHeader+ kmsanSection*
  ;

// "BUG: KMSAN: uninit-value in foo+0x1a/0x40", "BUG: KMSAN: kernel-infoleak in _copy_to_user+0x1/0x2"
kmsanHeader
  : KMSAN_BUG kind=bugKind IN loc=location NL   # kmsanHeaderExact
  | KMSAN_BUG headerWord* NL                    # kmsanHeaderLoose
  ;

kmsanSection
  : uninitStoreStack
  | originStack
  | uninitBytesLine
  | memoryAccessLine
  | userAddressLine
  | contextLine
  | callTrace
  | implicitTrace
  | registerLine
  | elisionLine
  | separatorLine
  | oopsLine
  | NL
  | textLine
  ;

// "Uninit was stored to memory at:" and the store's stack (one per link of the origin chain).
uninitStoreStack
  : UNINIT_STORED lineWord* NL stackBody
  ;

// "Uninit was created at:" (an allocation's stack, or "(stack is not available)"); "Local variable
// ----buf@f created at:" with the variable's function and its caller; before 5.15 "Local variable
// description: ----buf@f" then "Variable was created at:".
originStack
  : UNINIT_CREATED lineWord* NL stackBody       # originCreated
  | LOCAL_VARIABLE lineWord* NL stackBody       # originLocal
  | VARIABLE_CREATED lineWord* NL stackBody     # originVariable
  ;

// "Byte 115 of 4096 is uninitialized", "Bytes 4-7 of 18 are uninitialized"
uninitBytesLine
  : UNINIT_BYTES OF size=NUMBER lineWord* NL   # uninitBytesExact
  | UNINIT_BYTES lineWord* NL                  # uninitBytesLoose
  ;

// "Memory access of size 18 starts at ffff888090c4fe00"
memoryAccessLine
  : MEMORY_ACCESS size=NUMBER WORD AT addr=address NL   # memoryAccessExact
  | MEMORY_ACCESS lineWord* NL                          # memoryAccessLoose
  ;

// "Data copied to user address 00007fff7db6a207"
userAddressLine
  : USER_ADDRESS addr=address NL   # userAddressExact
  | USER_ADDRESS lineWord* NL      # userAddressLoose
  ;

// ----------------------------------------------------------------------------------------------
// KFENCE (mm/kfence/report.c kfence_report_error(), kfence_print_object())
// ----------------------------------------------------------------------------------------------

kfenceReport
  : separatorLine? kfenceHeader+ kfenceSection*
  ;

// "BUG: KFENCE: use-after-free read in foo+0x1a/0x40", "BUG: KFENCE: invalid free in foo+0x1/0x2",
// "BUG: KFENCE: memory corruption in foo+0x1/0x2"
kfenceHeader
  : KFENCE_BUG kind=bugKind IN loc=location NL   # kfenceHeaderExact
  | KFENCE_BUG headerWord* NL                    # kfenceHeaderLoose
  ;

kfenceSection
  : kfenceAccess
  | kfenceObject
  | kfenceAllocated
  | kfenceFreed
  | contextLine
  | callTrace
  | implicitTrace
  | registerLine
  | elisionLine
  | separatorLine
  | oopsLine
  | NL
  | textLine
  ;

// The access line and the stack of the bad access.
kfenceAccess
  : kfenceAccessLine stackBody
  ;

// "Out-of-bounds read at 0x... (1B left of kfence-#29):", "Use-after-free write at 0x... (in
// kfence-#69):", "Invalid read at 0x...:", "Invalid free of 0x... (in kfence-#33):", "Corrupted memory
// at 0x... [ 0x2a . . ] (in kfence-#37):". The address is printed with %p: hashed unless
// no_hash_pointers.
kfenceAccessLine
  : op=(KFENCE_ACCESS | KFENCE_INVALID_FREE | KFENCE_CORRUPTED) addr=address lineWord* NL   # kfenceAccessExact
  | (KFENCE_ACCESS | KFENCE_INVALID_FREE | KFENCE_CORRUPTED) lineWord* NL                  # kfenceAccessLoose
  ;

// The object (kfence_print_object()): until 5.15 "kfence-#69 [0x...-0x..., size=424,
// cache=kmalloc-512] allocated by task 9997:" and the allocation stack; since 5.16 "kfence-#69:
// 0x...-0x..., size=424, cache=kmalloc-512" and the stacks under their own headings.
kfenceObject
  : kfenceObjectLine stackBody
  ;

kfenceObjectLine
  : KFENCE_OBJECT range=WORD COMMA size=WORD COMMA cache=WORD WORD BY_TASK pid=(NUMBER_COLON | NUMBER) lineWord* NL  # kfenceObjectOld
  | KFENCE_OBJECT range=WORD COMMA size=WORD COMMA cache=WORD NL                                                    # kfenceObjectNew
  | KFENCE_OBJECT lineWord* NL                                                                                      # kfenceObjectLoose
  ;

// "allocated by task 9997 on cpu 0 at 221.200000s (0.100000s ago):" and the allocation stack (5.16+).
kfenceAllocated
  : KFENCE_ALLOCATED lineWord* NL stackBody
  ;

// "freed by task 9997:" (since 5.16 with cpu and time) and the free stack.
kfenceFreed
  : KFENCE_FREED lineWord* NL stackBody
  ;

// ----------------------------------------------------------------------------------------------
// UBSAN (lib/ubsan.c ubsan_prologue(), the __ubsan_handle_* handlers, ubsan_epilogue())
// ----------------------------------------------------------------------------------------------

// Until 6.4 a rule of 80 '=' opens and closes the report; since then "------------[ cut here ]-----"
// before it and "---[ end trace ]---" after it. The handler's lines (textLine) come before dump_stack().
ubsanReport
  : separatorLine? ubsanHeader ubsanSection*
  ;

// "UBSAN: array-index-out-of-bounds in net/mac80211/rc80211_minstrel_ht.c:409:33",
// "UBSAN: Undefined behaviour in drivers/usb/core/devio.c:1517:25"
ubsanHeader
  : UBSAN_BUG kind=bugKind IN src=location NL   # ubsanHeaderExact
  | UBSAN_BUG headerWord* NL                    # ubsanHeaderLoose
  ;

ubsanSection
  : contextLine
  | callTrace
  | implicitTrace
  | registerLine
  | elisionLine
  | separatorLine
  | oopsLine
  | NL
  | textLine
  ;

// ----------------------------------------------------------------------------------------------
// Shared pieces
// ----------------------------------------------------------------------------------------------

separatorLine
  : SEPARATOR lineWord* NL
  ;

bugKind
  : WORD+
  ;

headerWord
  : WORD | SLASH | LOCATION | IN | AT_ADDR | ON_ADDRESS
  ;

// Where the bug happened, as frame.FrameSyntax read it: "foo+0x1a/0x40 [mod]", "foo (include/x.h:3
// mm/x.c:12)", "memset include/linux/string.h:330 [inline]", a bare name; a WORD when it is none
// of these ("0xffffffff81234567").
location
  : LOCATION | WORD
  ;

// An address as KASAN prints it (%px: hex digits, no 0x), or with 0x.
address
  : WORD | NUMBER | HEX_NUMBER | RANGE_END
  ;

// "syz-executor.0/1234", "Web Content/77": the comm may hold blanks; the pid follows the last '/'.
taskName
  : lineWord+
  ;

// dump_stack_print_info(): "CPU: 0 UID: 0 PID: 6659 Comm: syz-executor.0 Tainted: G B W 6.4.0-rc1 #0
// PREEMPT(full)", the UID since 6.11, "Kdump: loaded" when a crash kernel waits.
contextLine
  : CPU_LINE cpu=NUMBER (UID_KW uid=NUMBER)? PID_KW pid=NUMBER COMM_KW comm=commName KDUMP?
      taint (release=lineWord build+=lineWord*)? NL                                 # cpuExact
  | CPU_LINE lineWord* NL                                                           # cpuLoose
  // Since 6.12 the letters are explained on a line of their own: "Tainted: [W]=WARN, [O]=OOT_MODULE".
  | TAINTED_LINE lineWord* NL                                                       # taintLegend
  | HARDWARE_NAME lineWord* NL                                                      # hardwareLine
  ;

taint
  : NOT_TAINTED              # notTainted
  | TAINTED_KW TAINT_FLAG*   # taintFlags
  ;

commName
  : commWord+
  ;

commWord
  : WORD | NUMBER | HEX_NUMBER | TAINT_FLAG | NUMBER_COLON | COMMA | OF | AT | BYTES
  ;

callTrace
  : CALL_TRACE lineWord* NL stackBody
  ;

// Frames that follow the context lines without a "Call Trace:" heading (arm, some pastes).
implicitTrace
  : (frameLine | inlineLine | markerLine) stackBody
  ;

// The lines of one stack: frames, inline annotations, segment markers and, in between, lines the
// arch prints (register dumps, powerpc's "--- interrupt:" exception frames, arm's exception stack
// dumps), elisions or noise.
stackBody
  : stackLine*
  ;

stackLine
  : frameLine
  | inlineLine
  | registerLine
  | markerLine
  | unavailableLine
  | elisionLine
  | NL
  | textLine
  ;

markerLine
  : TRACE_MARKER lineWord* NL
  ;

// One frame, in any shape frame.FrameSyntax knows (x86 "? foo+0x1/0x2 [mod]", "[<ffff...>]
// foo+0x1/0x2", powerpc "[sp] [pc] foo+0x1/0x2 (unreliable)", arm "callee from caller+0x1/0x2",
// decode_stacktrace.sh "foo (mm/x.c:12)", ...): the lexer's base class made the line one token.
frameLine
  : FRAME NL
  ;

// syzkaller's symbolized inline frames: "memcpy include/linux/string.h:12 [inline]".
inlineLine
  : INLINE_FRAME NL
  ;

// A register that names code: "RIP: 0010:foo+0x1/0x2", "pc : foo+0x1/0x2", "--- interrupt: 300 at foo+0x1/0x2".
registerLine
  : REGISTER NL
  ;

// "...", "[...]", "<snip>": where a person cut the report when posting it.
elisionLine
  : ELLIPSIS lineWord* NL
  ;

textLine
  : OTHER TEXT? NL
  ;

lineWord
  : WORD | NUMBER | HEX_NUMBER | NUMBER_COLON | SECONDS | TAINT_FLAG | TAG | RANGE_START | RANGE_END | COMMA | CPU_HASH
  | AT_ADDR | BY_TASK | BY_INTERRUPT | ON_CPU | OF_SIZE | OF | AT | BYTES | TO_THE_RIGHT_OF | TO_THE_LEFT_OF
  | INSIDE_OF | IN_CACHE | SIZE_KW | MEMORY_TAG | ARROW | PID_KW | UID_KW | COMM_KW | KDUMP | NOT_TAINTED
  | TAINTED_KW | AGE_EQ | CPU_EQ | PID_EQ
  ;
