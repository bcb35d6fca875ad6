package dev.ktriage.grammar.scan;

import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.grammar.log.ConsolePrefix;
import dev.ktriage.grammar.log.ConsolePrefixParser;
import dev.ktriage.grammar.log.LineSanitizer;
import dev.ktriage.grammar.log.MailQuotes;
import dev.ktriage.grammar.log.PrintkTimes;
import dev.ktriage.model.Banner;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * Cuts reports out of a log: opens an {@link Island} at each KASAN/KCSAN banner and gives it the
 * following lines of the same printk context (caller id, or the console when there are none) until
 * the closing rule, another oops, or the end of the log.
 *
 * <p>With {@code CONFIG_PRINTK_CALLER} several reports (and other tasks' chatter) can be printed at
 * once; each context has its own island, so their lines do not mix. Without caller ids the kernel
 * gives no way to separate concurrent output; lines without any console prefix (executor output in
 * syzkaller logs) are still kept out of reports whose lines have one.
 *
 * <p>Islands are handed to the sink in log order of their first line. Not thread-safe.
 */
public final class IslandTracker implements LineListener {

  private final LineSanitizer sanitizer = new LineSanitizer();
  private final MailQuotes quotes = new MailQuotes();
  private final ConsolePrefixParser prefixes = new ConsolePrefixParser();
  private final MailWrap wrap = new MailWrap();
  // The island that took the log line before this one, and that line's printed width: a line a mail
  // client broke off goes on the next line, without a console prefix.
  private Island lastIsland;
  // The island that took a line most recently, whatever came after it.
  private Island lastTouched;
  private int lastWidth;
  private int width;
  private final Consumer<Island> sink;
  private final Map<String, Island> open = new LinkedHashMap<>();
  // Oops reports of a task or cpu context that another oops of that context interrupted: they go on
  // collecting that context's lines for a while (OopsExtent), as syzkaller's title region does.
  private final List<Island> tails = new ArrayList<>();
  // Contexts without caller ids where a second oops started while the first was still printing: the
  // first goes on beside the open second, and each line goes to the one it fits (Interleave).
  private record Sharing(Island first, Island second) {}
  private final Map<String, Sharing> sharing = new HashMap<>();
  // The last lines seen per context, to pick up the "====" rule or the "cut here" block printed just
  // before a banner.
  private final Map<String, java.util.ArrayDeque<ConsoleLine>> previous = new HashMap<>();
  // Closed islands waiting for an open one that started before them, by first line.
  // Log order: by first log line, then, for islands whose first lines share a number (lines joined by
  // a bare '\r' do: a whole log may be one '\n'-line), by the console line that opened them.
  private static final Comparator<Island> LOG_ORDER =
      Comparator.comparingLong(Island::firstLine).thenComparingLong(Island::opened);
  private final PriorityQueue<Island> closed = new PriorityQueue<>(LOG_ORDER);
  private long cutLines;
  // First line of the last island handed to the sink; no later island may start before it.
  private long handedFirstLine;
  private long lastNumber;
  // The island opened by the log line before this one: printk's replay marker right after its
  // header means the header was cut and is printed again whole.
  private Island justOpened;
  private long justOpenedLine;
  // Console lines seen (a log line glued from several printk lines counts each): the clock of staleness.
  private long consoleLines;
  // Whether a kernel console line came before: a "Booting the kernel" line is a reboot only after one.
  private boolean kernelPrinted;
  // The latest kernel console line the tracker saw (the scanner skips lines far from banners, so it may be
  // older than the kernel's last one): an unexpected reboot's report starts with it, as proof the kernel ran.
  private ConsoleLine kernelLine;
  /**
   * Lines the tracker reads from the start of a log to find whether the kernel printed (a console prefix):
   * until it has, or for at most this many lines; a log that starts with a power-on boot prints the kernel's
   * first line after its firmware's and the decompressor's few dozen.
   */
  static final int KERNEL_LOOK_LINES = 1000;

  public IslandTracker(Consumer<Island> sink) {
    this.sink = sink;
  }

  /** How many lines were longer than {@link LogScanner#MAX_LINE} and cut. */
  public long cutLines() {
    return cutLines;
  }

  @Override
  public boolean wantsEveryLine() {
    return !open.isEmpty() || !tails.isEmpty() || !sharing.isEmpty()
        || !kernelPrinted && consoleLines < KERNEL_LOOK_LINES;
  }

  @Override
  public void line(long number, String text, boolean truncated) {
    if (truncated) {
      cutLines++;
    }
    if (number > lastNumber + 1) {
      previous.clear(); // the scanner skipped lines: what we saw last is not what came just before
      lastIsland = null;
    }
    lastNumber = number;
    width = text.length();
    String clean = quotes.strip(sanitizer.sanitize(text));
    // Two printk calls glued into one line ("Call Trac[  124.7][    C0] Call Trace:"): the second
    // starts at its own console prefix and is a line of its own. Found from left to right, each part
    // copied once: a 16 KB line of glued stamps stays linear.
    int start = 0;
    for (int next = gluedAfter(clean, start); next > 0; next = gluedAfter(clean, start)) {
      consoleLine(number, clean.substring(start, next));
      start = next;
    }
    consoleLine(number, start == 0 ? clean : clean.substring(start));
  }

  // The last line split and its split: a line no longer than PREFIX_WINDOW is its own window, so
  // gluedAfter's split serves route too (every line of an open report was split twice).
  private String splitLine;
  private ConsolePrefixParser.Split splitOfLine;

  private ConsolePrefixParser.Split split(String s) {
    if (s != splitLine) {
      splitOfLine = prefixes.split(s);
      splitLine = s;
    }
    return splitOfLine;
  }

  // Console prefixes are shorter than this; the prefix of a part is parsed in a window of it.
  private static final int PREFIX_WINDOW = 256;

  // Where the part that starts at `start` ends because a second line was glued to it, or -1. A
  // glued second line starts in the body: the timestamp after "kern  :err   : " (dmesg -x) or
  // "host kernel: " (syslog) is the line's own (testdata/logs/kasan/out-of-bounds-arm64-decoded-dmesg-x.log).
  private int gluedAfter(String s, int start) {
    String window = s.substring(start, Math.min(s.length(), start + PREFIX_WINDOW));
    int bodyStart = start + window.length() - split(window).body().length();
    // A full printk time has six fractional digits; the body's own leading stamps do not count.
    int end = bodyStart + prefixEnd(s, bodyStart);
    int i = PrintkTimes.indexOf(s, bodyStart + 1, 6);
    while (i > 0 && i <= end) {
      i = PrintkTimes.indexOf(s, i + 1, 6);
    }
    return i;
  }

  // The end of the leading prefix-like characters from `from`, relative to it: a glued prefix must
  // come after them.
  private static int prefixEnd(String s, int from) {
    int i = from;
    while (i < s.length() && (s.charAt(i) == '[' || s.charAt(i) == ']' || s.charAt(i) == ' '
        || s.charAt(i) == '.' || Character.isDigit(s.charAt(i)) || s.charAt(i) == 'T' || s.charAt(i) == 'C'
        || s.charAt(i) == '<' || s.charAt(i) == '>')) {
      i++;
    }
    return i - 1 - from;
  }

  private void consoleLine(long number, String clean) {
    consoleLines++;
    closeStale();
    Island took = route(number, clean);
    if (!kernelPrinted) {
      ConsolePrefixParser.Split split = split(clean);
      if (kernelPrefix(split.prefix())) {
        kernelPrinted = true;
        kernelLine = new ConsoleLine(number, split.prefix(), split.body());
      }
    }
    if (!sharing.isEmpty()) {
      settleSharing();
    }
    lastIsland = took;
    if (took != null) {
      lastTouched = took;
      took.touch(consoleLines);
    }
    lastWidth = width;
  }

  // Hands the line to the island of its context (or opens one); returns the island that took it.
  private Island route(long number, String clean) {
    ConsolePrefixParser.Split split = split(clean);
    if (kernelPrinted && kernelPrefix(split.prefix())) {
      kernelLine = new ConsoleLine(number, split.prefix(), split.body());
    }
    String context = split.prefix().context();
    Optional<Banners.Found> banner = Banners.find(split.body());
    if (banner.isPresent() && banner.get().banner() == Banner.REBOOT && !kernelPrinted) {
      banner = Optional.empty(); // a boot, not a reboot: the kernel has not printed in this log yet
    }
    Island mine = open.get(context);
    if (banner.isPresent() && mine != null
        && OopsExtent.continues(mine, split.body().substring(banner.get().index()))) {
      banner = Optional.empty(); // a header-looking line the open report prints itself
    }
    if (banner.isEmpty() && !split.prefix().present() && lastIsland != null && open.containsValue(lastIsland)) {
      String last = lastIsland.lines().get(lastIsland.lines().size() - 1).body();
      Optional<MailWrap.Rule> rule = wrap.joins(last, lastWidth, split.body());
      if (rule.isPresent()) {
        lastIsland.joinLast(number, split.body(), rule.get());
        return lastIsland;
      }
    }
    // "..." typed by the person who pasted the report, between its prefixed lines: where they cut. It
    // belongs to the report that printed last, whatever other contexts printed in between.
    if (banner.isEmpty() && !split.prefix().present() && lastTouched != null && open.containsValue(lastTouched)
        && Elisions.isMarker(split.body())) {
      lastTouched.add(new ConsoleLine(number, lastTouched.lines().get(lastTouched.lines().size() - 1).prefix(),
          split.body()));
      return lastTouched;
    }
    // A banner line whose own prefix was damaged ("[  312.11BUG: KASAN: ...", two printk calls
    // racing) goes on in the context of the prefixed lines right after it.
    if (banner.isEmpty() && split.prefix().present() && lastIsland != null && lastIsland.context().isEmpty()
        && lastIsland.onlyHeader() && open.get("") == lastIsland && !open.containsKey(context)) {
      open.remove("");
      lastIsland.adopt(context);
      open.put(context, lastIsland);
    }
    Island ending = open.get(context);
    if (ending != null && ending.closedBySeparator()) {
      // The rule seen last either closed that report or opens the next one: this line tells.
      open.remove(context);
      // Only the sanitizers print a rule above their header; any other oops leaves the rule to close
      // the report before it.
      if (banner.isPresent() && Banners.sanitizer(banner.get().banner())) {
        ConsoleLine rule = ending.removeLast();
        ending.close(Island.End.NEXT_REPORT, rule.number());
      } else {
        ending.close(Island.End.SEPARATOR, ending.lines().get(ending.lines().size() - 1).number());
      }
      finish(ending);
    }
    if (banner.isPresent()) {
      // A banner glued after other text ("...done.BUG: KASAN: ...") starts at the banner.
      String body = split.body().substring(banner.get().index());
      ConsoleLine header = new ConsoleLine(number, split.prefix(), body);
      Island current = open.get(context);
      if (current != null && current.repeatsHeader(body)) {
        current.addHeader(header);
        remember(context, header);
        return current;
      }
      ConsoleLine whole = new ConsoleLine(number, split.prefix(), split.body());
      feedTails(context, whole);
      Island interrupted = open.remove(context);
      boolean share = interrupted != null && shares(interrupted, banner.get().banner(), body);
      if (interrupted != null && !share) {
        interrupt(interrupted, Island.End.NEXT_REPORT, number, whole);
      }
      Island island = new Island(banner.get().banner(), context);
      island.opened(consoleLines);
      // The rule (or the "cut here" block) belongs to this report unless a report handed on already
      // starts after it: islands go out in order of first line (ParserFuzzTest found one of two
      // interleaved reports of testdata/logs/multi/two-reports-interleaved-caller-ids.log coming out
      // of order).
      for (ConsoleLine before : OopsExtent.leadIn(island.banner(), recent(context))) {
        if (before.number() < number && before.number() >= handedFirstLine) {
          island.add(before);
        }
      }
      if (island.banner() != Banner.REBOOT) {
        island.addHeader(header);
      }
      open.put(context, island);
      if (island.banner() == Banner.REBOOT) {
        // the kernel line seen before comes first (the kernel ran); the lines after it are the new kernel's
        // boot, no part of the report
        if (kernelLine != null && kernelLine.number() < number && kernelLine.number() >= handedFirstLine) {
          island.add(kernelLine);
        }
        island.addHeader(header);
        open.remove(context);
        island.close(Island.End.ONE_LINE, number);
        finish(island);
        return island;
      }
      if (share) {
        interrupted.startSharing(consoleLines);
        island.startSharing(consoleLines);
        sharing.put(context, new Sharing(interrupted, island));
      }
      justOpened = island;
      justOpenedLine = number;
      remember(context, header);
      cpuTraceback(context, header);
      return island;
    }
    if (justOpened != null && justOpenedLine == number - 1 && split.body().contains(OopsExtent.REPLAY)
        && open.get(justOpened.context()) == justOpened) {
      // "INFO: t" then "** replaying previous printk message **": syzkaller skips such a header.
      open.remove(justOpened.context());
      justOpened = null;
      return null;
    }
    ConsoleLine line = new ConsoleLine(number, split.prefix(), split.body());
    remember(context, line);
    feedTails(context, line);
    cpuTraceback(context, line);
    Island island = open.get(context);
    if (island == null) {
      return null;
    }
    Sharing shared = sharing.get(context);
    if (shared != null && shared.second() == island) {
      Island first = shared.first();
      switch (Interleave.route(first, island, line.body())) {
        case FIRST -> {
          island.leftOut();
          first.add(line);
          first.note(line.body(), consoleLines);
          first.touch(consoleLines);
          if (first.lines().size() >= Island.MAX_LINES) {
            sharing.remove(context);
            first.close(Island.End.TOO_LONG, number);
            finish(first);
          }
          return first;
        }
        case NEITHER -> {
          first.leftOut();
          island.leftOut();
          return null;
        }
        case SECOND -> {
          first.leftOut();
          island.note(line.body(), consoleLines);
          if (first.stackEnded()) {
            // the first report's output is over: the second's own goes on alone
            sharing.remove(context);
            first.close(Island.End.OTHER_OOPS, first.lastNumber());
            finish(first);
          }
        }
      }
    }
    if (OopsExtent.stopsBefore(island, line.body())) {
      // The panic that panic_on_warn raises, or the lockdep report an oops provokes, after enough
      // of the report: the rest is not this report's (syzkaller stops collecting there too).
      open.remove(context);
      island.close(Island.End.PANIC_TAIL, number);
      finish(island);
      return null;
    }
    if (OopsExtent.dropped(island, line.body())) {
      return island;
    }
    if (OopsExtent.interruptedBy(island, line.body())) {
      open.remove(context);
      interrupt(island, Island.End.OTHER_OOPS, number, line);
      return null;
    }
    island.add(line);
    // A rule is the report's end unless the next line of this context is a banner; the island
    // stays open until that line (or the end of the log) decides.
    if (!island.closedBySeparator() && island.lines().size() >= Island.MAX_LINES) {
      open.remove(context);
      island.close(Island.End.TOO_LONG, number);
      finish(island);
    }
    return island;
  }

  @Override
  public void end(long lines) {
    for (Sharing s : sharing.values()) {
      s.first().close(Island.End.END_OF_LOG, lines);
      closed.add(s.first());
    }
    sharing.clear();
    for (Island tail : tails) {
      tail.close(Island.End.END_OF_LOG, lines);
      closed.add(tail);
    }
    tails.clear();
    for (Island island : open.values()) {
      if (island.closedBySeparator()) {
        island.close(Island.End.SEPARATOR, island.lines().get(island.lines().size() - 1).number());
      } else {
        island.close(Island.End.END_OF_LOG, lines);
      }
      closed.add(island);
    }
    open.clear();
    flush(null);
  }

  private void finish(Island island) {
    closed.add(island);
    Island oldestOpen = null;
    for (Island i : open.values()) {
      oldestOpen = oldestOpen == null || LOG_ORDER.compare(i, oldestOpen) < 0 ? i : oldestOpen;
    }
    for (Island i : tails) {
      oldestOpen = oldestOpen == null || LOG_ORDER.compare(i, oldestOpen) < 0 ? i : oldestOpen;
    }
    for (Sharing s : sharing.values()) {
      Island i = s.first();
      oldestOpen = oldestOpen == null || LOG_ORDER.compare(i, oldestOpen) < 0 ? i : oldestOpen;
    }
    flush(oldestOpen);
  }

  /**
   * Whether the oops report {@code island}, still printing, goes on beside a second oops that starts in
   * its context: only without caller ids (with them each task's lines are its own, and an oops of the
   * same task continues through a tail), between oops reports (a sanitizer's report is printed whole,
   * under its report lock, and closes with its rule), two at a time, and not when the first report is
   * whole and the line is the panic or lockdep report it provoked. Only while the first is still printing
   * its header block (no stack heading yet: after it, a second header is a report of its own that the first
   * provoked or that follows it) and only an oops of the same kind: its lines follow the first's (Interleave
   * tells them apart by that order); a different kind keeps ending the first.
   */
  private boolean shares(Island island, Banner second, String header) {
    return island.banner() == second && !OopsExtent.goesOnAfter(island) && !Banners.sanitizer(second)
        && !island.closedBySeparator() && !island.interrupted() && !sharing.containsKey(island.context())
        && !OopsExtent.stopsBefore(island, header) && !island.headingPrinted();
  }

  // A line the kernel printed: a console prefix, and not another program's syslog line.
  private static boolean kernelPrefix(ConsolePrefix p) {
    return p.present() && p.syslogTag().map("kernel"::equals).orElse(true);
  }

  // A first report whose second is no longer open (closed, interrupted by a third oops) is over too.
  private void settleSharing() {
    var it = sharing.entrySet().iterator();
    while (it.hasNext()) {
      var e = it.next();
      if (open.get(e.getKey()) != e.getValue().second()) {
        it.remove();
        Island first = e.getValue().first();
        first.close(Island.End.OTHER_OOPS, first.lastNumber());
        finish(first);
      }
    }
  }

  /**
   * Another oops starts in the island's context. A sanitizer report (which has a closing rule) or an
   * oops without a task or cpu context ends there. An oops of a task or cpu context goes on as a
   * tail: the interrupting oops came from the same task, and its stack may be the only one the first
   * report gets (a lockdep report cut by the page fault it provoked).
   */
  private void interrupt(Island island, Island.End why, long number, ConsoleLine line) {
    if (OopsExtent.stopsBefore(island, line.body())) {
      island.close(Island.End.PANIC_TAIL, number);
      finish(island);
      return;
    }
    if (OopsExtent.goesOnAfter(island)) {
      island.markInterrupted(number);
      island.add(line);
      island.touch(consoleLines);
      tails.add(island);
      return;
    }
    island.close(why, number);
    finish(island);
  }

  // Gives a line of `context` to the tails of that context; a tail that has had enough is closed.
  private void feedTails(String context, ConsoleLine line) {
    if (tails.isEmpty()) {
      return;
    }
    var it = tails.iterator();
    while (it.hasNext()) {
      Island tail = it.next();
      if (!tail.context().equals(context) && !tail.takesCpuLines(context)) {
        continue;
      }
      if (!OopsExtent.dropped(tail, line.body())) {
        tail.add(line);
        tail.touch(consoleLines);
      }
      if (OopsExtent.tailFull(tail) || OopsExtent.stopsBefore(tail, line.body())) {
        it.remove();
        tail.close(Island.End.OTHER_OOPS, tail.interruptedAt());
        finish(tail);
      }
    }
  }

  // After "Sending NMI from CPU 1 to CPUs 0:" the other cpus' backtraces (their own [Cn] contexts)
  // belong to the report, as syzkaller takes them; the island of the line's own context, if any,
  // keeps it too.
  private void cpuTraceback(String context, ConsoleLine line) {
    for (Island island : open.values()) {
      if (!island.context().equals(context) && island.takesCpuLines(context)) {
        if (OopsExtent.cpuLineBelongs(island, line.body())) {
          island.add(line);
          island.touch(consoleLines);
        }
      }
    }
  }

  private void remember(String context, ConsoleLine line) {
    java.util.ArrayDeque<ConsoleLine> q = previous.computeIfAbsent(context, k -> new java.util.ArrayDeque<>());
    if (q.size() == OopsExtent.LEAD_IN_LINES) {
      q.removeFirst();
    }
    q.addLast(line);
  }

  private List<ConsoleLine> recent(String context) {
    java.util.ArrayDeque<ConsoleLine> q = previous.get(context);
    return q == null ? List.of() : List.copyOf(q);
  }

  // Hands over closed islands that start before every open one (null: none is open), in log order.
  private void flush(Island before) {
    while (!closed.isEmpty() && (before == null || LOG_ORDER.compare(closed.peek(), before) < 0)) {
      Island island = closed.poll();
      sink.accept(island);
      handedFirstLine = Math.max(handedFirstLine, island.firstLine());
    }
  }

  /**
   * Reports whose printk context printed nothing more for this many console lines are over: the log
   * went on without them (a report pasted ahead of a console log, a banner whose prefix was damaged,
   * the tail of a task that printed its last line). Real reports print their lines within a few
   * hundred lines of each other, whatever other contexts print.
   */
  static final int STALE_LINES = 4000;
  /**
   * An island of lines without a console prefix ends sooner when lines with prefixes follow it: its
   * own lines came together (a report pasted ahead of a dmesg, executor output).
   */
  static final int STALE_UNPREFIXED_LINES = 64;

  // Closes open islands and tails that went stale, so that a report never waits for the end of the
  // log behind one that will get no more lines (issue 19: output held to the end).
  private void closeStale() {
    if ((open.isEmpty() && tails.isEmpty()) || consoleLines % 32 != 0) {
      return;
    }
    List<Island> stale = new ArrayList<>();
    for (Island island : open.values()) {
      if (stale(island)) {
        stale.add(island);
      }
    }
    for (Island island : stale) {
      open.remove(island.context());
      island.close(island.closedBySeparator() ? Island.End.SEPARATOR : Island.End.STALE, island.lastNumber());
      finish(island);
    }
    stale.clear();
    for (Island tail : tails) {
      if (stale(tail)) {
        stale.add(tail);
      }
    }
    for (Island tail : stale) {
      tails.remove(tail);
      // As when it is full: the report is what came before the interruption plus its tail.
      tail.close(Island.End.OTHER_OOPS, tail.interruptedAt());
      finish(tail);
    }
  }

  private boolean stale(Island island) {
    long limit = island.context().isEmpty() ? STALE_UNPREFIXED_LINES : STALE_LINES;
    return consoleLines - island.touched() > limit;
  }
}
