package dev.ktriage.grammar.title;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import dev.ktriage.model.Tool;
import dev.ktriage.grammar.parse.Corpora;
import dev.ktriage.grammar.parse.KernelLogParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * syzkaller's guilty-file corpus ({@code ../shared/corpus/syzkaller/guilty.jsonl}): already
 * symbolized reports with the source file syzbot blames. Every KASAN and KCSAN one must get the
 * same file; the others are other oops kinds, which the parser does not report yet.
 */
class GuiltyFileConformanceTest {

  @Test
  void symbolizedKasanAndKcsanReportsBlameSyzbotsFile() throws IOException {
    Path p = Corpora.sharedFile("syzkaller/guilty.jsonl");
    ObjectMapper m = new ObjectMapper();
    GuiltyFiles guilty = new GuiltyFiles();
    int checked = 0;
    List<String> wrong = new ArrayList<>();
    for (String line : Files.readAllLines(p)) {
      JsonNode r = m.readTree(line);
      String log = r.get("log").asString();
      List<Report> reports = new KernelLogParser().parse(log, r.get("id").asString());
      if (reports.isEmpty() || reports.get(0).tool() != Tool.KASAN && reports.get(0).tool() != Tool.KCSAN) {
        continue; // the other oops kinds: issue 16
      }
      checked++;
      String want = r.get("expected_guilty_file").asString();
      String got = guilty.guiltyFile(reports.get(0)).orElse("<none>");
      if (!got.equals(want)) {
        wrong.add(r.get("id").asString() + ": " + got + " (want " + want + ")");
      }
    }
    System.out.printf(Locale.ROOT, "guilty files: %d KASAN/KCSAN reports checked, %d differ%n", checked, wrong.size());
    assertTrue(checked >= 8, "expected the KASAN/KCSAN records of guilty.jsonl; found " + checked);
    assertEquals(List.of(), wrong);
  }
}
