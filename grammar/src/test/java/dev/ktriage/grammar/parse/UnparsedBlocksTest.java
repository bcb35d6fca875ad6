package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Blocks that start like a crash report but that no report grammar reads: they give no report, never
 * an exception, and {@link ParseStats} counts and names them so that the cli can say so (issue 16:
 * "how many held something that looked like a crash but could not be parsed (named), never nothing").
 * The logs are testdata logs with one line damaged the way a fuzzed console damages them: another
 * cpu's banner glued into the line after a cut time stamp (found by mutating testdata logs).
 */
class UnparsedBlocksTest {

  private record Parsed(List<Report> reports, ParseStats stats) {}

  private static Parsed parse(String text) throws IOException {
    List<Report> reports = new ArrayList<>();
    ParseStats stats = new KernelLogParser().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
        "damaged.log", reports::add);
    return new Parsed(reports, stats);
  }

  private static String damaged(String log, String line, String replacement) {
    String text = new String(TestLogs.bytes("testdata/logs/" + log), StandardCharsets.UTF_8);
    assertTrue(text.contains(line + "\n"), line);
    return text.replace(line + "\n", replacement + "\n");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "lockdep/nested-lock-not-taken-x86_64-6.0.log|[  293.010800][T13544] syz-executor.3/13544 is trying to lock:"
          + "|[  293.010800]BUG: KMSAN: [T13544] syz-executor.3/13544 is trying to lock:"
          + "|5|BUG: KMSAN: [T13544] syz-executor.3/13544 is trying to lock:",
      "lockdep/lock-held-returning-to-user-x86_64-6.4.log|[  197.075600][T17896] syz-executor.0/17896 is leaving the "
          + "kernel with locks still held!|[  197.075general protection fault600][T17896] syz-executor.0/17896 is leaving "
          + "the kernel with locks still held!|5|general protection fault600][T17896] syz-executor.0/17896 is leaving "
          + "the kernel with locks still hel..."})
  void aBannerGluedIntoAnotherReportsLineIsNamedNotThrown(String log, String line, String glued, long at, String text)
      throws IOException {
    Parsed p = parse(damaged(log, line, glued));
    assertEquals(1, p.stats().unparsed(), () -> p.stats().unparsedBlocks().toString());
    assertEquals(List.of(new ParseStats.Unparsed("damaged.log", at, text)), p.stats().unparsedBlocks());
    assertEquals(p.reports().size(), p.stats().reports());
  }

  // Every literal the lexer knows (banners and line heads), alone on a line that was cut right after
  // it (its trailing blank gone with the line's end): no exception, a report or a named block.
  @Test
  void everyBannerCutRightAfterItselfParses() throws IOException {
    int literals = 0;
    for (int t = 1; t <= KernelReportLexer.VOCABULARY.getMaxTokenType(); t++) {
      String lit = KernelReportLexer.VOCABULARY.getLiteralName(t);
      if (lit == null) {
        continue;
      }
      literals++;
      String word = lit.substring(1, lit.length() - 1).replace("\\'", "'").strip();
      for (String text : List.of("[   12.345678] " + word + "\n", "[   12.345678] " + word,
          "[   12.345678] ------------[ cut here ]------------\n[   12.345679] " + word + "\n")) {
        Parsed p = parse(text);
        assertTrue(p.stats().reports() + p.stats().unparsed() <= 2, text);
      }
    }
    assertTrue(literals > 50, "the lexer's literals: " + literals);
  }
}
