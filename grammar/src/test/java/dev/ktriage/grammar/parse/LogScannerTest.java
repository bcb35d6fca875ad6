package dev.ktriage.grammar.parse;

import dev.ktriage.grammar.scan.LogScanner;
import dev.ktriage.grammar.scan.BlockPipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import java.util.Locale;

/**
 * The scanner skips most of a log in blocks and only decodes lines near banners. Wherever the block
 * boundaries fall (inside a banner, inside a long line, between CR and LF), it must find the same
 * reports at the same lines and count the same lines as a plain line-by-line reading would.
 */
class LogScannerTest {

  private static final String REPORT = String.join("\n",
      "==================================================================",
      "BUG: KASAN: slab-out-of-bounds in foo_write+0x12/0x40",
      "Write of size 8 at addr ffff888012345678 by task t/1",
      "",
      "Call Trace:",
      " foo_write+0x12/0x40",
      " vfs_write+0x1/0x2",
      "==================================================================");

  private record Expected(String log, List<Long> firstLines, long lines) {}

  // Random noise (some lines with capital Bs, some longer than the scanner keeps, some CRLF) with
  // reports at known lines.
  private static Expected randomLog(long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    List<Long> starts = new ArrayList<>();
    long line = 1;
    int reports = 1 + r.nextInt(4);
    for (int rep = 0; rep < reports; rep++) {
      int noise = r.nextInt(40);
      for (int i = 0; i < noise; i++) {
        int kind = r.nextInt(20);
        String text = switch (kind) {
          case 0 -> "Bluetooth: hci0: ODEBUG: not KASAN, B B BUG"; // no banner: ODEBUG: is no BUG:
          case 1 -> "x".repeat(LogScanner.MAX_LINE + r.nextInt(3000)); // a line too long to keep
          case 2 -> "";
          default -> String.format(Locale.ROOT, "[%6d.%06d] noise line %d", r.nextInt(999), r.nextInt(999999), r.nextInt());
        };
        b.append(text).append(r.nextInt(10) == 0 ? "\r\n" : "\n");
        line++;
      }
      starts.add(line);
      b.append(REPORT).append('\n');
      line += REPORT.split("\n", -1).length;
    }
    b.append("tail\n");
    line++;
    return new Expected(b.toString(), starts, line - 1);
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 8, 64, 97, 4096, BlockPipeline.BLOCK})
  void blockBoundariesDoNotChangeWhatIsFound(int blockSize) throws IOException {
    for (long seed = 0; seed < 40; seed++) {
      Expected e = randomLog(seed);
      List<Report> found = new ArrayList<>();
      ParseStats stats = new KernelLogParser(blockSize).parse(
          new ByteArrayInputStream(e.log().getBytes(StandardCharsets.UTF_8)), "random.log", found::add);
      assertEquals(e.firstLines(), found.stream().map(x -> x.source().firstLine()).toList(),
          "seed " + seed + ", block size " + blockSize);
      for (Report x : found) {
        assertEquals("KASAN: slab-out-of-bounds Write in foo_write", x.title().title(), "seed " + seed);
        assertEquals(false, x.corrupted(), "seed " + seed + ": " + x.corruption());
      }
      assertEquals(e.lines(), stats.lines(), "line count, seed " + seed + ", block size " + blockSize);
    }
  }

  // Like randomLog, with some line ends a bare '\r' (a console that never sends '\n'; line numbers
  // count '\n' only, like grep -n), inside the reports too; says how many lines are too long.
  private record CrLog(String log, List<Long> firstLines, long lines, long longLines) {}

  private static CrLog bareCrLog(long seed) {
    Random r = new Random(seed);
    StringBuilder b = new StringBuilder();
    List<Long> starts = new ArrayList<>();
    long line = 1;
    long longLines = 0;
    for (int rep = 0; rep < 1 + r.nextInt(4); rep++) {
      int noise = r.nextInt(400);
      for (int i = 0; i < noise; i++) {
        boolean tooLong = r.nextInt(60) == 0;
        longLines += tooLong ? 1 : 0;
        b.append(tooLong ? "y".repeat(LogScanner.MAX_LINE + r.nextInt(3000))
            : String.format(Locale.ROOT, "[%6d.%06d] noise %d", r.nextInt(999), r.nextInt(999999), r.nextInt()));
        boolean cr = r.nextInt(3) > 0;
        b.append(cr ? "\r" : "\n");
        line += cr ? 0 : 1;
      }
      starts.add(line);
      String end = r.nextBoolean() ? "\r" : "\n";
      b.append(REPORT.replace("\n", end)).append('\n');
      line += end.equals("\n") ? REPORT.split("\n", -1).length : 1;
    }
    b.append("tail\n");
    return new CrLog(b.toString(), starts, line, longLines);
  }

  /**
   * Issue 19 item 1: lines joined by bare '\r' are lines for every path of the scanner (its fast
   * path used to take a '\r'-joined run as one long line: cut, and rescanned per delivered line).
   */
  @ParameterizedTest
  @ValueSource(ints = {7, 64, 4096, BlockPipeline.BLOCK})
  void bareCarriageReturnsEndLinesWhereverBlocksEnd(int blockSize) throws IOException {
    for (long seed = 0; seed < 30; seed++) {
      CrLog e = bareCrLog(seed);
      List<Report> found = new ArrayList<>();
      ParseStats stats = new KernelLogParser(blockSize).parse(
          new ByteArrayInputStream(e.log().getBytes(StandardCharsets.UTF_8)), "cr.log", found::add);
      String where = "seed " + seed + ", block size " + blockSize;
      assertEquals(e.firstLines(), found.stream().map(x -> x.source().firstLine()).toList(), where);
      for (Report x : found) {
        assertEquals("KASAN: slab-out-of-bounds Write in foo_write", x.title().title(), where);
        assertEquals(false, x.corrupted(), where + ": " + x.corruption());
      }
      assertEquals(e.lines(), stats.lines(), "line count, " + where);
      // Skipped blocks do not count every long line in them, but a run of '\r'-joined lines is no
      // long line (the fast path took one for a cut line of 16 KiB).
      assertTrue(stats.cutLines() <= e.longLines(), stats.cutLines() + " lines cut, " + where);
    }
  }
}
