package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 during ingest: nothing committed is lost, and the store opens for the next writer. */
class CrashSafetyTest {
  @TempDir Path tmp;

  @Test
  void aKilledWriterLosesNothingCommitted() throws Exception {
    for (int run = 0; run < 3; run++) {
      long before;
      try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
        before = s.stats().reports();
      }
      String java = ProcessHandle.current().info().command().orElse("java");
      Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
          IngestWorker.class.getName(), tmp.toString(), Integer.toString(37 + run * 11), Integer.toString(run))
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
      long committed = 0;
      try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        // kill at a different point each run: after 2, 4 and 6 commits, while it keeps adding
        while ((line = out.readLine()) != null) {
          committed = Long.parseLong(line.substring("committed ".length()));
          if (committed >= (2L + 2 * run) * (37 + run * 11)) {
            break;
          }
        }
        p.destroyForcibly();
        p.waitFor();
      }
      assertTrue(committed > 0, "the worker committed nothing");
      try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_WRITE, Duration.ofSeconds(10))) {
        long now = s.stats().reports();
        assertTrue(now >= before + committed, "run " + run + ": " + now + " < " + before + " + " + committed);
        long members = s.clusters().stream().mapToLong(ClusterSummary::reports).sum();
        assertEquals(now, members);
        assertEquals(List.of(), s.recoveries().stream().filter(r -> !r.contains("stale")).toList());
        assertTrue(s.depotStats().stacks() > 0);
      }
    }
  }
}
