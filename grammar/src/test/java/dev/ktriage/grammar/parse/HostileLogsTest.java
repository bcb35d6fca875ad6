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

  private static void reportsComeOutBeforeTheEnd(String head) throws IOException {
    StringBuilder log = new StringBuilder(head);
    for (int i = 0; i < 3000; i++) {
      log.append(report(i, "T" + (100 + i % 5)));
    }
    byte[] bytes = log.toString().getBytes(StandardCharsets.UTF_8);
    Counting in = new Counting(bytes);
    List<Integer> readAt = new ArrayList<>();
    List<Report> reports = new ArrayList<>();
    new KernelLogParser().parse((InputStream) in, "hostile.log", r -> {
      reports.add(r);
      readAt.add(in.consumed());
    });
    assertEquals(3001, reports.size());
    // The pasted report ends when the prefixed lines make clear it gets no more lines; the reports
    // after it are not held behind it to the end of the input.
    assertTrue(readAt.get(0) < bytes.length / 4, "first report handed over after " + readAt.get(0) + " of "
        + bytes.length + " bytes");
    assertEquals(CorruptionReason.TRUNCATED, reports.get(0).corruption().orElseThrow().reason());
    assertTrue(reports.get(1).corruption().isEmpty());
  }

  @Test
  void aBannerWithoutPrefixAheadOfAConsoleLogHoldsNothing() throws IOException {
    reportsComeOutBeforeTheEnd("BUG: KASAN: use-after-free in pasted_report+0x10/0x20\n"
        + "Read of size 8 at addr ffff888012345678 by task a/1\n");
  }

  @Test
  void aBannerWithADamagedTimestampHoldsNothing() throws IOException {
    reportsComeOutBeforeTheEnd("[    9.99BUG: KASAN: use-after-free in pasted_report+0x10/0x20\n"
        + "Read of size 8 at addr ffff888012345678 by task a/1\n");
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
