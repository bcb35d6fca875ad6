package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Conformance with syzkaller's own test corpus ({@code ../shared/corpus/syzkaller/reports.jsonl}):
 * for every log whose expected title is a KASAN or KCSAN one, the first report ktriage finds must
 * have the same title, alternative titles (as a set), guilty frame (where the corpus gives one) and
 * corrupted flag; and every one of the logs must parse.
 */
class SyzkallerConformanceTest {

  /**
   * Records where ktriage deliberately differs from syzkaller, with the reason. The test fails if a
   * listed record no longer differs (the list must stay true) or an unlisted one does.
   */
  static final Map<String, String> KNOWN_DIFFERENCES = Map.of(
      "197", "corrupted flag: without caller ids, a general protection fault from another cpu starts "
          + "before this KASAN report's call trace; syzkaller takes the GPF's call trace as the report's "
          + "and calls it complete, ktriage marks it interrupted-by-oops",
      "225", "corrupted flag: without caller ids, a WARNING ('cut here') starts before the report's "
          + "closing rule and the log ends there; syzkaller calls the report complete because its stacks "
          + "were printed, ktriage marks a report cut off by another oops as interrupted-by-oops (same title)",
      "511", "corrupted flag: a page fault ('BUG: unable to handle kernel paging request') starts in the "
          + "middle of the report's call trace; syzkaller keeps the frames it saw and calls the report "
          + "complete, ktriage marks it interrupted-by-oops (same title)");

  @Test
  void kasanAndKcsanTitlesAltTitlesFramesAndCorruptionAgree() {
    int total = 0;
    int titles = 0;
    List<String> unexpected = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (JsonNode r : Corpora.shared("syzkaller")) {
      String want = r.path("title").isNull() ? "" : r.path("title").asString();
      if (!want.startsWith("KASAN:") && !want.startsWith("KCSAN:")) {
        continue;
      }
      total++;
      String id = r.get("id").asString();
      List<Report> reports = new KernelLogParser().parse(r.get("log").asString(), id);
      if (reports.isEmpty()) {
        unexpected.add(id + ": no report found");
        continue;
      }
      Report got = reports.get(0);
      List<String> diffs = new ArrayList<>();
      if (got.title().title().equals(want)) {
        titles++;
      } else {
        diffs.add("title " + got.title().title());
      }
      TreeSet<String> wantAlts = new TreeSet<>();
      r.get("alt_titles").forEach(a -> wantAlts.add(a.asString()));
      if (!new TreeSet<>(got.title().alternatives()).equals(wantAlts)) {
        diffs.add("alts " + got.title().alternatives() + " want " + wantAlts);
      }
      if (!r.path("frame").isNull() && !got.title().guiltyFrame().orElse("").equals(r.get("frame").asString())) {
        diffs.add("frame " + got.title().guiltyFrame() + " want " + r.get("frame").asString());
      }
      if (got.corrupted() != r.get("corrupted").asBoolean()) {
        diffs.add("corrupted " + got.corrupted() + " (" + got.corruption().map(c -> c.detail()).orElse("") + ")");
      }
      if (diffs.isEmpty() && KNOWN_DIFFERENCES.containsKey(id)) {
        stale.add(id);
      } else if (!diffs.isEmpty() && !KNOWN_DIFFERENCES.containsKey(id)) {
        unexpected.add(id + ": " + String.join("; ", diffs));
      }
    }
    double agreement = 100.0 * titles / total;
    System.out.printf(Locale.ROOT, "syzkaller corpus: %d KASAN/KCSAN logs, titles agree on %d (%.1f%%), %d known differences%n",
        total, titles, agreement, KNOWN_DIFFERENCES.size());
    assertTrue(total >= 50, "the corpus should hold the KASAN and KCSAN logs; found " + total);
    assertTrue(agreement >= 98.0, "title agreement " + agreement + "% is below 98%");
    if (!unexpected.isEmpty() || !stale.isEmpty()) {
      fail("unexpected differences: " + unexpected + "; listed but no longer different: " + stale);
    }
  }

  @Test
  void everyLogParsesAndOnlyBannersMakeReports() {
    int logs = 0;
    for (JsonNode r : Corpora.shared("syzkaller")) {
      String log = r.get("log").asString();
      List<Report> reports = new KernelLogParser().parse(log, r.get("id").asString());
      boolean banner = log.contains("BUG: KASAN: ") || log.contains("BUG: KCSAN: ")
          || log.contains("BUG: AddressSanitizer: ");
      if (!banner) {
        assertEquals(List.of(), reports, "log " + r.get("id").asString() + " has no KASAN/KCSAN banner");
      } else {
        assertTrue(!reports.isEmpty(), "log " + r.get("id").asString() + " has a banner but no report");
      }
      logs++;
    }
    assertEquals(517, logs, "the corpus README says it holds 517 logs");
  }
}
