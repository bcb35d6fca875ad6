package dev.ktriage.store.opensearch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.StoreUnavailableException;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.ReportStoreContract;
import dev.ktriage.model.Report;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

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
