package dev.ktriage.store.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.TestReports;
import dev.ktriage.model.Report;
import jakarta.json.JsonArray;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node lost while a writer ingests into a 3-node cluster with one replica per shard costs nothing: the
 * client goes on with the other nodes and the replicas become primaries. The node is stopped between two
 * {@code add} calls with reports still unsent, never at a time.
 */
class OpenSearchNodeLossTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void aNodeLostMidIngestLosesNothing() throws Exception {
    List<Report> reports = TestReports.first(20);
    int half = reports.size() / 2;
    try (TestCluster cluster = new TestCluster(3)) {
      OpenSearchStoreConfig cfg = cluster.config("loss");
      int victim;
      try (Rest rest = new Rest(cfg)) {
        // the elected cluster manager is left alive: losing it costs an election, which this test does not time
        String manager = ((JsonArray) rest.get("/_cat/cluster_manager?format=json").json()).getJsonObject(0)
            .getString("node");
        int m = Integer.parseInt(manager.substring("node-".length()));
        victim = (m + 1) % 3;
      }
      try (ReportStore s = OpenSearchReportStore.open(cfg, ReportStore.Mode.READ_WRITE, 1)) {
        for (int i = 0; i < half; i++) {
          assertInstanceOf(IngestResult.Added.class, s.add(reports.get(i), T0.plusSeconds(i)));
        }
        s.commit();
        int threeQuarters = half + half / 2;
        for (int i = half; i < threeQuarters; i++) { // added, not yet sent: they go in the next bulk
          assertInstanceOf(IngestResult.Added.class, s.add(reports.get(i), T0.plusSeconds(i)));
        }
        cluster.stop(victim);
        for (int i = threeQuarters; i < reports.size(); i++) {
          assertInstanceOf(IngestResult.Added.class, s.add(reports.get(i), T0.plusSeconds(i)));
        }
        s.commit();
      }
      try (ReportStore s = OpenSearchReportStore.open(cfg, ReportStore.Mode.READ_ONLY, 1)) {
        assertEquals(reports.size(), s.stats().reports(), "every report, those after the loss too");
        for (Report r : reports) {
          assertTrue(s.getAt(r.source().path(), r.source().firstLine()).isPresent(), r.source().toString());
        }
        assertEquals(reports.size(), s.clusters().stream().mapToLong(c -> c.reports()).sum());
      }
    }
  }
}
