package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import dev.ktriage.model.Suppression;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Suppressed reports: a log whose output says the fuzzing machine failed (scan.Suppressions) has its reports
 * returned with {@link Report#suppression()} set, wherever in the log the line is: before the report, after
 * it, or in a part of the log the byte scanner skips.
 */
class SuppressedReportsTest {

  @Test
  void theOomKillerTakingTheFuzzerBeforeTheReportSuppressesIt() {
    Report r = TestLogs.only("suppressed/fuzzer-oom-killed-then-warning-x86_64-6.1.log");
    assertEquals("WARNING in ext4_set_page_dirty", r.title().title());
    Suppression s = r.suppression().orElseThrow();
    assertEquals(41, s.logLine()); // "Out of memory: Killed process 4213 (syz-fuzzer) ..."
    assertTrue(s.reason().contains("OOM killer"), s.reason());
  }

  @Test
  void userSpaceStackSmashingAfterTheReportSuppressesIt() {
    Report r = TestLogs.only("suppressed/warning-then-user-space-stack-smashing-x86_64-5.15.log");
    assertEquals("WARNING in skb_try_coalesce", r.title().title());
    assertEquals(42, r.suppression().orElseThrow().logLine());
  }

  @Test
  void theOomKillerTakingAnExecutorIsNoSuppression() {
    Report r = TestLogs.only("suppressed/fuzzer-executor-oom-kill-not-suppressed-x86_64-6.1.log");
    assertEquals("WARNING in ext4_set_page_dirty", r.title().title());
    assertFalse(r.suppressed());
  }

  // Console chatter no mark of the scanner is in, so that it skips the blocks made of it.
  private static String chatter(int from, int n) {
    StringBuilder b = new StringBuilder();
    for (int i = from; i < from + n; i++) {
      b.append(String.format(Locale.ROOT, "[%5d.%06d][ T3010] loop0: detected capacity change from 0 to %d%n",
          i / 1000, i % 1000 * 1000, 4096 + i));
    }
    return b.toString();
  }

  private static final String OOM = "[  171.659316][ T4213] Out of memory: Killed process 4213 (syz-fuzzer) "
      + "total-vm:1241120kB, anon-rss:88712kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:432kB oom_score_adj:0\n";

  private static String warning() {
    return new String(TestLogs.bytes("testdata/logs/suppressed/fuzzer-executor-oom-kill-not-suppressed-x86_64-6.1.log"),
        StandardCharsets.UTF_8).lines().skip(2).map(l -> l + "\n").reduce("", String::concat);
  }

  private static List<Report> parse(String log, int blockSize) throws IOException {
    List<Report> out = new ArrayList<>();
    new KernelLogParser(blockSize).parse(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8)), "-", out::add);
    return out;
  }

  @Test
  void aSuppressionLineInASkippedBlockCountsBeforeAndAfterTheReport() throws IOException {
    String before = chatter(0, 20_000) + OOM + chatter(20_000, 20_000) + warning() + chatter(40_000, 100);
    String after = chatter(0, 100) + warning() + chatter(100, 20_000) + OOM + chatter(20_100, 20_000);
    for (int block : new int[] {64, 4096, 1 << 20}) {
      for (String log : List.of(before, after)) {
        List<Report> reports = parse(log, block);
        assertEquals(1, reports.size(), "block " + block);
        long line = log.substring(0, log.indexOf(OOM)).lines().count() + 1;
        assertEquals(Optional.of(line), reports.get(0).suppression().map(Suppression::logLine), "block " + block);
      }
      assertFalse(parse(chatter(0, 20_000) + warning() + chatter(20_000, 100), block).get(0).suppressed());
    }
  }

  @Test
  void reportsWaitForTheLogsEndUpToABound() throws IOException {
    StringBuilder log = new StringBuilder();
    int n = SuppressionLook.HELD + 3;
    for (int i = 0; i < n; i++) {
      // a report of a task context is over once 4,000 lines of others came after it (IslandTracker.STALE_LINES)
      log.append(warning()).append(chatter(i * 4100, 4100));
    }
    log.append(OOM);
    List<Report> reports = parse(log.toString(), 4096);
    assertEquals(n, reports.size());
    // the first three went out before the line was seen; the ones held to the end carry it
    assertEquals(List.of(false, false, false), reports.subList(0, 3).stream().map(Report::suppressed).toList());
    assertTrue(reports.subList(3, n).stream().allMatch(Report::suppressed));
  }

  @Test
  void heldReportsAreGivenWhenTheInputFailsMidway() {
    byte[] log = (warning() + chatter(0, 20_000)).getBytes(StandardCharsets.UTF_8);
    InputStream failing = new InputStream() {
      private int at;

      @Override
      public int read() throws IOException {
        if (at == log.length) {
          throw new IOException("damaged");
        }
        return log[at++] & 0xff;
      }
    };
    List<Report> out = new ArrayList<>();
    try {
      new KernelLogParser().parse(failing, "-", out::add);
    } catch (IOException expected) {
      // the reports read before the damage are still given
    }
    assertEquals(1, out.size());
  }
}
