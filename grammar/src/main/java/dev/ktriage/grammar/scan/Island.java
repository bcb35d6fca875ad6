package dev.ktriage.grammar.scan;

import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of one report, collected from the log in its printk context.
 *
 * <p>Not thread-safe.
 */
public final class Island {

  /** Why collection stopped. */
  public enum End {
    /** The closing {@code ====} rule was printed. */
    SEPARATOR,
    /** Another oops started in the same context. */
    OTHER_OOPS,
    /** Another KASAN/KCSAN report started in the same context. */
    NEXT_REPORT,
    /** The log ended. */
    END_OF_LOG,
    /** The report grew beyond {@link #MAX_LINES}: its end was lost. */
    TOO_LONG,
    /** Its printk context printed nothing more for many lines: the log went on without it. */
    STALE,
    /**
     * A panic (panic_on_warn) or the lockdep report that an oops provokes followed enough of an oops
     * report: the rest of the log is theirs ({@link OopsExtent}).
     */
    PANIC_TAIL,
    /** The report is its header line alone (an unexpected reboot: what follows is the new kernel's boot). */
    ONE_LINE
  }

  /** Reports longer than this lost their end; the longest real ones (page_owner, KCSAN) are ~300 lines. */
  public static final int MAX_LINES = 2000;

  private final Banner banner;
  private String context;
  // The number of the last log line added (a joined line counts with its last part).
  private long lastNumber;
  // The tracker's count of console lines when this island last took one (lines joined by a bare
  // '\r' share a log line number, so staleness is counted in console lines).
  private long touched;
  // The tracker's count of console lines when the island was opened: orders islands whose first
  // lines share a log line number.
  private long opened;
  private final List<ConsoleLine> lines = new ArrayList<>();
  // For lines joined from several log lines (MailWrap): index -> the last log line's number.
  private final java.util.Map<Integer, Long> joinedEnds = new java.util.HashMap<>();
  private final List<Repair> repairs = new ArrayList<>();
  private int headerIndex = -1;
  private End end;
  private long endLine;
  // Another oops of the island's context started at this log line (0: none); the island went on.
  private long interruptedAt;
  // "Sending NMI from CPU" was seen: the other cpus' backtraces follow in their own contexts.
  private boolean cpuTraceback;
  private int tailLines;
  // While another oops shares the island's context without caller ids (Interleave): the kinds of its
  // lines in order, and its stack's state; null otherwise.
  private List<String> kinds;
  private java.util.Set<String> kindSet;
  private java.util.Set<String> bodies;
  private long stackSince = -1;
  private boolean stackEnded;
  // Lines of the other report printed among this one's while they shared the context.
  private int leftOut;

  // How many of the model's next kinds an island sharing its context may be at (Interleave).
  private static final int EXPECT_AHEAD = 3;

  public Island(Banner banner, String context) {
    this.banner = banner;
    this.context = context;
  }

  /** The banner that opened the island. */
  public Banner banner() {
    return banner;
  }

  public Tool tool() {
    return banner.tool();
  }

  public String context() {
    return context;
  }

  public void add(ConsoleLine line) {
    lines.add(line);
    lastNumber = Math.max(lastNumber, line.number());
    if (interruptedAt > 0) {
      tailLines++;
    }
    if (!cpuTraceback && !Banners.sanitizer(banner) && line.body().contains(OopsExtent.SENDING_NMI)) {
      cpuTraceback = true;
    }
  }

  /** Starts following the kinds of the island's lines: another oops now shares its context. */
  void startSharing(long consoleLines) {
    if (kinds != null) {
      return;
    }
    kinds = new ArrayList<>();
    kindSet = new java.util.HashSet<>();
    bodies = new java.util.HashSet<>();
    for (int i = Math.max(0, headerIndex); i < lines.size(); i++) {
      note(lines.get(i).body(), consoleLines);
    }
  }

  /** Notes a line taken while sharing: its kind, and whether it opens or ends the stack. */
  void note(String body, long consoleLines) {
    bodies.add(body.strip());
    if (Interleave.heading(body)) {
      if (stackSince < 0) {
        stackSince = consoleLines;
      }
    } else if (stackSince >= 0 && Interleave.ending(body)) {
      stackEnded = true;
    } else if (!Interleave.frame(body)) {
      String k = Interleave.kind(body);
      if (!k.isEmpty() && kindSet.add(k)) {
        kinds.add(k);
      }
    }
  }

