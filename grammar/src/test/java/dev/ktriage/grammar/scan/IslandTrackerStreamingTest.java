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
