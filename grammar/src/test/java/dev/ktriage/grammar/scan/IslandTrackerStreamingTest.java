package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 1, counted in lines instead of seconds: the tracker hands each report over within a
 * bounded number of lines after its last one, whatever an earlier report without a console prefix
 * does. Held reports are what made the parse quadratic (the held list was re-sorted on every report)
 * and what held the output to the end of the log.
 */
class IslandTrackerStreamingTest {

  // mm/kasan/report.c print_report() between its two rules, with a CONFIG_PRINTK_CALLER prefix.
  private static List<String> report(int i) {
    String p = String.format(Locale.ROOT, "[%6d.%06d][ T%d] ", 10 + i, i, 100 + i % 5);
    return List.of(p + "=".repeat(66),
        p + "BUG: KASAN: slab-out-of-bounds in foo_write+0x1a/0x40",
        p + "Write of size 1 at addr ffff888012345678 by task a/1",
        p + "Call Trace:",
        p + " foo_write+0x1a/0x40",
        p + " do_syscall_64+0x35/0xb0",
        p + "=".repeat(66));
  }

  /** Feeds lines one by one; records, for each island handed over, its last line and the line fed then. */
  private static final class Feed {
    final List<long[]> handed = new ArrayList<>();
    long fed;
    final IslandTracker tracker = new IslandTracker(island -> handed.add(new long[] {island.endLine(), fed}));

    void line(String text) {
      fed++;
      tracker.line(fed, text, false);
    }
  }

  // Reports of five tasks take turns, so a report's closing rule is confirmed when its task prints
  // again five reports later; the head's island ends when its context stayed silent for
  // STALE_UNPREFIXED_LINES (checked every 32 lines).
  private static final long PROMPT = IslandTracker.STALE_UNPREFIXED_LINES + 32 + 6 * 8;

  private static void everyReportComesOutSoonAfterItsEnd(List<String> head) {
    Feed feed = new Feed();
    head.forEach(feed::line);
    int reports = 5000;
    for (int i = 0; i < reports; i++) {
      report(i).forEach(feed::line);
      // Another task's chatter between reports, as in any console log.
      feed.line(String.format(Locale.ROOT, "[%6d.%06d][    T1] executing program %d", 10 + i, i + 1, i));
    }
    feed.tracker.end(feed.fed);
    assertEquals(reports + 1, feed.handed.size(), "every report, and the one of the head");
    for (long[] h : feed.handed) {
      assertTrue(h[1] - h[0] <= PROMPT, "the report that ends at line " + h[0] + " came out at line " + h[1]);
    }
  }

  @Test
  void linesJoinedByBareCarriageReturnsHoldNothing() {
    // A console captured with bare '\r' line ends: the scanner splits the lines, but they all share
    // the first log line's number (line numbers count '\n's, as grep -n does). Each report still
    // comes out within a few reports of its end, not at the end of the log.
    List<Integer> handedAt = new ArrayList<>();
    int[] fed = {0};
    IslandTracker tracker = new IslandTracker(island -> handedAt.add(fed[0]));
    int reports = 5000;
    for (int i = 0; i < reports; i++) {
      for (String line : report(i)) {
        fed[0]++;
        tracker.line(1, line, false);
      }
      fed[0]++;
      tracker.line(1, String.format(Locale.ROOT, "[%6d.%06d][    T1] executing program %d", 10 + i, i + 1, i), false);
    }
    tracker.end(1);
    assertEquals(reports, handedAt.size());
    for (int k = 0; k < reports; k++) {
      long endedAt = (k + 1) * 8L; // report k's closing rule is line 8k+7 of those fed, its chatter 8k+8
      assertTrue(handedAt.get(k) - endedAt <= PROMPT, "report " + k + " ended at line " + endedAt
          + " and came out at line " + handedAt.get(k));
    }
  }

  @Test
  void aBannerWithoutPrefixAheadOfAConsoleLogHoldsNothing() {
    everyReportComesOutSoonAfterItsEnd(List.of("executing program",
        "BUG: KASAN: use-after-free in pasted_report+0x10/0x20",
        "Read of size 8 at addr ffff888012345678 by task a/1"));
  }

  @Test
  void aBannerWithADamagedTimestampHoldsNothing() {
    everyReportComesOutSoonAfterItsEnd(List.of("[    9.99BUG: KASAN: use-after-free in pasted_report+0x10/0x20",
        "Read of size 8 at addr ffff888012345678 by task a/1"));
  }

  // kernel/locking/lockdep.c print_unlock_imbalance_bug(), pasted without console prefixes: an oops
  // report has no closing rule, so only staleness can end it ahead of a console log.
  private static final List<String> UNPREFIXED_LOCKDEP = List.of(
      "=====================================",
      "WARNING: bad unlock balance detected!",
      "6.1.0-rc8-syzkaller #0 Not tainted",
      "-------------------------------------",
      "syz-executor.2/8810 is trying to release lock (rcu_read_lock) at:",
      "[<ffffffff88f7b2d1>] ipmr_mfc_seq_stop+0x41/0x70",
      "but there are no more locks to release!",
      "stack backtrace:",
      "Call Trace:",
      " <TASK>",
      " lock_release+0x5a2/0x710",
      " ipmr_mfc_seq_stop+0x5a/0x70",
      " </TASK>");

