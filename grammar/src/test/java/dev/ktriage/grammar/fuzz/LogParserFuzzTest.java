package dev.ktriage.grammar.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.parse.ParseStats;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The log parser on any input: it never throws, and what it reports holds together. In a normal build
 * these run once over the saved inputs in {@code src/test/resources/.../LogParserFuzzTestInputs/}
 * (every finding is kept there); {@code bench/fuzz/run.sh} fuzzes them.
 */
class LogParserFuzzTest {
  private static final LogMutator MUTATOR = LogMutator.ofTestdata();

  /** Raw bytes: invalid UTF-8, NULs, control characters, no newlines, anything. */
  @FuzzTest(maxDuration = "1h")
  void anyBytes(byte[] log) throws IOException {
    check(log);
  }

  /** Testdata logs edited the ways real logs go wrong ({@link LogMutator}). */
  @FuzzTest(maxDuration = "1h")
  void mutatedTestdataLogs(FuzzedDataProvider data) throws IOException {
    check(MUTATOR.log(data));
  }

  /**
   * Parses {@code log}: no exception; every report lies within the log, in order, with a title; and
   * the same log parses the same way with the scanner's blocks cut elsewhere.
   */
  static void check(byte[] log) throws IOException {
    List<Report> reports = new ArrayList<>();
    ParseStats stats = new KernelLogParser().parse(new ByteArrayInputStream(log), "fuzz.log", reports::add);
    long lines = stats.lines();
    for (Report r : reports) {
      var span = r.source();
      assertTrue(span.firstLine() >= 1 && span.firstLine() <= span.lastLine() && span.lastLine() <= Math.max(1, lines),
          "span " + span + " in a log of " + lines + " lines");
      assertTrue(!r.title().title().isEmpty(), "empty title");
    }
    for (int i = 1; i < reports.size(); i++) {
      // One line may hold two reports (two banners glued into one printk line): the same lines, other
      // headers. The same report twice is a fault.
      Report a = reports.get(i - 1);
      Report b = reports.get(i);
      assertTrue(!a.source().equals(b.source()) || !a.header().equals(b.header()),
          "the same report twice: " + b.source() + ": " + b.header());
    }
    List<Report> again = new ArrayList<>();
    new KernelLogParser().parse(new ByteArrayInputStream(log), "fuzz.log", again::add);
    assertEquals(reports, again, "parsing is not deterministic");
  }
}