  /** Whether a stack heading was printed since the island's header: its header block is over. */
  boolean headingPrinted() {
    for (int i = Math.max(0, headerIndex); i < lines.size(); i++) {
      if (Interleave.heading(lines.get(i).body())) {
        return true;
      }
    }
    return false;
  }

  boolean stackSeen() {
    return stackSince >= 0;
  }

  boolean stackOpen() {
    return stackSince >= 0 && !stackEnded;
  }

  boolean stackEnded() {
    return stackEnded;
  }

  long stackSince() {
    return stackSince;
  }

  /** Whether the island holds a line with this text (a line printed again). */
  boolean repeats(String body) {
    return bodies != null && bodies.contains(body.strip());
  }

  boolean holds(String kind) {
    return kindSet != null && kindSet.contains(kind);
  }

  /**
   * Whether this island's next line, if it is printed in the order {@code model}'s were, is of
   * {@code kind}: the kind after the last one this island holds, in {@code model}'s order.
   */
  boolean expects(String kind, Island model) {
    if (kinds == null || kinds.isEmpty() || model.kinds == null || holds(kind)) {
      return false;
    }
    // how far this island got in the model's order: the latest of the model's kinds it holds
    int at = -1;
    for (int i = 0; i < model.kinds.size(); i++) {
      if (kindSet.contains(model.kinds.get(i))) {
        at = i;
      }
    }
    // its next kinds, allowing for a few it printed differently or not at all
    for (int i = at + 1; i < Math.min(model.kinds.size(), at + 1 + EXPECT_AHEAD); i++) {
      if (model.kinds.get(i).equals(kind)) {
        return true;
      }
    }
    return false;
  }

  void leftOut() {
    leftOut++;
  }

  /** How many lines of another report, printed among this one's without caller ids, were kept out of it. */
  public int leftOutLines() {
    return leftOut;
  }

  /** Whether another oops of this island's context started inside it (it then went on collecting). */
  public boolean interrupted() {
    return interruptedAt > 0;
  }

  /** The log line where another oops of this island's context started, or 0. */
  public long interruptedAt() {
    return interruptedAt;
  }

  void markInterrupted(long number) {
    if (interruptedAt == 0) {
      interruptedAt = number;
    }
  }

  /** Lines collected after the interruption. */
  int tailLines() {
    return tailLines;
  }

  /** Whether lines of cpu context {@code context} belong here too (an all-cpu backtrace is being printed). */
  boolean takesCpuLines(String context) {
    return cpuTraceback && context.length() > 1 && context.charAt(0) == 'C'
        && context.chars().skip(1).allMatch(Character::isDigit);
  }

  public void addHeader(ConsoleLine line) {
    headerIndex = lines.size();
    add(line);
  }

  /**
   * Drops the lines before the header (the rule or cut-here block taken as lead-in); false when there
   * are none. For an island whose lead-in the grammar cannot read.
   */
  public boolean dropLeadIn() {
    if (headerIndex <= 0) {
      return false;
    }
    int n = headerIndex;
    lines.subList(0, n).clear();
    java.util.Map<Integer, Long> shifted = new java.util.HashMap<>();
    joinedEnds.forEach((i, end) -> {
      if (i >= n) {
        shifted.put(i - n, end);
      }
    });
    joinedEnds.clear();
    joinedEnds.putAll(shifted);
    headerIndex = 0;
    return true;
  }

  /** The number of the last log line this island took. */
  long lastNumber() {
    return lastNumber;
  }

  /** The tracker's console-line count when this island last took a line. */
  long touched() {
    return touched;
  }

  void opened(long consoleLines) {
    opened = consoleLines;
  }

  long opened() {
    return opened;
  }

  void touch(long consoleLines) {
    touched = consoleLines;
  }

  /** Whether nothing but the header (and the rule before it) was collected yet. */
  boolean onlyHeader() {
    return headerIndex == lines.size() - 1;
  }

