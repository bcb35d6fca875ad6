package dev.ktriage.store.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import dev.ktriage.reportjson.ReportJsonWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opensearch.common.settings.Settings;

/**
 * One commit larger than what a node accepts in one request is stored whole. A node refuses a
 * {@code _bulk} request above its indexing-pressure limit (10% of its heap) with 429 however idle it is:
 * the first run of bench/opensearch (nodes with 384 MB heaps, limit 40 MB) failed every 5,000-report
 * commit (~60 MB of documents). Here the node's limit is set to {@value #LIMIT_MB} MB and one commit
 * carries more than that of report JSON alone.
 */
class OpenSearchBulkSizeTest {
  private static final int LIMIT_MB = 16;

  @TempDir Path tmp;

  @Test
  void aCommitLargerThanANodesIndexingLimitIsStoredInParts() throws Exception {
    CorpusLogs.requirePresent("bulk size test");
    KernelLogParser parser = new KernelLogParser();
    ReportJsonWriter json = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);
    Settings limit = Settings.builder().put("indexing_pressure.memory.limit", LIMIT_MB + "mb").build();
    try (TestCluster cluster = new TestCluster(1, limit);
        ReportStore s = OpenSearchReportStore.open(cluster.config("big"), ReportStore.Mode.READ_WRITE, 0)) {
      long added = 0;
      long jsonBytes = 0;
      Instant t = Instant.parse("2026-01-05T00:00:00Z");
      for (Path log : CorpusLogs.write(tmp.resolve("logs"), 3)) {
        for (Report r : parser.parse(Files.readString(log, StandardCharsets.UTF_8), log.toString())) {
          if (s.add(r, t) instanceof IngestResult.Added) {
            added++;
            jsonBytes += json.toJsonUtf8(r).length;
          }
        }
      }
      assertTrue(added < ReportStore.COMMIT_EVERY, "one commit: " + added);
      assertTrue(jsonBytes > LIMIT_MB << 20, "more than the node's limit in one commit: " + jsonBytes + " bytes");
      s.commit();
      assertEquals(added, s.stats().reports());
    }
  }
}
