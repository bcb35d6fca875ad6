package dev.ktriage.grammar.frame;

import dev.ktriage.model.Banner;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The one decoder of frame lines: every shape in which the kernel's stack dumpers, register dumps
 * and the symbolizing scripts print a code location. The report grammar (through its lexer's base
 * class), {@code symbolize}, {@code addr2line} and the command-line fast paths all read frames here,
 * so a shape taught here is known to all of them.
 *
 * <p>Shapes, each with an optional {@code [module]} / {@code [module buildid]} after the function:
 * <pre>
 *    ? foo+0x1a/0x40                         x86 show_trace_log_lvl() ("? ": not vouched for)
 *   [&lt;ffffffff81234567&gt;] ? foo+0x1a/0x40    x86 before 4.15, riscv, old arm64 (print_ip_sym())
 *   &lt;IRQ&gt;  [&lt;ffffffff82101040&gt;] foo+0x4c/0x65   x86 before 4.14: segment marker on the frame's line
 *   [c0000000001a2b3c] [c000000000123456] foo+0x1a/0x40 (unreliable)   powerpc show_stack()
 *   ([&lt;000000000012345a&gt;] foo+0x1a/0x40)      s390 (older show_trace())
 *    foo+0x1c/0x40 (P)                       arm64 since 6.14: (P) pc, (L) link register, (C) caller
 *   [&lt;c0123456&gt;] (callee) from [&lt;c0123400&gt;] (caller+0x10/0x14)   arm dump_backtrace_entry(), verbose
 *    callee from caller+0x10/0x14            arm since 5.18; the frame is the caller (a return address)
 *    ? 0xffffffffc0123456, [&lt;ffffffff81234567&gt;]   raw address only (no kallsyms, unknown code)
 *    foo+0x1a/0x40 mm/x.c:12                 symbolized by syzkaller (or by ktriage symbolize)
 *    memcpy include/linux/string.h:12 [inline]   syzkaller's inlined callee of the next frame
 *    foo (include/x.h:3 mm/x.c:12 (discriminator 4)) ext4   scripts/decode_stacktrace.sh: no offset,
 *                                            the inline chain innermost first, the module bare; also
 *                                            with addr2line -p's "(inlined by)" between locations
 *   RIP: 0010:foo+0x12/0x40, EIP:, IP:, pc :, PC is at, NIP [..], epc :, Krnl PSW : .. (f+0x1/0x2),
 *   --- interrupt: 300 at                   faulting pc
 *   lr :, LR is at, LR [..], LR =, ra :      link register (a return address)
 *   BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40                     KASAN header (exact)
 *   BUG: KCSAN: data-race in foo+0x10/0x20   KCSAN header, race at unknown origin (a return address)
 *     +-&gt; reordered to: foo+0x3b/0x50       KCSAN, after a reordered access's stack (a return address)
 * </pre>
 * KCSAN (kernel/kcsan/report.c, print_report()) prints {@code %pS} of the stack entry that
 * replace_stack_entry() set to the {@code _RET_IP_} of the {@code __tsan_*} call, in the header and
 * as the access stack's first frame, and {@code %pS} of the entry it replaced after
 * {@code +-> reordered to:}: all return addresses. The "reordered to" line is not a stack frame.
 * A user-mode {@code RIP: 0033:...} is not a kernel location and is not a frame line. A call-trace
 * line with other words after its frame is not one either ({@code foo+0x1/0x2 failed}); a register
 * line may carry more registers after its location (old i386 {@code EIP: ... SS:ESP 0068:f5c0bde4}).
 *
 * <p>No regular expressions: this runs on every line that {@code symbolize} copies and at the start
 * of every report line the lexer sees. Stateless and thread-safe.
 */
public final class FrameSyntax {
  private FrameSyntax() {} // no instance

  // The banners whose header names the faulting pc after " in " (KCSAN's names the racing functions).
  private static final List<String> LOCATION_BANNERS = java.util.Arrays.stream(Banner.values())
      .filter(b -> b.tool() == Tool.KASAN).map(Banner::text).toList();

