package dev.ktriage.store.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.StoreUnavailableException;
import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.MergeResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.ReportStoreContract;
import dev.ktriage.model.Report;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on a real 3-node cluster in this JVM, plus what only a server store can get wrong. */
class OpenSearchReportStoreContractTest extends ReportStoreContract {
  private static TestCluster cluster;
  private static final AtomicInteger STORES = new AtomicInteger();
  private String prefix;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = new TestCluster(3);
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  @BeforeEach
  void freshPrefix() {
    prefix = "kt" + STORES.incrementAndGet();
  }

  private OpenSearchStoreConfig config() {
    OpenSearchStoreConfig c = cluster.config(prefix);
    return new OpenSearchStoreConfig(c.urls(), c.user(), c.password(), c.caFile(), prefix);
  }

  @Override
  protected ReportStore newWriter() throws Exception {
    return OpenSearchReportStore.open(config(), ReportStore.Mode.READ_WRITE, 1);
  }

  @Override
  protected ReportStore reopen() throws Exception {
    return OpenSearchReportStore.open(config(), ReportStore.Mode.READ_ONLY, 1);
  }

  @Test
  void twoWritersMeetOnTheSameReportsAndClusters() throws Exception {
    try (ReportStore a = newWriter(); ReportStore b = newWriter()) {
      Thread ta = Thread.ofPlatform().start(() -> addAll(a));
      Thread tb = Thread.ofPlatform().start(() -> addAll(b));
      ta.join();
      tb.join();
      a.commit();
      b.commit();
    }
    try (ReportStore s = reopen()) {
      assertEquals(reports.size(), s.stats().reports(), "each report once");
      assertEquals(reports.size(), s.clusters().stream().mapToLong(c -> c.reports()).sum());
    }
  }