  /** Goes on in another printk context (its banner line's prefix was damaged). */
  void adopt(String newContext) {
    this.context = newContext;
  }

  /**
   * Whether {@code body}, another banner, only repeats this island's header for an inlined callee:
   * syzbot's symbolized reports print "BUG: KASAN: use-after-free in memset include/x.h:3 [inline]"
   * before "BUG: KASAN: use-after-free in real_function+0x1/0x2".
   */
  public boolean repeatsHeader(String body) {
    if (headerIndex != lines.size() - 1) {
      return false;
    }
    String last = lines.get(headerIndex).body();
    int in = last.indexOf(" in ");
    // "[inline]" ends the line, or comes before " at addr X" in the 4.x forms. The repeated header may
    // end at its "in" when a mail client or a person broke the line there (MailWrap joins it later).
    String lead = last.substring(0, Math.max(0, in + 3));
    return in > 0 && last.contains(" [inline]") && body.startsWith(lead)
        && (body.length() == lead.length() || body.charAt(lead.length()) == ' ');
  }

  /**
   * A repair made to the island's lines: what was done, why, and at which log line.
   *
   * @param rule the mail-wrap rule that joined a line to the one before
   * @param logLine the log line that was joined to the line before it
   */
  public record Repair(MailWrap.Rule rule, long logLine) {}

  /** Appends {@code continuation} (a log line a mail client broke off) to the last line. */
  void joinLast(long number, String continuation, MailWrap.Rule rule) {
    int i = lines.size() - 1;
    ConsoleLine last = lines.get(i);
    lines.set(i, new ConsoleLine(last.number(), last.prefix(), last.body().stripTrailing() + " " + continuation.strip()));
    joinedEnds.put(i, number);
    lastNumber = Math.max(lastNumber, number);
    repairs.add(new Repair(rule, number));
  }

  /** The number of the last log line that makes up line {@code index} (joined lines span several). */
  public long endNumber(int index) {
    Long end = joinedEnds.get(index);
    return end != null ? end : lines.get(index).number();
  }

  /** The repairs made to this island's lines, in log order. */
  public List<Repair> repairs() {
    return List.copyOf(repairs);
  }

  /** Removes and returns the last line (a rule that turned out to open the next report). */
  public ConsoleLine removeLast() {
    joinedEnds.remove(lines.size() - 1);
    return lines.remove(lines.size() - 1);
  }

  /** Whether the last line added is the closing rule. */
  public boolean closedBySeparator() {
    return Banners.sanitizer(banner) && lines.size() > headerIndex + 1
        && isSeparator(lines.get(lines.size() - 1).body());
  }

  /** The index in {@link #lines()} of the header line. */
  public int headerIndex() {
    return headerIndex;
  }

  /**
   * KASAN and KCSAN open and close reports with a rule of 66 {@code =}, KMSAN with 53; mail clients
   * and people shorten it. SLUB's object dump prints its own rule of 77 inside old (3.x) KASAN
   * reports, which must not end them. UBSAN (lib/ubsan.c before 6.5) prints 80.
   */
  private static final int UBSAN_RULE = 80;

  public static boolean isSeparator(String body) {
    // Every line of a report comes here: look at the first visible character before anything else.
    int from = 0;
    int to = body.length();
    while (from < to && Character.isWhitespace(body.charAt(from))) {
      from++;
    }
    if (from == to || body.charAt(from) != '=') {
      return false;
    }
    while (Character.isWhitespace(body.charAt(to - 1))) {
      to--;
    }
    int n = to - from;
    if (n < 10 || n > 74 && n != UBSAN_RULE) {
      return false;
    }
    for (int i = from; i < to; i++) {
      if (body.charAt(i) != '=') {
        return false;
      }
    }
    return true;
  }

  public List<ConsoleLine> lines() {
    return lines;
  }

  public long firstLine() {
    return lines.get(0).number();
  }

  public void close(End why, long atLine) {
    this.end = why;
    this.endLine = atLine;
  }

  public End end() {
    return end;
  }

  /** The log line where the end was noticed (the interrupting line, or the last line). */
  public long endLine() {
    return endLine;
  }
}