  // Register names before a faulting pc, other than RIP:/EIP: (which carry a code segment) ...
  private static final List<String> PC_LEADS = List.of("IP: ", "pc : ", "PC is at ", "EIP is at ", "NIP ", "epc : ");
  // ... and before a link register, which holds a return address. "LR = " (powerpc's old exception
  // frame) before "LR " (show_regs()'s "LR [c000...] f+0x1/0x2").
  private static final List<String> LINK_LEADS = List.of("lr : ", "LR is at ", "LR = ", "LR ", "ra : ");
  // powerpc show_stack() prints the pc of an exception frame inside the trace:
  // "--- interrupt: 300 at foo+0x1/0x2" (arch/powerpc/kernel/process.c).
  private static final String INTERRUPT = "--- interrupt: ";
  private static final String PSW = "Krnl PSW : ";
  private static final String KCSAN_BANNER = "BUG: KCSAN: ";
  private static final String REORDERED = "+-> reordered to: ";

  /** The frame named by the line {@code body} (its console prefix removed), if it is one of the shapes above. */
  public static Optional<DecodedFrame> line(String body) {
    Cursor c = new Cursor(body, 0);
    c.skipBlanks();
    if (c.peek() == 'B') { // every banner starts with "BUG: "
      for (String banner : LOCATION_BANNERS) {
        if (c.startsWith(banner)) {
          return header(body, c.pos + banner.length());
        }
      }
      if (c.startsWith(KCSAN_BANNER)) {
        return header(body, c.pos + KCSAN_BANNER.length())
            .map(f -> f.withSource(DecodedFrame.Source.RACE_HEADER));
      }
    }
    if (c.peek() == '+' && c.startsWith(REORDERED)) {
      c.pos += REORDERED.length();
      Builder b = new Builder(DecodedFrame.Source.REORDERED);
      return c.func(b, false) && c.tail(b) ? Optional.of(b.build()) : Optional.empty();
    }
    if (c.peek() == '-' && c.startsWith(INTERRUPT)) {
      return interrupt(c);
    }
    if (c.peek() == 'K' && c.startsWith(PSW)) {
      return psw(c);
    }
    return switch (c.registerLead()) {
      case NONE -> trace(c);
      case PC -> register(c, DecodedFrame.Source.PC_REGISTER);
      case LINK -> register(c, DecodedFrame.Source.LINK_REGISTER);
      case USER_MODE -> Optional.empty();
    };
  }

  /** A frame decoded at some position of a line, and where it ended. */
  public record Located(DecodedFrame frame, int end) {}

  /**
   * The location that a report header names at {@code from} ({@code foo+0x1a/0x40 [mod]},
   * {@code foo (include/x.h:3 mm/x.c:12)}, {@code memcpy include/x.h:3 [inline]}, a bare {@code foo}),
   * stopping before the first word that is not part of it.
   */
  public static Optional<Located> location(String s, int from) {
    Cursor c = new Cursor(s, from);
    c.skipBlanks();
    Builder b = new Builder(DecodedFrame.Source.REPORT_HEADER);
    if (!c.func(b, true)) {
      return Optional.empty();
    }
    int end = c.pos;
    boolean chain = false;
    while (true) {
      int save = c.pos;
      c.skipBlanks();
      if (c.module(b) || c.sourceWord(b) || c.word("[inline]")) {
        end = c.pos;
        continue;
      }
      if (c.sourceChain(b)) {
        chain = true;
        end = c.pos;
        continue;
      }
      // decode_stacktrace.sh's bare module after its source chain: "in foo_lock (x.h:351 y.c:120) foo".
      if (chain && b.module.isEmpty() && c.bareModuleAtEnd(b)) {
        end = c.pos;
        continue;
      }
      c.pos = save;
      break;
    }
    return Optional.of(new Located(b.build(), end));
  }

  /** {@code name+0xOFF} or {@code name+0xOFF/0xSIZE}, split. */
  public record FuncRef(String name, long offset, OptionalLong size) {}