  private static void addAll(ReportStore s) {
    try {
      for (int i = 0; i < reports.size(); i++) {
        s.add(reports.get(i), T0.plusSeconds(i));
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The KUnit corpus clustered by the embedded store, ingested in file-name order as ingest -j 1 does. */
  private static List<ClusterSummary> embeddedKunit(Map<String, List<Report>> logs, Path dir) throws Exception {
    try (ReportStore s = ReportStore.open(dir, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      int i = 0;
      for (List<Report> rs : logs.values()) {
        for (Report r : rs) {
          s.add(r, T0.plusSeconds(i++));
        }
      }
      s.commit();
      return s.clusters();
    }
  }

  @Test
  void kunitClustersAreTheEmbeddedStoresOnes(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(KunitLogs.present(), "KUnit corpus not found at " + KunitLogs.CORPUS + ": skipped");
    Map<String, List<Report>> logs = KunitLogs.reports();
    List<ClusterSummary> embedded = embeddedKunit(logs, dir);
    try (ReportStore s = newWriter()) {
      int i = 0;
      for (List<Report> rs : logs.values()) {
        for (Report r : rs) {
          s.add(r, T0.plusSeconds(i++));
        }
      }
      s.commit();
      assertTrue(s.merge().merges().isEmpty(), "one writer leaves nothing to merge");
    }
    try (ReportStore s = reopen()) {
      List<ClusterSummary> shared = s.clusters();
      assertEquals(KunitLogs.partition(embedded), KunitLogs.partition(shared),
          "the same clusters as the embedded store (pairwise F1 " + KunitLogs.pairwiseF1(embedded, shared) + ")");
      assertTrue(embedded.size() > 20 && embedded.size() < logs.values().stream().mapToInt(List::size).sum(),
          "the evidence tier joined reports of different exact keys: " + embedded.size() + " clusters");
    }
  }

  /**
   * Two writers that write at the same time, neither seeing the other's clusters before both are done:
   * one takes every other report in log order, the other the rest in reverse order, so for a bug with
   * several exact keys each may open its cluster under another key (near-duplicates). The merge pass joins
   * them, and the clusters are the embedded store's again. All in one thread: the interleaving is fixed,
   * not timed.
   */
  @Test
  void mergeJoinsWhatTwoWritersOpenedForOneBug(@TempDir Path dir) throws Exception {
    Assumptions.assumeTrue(KunitLogs.present(), "KUnit corpus not found at " + KunitLogs.CORPUS + ": skipped");
    Map<String, List<Report>> logs = KunitLogs.reports();
    List<ClusterSummary> embedded = embeddedKunit(logs, dir);
    List<Report> all = logs.values().stream().flatMap(List::stream).toList();
    List<ClusterSummary> before;
    MergeResult merged;
    try (ReportStore a = newWriter(); ReportStore b = newWriter()) {
      for (int i = 0; i < all.size(); i += 2) {
        a.add(all.get(i), T0.plusSeconds(i));
      }
      for (int i = all.size() - 1 - (all.size() % 2 == 0 ? 0 : 1); i > 0; i -= 2) {
        b.add(all.get(i), T0.plusSeconds(i));
      }
      a.commit();
      b.commit();
      before = a.clusters();
      merged = a.merge();
    }
    try (ReportStore s = reopen()) {
      List<ClusterSummary> after = s.clusters();
      assertEquals(all.size(), after.stream().mapToLong(ClusterSummary::reports).sum());
      assertTrue(before.size() > embedded.size(), "two writers opened near-duplicates: " + before.size() + " vs "
          + embedded.size());
      assertEquals(before.size() - after.size(), merged.merges().size());
      assertTrue(merged.merges().stream().allMatch(m -> m.score() >= 0.5 && !m.why().isEmpty()), merged.toString());
      double f1Before = KunitLogs.pairwiseF1(embedded, before);
      double f1 = KunitLogs.pairwiseF1(embedded, after);
      java.nio.file.Files.writeString(Path.of("target/opensearch-kunit-agreement.txt"), String.format(
          java.util.Locale.ROOT, "two writers: %d clusters before merge, %d merges, %d after; embedded %d;"
              + " pairwise F1 vs embedded before %.4f after %.4f; Rand %.4f%n", before.size(), merged.merges().size(),
          after.size(), embedded.size(), f1Before, f1, KunitLogs.agreement(embedded, after)));
      assertTrue(f1 > f1Before, "the merge joined what belongs together: pairwise F1 " + f1Before + " -> " + f1);
      assertEquals(KunitLogs.partition(embedded), KunitLogs.partition(after),
          "after the merge, the embedded store's clusters (pairwise F1 " + f1Before + " -> " + f1 + ")");
      Report r = all.get(1);
      long c = s.getAt(r.source().path(), r.source().firstLine()).orElseThrow().clusterId();
      assertTrue(after.stream().anyMatch(x -> x.id() == c), "a stored report names the cluster it reads as now");
      assertClusterQueriesFollowMerges(s, merged);
    }
    try (ReportStore s = newWriter()) {
      assertTrue(s.merge().merges().isEmpty(), "a second pass finds nothing more");
    }
  }

  @Test
  void anotherSchemaIsRefusedAndAnUnreachableClusterIsOneLine() throws Exception {
    try (ReportStore s = newWriter()) {
      assertInstanceOf(IngestResult.Added.class, s.add(reports.getFirst(), T0));
      s.commit();
    }
    Rest rest = new Rest(config());
    rest.json("PUT", "/" + prefix + "-meta/_doc/schema?refresh=true", "{\"schema\":99}");
    rest.close();
    SchemaVersionException e = assertThrows(SchemaVersionException.class, this::reopen);
    assertTrue(e.getMessage().contains("schema version 99"), e.getMessage());
    OpenSearchStoreConfig nowhere = new OpenSearchStoreConfig(List.of(URI.create("http://127.0.0.1:9")),
        Optional.empty(), Optional.empty(), Optional.empty(), "kt");
    StoreUnavailableException u = assertThrows(StoreUnavailableException.class,
        () -> OpenSearchReportStore.open(nowhere, ReportStore.Mode.READ_ONLY, 1));
    assertTrue(u.getMessage().startsWith("http://127.0.0.1:9: unreachable"), u.getMessage());
    assertTrue(!u.getMessage().contains("\n"), u.getMessage());
  }

  @Test
  void reportsLandInWeeklyIndices() throws Exception {
    try (ReportStore s = newWriter()) {
      for (Report r : reports) {
        s.add(r, T0);
      }
      s.commit();
    }
    Rest rest = new Rest(config());
    Rest.Answer a = rest.get("/_cat/indices/" + prefix + "-reports-*?format=json&h=index");
    rest.close();
    assertTrue(a.json().toString().contains(prefix + "-reports-2026.01"), a.json().toString());
  }
}
