package dev.ktriage.grammar.scan;

import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.FrameSyntax;
import java.util.List;
import java.util.Optional;

/**
 * Puts back together report lines that a mail client broke in two. Clients wrap at 72 to 80 columns,
 * at a blank, so a long printk line (a header, an access line, a frame with its module, the
 * {@code CPU:} line) goes on at the start of the next line, without its console prefix.
 *
 * <p>A line is joined to the one before only when the one before is unfinished by the syntax of its
 * kind (each {@link Rule} says which) and the break is where a client would make it: the first line
 * plus the next word would not have fit ({@link #WRAP_COLUMN}). A line that a kernel printed never
 * ends unfinished, so the rules do not join two real lines.
 *
 * <p>Stateless and thread-safe.
 */
public final class MailWrap {

  /**
   * The narrowest column mail clients wrap at (some wrap at 66 or 70; most at 72 to 80, and quoting
   * adds {@code > }): a line shorter than this plus its next word was not wrapped.
   */
  static final int WRAP_COLUMN = 60;

  /** Why two lines were joined: the unfinished kind of the first. */
  public enum Rule {
    /** A console prefix alone: the line's only word went to the next line. */
    AFTER_PREFIX("the line broke right after its console prefix"),
    /**
     * {@code BUG: KASAN: stack-out-of-bounds in} without its location (UBSAN's: a source position), the
     * 4.x headers without the address after {@code at addr} or {@code on address}; KCSAN's second
     * function after {@code /}; a symbolized header's source part ({@code mm/x.c:12 [inline]}, or a
     * decode_stacktrace.sh chain broken inside its parentheses).
     */
    HEADER_LOCATION("the header's location or address is on the next line"),
    /**
     * {@code Read of size 8 at addr X by} without its task (print_error_description() always ends
     * with it), a KCSAN access without its {@code on cpu N:}, or a KFENCE access without its colon.
     */
    ACCESS_LINE("the access line stops before its end"),
    /** A frame line that is not one alone but is one with the next line ({@code [<c0..>] (callee) from [<c0..>]}). */
    FRAME("the frame line is completed by the next line"),
    /** {@code [foo]}, {@code (unreliable)}, {@code mm/x.c:12} alone: the end of the frame line before. */
    FRAME_TAIL("the next line holds only the module, source or reliability mark of the frame"),
    /** {@code CPU: 0 PID: 1 Comm: x Tainted: G W} without the release that dump_stack_print_info() prints. */
    CPU_LINE("the CPU line stops before the kernel release");

    private final String why;

    Rule(String why) {
      this.why = why;
    }

    /** Why the lines were joined, for the report's repair notes. */
    public String why() {
      return why;
    }
  }