  /**
   * The fast path for a line that is exactly {@code name+0xOFF} or {@code name+0xOFF/0xSIZE} (no
   * blanks, no module, no prefix): what {@code addr2line} is fed by the hundred thousand. Null when
   * the line is anything else; {@link #line} decodes such a line to the same function, offset and size.
   */
  public static FuncRef plain(String s) {
    int n = s.length();
    if (n == 0 || !isIdentStart(s.charAt(0))) {
      return null;
    }
    int i = 1;
    while (i < n && isIdentPart(s.charAt(i))) {
      i++;
    }
    int nameEnd = i;
    if (i + 2 >= n || s.charAt(i) != '+' || s.charAt(i + 1) != '0' || s.charAt(i + 2) != 'x') {
      return null;
    }
    i += 3;
    int offStart = i;
    long off = 0;
    int d;
    while (i < n && (d = hexDigit(s.charAt(i))) >= 0) {
      off = off << 4 | d;
      i++;
    }
    if (i == offStart || i - offStart > 16) {
      return null;
    }
    OptionalLong size = OptionalLong.empty();
    if (i < n) {
      if (s.charAt(i) != '/') {
        return null;
      }
      i++;
      if (i + 1 < n && s.charAt(i) == '0' && s.charAt(i + 1) == 'x') {
        i += 2;
      }
      int sizeStart = i;
      long sz = 0;
      while (i < n && (d = hexDigit(s.charAt(i))) >= 0) {
        sz = sz << 4 | d;
        i++;
      }
      if (i != n || i == sizeStart || i - sizeStart > 16) {
        return null;
      }
      size = OptionalLong.of(sz);
    }
    return new FuncRef(s.substring(0, nameEnd), off, size);
  }

