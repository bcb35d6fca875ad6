package dev.ktriage.grammar.frame;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Recognizes, one line at a time and without report context, the console lines that name a code
 * location: what a symbolizer rewrites. Works on a line body (the text after the console prefix,
 * see {@link dev.ktriage.grammar.log.ConsolePrefixParser}).
 *
 * <p>Recognized shapes, each with optional {@code [module]} / {@code [module buildid]} after the
 * function:
 * <pre>
 *    ? foo+0x1a/0x40                          x86 (the "? " marks an unreliable frame)
 *   [&lt;ffffffff81234567&gt;] ? foo+0x1a/0x40     old x86, riscv, arm64 before 4.x (raw address kept)
 *   [c0000000001a2b3c] [c000000000123456] foo+0x1a/0x40 (unreliable)   powerpc
 *   ([&lt;000000000012345a&gt;] foo+0x1a/0x40)      s390
 *    foo+0x1c/0x40 (P)                        arm64 since 6.14 ("(P)": from the pc, exact)
 *    ? 0xffffffffc0123456, [&lt;ffffffff81234567&gt;]   raw address only (no kallsyms, unknown code)
 *   RIP: 0010:foo+0x12/0x40, EIP:, IP:, pc :, PC is at, NIP [..], epc :   faulting pc (exact)
 *   lr :, LR is at, LR [..], ra :             link register (a return address)
 *   BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40                      KASAN header (exact)
 * </pre>
 *   [&lt;c0123456&gt;] (callee) from [&lt;c0123400&gt;] (caller+0x10/0x14)   arm (CONFIG_BACKTRACE_VERBOSE)
 *    callee from caller+0x10/0x14             arm since 5.18
 *   [&lt;c0123456&gt;] (callee+0x0/0x1c) from [&lt;c0123400&gt;] (caller+0x10/0x14)   arm before 4.x
 * An arm line names two functions: the frame is the caller's, whose location is a return address
 * (the callee's is only its name or its entry, and the line before names it as its caller).
 * A user-mode {@code RIP: 0033:...} is not a kernel location and is not recognized either.
 *
 * <p>Stateless and thread-safe.
 */
public final class FrameLineRecognizer {

  /** The frame named by {@code body}, if the line is one of the shapes above. */
  public Optional<FrameLine> recognize(String body) {
    // Every shape has "0x" (func+0x.., raw 0x..) or "[<" (raw bracket): a cheap filter for the
    // overwhelming majority of log lines.
    if (body.indexOf("0x") < 0 && body.indexOf("[<") < 0) {
      return Optional.empty();
    }
    Cursor c = new Cursor(body);
    c.skipSpaces();
    if (c.startsWith("BUG: KASAN: ") || c.startsWith("BUG: KASan: ") || c.startsWith("BUG: AddressSanitizer: ")) {
      return header(body, c);
    }
    return switch (c.registerLead()) {
      case NONE -> frame(c, FrameLine.Kind.TRACE);
      case PC -> frame(c, FrameLine.Kind.FAULT_PC);
      case LINK -> frame(c, FrameLine.Kind.LINK_REGISTER);
      case USER_MODE -> Optional.empty();
    };
  }

  /** What a line's leading register name says. */
  private enum Lead {
    /** No register name: a call-trace line. */
    NONE,
    /** The faulting pc. */
    PC,
    /** A link register (a return address). */
    LINK,
    /** A {@code RIP:} in user mode: not a kernel location. */
    USER_MODE
  }

  // "BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40 [mod]" (and the 4.x "... at addr X" tail).
  private static Optional<FrameLine> header(String body, Cursor c) {
    int in = body.indexOf(" in ", c.pos);
    if (in < 0) {
      return Optional.empty();
    }
    c.pos = in + 4;
    c.skipSpaces();
    Func f = c.func();
    if (f == null) {
      return Optional.empty();
    }
    Module m = c.module();
    boolean symbolized = c.restHasSource();
    return Optional.of(new FrameLine(FrameLine.Kind.REPORT_HEADER, f.name, OptionalLong.of(f.offset), f.size,
        m.name, m.buildId, OptionalLong.empty(), true, symbolized));
  }

  private static Optional<FrameLine> frame(Cursor c, FrameLine.Kind kind) {
    boolean reliable = true;
    OptionalLong address = OptionalLong.empty();
    boolean sawBracket = false;
    while (true) {
      c.skipSpaces();
      if (c.peek() == '?' && (c.peek(1) == ' ' || c.peek(1) == 0)) {
        reliable = false;
        c.pos++;
        continue;
      }
      OptionalLong a = c.bracketAddress();
      if (a.isPresent()) {
        address = a;
        sawBracket = true;
        continue;
      }
      break;
    }
    boolean register = kind != FrameLine.Kind.TRACE;
    if (!register) {
      Optional<FrameLine> arm = armCaller(c, reliable);
      if (arm != null) {
        return arm;
      }
    }
    if (c.startsWith("0x")) {
      OptionalLong raw = c.hexToken();
      if (raw.isEmpty()) {
        return Optional.empty();
      }
      Tail t = c.tail(false);
      if (t == null) {
        return Optional.empty();
      }
      FrameLine.Kind k = kind == FrameLine.Kind.TRACE && t.fromPc ? FrameLine.Kind.FAULT_PC : kind;
      return Optional.of(new FrameLine(k, "", OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
          Optional.empty(), raw, reliable && t.reliable, false));
    }
    Func f = c.func();
    if (f == null) {
      // "[<ffffffff81234567>]" and nothing else: a raw frame of a kernel without kallsyms.
      if (sawBracket && c.atEnd()) {
        return Optional.of(new FrameLine(kind, "", OptionalLong.empty(), OptionalLong.empty(), Optional.empty(),
            Optional.empty(), address, reliable, false));
      }
      return Optional.empty();
    }
    Module m = c.module();
    // Register lines may carry more registers after the location (old i386: "SS:ESP 0068:f5c0bde4");
    // a trace line with words after its frame is not a frame line.
    Tail t = c.tail(register);
    if (t == null) {
      return Optional.empty();
    }
    // arm64 (6.14+) marks the frame that came from the pc register with "(P)": the faulting pc.
    FrameLine.Kind k = kind == FrameLine.Kind.TRACE && t.fromPc ? FrameLine.Kind.FAULT_PC : kind;
    return Optional.of(new FrameLine(k, f.name, OptionalLong.of(f.offset), f.size, m.name, m.buildId, address,
        reliable && t.reliable, t.symbolized));
  }

  /**
   * The caller of an arm "callee from caller+off/size" line, or null when the line does not have
   * that shape (the cursor is then where it was).
   */
  private static Optional<FrameLine> armCaller(Cursor c, boolean reliable) {
    int save = c.pos;
    if (!c.armCallee()) {
      c.pos = save;
      return null;
    }
    c.skipSpaces();
    OptionalLong lr = c.bracketAddress();
    c.skipSpaces();
    boolean paren = c.peek() == '(';
    if (paren) {
      c.pos++;
    }
    Func f = c.func();
    if (f == null) {
      c.pos = save;
      return null;
    }
    Module m = c.module();
    if (paren) {
      c.skipSpaces();
      if (c.peek() != ')') {
        c.pos = save;
        return null;
      }
      c.pos++;
    }
    Tail t = c.tail(false);
    if (t == null) {
      c.pos = save;
      return null;
    }
    return Optional.of(new FrameLine(FrameLine.Kind.TRACE, f.name, OptionalLong.of(f.offset), f.size, m.name,
        m.buildId, lr, reliable && t.reliable, t.symbolized));
  }

  private record Func(String name, long offset, OptionalLong size) {}

  private record Module(Optional<String> name, Optional<String> buildId) {
    static final Module NONE = new Module(Optional.empty(), Optional.empty());
  }

  private record Tail(boolean reliable, boolean symbolized, boolean fromPc) {}

  /** A position in the body with the small scanners the shapes need; each moves only on success. */
  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    char peek() {
      return peek(0);
    }

    char peek(int ahead) {
      int i = pos + ahead;
      return i < s.length() ? s.charAt(i) : 0;
    }

    boolean atEnd() {
      skipSpaces();
      return pos >= s.length();
    }

    boolean startsWith(String p) {
      return s.startsWith(p, pos);
    }

    void skipSpaces() {
      while (pos < s.length() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    /** The register a line starts with; moves past it (and past RIP's code segment). */
    Lead registerLead() {
      if (startsWith("RIP: ") || startsWith("EIP: ")) {
        int save = pos;
        pos += 5;
        // "0010:" code segment; RPL 3 (0033, 0023) is user mode.
        int segEnd = hexEnd(pos);
        if (segEnd > pos && segEnd - pos <= 4 && peekAt(segEnd) == ':') {
          long seg = Long.parseLong(s.substring(pos, segEnd), 16);
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

    private char peekAt(int i) {
      return i < s.length() ? s.charAt(i) : 0;
    }

    private int hexEnd(int i) {
      while (i < s.length() && Character.digit(s.charAt(i), 16) >= 0) {
        i++;
      }
      return i;
    }

    /** {@code [<hex>]}, {@code ([<hex>]} (s390) or {@code [hex]} (powerpc); the value. */
    OptionalLong bracketAddress() {
      int i = pos;
      if (peekAt(i) == '(' && peekAt(i + 1) == '[' && peekAt(i + 2) == '<') {
        i++;
      }
      if (peekAt(i) != '[') {
        return OptionalLong.empty();
      }
      i++;
      boolean angle = peekAt(i) == '<';
      if (angle) {
        i++;
      }
      if (peekAt(i) == '0' && (peekAt(i + 1) == 'x' || peekAt(i + 1) == 'X')) {
        i += 2;
      }
      int end = hexEnd(i);
      if (end == i || end - i > 16) {
        return OptionalLong.empty();
      }
      int close = end;
      if (angle) {
        if (peekAt(close) != '>') {
          return OptionalLong.empty();
        }
        close++;
      }
      if (peekAt(close) != ']') {
        return OptionalLong.empty();
      }
      // powerpc's "[c0000000001a2b3c]" needs at least 8 digits, so that a module named "[e1000]"
      // after a function is never taken for an address (it cannot come before one anyway).
      if (!angle && end - i < 8) {
        return OptionalLong.empty();
      }
      long v = Long.parseUnsignedLong(s, i, end, 16);
      pos = close + 1;
      return OptionalLong.of(v);
    }

    /** {@code 0x} followed by 1-16 hex digits, ended by a blank or the end of the line. */
    OptionalLong hexToken() {
      int i = pos + 2;
      int end = hexEnd(i);
      if (end == i || end - i > 16 || !(end == s.length() || s.charAt(end) == ' ' || s.charAt(end) == '\t')) {
        return OptionalLong.empty();
      }
      long v = Long.parseUnsignedLong(s, i, end, 16);
      pos = end;
      return OptionalLong.of(v);
    }

    /** {@code name+0xOFF} or {@code name+0xOFF/0xSIZE}, ended by a blank or the end of the line. */
    Func func() {
      int i = pos;
      if (!(i < s.length() && isIdentStart(s.charAt(i)))) {
        return null;
      }
      i++;
      while (i < s.length() && isIdentPart(s.charAt(i))) {
        i++;
      }
      int nameEnd = i;
      if (peekAt(i) != '+' || peekAt(i + 1) != '0' || peekAt(i + 2) != 'x') {
        return null;
      }
      int offStart = i + 3;
      int offEnd = hexEnd(offStart);
      if (offEnd == offStart || offEnd - offStart > 16) {
        return null;
      }
      OptionalLong size = OptionalLong.empty();
      int end = offEnd;
      if (peekAt(offEnd) == '/') {
        int sizeStart = offEnd + 1;
        if (peekAt(sizeStart) == '0' && peekAt(sizeStart + 1) == 'x') {
          sizeStart += 2;
        }
        int sizeEnd = hexEnd(sizeStart);
        if (sizeEnd == sizeStart || sizeEnd - sizeStart > 16) {
          return null;
        }
        size = OptionalLong.of(Long.parseUnsignedLong(s, sizeStart, sizeEnd, 16));
        end = sizeEnd;
      }
      // s390 closes its "([<...>] foo+0x1/0x2)" frame right after the size.
      if (!(end == s.length() || s.charAt(end) == ' ' || s.charAt(end) == '\t' || s.charAt(end) == ')')) {
        return null;
      }
      long off = Long.parseUnsignedLong(s, offStart, offEnd, 16);
      String name = s.substring(pos, nameEnd);
      pos = end;
      return new Func(name, off, size);
    }

    /**
     * An arm callee and the {@code from} after it: {@code (callee)}, {@code callee} or
     * {@code (callee+0x0/0x1c)}, one word, then {@code from} and a blank; moves past them.
     */
    boolean armCallee() {
      int i = pos;
      boolean paren = peekAt(i) == '(';
      if (paren) {
        i++;
      }
      if (!(i < s.length() && isIdentStart(s.charAt(i)))) {
        return false;
      }
      while (i < s.length() && isIdentPart(s.charAt(i))) {
        i++;
      }
      if (peekAt(i) == '+') {
        // An old kernel's "+0x0/0x1c": the callee's entry, not looked up.
        while (i < s.length() && s.charAt(i) != ')' && s.charAt(i) != ' ') {
          i++;
        }
      }
      if (paren) {
        if (peekAt(i) != ')') {
          return false;
        }
        i++;
      }
      if (peekAt(i) != ' ' || !s.startsWith("from ", i + 1)) {
        return false;
      }
      pos = i + 6;
      return true;
    }

    /** {@code [ext4]} or {@code [ext4 0123abcd]} after a function. */
    Module module() {
      int save = pos;
      skipSpaces();
      if (peek() != '[') {
        pos = save;
        return Module.NONE;
      }
      int close = s.indexOf(']', pos);
      if (close < 0) {
        pos = save;
        return Module.NONE;
      }
      String inner = s.substring(pos + 1, close).strip();
      int sp = inner.indexOf(' ');
      String name = sp < 0 ? inner : inner.substring(0, sp);
      String id = sp < 0 ? null : inner.substring(sp + 1).strip();
      if (name.isEmpty() || !isModuleName(name) || (id != null && !isHex(id))) {
        pos = save;
        return Module.NONE;
      }
      pos = close + 1;
      return new Module(Optional.of(name), Optional.ofNullable(id));
    }

    /**
     * What follows a frame: arm64's {@code (P)}, powerpc's {@code (unreliable)}, s390's closing
     * parenthesis, source locations of a symbolized line; null when other words follow and
     * {@code anyWords} is false.
     */
    Tail tail(boolean anyWords) {
      boolean reliable = true;
      boolean symbolized = false;
      boolean fromPc = false;
      for (String w : words(pos)) {
        if (w.equals(")") || w.equals("(L)") || w.equals("(C)")) {
          continue;
        }
        if (w.equals("(P)")) {
          fromPc = true;
        } else if (w.equals("(unreliable)")) {
          reliable = false;
        } else if (isSource(w)) {
          symbolized = true;
        } else if (!anyWords && !symbolized) {
          return null;
        }
      }
      return new Tail(reliable, symbolized, fromPc);
    }

    /** The blank-separated words from {@code from} on (no regex: this runs for every frame line). */
    List<String> words(int from) {
      List<String> out = new ArrayList<>(4);
      int i = from;
      int n = s.length();
      while (i < n) {
        while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
          i++;
        }
        int start = i;
        while (i < n && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
          i++;
        }
        if (i > start) {
          out.add(s.substring(start, i));
        }
      }
      return out;
    }

    boolean restHasSource() {
      for (String w : words(pos)) {
        if (isSource(w)) {
          return true;
        }
      }
      return false;
    }
  }

  // Register names other than RIP:/EIP: (which carry a code segment) before a faulting pc ...
  private static final List<String> PC_LEADS = List.of("IP: ", "pc : ", "PC is at ", "EIP is at ", "NIP ", "epc : ");
  // ... and before a link register, which holds a return address.
  private static final List<String> LINK_LEADS = List.of("lr : ", "LR is at ", "LR ", "ra : ");

  private static boolean isIdentStart(char ch) {
    return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch == '_' || ch == '.' || ch == '$';
  }

  private static boolean isIdentPart(char ch) {
    return isIdentStart(ch) || ch >= '0' && ch <= '9';
  }

  private static boolean isModuleName(String n) {
    for (int i = 0; i < n.length(); i++) {
      char ch = n.charAt(i);
      if (!(isIdentPart(ch) || ch == '-') || ch == '.' || ch == '$') {
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
      if (Character.digit(t.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }

  /**
   * {@code mm/x.c:12}, {@code mm/x.c:12:7}, {@code (mm/x.c:12)}, {@code (include/x.h:3}: a path
   * with an extension, a colon and a line number, as the lexer's SRC token.
   */
  static boolean isSource(String w) {
    String t = w;
    if (t.startsWith("(")) {
      t = t.substring(1);
    }
    if (t.endsWith(")")) {
      t = t.substring(0, t.length() - 1);
    }
    int c1 = t.indexOf(':');
    if (c1 <= 0) {
      return false;
    }
    String path = t.substring(0, c1);
    int dot = path.lastIndexOf('.');
    if (dot <= 0 || dot == path.length() - 1) {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char ch = path.charAt(i);
      if (!(isIdentPart(ch) || ch == '-' || ch == '/' || ch == '+')) {
        return false;
      }
    }
    for (int i = dot + 1; i < path.length(); i++) {
      char ch = path.charAt(i);
      if (!(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z')) {
        return false;
      }
    }
    String rest = t.substring(c1 + 1);
    int c2 = rest.indexOf(':');
    String line = c2 < 0 ? rest : rest.substring(0, c2);
    if (line.isEmpty()) {
      return false;
    }
    for (int i = 0; i < line.length(); i++) {
      if (line.charAt(i) < '0' || line.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }
}