  /**
   * Whether {@code next} continues {@code prev}, and by which rule.
   *
   * @param prev the body of the line before (console prefix and quote marks removed)
   * @param prevWidth how wide the line before was as printed (prefix and quote marks included)
   * @param next the body of the line that may continue it, which had no console prefix of its own
   */
  public Optional<Rule> joins(String prev, int prevWidth, String next) {
    String n = next.strip();
    if (n.isEmpty()) {
      return Optional.empty();
    }
    String p = prev.strip();
    // A sanitizer header ending in "in" is unfinished whatever its width (the kernel always prints the
    // location after it), and the next line must be a location alone: no width test, so a paste
    // re-wrapped by hand or by a narrow client is joined too.
    if (headerWithoutLocation(p)) {
      return headerContinuation(p, n) ? Optional.of(Rule.HEADER_LOCATION) : Optional.empty();
    }
    if (prevWidth + 1 + firstWord(n).length() <= WRAP_COLUMN) {
      return Optional.empty();
    }
    if (p.isEmpty()) {
      // A one-word body ("=====...") too long for the line after its prefix: the client broke the
      // line at the blank that ends the prefix. (A real blank line followed by another program's
      // short line fails the width test above.)
      return Optional.of(Rule.AFTER_PREFIX);
    }
    String joined = p + " " + n;
    // "BUG: KASAN: use-after-free in f+0x1/0x2" / "at addr ffff8800...": the 4.x header's address.
    if ((n.startsWith("at addr ") || n.startsWith("on address ")) && sanitizerHeader(p)) {
      return Optional.of(Rule.HEADER_LOCATION);
    }
    // "UBSAN: array-index-out-of-bounds" / "in net/x.c:409:33": the break came before the "in" that
    // every sanitizer header has.
    if (n.startsWith("in ") && !p.contains(" in ") && sanitizerHeader(p)
        && headerContinuation(p + " in", n.substring(3).strip())) {
      return Optional.of(Rule.HEADER_LOCATION);
    }
    if (kcsanHeaderBeforeSlash(p, n)) {
      return Optional.of(Rule.HEADER_LOCATION);
    }
    // A header whose location is whole but whose source part went on: syzbot's symbolized header
    // "BUG: KMSAN: uninit-value in f" / "drivers/x.c:380 [inline]", or decode_stacktrace.sh's
    // "in f (x.h:74 (inlined" / "by) x.c:82)". A kernel prints nothing after a header that is only
    // a source position and marks, nor a header with a parenthesis left open.
    if (sanitizerHeader(p) && (onlyFrameTail(n) || openParenthesis(p))) {
      return Optional.of(Rule.HEADER_LOCATION);
    }
    if (accessWithoutTask(p) || raceAccessWithoutCpu(p) || kfenceAccessWithoutColon(p)) {
      return Optional.of(Rule.ACCESS_LINE);
    }
    if (cpuLineWithoutRelease(p) && releaseFirst(n)) {
      return Optional.of(Rule.CPU_LINE);
    }
    Optional<DecodedFrame> alone = FrameSyntax.line(p);
    Optional<DecodedFrame> together = FrameSyntax.line(joined);
    if (together.isEmpty()) {
      // decode_stacktrace.sh's chain broken inside its parentheses, or right before them.
      return openSourceChain(p) || openSourceChain(joined) ? Optional.of(Rule.FRAME) : Optional.empty();
    }
    if (alone.isEmpty()) {
      return Optional.of(Rule.FRAME);
    }
    if (onlyFrameTail(n)) {
      return Optional.of(Rule.FRAME_TAIL);
    }
    // decode_stacktrace.sh's bare module alone: "foo_lock (x.h:351 core.c:120)" / "foo".
    if (alone.get().module().isEmpty() && !alone.get().sources().isEmpty() && together.get().module().isPresent()
        && n.indexOf(' ') < 0) {
      return Optional.of(Rule.FRAME_TAIL);
    }
    // "[<ffffffff81234567>]" / "foo_helper.constprop.0+0x88/0x362": a raw-only line alone, whose
    // next line is a symbol without its address.
    DecodedFrame a = alone.get();
    DecodedFrame t = together.get();
    if (!a.hasSymbol() && a.address().isPresent() && t.hasSymbol()) {
      Optional<DecodedFrame> second = FrameSyntax.line(n);
      if (second.isPresent() && second.get().address().isEmpty()) {
        return Optional.of(Rule.FRAME);
      }
    }
    return Optional.empty();
  }

  // "BUG: KASAN: double-free or invalid-free in" (and the KCSAN header): the location comes after "in".
  private static boolean headerWithoutLocation(String p) {
    return HEADER_ENDS.stream().anyMatch(p::endsWith) && sanitizerHeader(p);
  }

  // A KASAN or KCSAN header at the start of the line: the mail-wrap rules for headers are theirs.
  private static boolean sanitizerHeader(String p) {
    return Banners.find(p).filter(f -> f.index() == 0 && Banners.sanitizer(f.banner())).isPresent();
  }

  // What a header never ends with: "in" comes before the location, "/" before KCSAN's second
  // function, "at addr" and "on address" (4.x) before the address.
  private static final List<String> HEADER_ENDS = List.of(" in", " /", " at", " at addr", " on", " on address");

