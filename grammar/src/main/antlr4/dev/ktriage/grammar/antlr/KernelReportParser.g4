/*
 * Parser for one kernel sanitizer report; tokens come from KernelReportLexer.
 *
 * The structure follows the order in which the kernel prints a report, but every section is
 * optional and may repeat: reports from the wild are trimmed, mail-wrapped and interleaved with
 * unrelated lines, and old kernels printed sections in other orders. What the grammar fixes is
 * what belongs to what: which frames form which stack, which lines describe the object, the page
 * or the shadow memory. Lines nobody recognizes are kept as textLine.
 */
parser grammar KernelReportParser;

options { tokenVocab = KernelReportLexer; }

report
  : NL* (kasanReport | kcsanReport) EOF
  ;

// ----------------------------------------------------------------------------------------------
// KASAN (mm/kasan/report.c)
// ----------------------------------------------------------------------------------------------

// syzbot's symbolized reports repeat the header once per inlined callee, innermost first:
// "BUG: KASAN: use-after-free in memset include/linux/string.h:330 [inline]" before the real one.
kasanReport
  : separatorLine? kasanHeader+ kasanSection*
  ;

// "BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40 [mod]", old "... in foo+0x1a/0x40 at addr X",
// oldest "BUG: AddressSanitizer: out of bounds access in foo+0x1a/0x40 at addr X" and
// "BUG: KASAN: null-ptr-deref on address (null)".
kasanHeader
  : (KASAN_BUG | ASAN_BUG) bugKind (IN location)? (AT_ADDR WORD?)? (ON_ADDRESS headerWord*)? headerWord* NL
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
  | separatorLine
  | NL
  | textLine
  ;

// "Read of size 8 at addr ffff888012345678 by task syz-executor.0/1234"
accessLine
  : (ACCESS_SIZE | ACCESS_ADDR) lineWord* NL
  ;

pointerTagLine
  : POINTER_TAG lineWord* NL
  ;

// "Allocated by task 1234:", "Allocated by task 1234 on cpu 0 at 12.345678s:", old "Allocated:"
// with "PID = 1234" on the next line.
allocStack
  : (ALLOCATED_BY lineWord* NL | ALLOCATED_OLD lineWord* NL pidLine? | SLUB_ALLOCATED lineWord* NL) stackBody
  ;

freeStack
  : (FREED_BY lineWord* NL | FREED_OLD lineWord* NL pidLine? | SLUB_FREED lineWord* NL) stackBody
  ;

auxStack
  : AUX_STACK lineWord* NL stackBody
  ;

pidLine
  : PID_EQUALS lineWord* NL
  ;

unavailableLine
  : STACK_UNAVAILABLE lineWord* NL
  ;

// "The buggy address belongs to the object at X\n which belongs to the cache kmalloc-64 of size 64"
objectLine
  : OBJECT_AT lineWord* NL cacheLine?
  | WHICH_BELONGS lineWord* NL
  | OBJECT_OLD lineWord* NL
  ;

cacheLine
  : WHICH_BELONGS lineWord* NL
  ;

// "The buggy address is located 8 bytes to the right of\n allocated 64-byte region [X, Y)"
locatedLine
  : LOCATED lineWord* NL regionLine?
  ;

regionLine
  : REGION lineWord* NL
  ;

// "The buggy address belongs to the variable:\n global_array+0x28/0x40"
variableDesc
  : VARIABLE lineWord* NL NL* frameLine?
  ;

// "The buggy address belongs to stack of task a.out/123\n and is located at offset 32 in frame:\n
// foo+0x0/0x120\n\nThis frame has 1 object:\n [32, 40) 'buf'"
stackOwnerDesc
  : STACK_OF_TASK lineWord* NL
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
  | TRACE_MARKER lineWord* NL
  ;

shadowDump
  : SHADOW_INTRO lineWord* NL shadowLine*
  ;

shadowLine
  : SHADOW_ROW lineWord* NL
  | CARET lineWord* NL
  ;

// ----------------------------------------------------------------------------------------------
// KCSAN (kernel/kcsan/report.c)
// ----------------------------------------------------------------------------------------------

kcsanReport
  : separatorLine? kcsanHeader kcsanSection*
  ;

// "BUG: KCSAN: data-race in foo / bar", "BUG: KCSAN: data-race in foo+0x1/0x2",
// "BUG: KCSAN: assert: race in foo / bar"
kcsanHeader
  : KCSAN_BUG bugKind (IN location (SLASH location)?)? headerWord* NL
  ;

kcsanSection
  : raceAccess
  | unknownOriginAccess
  | valueChangedLine
  | reportedByLine
  | contextLine
  | callTrace
  | implicitTrace
  | registerLine
  | separatorLine
  | NL
  | textLine
  ;

// "write (marked) to 0xffff888012345678 of 8 bytes by task 123 on cpu 0:" and its stack.
raceAccess
  : KCSAN_ACCESS lineWord* NL stackBody
  ;

// "race at unknown origin, with read to 0x... of 4 bytes by task 1 on cpu 0:" and its stack.
unknownOriginAccess
  : KCSAN_UNKNOWN_ORIGIN lineWord* NL stackBody
  ;

valueChangedLine
  : VALUE_CHANGED lineWord* NL
  ;

reportedByLine
  : REPORTED_BY lineWord* NL
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
  : WORD | SLASH | LOCATION | IN
  ;

// Where the bug happened, as FrameSyntax read it: "foo+0x1a/0x40 [mod]", "foo (include/x.h:3
// mm/x.c:12)", "memset include/linux/string.h:330 [inline]", a bare name; a WORD when it is none
// of these ("0xffffffff81234567").
location
  : LOCATION | WORD
  ;

// dump_stack_print_info() and friends.
contextLine
  : CPU_LINE lineWord* NL
  | TAINTED_LINE lineWord* NL
  | HARDWARE_NAME lineWord* NL
  ;

callTrace
  : CALL_TRACE lineWord* NL stackBody
  ;

// Frames that follow the context lines without a "Call Trace:" heading (old arm, some pastes).
implicitTrace
  : (frameLine | inlineLine | markerLine) stackBody
  ;

// The lines of one stack: frames, inline annotations, segment markers and, in between, lines the
// arch prints (register dumps on arm, "--- interrupt:" on powerpc) or noise.
stackBody
  : stackLine*
  ;

stackLine
  : frameLine
  | inlineLine
  | registerLine
  | markerLine
  | unavailableLine
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

textLine
  : OTHER TEXT? NL
  ;

lineWord
  : WORD | NUMBER | HEX_NUMBER | AT_ADDR | BY_TASK | BY_INTERRUPT | ON_CPU
  | PID_KW | UID_KW | COMM_KW | NOT_TAINTED | TAINTED_KW
  ;