  @Test
  void aLockdepReportWithoutPrefixAheadOfAConsoleLogHoldsNothing() {
    everyReportComesOutSoonAfterItsEnd(UNPREFIXED_LOCKDEP);
  }

  // kernel/panic.c __warn() after the cut-here line of report_bug(), in task `caller`'s context.
  private static List<String> warning(int i, String caller) {
    String p = String.format(Locale.ROOT, "[%6d.%06d][%6s] ", 10 + i, i, caller);
    return List.of(p + "------------[ cut here ]------------",
        p + "WARNING: CPU: 0 PID: 5084 at fs/foo.c:123 foo_write+0x1a/0x40",
        p + "Modules linked in:",
        p + "RIP: 0010:foo_write+0x1a/0x40",
        p + "Call Trace:",
        p + " <TASK>",
        p + " do_syscall_64+0x35/0xb0",
        p + " </TASK>");
  }

  @Test
  void anInterruptedOopsOfATaskThatFellSilentIsHeldOnlyUntilItIsStale() {
    // A WARNING of task T7 interrupted by a second one of T7: the first goes on as a tail, collecting
    // T7's lines (OopsExtent), the second is open. T7 prints nothing more; both end once T7 stayed
    // silent for STALE_LINES lines, and the reports held behind them come out then.
    Feed feed = new Feed();
    warning(0, "T7").subList(0, 4).forEach(feed::line);
    warning(0, "T7").forEach(feed::line);
    long lastOfT7 = feed.fed;
    int reports = 2000;
    for (int i = 0; i < reports; i++) {
      report(i).forEach(feed::line);
    }
    feed.tracker.end(feed.fed);
    assertEquals(reports + 2, feed.handed.size());
    long staleAt = lastOfT7 + IslandTracker.STALE_LINES + 32;
    assertTrue(feed.handed.get(0)[1] <= staleAt, "the interrupted report came out at line " + feed.handed.get(0)[1]);
    assertTrue(feed.handed.get(1)[1] <= staleAt, "the interrupting report came out at line " + feed.handed.get(1)[1]);
    for (long[] h : feed.handed) {
      assertTrue(h[1] <= Math.max(staleAt, h[0] + PROMPT), "the report that ends at line " + h[0]
          + " came out at line " + h[1]);
    }
  }

  @Test
  void oopsReportsOfTasksTakingTurnsComeOutOnceTheirTailIsFull() {
    // Five tasks take turns, every other round of five a WARNING each: each WARNING is interrupted by
    // its task's next report and goes on as a tail for TAIL_LINES lines of its task (7 or 8 of every
    // 40 or 45 lines fed); the reports after it in the log wait for it, and no longer.
    Feed feed = new Feed();
    int reports = 4000;
    for (int i = 0; i < reports; i++) {
      String caller = "T" + (100 + i % 5);
      (i / 5 % 2 == 0 ? warning(i, caller) : report(i)).forEach(feed::line);
      feed.line(String.format(Locale.ROOT, "[%6d.%06d][    T1] executing program %d", 10 + i, i + 1, i));
    }
    feed.tracker.end(feed.fed);
    assertEquals(reports, feed.handed.size());
    long window = (OopsExtent.TAIL_LINES / 7 + 2) * 45L + PROMPT;
    for (long[] h : feed.handed) {
      assertTrue(h[1] - h[0] <= window, "the report that ends at line " + h[0] + " came out at line " + h[1]);
    }
  }

  @Test
  void aConsoleReportWithoutItsClosingRuleHoldsTheOthersOnlyUntilItIsStale() {
    // A report of task T7 whose end was lost (its output was cut), then a long log of other tasks: it
    // ends once its context stayed silent for STALE_LINES lines, and the reports held behind it
    // (islands go out in log order) come out then.
    Feed feed = new Feed();
    feed.line("[    1.000000][   T7] " + "=".repeat(66));
    feed.line("[    1.000001][   T7] BUG: KASAN: use-after-free in lost_end+0x10/0x20");
    feed.line("[    1.000002][   T7] Read of size 8 at addr ffff888012345678 by task a/7");
    int reports = 2000;
    for (int i = 0; i < reports; i++) {
      report(i).forEach(feed::line);
    }
    feed.tracker.end(feed.fed);
    assertEquals(reports + 1, feed.handed.size());
    long staleAt = 3 + IslandTracker.STALE_LINES + 32;
    assertTrue(feed.handed.get(0)[1] <= staleAt, "the cut report came out at line " + feed.handed.get(0)[1]);
    for (long[] h : feed.handed) {
      assertTrue(h[1] <= Math.max(staleAt, h[0] + PROMPT), "the report that ends at line " + h[0]
          + " came out at line " + h[1]);
    }
  }
}