  // The header's location or address, which the next line must begin with.
  private static boolean headerContinuation(String p, String n) {
    if (p.endsWith(" at") || p.endsWith(" on")) {
      return n.startsWith("addr ") || n.startsWith("address ");
    }
    if (p.endsWith(" at addr") || p.endsWith(" on address")) {
      return FrameSyntax.hex(firstWord(n)).isPresent() || firstWord(n).equals("(null)");
    }
    // UBSAN's location is a source position: "UBSAN: array-index-out-of-bounds in" / "drivers/x.c:459:37".
    if (n.indexOf(' ') < 0 && FrameSyntax.isSource(n)) {
      return true;
    }
    // The whole next line is the location ("foo+0x1c/0x90 [foo]"), or the 4.x "foo+0x1/0x2 at addr X".
    Optional<FrameSyntax.Located> loc = FrameSyntax.location(n, 0);
    if (loc.isEmpty()) {
      return false;
    }
    String rest = n.substring(loc.get().end()).strip();
    // syzbot's symbolized header: "memcpy include/linux/fortify-string.h:678 [inline]", a frame line
    // alone; KCSAN's "f / g"; decode_stacktrace.sh's "f (x.h:214" whose chain goes on below.
    return rest.isEmpty() || rest.startsWith("at addr ") || rest.startsWith("/ ")
        || rest.startsWith("(") && FrameSyntax.isSource(firstWord(rest.substring(1)))
        || FrameSyntax.line(n).filter(DecodedFrame::hasSymbol).isPresent();
  }

  // print_error_description(): "Read of size 8 at addr X by task T/1", "Read at addr X by task T/1",
  // before 4.11 "Read of size 4 by task T/1". Unfinished when it stops before the task's "/pid".
  private static boolean accessWithoutTask(String p) {
    if (!(p.startsWith("Read of size") || p.startsWith("Write of size") || p.startsWith("Read at addr")
        || p.startsWith("Write at addr"))) {
      return false;
    }
    int by = p.indexOf(" by task ");
    return by < 0 || !endsWithPid(p);
  }

