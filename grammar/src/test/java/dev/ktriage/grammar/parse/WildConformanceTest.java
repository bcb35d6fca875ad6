package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ktriage.model.AccessOp;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * Conformance with real reports as people posted them ({@code ../shared/corpus/wild/reports.jsonl}:
 * mail-wrapped, quoted, trimmed, six architectures, kernels 3.19 to 7.x). Every complete KASAN and
 * KCSAN record must give a report of that tool and bug type, not corrupted, with the direction and
 * size of its access line.
 */
class WildConformanceTest {

  /** Records that cannot meet that, with the reason; the test fails if one of them starts to. */
  static final Map<String, String> EXCEPTIONS = Map.of(
      "wild-194", "as posted, there is no access line, and the call trace lists bare function names "
          + "without offsets, which no kernel prints; marked no-access-line");

  // The test's own reading of the access line, independent of the grammar.
  private static final Pattern KASAN_ACCESS = Pattern.compile("(Read|Write) (?:of size (\\d+)|at addr)");
  private static final Pattern KCSAN_ACCESS = Pattern.compile(
      "(read-write|read|write|assert no writes|assert no accesses)(?: \\([a-z]+\\))* to (?:0x)?[0-9a-f]+ of (\\d+) bytes");

  @Test
  void completeKasanAndKcsanReportsComeOutRight() {
    int total = 0;
    int good = 0;
    List<String> unexpected = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (JsonNode r : Corpora.shared("wild")) {
      String tool = r.get("tool").asString();
      if (!(tool.equals("KASAN") || tool.equals("KCSAN")) || r.get("truncated").asBoolean()) {
        continue;
      }
      total++;
      String id = r.get("id").asString();
      String text = r.get("dequoted").asString();
      List<Report> reports = new KernelLogParser().parse(text, id);
      String problem = reports.isEmpty() ? "no report" : check(reports.get(0), r, text);
      if (problem == null) {
        good++;
        if (EXCEPTIONS.containsKey(id)) {
          stale.add(id);
        }
      } else if (!EXCEPTIONS.containsKey(id)) {
        unexpected.add(id + ": " + problem);
      }
    }
    double rate = 100.0 * good / total;
    System.out.printf(Locale.ROOT, "wild corpus: %d complete KASAN/KCSAN reports, %d right (%.1f%%), %d listed exceptions%n",
        total, good, rate, EXCEPTIONS.size());
    assertTrue(total >= 60, "expected the complete KASAN/KCSAN records; found " + total);
    assertTrue(rate >= 98.0, "only " + rate + "% right");
    if (!unexpected.isEmpty() || !stale.isEmpty()) {
      fail("unexpected: " + unexpected + "; listed but now right: " + stale);
    }
  }

  /**
   * Every complete KMSAN, KFENCE and UBSAN record, as posted (quoted, wrapped), must give a report of
   * that tool and bug type that is not corrupted.
   */
  @Test
  void completeKmsanKfenceAndUbsanReportsComeOutRight() {
    int total = 0;
    List<String> wrong = new ArrayList<>();
    for (JsonNode r : Corpora.shared("wild")) {
      String tool = r.get("tool").asString();
      if (!(tool.equals("KMSAN") || tool.equals("KFENCE") || tool.equals("UBSAN")) || r.get("truncated").asBoolean()) {
        continue;
      }
      total++;
      String id = r.get("id").asString();
      List<Report> reports = new KernelLogParser().parse(r.get("raw").asString(), id);
      if (reports.isEmpty()) {
        wrong.add(id + ": no report");
        continue;
      }
      Report got = reports.get(0);
      if (!got.tool().name().equals(tool) || !got.bugType().equals(r.get("bug_type").asString()) || got.corrupted()) {
        wrong.add(id + ": " + got.tool() + " " + got.bugType() + " '" + got.title().title() + "'"
            + got.corruption().map(c -> " corrupted: " + c.detail()).orElse(""));
      }
    }
    System.out.printf(Locale.ROOT, "wild corpus: %d complete KMSAN/KFENCE/UBSAN reports, %d right%n", total,
        total - wrong.size());
    assertTrue(total >= 25, "expected the complete KMSAN/KFENCE/UBSAN records; found " + total);
    assertTrue(wrong.isEmpty(), "wrong: " + wrong);
  }

  /** The same reports as people quoted them in replies ("> " markers) come out the same. */
  @Test
  void quotedReportsComeOutLikeTheirDequotedText() {
    int quoted = 0;
    for (JsonNode r : Corpora.shared("wild")) {
      String tool = r.get("tool").asString();
      if (!r.get("quoted").asBoolean() || !(tool.equals("KASAN") || tool.equals("KCSAN"))) {
        continue;
      }
      quoted++;
      String id = r.get("id").asString();
      List<Report> fromRaw = new KernelLogParser().parse(r.get("raw").asString(), id);
      List<Report> fromDequoted = new KernelLogParser().parse(r.get("dequoted").asString(), id);
      assertTrue(fromRaw.size() == fromDequoted.size(), id + ": " + fromRaw.size() + " vs " + fromDequoted.size());
      for (int i = 0; i < fromRaw.size(); i++) {
        Report a = fromRaw.get(i);
        Report b = fromDequoted.get(i);
        assertTrue(a.title().equals(b.title()) && a.corrupted() == b.corrupted()
            && a.access().equals(b.access()) && a.stacks().size() == b.stacks().size(),
            id + ": quoted " + a.title() + " vs " + b.title());
      }
    }
    assertTrue(quoted >= 5, "expected quoted KASAN/KCSAN posts; found " + quoted);
  }

  private static String check(Report got, JsonNode r, String text) {
    String tool = r.get("tool").asString();
    if (!got.tool().name().equals(tool)) {
      return "tool " + got.tool();
    }
    if (!got.bugType().equals(r.get("bug_type").asString())) {
      return "bug type " + got.bugType();
    }
    if (got.corrupted()) {
      return "corrupted: " + got.corruption().get().detail();
    }
    Optional<AccessOp> wantOp = Optional.empty();
    OptionalLong wantSize = OptionalLong.empty();
    Optional<AccessOp> gotOp;
    OptionalLong gotSize;
    if (tool.equals("KASAN")) {
      Matcher m = KASAN_ACCESS.matcher(text);
      if (m.find()) {
        wantOp = Optional.of(m.group(1).equals("Read") ? AccessOp.READ : AccessOp.WRITE);
        wantSize = m.group(2) == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(2)));
      }
      gotOp = got.access().map(a -> a.op());
      gotSize = got.access().map(a -> a.size()).orElse(OptionalLong.empty());
    } else {
      Matcher m = KCSAN_ACCESS.matcher(text);
      if (m.find()) {
        wantOp = Optional.of(switch (m.group(1)) {
          case "read" -> AccessOp.READ;
          case "read-write" -> AccessOp.READ_WRITE;
          default -> AccessOp.WRITE;
        });
        wantSize = OptionalLong.of(Long.parseLong(m.group(2)));
      }
      KcsanDetails d = (KcsanDetails) got.details();
      gotOp = d.accesses().isEmpty() ? Optional.empty() : Optional.of(d.accesses().get(0).op());
      gotSize = d.accesses().isEmpty() ? OptionalLong.empty() : d.accesses().get(0).size();
    }
    if (!gotOp.equals(wantOp) || !gotSize.equals(wantSize)) {
      return "access " + gotOp + "/" + gotSize + ", the text says " + wantOp + "/" + wantSize;
    }
    return null;
  }
}
