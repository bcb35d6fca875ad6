package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * Issue 19 item 1: shapes of log that held every report to the end of the input (and made the parse
 * quadratic). Each report must come out once it is complete, whatever came before it. Time and memory
 * are measured by bench/parse/hostile.sh, not here.
 */
class HostileLogsTest {

  private static String report(int i, String caller) {
    String p = String.format(Locale.ROOT, "[%6d.%06d][%6s] ", 10 + i, i, caller);
    return p + "==================================================================\n"
        + p + "BUG: KASAN: slab-out-of-bounds in foo_write+0x1a/0x40\n"
        + p + "Write of size 1 at addr ffff888012345678 by task a/1\n"
        + p + "Call Trace:\n"
        + p + " <TASK>\n"
        + p + " foo_write+0x1a/0x40\n"
        + p + " do_syscall_64+0x35/0xb0\n"
        + p + " entry_SYSCALL_64_after_hwframe+0x63/0xcd\n"
        + p + " </TASK>\n"
        + p + "==================================================================\n";
  }

  /** An input that says how much of it was read. */
  private static final class Counting extends ByteArrayInputStream {
    Counting(byte[] b) {
      super(b);
    }

    int consumed() {
      return pos;
    }
  }

  /**
   * How far ahead of the parser the scanner's reader may have read with 4 KiB blocks: its 16 buffers
   * and queue, and the synchronous first 64 KiB (BlockPipeline). A bound, not a timing: however fast
   * either thread runs, a report handed over later than this past its end was held back.
   */
  private static final int READ_AHEAD = 256 * 1024;

  private static List<Report> reportsComeOutBeforeTheEnd(String head) throws IOException {
    StringBuilder log = new StringBuilder(head);
    List<Integer> ends = new ArrayList<>();
    ends.add(head.length());
    for (int i = 0; i < 4000; i++) {
      log.append(report(i, "T" + (100 + i % 5)));
      ends.add(log.length()); // ASCII: chars are bytes
    }
    byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
    Counting in = new Counting(bytes);
    List<Integer> readAt = new ArrayList<>();
    List<Report> reports = new ArrayList<>();
    new KernelLogParser(4096).parse((InputStream) in, "hostile.log", r -> {
      reports.add(r);
      readAt.add(in.consumed());
    });
    assertEquals(4001, reports.size());
    assertTrue(bytes.length > 4 * READ_AHEAD, "the log must be much longer than the read-ahead");
    // The pasted report ends when the prefixed lines make clear it gets no more lines; the reports
    // after it are not held behind it to the end of the input.
    for (int i = 0; i < reports.size(); i++) {
      assertTrue(readAt.get(i) <= ends.get(i) + READ_AHEAD, "report " + i + " ends at byte " + ends.get(i)
          + " and came out after " + readAt.get(i) + " of " + bytes.length + " bytes");
    }
    assertTrue(reports.stream().skip(1).allMatch(r -> r.corruption().isEmpty()));
    return reports;
  }

  @Test
  void aBannerWithoutPrefixAheadOfAConsoleLogHoldsNothing() throws IOException {
    List<Report> r = reportsComeOutBeforeTheEnd("BUG: KASAN: use-after-free in pasted_report+0x10/0x20\n"
        + "Read of size 8 at addr ffff888012345678 by task a/1\n");
    assertEquals(CorruptionReason.TRUNCATED, r.get(0).corruption().orElseThrow().reason());
  }

  @Test
  void aBannerWithADamagedTimestampHoldsNothing() throws IOException {
    List<Report> r = reportsComeOutBeforeTheEnd("[    9.99BUG: KASAN: use-after-free in pasted_report+0x10/0x20\n"
        + "Read of size 8 at addr ffff888012345678 by task a/1\n");
    assertEquals(CorruptionReason.TRUNCATED, r.get(0).corruption().orElseThrow().reason());
  }

  @Test
  void aLockdepReportWithoutPrefixAheadOfAConsoleLogHoldsNothing() throws IOException {
    // kernel/locking/lockdep.c print_unlock_imbalance_bug(), pasted without console prefixes: an oops
    // report has no closing rule, so only the prefixed lines after it can end it.
    List<Report> r = reportsComeOutBeforeTheEnd("=====================================\n"
        + "WARNING: bad unlock balance detected!\n"
        + "6.1.0-rc8-syzkaller #0 Not tainted\n"
        + "-------------------------------------\n"
        + "syz-executor.2/8810 is trying to release lock (rcu_read_lock) at:\n"
        + "[<ffffffff88f7b2d1>] ipmr_mfc_seq_stop+0x41/0x70\n"
        + "but there are no more locks to release!\n"
        + "\n"
        + "stack backtrace:\n"
        + "CPU: 1 PID: 8810 Comm: syz-executor.2 Not tainted 6.1.0-rc8-syzkaller #0\n"
        + "Call Trace:\n"
        + " <TASK>\n"
        + " dump_stack_lvl+0xd1/0x138\n"
        + " lock_release+0x5a2/0x710\n"
        + " ipmr_mfc_seq_stop+0x5a/0x70\n"
        + " seq_read_iter+0x9b5/0x1280\n"
        + " </TASK>\n");
    assertEquals("WARNING: bad unlock balance in ipmr_mfc_seq_stop", r.get(0).title().title());
  }

  @Test
  void aDamagedTimestampOnTheBannerAloneKeepsTheReportWhole() {
    // The banner's prefix was damaged; the report's other lines carry theirs: it goes on in their context.
    String log = "[   12.5000BUG: KASAN: slab-out-of-bounds in foo_write+0x1a/0x40\n"
        + report(1, "T7").lines().skip(2).map(l -> l + "\n").reduce("", String::concat);
    List<Report> r = new KernelLogParser().parse(log, "-");
    assertEquals(1, r.size());
    assertEquals("KASAN: slab-out-of-bounds Write in foo_write", r.get(0).title().title());
    assertTrue(r.get(0).corruption().isEmpty(), () -> r.get(0).corruption().toString());
  }

  @Test
  void linesJoinedByBareCarriageReturnsAreLines() {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      log.append(report(i, "T" + (100 + i % 3)).replace("\n", "\r"));
    }
    log.append("\r\n");
    List<Report> r = new KernelLogParser().parse(log.toString(), "-");
    assertEquals(200, r.size());
    assertTrue(r.stream().allMatch(x -> x.corruption().isEmpty() && x.title().title().equals(
        "KASAN: slab-out-of-bounds Write in foo_write")));
  }
}