  // "%s/%d": the comm may hold blanks, the pid ends the line.
  private static boolean endsWithPid(String p) {
    int slash = p.lastIndexOf('/');
    if (slash < 0 || slash == p.length() - 1) {
      return false;
    }
    for (int i = slash + 1; i < p.length(); i++) {
      if (!Character.isDigit(p.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  // mm/kfence/report.c kfence_report_error(): the line after the header names the access and the
  // object and always ends with a colon ("Use-after-free read at 0x... (in kfence-#117):",
  // "Corrupted memory at 0x... [ 0x00 ... ] (in kfence-#95):", "Invalid read at 0x...:").
  private static final List<String> KFENCE_ACCESSES = List.of("Out-of-bounds read at ", "Out-of-bounds write at ",
      "Use-after-free read at ", "Use-after-free write at ", "Corrupted memory at ", "Invalid free of ",
      "Invalid read at ", "Invalid write at ");

  private static boolean kfenceAccessWithoutColon(String p) {
    if (p.endsWith(":")) {
      return false;
    }
    for (String a : KFENCE_ACCESSES) {
      if (p.startsWith(a)) {
        return true;
      }
    }
    return false;
  }

  private static final List<String> KCSAN_OPS = List.of("read-write ", "read ", "write ", "assert no writes ",
      "assert no accesses ", "race at unknown origin, with ");

  // kernel/kcsan/report.c: "read to 0x... of 8 bytes by task 1 on cpu 0:" always ends with the cpu
  // and a colon.
  private static boolean raceAccessWithoutCpu(String p) {
    if (p.endsWith(":") || !p.contains(" to 0x")) {
      return false;
    }
    for (String op : KCSAN_OPS) {
      if (p.startsWith(op)) {
        return true;
      }
    }
    return false;
  }

  // "BUG: KCSAN: data-race in foo" / "/ bar": the second function went to the next line.
  private static boolean kcsanHeaderBeforeSlash(String p, String n) {
    return n.startsWith("/ ") && p.contains(" in ")
        && Banners.find(p).filter(f -> f.index() == 0 && f.banner().tool() == dev.ktriage.model.Tool.KCSAN).isPresent();
  }

  // dump_stack_print_info(): "CPU: 0 UID: 0 PID: 1 Comm: swapper/0 Not tainted 6.12.0 #1"; the
  // release follows the taint part.
  private static boolean cpuLineWithoutRelease(String p) {
    if (!p.startsWith("CPU: ") || !p.contains(" Comm: ")) {
      return false;
    }
    int taint = Math.max(p.lastIndexOf(" Tainted: "), p.lastIndexOf(" Not tainted"));
    if (taint < 0) {
      return true; // wrapped before the taint part
    }
    String rest = p.substring(taint).replace(" Not tainted", "").replace(" Tainted: ", "").strip();
    for (String w : rest.split(" +")) {
      if (!w.isEmpty() && !(w.length() == 1 && Character.isUpperCase(w.charAt(0)))) {
        return false; // a word that is no taint letter: the release
      }
    }
    return true;
  }

  // The continuation of a CPU line: the release ("5.10.0-rc3-next-20201110 #2"), or the taint part
  // ("Tainted: G   OE  6.18.0 #1", not the 6.12+ explanation line "Tainted: [O]=OOT_MODULE").
  private static boolean releaseFirst(String n) {
    if (n.startsWith("Tainted: ")) {
      return !n.startsWith("Tainted: [");
    }
    if (n.startsWith("Not tainted") || n.startsWith("tainted ")) {
      return true;
    }
    return !n.isEmpty() && Character.isDigit(n.charAt(0)) && firstWord(n).contains(".");
  }

  // More "(" than ")" after the header's "in", the first open one starting a source position:
  // decode_stacktrace.sh's chain "(x.h:74 (inlined by) x.c:82)" broken inside.
  private static boolean openParenthesis(String p) {
    int in = p.indexOf(" in ");
    if (in < 0) {
      return false;
    }
    int depth = 0;
    int firstOpen = -1;
    for (int i = in; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '(') {
        if (depth == 0) {
          firstOpen = i;
        }
        depth++;
      } else if (c == ')' && depth > 0) {
        depth--;
      }
    }
    return depth > 0 && FrameSyntax.isSource(firstWord(p.substring(firstOpen + 1)));
  }

  // decode_stacktrace.sh's chain broken inside its parentheses: "foo (include/x.h:3" / "mm/x.c:12)".
  private static boolean openSourceChain(String p) {
    int open = p.lastIndexOf(" (");
    if (open < 0 || p.indexOf(')', open) >= 0) {
      return false;
    }
    String head = p.substring(0, open).strip();
    String chain = p.substring(open + 2).strip();
    if (head.isEmpty() || chain.isEmpty()) {
      return false;
    }
    String first = firstWord(chain);
    return FrameSyntax.isSource(first) && isName(lastWord(head));
  }

  private static final List<String> TAIL_MARKS = List.of("(unreliable)", "(P)", "(L)", "(C)", "[inline]", ")");

  // "[foo]", "[foo 0123abcd]", "(unreliable)", "mm/x.c:12": nothing but what may end a frame line.
  private static boolean onlyFrameTail(String n) {
    String rest = n;
    while (!rest.isEmpty()) {
      String w;
      if (rest.startsWith("[")) {
        int close = rest.indexOf(']');
        if (close < 0) {
          return false;
        }
        w = rest.substring(0, close + 1);
        if (!isModuleBracket(w) && !w.equals("[inline]")) {
          return false;
        }
      } else {
        w = firstWord(rest);
        if (!TAIL_MARKS.contains(w) && !FrameSyntax.isSource(w)) {
          return false;
        }
      }
      rest = rest.substring(w.length()).strip();
    }
    return true;
  }

  private static boolean isModuleBracket(String w) {
    String inner = w.substring(1, w.length() - 1).strip();
    if (inner.isEmpty()) {
      return false;
    }
    String name = inner.split(" +")[0];
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isName(String w) {
    if (w.isEmpty()) {
      return false;
    }
    for (int i = 0; i < w.length(); i++) {
      char c = w.charAt(i);
      if (!(Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$')) {
        return false;
      }
    }
    return true;
  }

  private static String firstWord(String s) {
    int i = 0;
    while (i < s.length() && s.charAt(i) != ' ') {
      i++;
    }
    return s.substring(0, i);
  }

  private static String lastWord(String s) {
    int i = s.length();
    while (i > 0 && s.charAt(i - 1) != ' ') {
      i--;
    }
    return s.substring(i);
  }
}
