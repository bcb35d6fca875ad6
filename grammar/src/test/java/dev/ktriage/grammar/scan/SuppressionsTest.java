package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.parse.Corpora;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The suppression list: its lines are found, and lines that only look like them are not. */
class SuppressionsTest {

  @Test
  void theFuzzersOwnFailuresAreSuppressed() {
    for (String line : List.of(
        "[  512.113207] Out of memory: Killed process 4213 (syz-fuzzer) total-vm:1241120kB, anon-rss:88712kB",
        "[  512.113207] Out of memory: Kill process 4213 (sshd) score 2 or sacrifice child",
        "[  512.113207] lowmemorykiller: Killing 'syz-fuzzer' (4213), adj 0,",
        "INIT: PANIC: segmentation violation! sleeping for 30 seconds.",
        "*** stack smashing detected ***: terminated",
        "fatal error: out of memory",
        "panic: failed to create temp dir: mkdir ./syzkaller-testdir1: no space left on device",
        "SYZFAIL: SIGBUS")) {
      assertTrue(Suppressions.reason(line).isPresent(), line);
    }
  }

  @Test
  void theKernelKillingTheExecutorOrATestIsNoSuppression() {
    for (String line : List.of(
        "[  512.113207] Out of memory: Killed process 4213 (syz-executor.3) total-vm:1241120kB",
        "[  512.113207] Killed process 77 (kworker/0:1)",
        "SYZFAIL: SIGSEGV",
        "fatal error: some other failure")) {
      assertFalse(Suppressions.reason(line).isPresent(), line);
    }
  }

  // syzkaller's own corpus: a log with a crash is suppressed exactly when one of its lines says so (the
  // table is checked here; the parser does not flag suppressed reports yet).
  @Test
  void agreesWithSyzkallersSuppressedFlagOnItsCorpus() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    List<String> differ = new ArrayList<>();
    int suppressed = 0;
    for (String json : Files.readAllLines(Corpora.sharedFile("syzkaller/reports.jsonl"))) {
      if (json.isBlank()) {
        continue;
      }
      JsonNode r = mapper.readTree(json);
      if (r.path("title").isNull()) {
        continue; // no crash, nothing to suppress
      }
      boolean want = r.get("suppressed").asBoolean();
      boolean got = r.get("log").asString().lines().anyMatch(l -> Suppressions.reason(l).isPresent());
      suppressed += want ? 1 : 0;
      if (want != got) {
        differ.add(r.get("id").asString() + ": want " + want);
      }
    }
    assertEquals(List.of(), differ);
    assertEquals(4, suppressed, "reports.jsonl marks 4 crash records suppressed");
  }

  @Test
  void everyRuleSaysWhy() {
    List<String> empty = new ArrayList<>();
    Suppressions.RULES.forEach(r -> {
      if (r.why().isBlank()) {
        empty.add(r.pattern().pattern());
      }
    });
    assertEquals(List.of(), empty);
  }
}