  /** Parses {@code 0x1a}, {@code 1a} or {@code ffffffff81234567} as an unsigned 64-bit value. */
  public static OptionalLong hex(String s) {
    String t = s.strip();
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
    }
    if (t.isEmpty() || t.length() > 16) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < t.length(); i++) {
      if (hexDigit(t.charAt(i)) < 0) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseUnsignedLong(t, 16));
  }

  /** Whether {@code w} is a source location word: {@code mm/x.c:12}, {@code mm/x.c:12:7}, {@code (mm/x.c:12)}. */
  public static boolean isSource(String w) {
    String t = w;
    if (t.startsWith("(")) {
      t = t.substring(1);
    }
    if (t.endsWith(")")) {
      t = t.substring(0, t.length() - 1);
    }
    Cursor c = new Cursor(t, 0);
    return c.sourceLocation() != null && c.pos == t.length();
  }

  // ---------------------------------------------------------------------------------------------

  // "BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40 [mod]" (and the 4.x "... at addr X" tail).
  private static Optional<DecodedFrame> header(String body, int afterBanner) {
    int in = body.indexOf(" in ", afterBanner);
    if (in < 0) {
      return Optional.empty();
    }
    return location(body, in + 4).map(Located::frame);
  }

  // "--- interrupt: 300 at foo+0x1/0x2": the trap number, then the interrupted pc.
  // A user-mode pc ("--- interrupt: c00 at 0x7fff...") is not a kernel location.
  private static Optional<DecodedFrame> interrupt(Cursor c) {
    c.pos += INTERRUPT.length();
    int end = c.hexEnd(c.pos);
    if (end == c.pos || !c.s.startsWith(" at ", end)) {
      return Optional.empty();
    }
    c.pos = end + 4;
    return register(c, DecodedFrame.Source.PC_REGISTER).filter(DecodedFrame::hasSymbol);
  }

  // s390 show_regs(): "Krnl PSW : 0704c00180000000 000000000012345a (foo+0x1a/0x40)", the pc in
  // parentheses (%pSR) after the mask and the address.
  private static Optional<DecodedFrame> psw(Cursor c) {
    c.pos += PSW.length();
    Builder b = new Builder(DecodedFrame.Source.PC_REGISTER);
    for (int k = 0; k < 2; k++) {
      c.skipBlanks();
      int end = c.hexEnd(c.pos);
      if (end == c.pos) {
        return Optional.empty();
      }
      if (k == 1) {
        b.address = OptionalLong.of(Long.parseUnsignedLong(c.s, c.pos, Math.min(end, c.pos + 16), 16));
      }
      c.pos = end;
    }
    c.skipBlanks();
    if (c.peek() != '(') {
      return Optional.empty();
    }
    c.pos++;
    if (!c.func(b, false)) {
      return Optional.empty();
    }
    c.skipBlanks();
    c.module(b);
    return c.peek() == ')' ? Optional.of(b.build()) : Optional.empty();
  }

  private static Optional<DecodedFrame> register(Cursor c, DecodedFrame.Source source) {
    Builder b = new Builder(source);
    c.skipBlanks();
    while (c.bracketAddress(b)) {
      c.skipBlanks();
    }
    if (c.rawAddress(b) || c.func(b, false)) {
      c.skipBlanks();
      c.module(b);
      // More registers may follow the location; only source locations are kept.
      for (String w : c.words()) {
        String t = w.startsWith("(") && w.endsWith(")") ? w.substring(1, w.length() - 1) : w;
        Cursor sc = new Cursor(t, 0);
        SourceLocation loc = sc.sourceLocation();
        if (loc != null && sc.pos == t.length()) {
          b.sources.add(loc);
        }
      }
      return Optional.of(b.build());
    }
    return Optional.empty();
  }

  private static Optional<DecodedFrame> trace(Cursor c) {
    Builder b = new Builder(DecodedFrame.Source.CALL_TRACE);
    boolean sawBracket = false;
    c.segmentMarker(b);
    while (true) {
      c.skipBlanks();
      if (c.peek() == '?' && (isBlank(c.peek(1)) || c.peek(1) == 0)) {
        b.reliable = false;
        c.pos++;
        continue;
      }
      if (c.bracketAddress(b)) {
        sawBracket = true;
        continue;
      }
      break;
    }
    if (c.armLine(b)) {
      return c.tail(b) ? Optional.of(b.build()) : Optional.empty();
    }
    if (c.rawAddress(b)) {
      return c.tail(b) && b.sources.isEmpty() ? Optional.of(b.build()) : Optional.empty();
    }
    int save = c.pos;
    if (c.func(b, false)) {
      return c.tail(b) ? Optional.of(b.build()) : Optional.empty();
    }
    c.pos = save;
    if (c.inlineOrDecoded(b)) {
      return c.tail(b) ? Optional.of(b.build()) : Optional.empty();
    }
    c.pos = save;
    // "[<ffffffff81234567>]" and nothing else: a raw frame of a kernel without kallsyms.
    if (sawBracket && c.atEnd() && b.function.isEmpty()) {
      return Optional.of(b.build());
    }
    return Optional.empty();
  }

  /** The parts of a frame as they are found. */
  private static final class Builder {
    DecodedFrame.Source source;
    String function = "";
    OptionalLong offset = OptionalLong.empty();
    OptionalLong size = OptionalLong.empty();
    Optional<String> module = Optional.empty();
    Optional<String> buildId = Optional.empty();
    OptionalLong address = OptionalLong.empty();
    boolean reliable = true;
    boolean fromPc;
    final List<SourceLocation> sources = new ArrayList<>(2);
    Optional<DecodedFrame.Callee> callee = Optional.empty();
    Optional<String> segment = Optional.empty();
    // decode_stacktrace.sh prints the module bare after the source chain: "foo (x.c:1) ext4".
    boolean decoded;

    Builder(DecodedFrame.Source source) {
      this.source = source;
    }

    DecodedFrame build() {
      return new DecodedFrame(source, function, offset, size, module, buildId, address, reliable, fromPc, sources,
          callee, segment);
    }
  }

  /** What a line's leading register name says. */
  private enum Lead { NONE, PC, LINK, USER_MODE }

  /** A position in a line with the small scanners the shapes need; each moves only on success. */
  private static final class Cursor {
    final String s;
    int pos;

    Cursor(String s, int pos) {
      this.s = s;
      this.pos = pos;
    }

    char peek() {
      return peek(0);
    }

    char peek(int ahead) {
      int i = pos + ahead;
      return i < s.length() ? s.charAt(i) : 0;
    }

    char at(int i) {
      return i < s.length() ? s.charAt(i) : 0;
    }

    boolean startsWith(String p) {
      return s.startsWith(p, pos);
    }

    void skipBlanks() {
      while (pos < s.length() && isBlank(s.charAt(pos))) {
        pos++;
      }
    }

    boolean atEnd() {
      int i = pos;
      while (i < s.length() && isBlank(s.charAt(i))) {
        i++;
      }
      return i >= s.length();
    }

    int hexEnd(int i) {
      while (i < s.length() && hexDigit(s.charAt(i)) >= 0) {
        i++;
      }
      return i;
    }

    /** Whether the text at {@code pos} is {@code w} followed by a blank or the end; moves past it. */
    boolean word(String w) {
      if (s.startsWith(w, pos) && (pos + w.length() == s.length() || isBlank(s.charAt(pos + w.length())))) {
        pos += w.length();
        return true;
      }
      return false;
    }

    /** The register a line starts with; moves past it (and past RIP's code segment). */
    Lead registerLead() {
      char ch = peek();
      if (!(ch == 'R' || ch == 'E' || ch == 'I' || ch == 'p' || ch == 'P' || ch == 'N' || ch == 'e' || ch == 'l'
          || ch == 'L' || ch == 'r')) {
        return Lead.NONE;
      }
      if (startsWith("RIP: ") || startsWith("EIP: ")) {
        int save = pos;
        pos += 5;
        // "0010:" code segment; RPL 3 (0033, 0023) is user mode.
        int segEnd = hexEnd(pos);
        if (segEnd > pos && segEnd - pos <= 4 && at(segEnd) == ':') {
          long seg = Long.parseLong(s, pos, segEnd, 16);
          if ((seg & 3) == 3) {
            pos = save;
            return Lead.USER_MODE;
          }
          pos = segEnd + 1;
        }
        return Lead.PC;
      }
      for (String lead : PC_LEADS) {
        if (startsWith(lead)) {
          pos += lead.length();
          return Lead.PC;
        }
      }
      for (String lead : LINK_LEADS) {
        if (startsWith(lead)) {
          pos += lead.length();
          return Lead.LINK;
        }
      }
      return Lead.NONE;
    }

    /** {@code <IRQ>}, {@code </IRQ>}, {@code <EOI>}, {@code <#DF>} ... followed by blanks and a frame. */
    void segmentMarker(Builder b) {
      int i = pos;
      while (i < s.length() && isBlank(s.charAt(i))) {
        i++;
      }
      if (at(i) != '<' || at(i + 1) == '<') {
        return;
      }
      int close = s.indexOf('>', i);
      if (close < 0 || close - i > 12 || close + 1 >= s.length() || !isBlank(s.charAt(close + 1))) {
        return;
      }
      for (int k = i + 1; k < close; k++) {
        char ch = s.charAt(k);
        if (!(ch >= 'A' && ch <= 'Z' || ch == '/' || ch == '#')) {
          return;
        }
      }
      b.segment = Optional.of(s.substring(i, close + 1));
      pos = close + 1;
    }

    /** {@code [<hex>]}, {@code ([<hex>]} (s390) or {@code [hex]} (powerpc); sets the address. */
    boolean bracketAddress(Builder b) {
      int i = pos;
      if (at(i) == '(' && at(i + 1) == '[' && at(i + 2) == '<') {
        i++;
      }
      if (at(i) != '[') {
        return false;
      }
      i++;
      boolean angle = at(i) == '<';
      if (angle) {
        i++;
      }
      if (at(i) == '0' && (at(i + 1) == 'x' || at(i + 1) == 'X')) {
        i += 2;
      }
      int end = hexEnd(i);
      if (end == i || end - i > 16) {
        return false;
      }
      int close = end;
      if (angle) {
        if (at(close) != '>') {
          return false;
        }
        close++;
      }
      if (at(close) != ']') {
        return false;
      }
      // powerpc's "[c0000000001a2b3c]" has at least 8 digits, so that a module named "[e1000]"
      // after a function is never taken for an address (it cannot come before one anyway).
      if (!angle && end - i < 8) {
        return false;
      }
      b.address = OptionalLong.of(Long.parseUnsignedLong(s, i, end, 16));
      pos = close + 1;
      return true;
    }

    /** {@code 0x} followed by 1-16 hex digits and a blank or the end: a raw-only frame. */
    boolean rawAddress(Builder b) {
      if (!(peek() == '0' && peek(1) == 'x')) {
        return false;
      }
      int i = pos + 2;
      int end = hexEnd(i);
      if (end == i || end - i > 16 || !(end == s.length() || isBlank(s.charAt(end)) || s.charAt(end) == ')')) {
        return false;
      }
      b.address = OptionalLong.of(Long.parseUnsignedLong(s, i, end, 16));
      pos = end;
      return true;
    }

    private int identEnd(int i) {
      if (!(i < s.length() && isIdentStart(s.charAt(i)))) {
        return -1;
      }
      i++;
      while (i < s.length() && isIdentPart(s.charAt(i))) {
        i++;
      }
      return i;
    }

    /**
     * {@code name+0xOFF} or {@code name+0xOFF/0xSIZE}, ended by a blank, the end, {@code )} or
     * {@code ]}; with {@code bareName}, a name without offset too (a header's location).
     */
    boolean func(Builder b, boolean bareName) {
      int nameEnd = identEnd(pos);
      if (nameEnd < 0) {
        return false;
      }
      int i = nameEnd;
      if (at(i) != '+' || at(i + 1) != '0' || at(i + 2) != 'x') {
        if (bareName && (i == s.length() || isBlank(s.charAt(i)))) {
          b.function = s.substring(pos, nameEnd);
          pos = nameEnd;
          return true;
        }
        return false;
      }
      int offStart = i + 3;
      int offEnd = hexEnd(offStart);
      if (offEnd == offStart || offEnd - offStart > 16) {
        return false;
      }
      OptionalLong size = OptionalLong.empty();
      int end = offEnd;
      if (at(offEnd) == '/') {
        int sizeStart = offEnd + 1;
        if (at(sizeStart) == '0' && at(sizeStart + 1) == 'x') {
          sizeStart += 2;
        }
        int sizeEnd = hexEnd(sizeStart);
        if (sizeEnd == sizeStart || sizeEnd - sizeStart > 16) {
          return false;
        }
        size = OptionalLong.of(Long.parseUnsignedLong(s, sizeStart, sizeEnd, 16));
        end = sizeEnd;
      }
      // s390 closes its "([<...>] foo+0x1/0x2)" frame right after the size.
      if (!(end == s.length() || isBlank(s.charAt(end)) || s.charAt(end) == ')')) {
        return false;
      }
      b.function = s.substring(pos, nameEnd);
      b.offset = OptionalLong.of(Long.parseUnsignedLong(s, offStart, offEnd, 16));
      b.size = size;
      pos = end;
      return true;
    }

    /**
     * syzkaller's {@code callee file.h:3 [inline]} or decode_stacktrace.sh's {@code foo (x.h:3 y.c:4)}:
     * a name without offset followed by source locations.
     */
    boolean inlineOrDecoded(Builder b) {
      int nameEnd = identEnd(pos);
      if (nameEnd < 0 || nameEnd == s.length() || !isBlank(s.charAt(nameEnd))) {
        return false;
      }
      String name = s.substring(pos, nameEnd);
      pos = nameEnd;
      skipBlanks();
      if (sourceChain(b)) {
        b.function = name;
        b.decoded = true;
        return true;
      }
      int save = pos;
      if (sourceWord(b)) {
        skipBlanks();
        if (word("[inline]")) {
          b.function = name;
          b.source = DecodedFrame.Source.INLINE;
          return true;
        }
      }
      pos = save;
      return false;
    }

    /**
     * An arm line: {@code (callee) from}, {@code callee from} or {@code (callee+0x0/0x1c) from}, then
     * the caller with an optional address: {@code [<c0123400>] (caller+0x10/0x14)},
     * {@code caller+0x10/0x14}, or decode_stacktrace.sh's {@code caller (x.c:12)}. The frame is the
     * caller's; the callee is kept beside it.
     */
    boolean armLine(Builder b) {
      int start = pos;
      int i = pos;
      boolean paren = at(i) == '(';
      if (paren) {
        i++;
      }
      int nameStart = i;
      int nameEnd = identEnd(i);
      if (nameEnd < 0) {
        return false;
      }
      i = nameEnd;
      Builder calleeParts = new Builder(DecodedFrame.Source.CALL_TRACE);
      if (at(i) == '+') {
        // An old kernel's "+0x0/0x1c": the callee's entry.
        Cursor off = new Cursor(s, nameStart);
        if (!off.func(calleeParts, false)) {
          return false;
        }
        i = off.pos;
      }
      // %ps prints a module function's module too: "kmalloc_oob_right [kasan_test] from ...".
      Builder calleeModule = new Builder(DecodedFrame.Source.CALL_TRACE);
      if (isBlank(at(i)) && at(i + 1) == '[') {
        Cursor m = new Cursor(s, i + 1);
        if (m.module(calleeModule)) {
          i = m.pos;
        }
      }
      if (paren) {
        if (at(i) != ')') {
          return false;
        }
        i++;
      }
      if (!(isBlank(at(i)) && s.startsWith("from", i + 1) && isBlank(at(i + 5)))) {
        return false;
      }
      OptionalLong calleeAddress = b.address;
      pos = i + 5;
      skipBlanks();
      b.address = OptionalLong.empty();
      bracketAddress(b); // the caller's return address
      skipBlanks();
      boolean callerParen = peek() == '(';
      if (callerParen) {
        pos++;
      }
      int save = pos;
      if (!func(b, false)) {
        pos = save;
        if (callerParen || !inlineOrDecoded(b) || b.source != DecodedFrame.Source.CALL_TRACE) {
          pos = start;
          b.address = calleeAddress;
          b.function = "";
          b.sources.clear();
          b.source = DecodedFrame.Source.CALL_TRACE;
          return false;
        }
      }
      if (callerParen) {
        skipBlanks();
        module(b); // "(ext4_lookup+0xa0/0x1d0 [ext4])"
        if (peek() != ')') {
          pos = start;
          b.address = calleeAddress;
          b.function = "";
          return false;
        }
        pos++;
      }
      b.callee = Optional.of(new DecodedFrame.Callee(s.substring(nameStart, nameEnd), calleeParts.offset,
          calleeParts.size, calleeModule.module, calleeAddress));
      return true;
    }

    /** {@code [ext4]} or {@code [ext4 0123abcd]}. */
    boolean module(Builder b) {
      if (peek() != '[') {
        return false;
      }
      int close = s.indexOf(']', pos);
      if (close < 0) {
        return false;
      }
      String inner = s.substring(pos + 1, close).strip();
      int sp = inner.indexOf(' ');
      String name = sp < 0 ? inner : inner.substring(0, sp);
      String id = sp < 0 ? null : inner.substring(sp + 1).strip();
      if (name.isEmpty() || !isModuleName(name) || (id != null && !isHex(id)) || b.module.isPresent()) {
        return false;
      }
      b.module = Optional.of(name);
      b.buildId = Optional.ofNullable(id);
      pos = close + 1;
      return true;
    }

    /** {@code mm/x.c:12} as a word of its own. */
    boolean sourceWord(Builder b) {
      int save = pos;
      SourceLocation loc = sourceLocation();
      if (loc == null || !(pos == s.length() || isBlank(s.charAt(pos)))) {
        pos = save;
        return false;
      }
      b.sources.add(loc);
      return true;
    }

    /**
     * decode_stacktrace.sh's {@code (include/x.h:3 mm/x.c:12)}, each location optionally followed by
     * addr2line's {@code (discriminator 4)}; older ktriage input also had {@code (mm/x.c:12)} after an offset.
     */
    boolean sourceChain(Builder b) {
      if (peek() != '(') {
        return false;
      }
      int save = pos;
      pos++;
      List<SourceLocation> found = new ArrayList<>(4);
      while (true) {
        skipBlanks();
        SourceLocation loc = sourceLocation();
        if (loc == null) {
          pos = save;
          return false;
        }
        found.add(loc);
        skipBlanks();
        if (startsWith("(discriminator ")) {
          int close = s.indexOf(')', pos);
          if (close < 0) {
            pos = save;
            return false;
          }
          pos = close + 1;
          skipBlanks();
        }
        // addr2line -p prints the chain as "x.h:3 (inlined by) y.c:4" (scripts/faddr2line, some
        // decode_stacktrace.sh variants).
        if (startsWith("(inlined by)")) {
          pos += "(inlined by)".length();
          continue;
        }
        if (peek() == ')') {
          pos++;
          break;
        }
      }
      b.sources.addAll(found);
      return true;
    }

    /** {@code path/file.ext:LINE} or {@code :LINE:COL}; null (and no move) when not there. */
    SourceLocation sourceLocation() {
      int i = pos;
      int start = i;
      int lastDot = -1;
      while (i < s.length()) {
        char ch = s.charAt(i);
        if (ch == '.') {
          lastDot = i;
        } else if (!(isIdentPart(ch) || ch == '-' || ch == '/' || ch == '+')) {
          break;
        }
        i++;
      }
      if (i == start || at(i) != ':' || lastDot <= start || lastDot == i - 1) {
        return null;
      }
      for (int k = lastDot + 1; k < i; k++) {
        char ch = s.charAt(k);
        if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z')) {
          return null;
        }
      }
      int lineStart = i + 1;
      int j = lineStart;
      while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
        j++;
      }
      if (j == lineStart || j - lineStart > 9) {
        return null;
      }
      int line = Integer.parseInt(s, lineStart, j, 10);
      if (at(j) == ':' && at(j + 1) >= '0' && at(j + 1) <= '9') {
        j++;
        while (j < s.length() && s.charAt(j) >= '0' && s.charAt(j) <= '9') {
          j++;
        }
      }
      String file = s.substring(start, i);
      pos = j;
      return new SourceLocation(file, line);
    }

    /**
     * What may follow a call-trace frame: modules, source locations, arm64's {@code (P)/(L)/(C)},
     * powerpc's {@code (unreliable)}, s390's closing parenthesis, decode_stacktrace.sh's bare module.
     * False when another word follows.
     */
    boolean tail(Builder b) {
      while (true) {
        skipBlanks();
        if (pos >= s.length()) {
          return true;
        }
        if (module(b) || sourceWord(b) || sourceChain(b)) {
          continue;
        }
        if (word("(P)")) {
          b.fromPc = true;
        } else if (word("(L)") || word("(C)") || word(")")) {
          continue;
        } else if (word("(unreliable)")) {
          b.reliable = false;
        } else if (b.decoded && b.module.isEmpty() && bareModule(b)) {
          continue;
        } else {
          return false;
        }
      }
    }

    /** A bare module that ends the line (a header's: other words may follow a header's location). */
    boolean bareModuleAtEnd(Builder b) {
      int save = pos;
      if (bareModule(b)) {
        if (atEnd()) {
          return true;
        }
        b.module = Optional.empty();
      }
      pos = save;
      return false;
    }

    // decode_stacktrace.sh's "foo (x.c:12) ext4": the module without brackets.
    private boolean bareModule(Builder b) {
      int i = pos;
      while (i < s.length() && !isBlank(s.charAt(i))) {
        i++;
      }
      String w = s.substring(pos, i);
      if (w.isEmpty() || !isModuleName(w)) {
        return false;
      }
      b.module = Optional.of(w);
      pos = i;
      return true;
    }

    /** The blank-separated words from {@code pos} on. */
    List<String> words() {
      List<String> out = new ArrayList<>(4);
      int i = pos;
      int n = s.length();
      while (i < n) {
        while (i < n && isBlank(s.charAt(i))) {
          i++;
        }
        int start = i;
        while (i < n && !isBlank(s.charAt(i))) {
          i++;
        }
        if (i > start) {
          out.add(s.substring(start, i));
        }
      }
      pos = n;
      return out;
    }
  }

  static boolean isBlank(char ch) {
    return ch == ' ' || ch == '\t' || ch == '\u00a0';
  }

  static boolean isIdentStart(char ch) {
    return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch == '.' || ch == '$';
  }

  static boolean isIdentPart(char ch) {
    return isIdentStart(ch) || ch >= '0' && ch <= '9';
  }

  private static boolean isModuleName(String n) {
    for (int i = 0; i < n.length(); i++) {
      char ch = n.charAt(i);
      if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '_' || ch == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isHex(String t) {
    if (t.isEmpty()) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (hexDigit(t.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }
}
