package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.StoreLockedException;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportStoreTest {
  @TempDir Path tmp;
  static List<Report> reports;

  @BeforeAll
  static void load() throws Exception {
    reports = TestReports.first(30);
    assertTrue(reports.size() > 100, "reports: " + reports.size());
  }

  private ReportStore writer() throws Exception {
    return ReportStore.open(tmp, ReportStore.Mode.READ_WRITE, Duration.ZERO);
  }

  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private void fill(ReportStore s, List<Report> rs) throws Exception {
    for (int i = 0; i < rs.size(); i++) {
      s.add(rs.get(i), T0.plusSeconds(i));
    }
    s.commit();
  }

  @Test
  void reingestAddsNothingAndClustersSurviveARestart() throws Exception {
    List<ClusterSummary> before;
    var statsBefore = (dev.ktriage.depot.stack.DepotStats) null;
    try (ReportStore s = writer()) {
      fill(s, reports);
      before = s.clusters();
      statsBefore = s.depotStats();
      for (Report r : reports) {
        assertInstanceOf(IngestResult.Duplicate.class, s.add(r), "same session");
      }
      s.commit();
      assertEquals(reports.size(), s.stats().reports());
    }
    try (ReportStore s = writer()) {
      assertEquals(List.of(), s.recoveries());
      for (Report r : reports) {
        assertInstanceOf(IngestResult.Duplicate.class, s.add(r), "after restart");
      }
      assertEquals(before, s.clusters());
      assertEquals(statsBefore, s.depotStats());
      assertTrue(statsBefore.dedupRatio() > 1.5, "dedup ratio " + statsBefore.dedupRatio());
      // a report seen before joins its old cluster by exact key after the restart
      Report r0 = reports.getFirst();
      Assignment a = s.explain(r0);
      assertInstanceOf(Assignment.ExactMatch.class, a);
      assertEquals(before.stream().filter(c -> c.members().contains(r0.source().path() + ":" + r0.source().firstLine()))
          .findFirst().orElseThrow().id(), a.clusterId());
    }
  }

  @Test
  void queriesWorkAsAUserExpects() throws Exception {
    try (ReportStore s = writer()) {
      fill(s, reports);
      long kasan = reports.stream().filter(r -> r.tool().name().equals("KASAN")).count();
      assertEquals(kasan, s.search("tool:kasan", 1000, false).total());
      assertEquals(kasan, s.search("tool:KASAN", 1000, false).total());
      long uafExt4 = reports.stream().filter(r -> r.bugType().equals("slab-use-after-free")
          && r.title().title().contains(" in ext4_")).count();
      SearchResult ext4 = s.search("bugType:slab-use-after-free AND guilty:ext4_*", 1000, false);
      assertEquals(uafExt4, ext4.total());
      long races = reports.stream().filter(r -> r.title().title().contains("data-race")).count();
      assertTrue(races > 0);
      assertEquals(races, s.search("title:\"data-race\"", 1000, false).total());
      long r61 = reports.stream().filter(r -> r.context().release().orElse("").startsWith("6.1")).count();
      assertEquals(r61, s.search("release:6.1*", 1000, false).total());
      long size8 = reports.stream().filter(r -> r.access().flatMap(a -> a.size().isPresent()
          ? Optional.of(a.size().getAsLong()) : Optional.empty()).orElse(0L) == 8).count();
      assertEquals(size8, s.search("size:8", 1000, false).total());
      assertEquals(10, s.search("ingested:[2026-01-01T00:00:00 TO 2026-01-01T00:00:09]", 1000, false).total());
      assertEquals(9, s.search("ingested:[2026-01-01T00:00:00 TO 2026-01-01T00:00:09}", 1000, false).total());
      assertEquals(reports.size(), s.search("ingested:2026-01-01", 1000, false).total());
      assertTrue(s.search("function:*xattr*", 1000, false).total() > 0 == reports.stream()
          .anyMatch(r -> r.stacks().stream().anyMatch(st -> st.frames().stream().anyMatch(f -> f.function().contains("xattr")))));
      SearchResult f = s.search("", 5, true);
      assertEquals(reports.size(), f.total());
      assertEquals(5, f.hits().size());
      long facetTotal = f.facets().get("tool").stream().mapToLong(SearchResult.FacetCount::count).sum();
      assertEquals(reports.size(), facetTotal);
      assertFalse(f.facets().get("cluster").isEmpty());
      assertThrows(QuerySyntaxException.class, () -> s.search("title:(unbalanced", 10, false));
      assertThrows(QuerySyntaxException.class, () -> s.search("size:eight", 10, false));
      assertTrue(s.search("tool:kcsan", 1, false).hits().getFirst().report().isEmpty(), "hits are light by default");
      StoredReport hit = s.search("tool:kcsan", 1, false, true).hits().getFirst();
      assertEquals(hit, s.get(hit.id()).orElseThrow());
      assertEquals(hit, s.get(hit.id().substring(0, 12)).orElseThrow());
      assertEquals(hit, s.getAt(hit.source(), hit.line()).orElseThrow());
      Report stored = reports.stream().filter(r -> r.source().path().equals(hit.source())
          && r.source().firstLine() == hit.line()).findFirst().orElseThrow();
      assertEquals(stored, hit.report().orElseThrow(), "the report comes back as it was added");
    }
  }

  @Test
  void aSecondWriterIsRefusedOrWaits() throws Exception {
    ReportStore first = writer();
    StoreLockedException e = assertThrows(StoreLockedException.class, this::writer);
    assertEquals(tmp, e.store());
    assertTrue(e.getMessage().contains("in use"));
    // readers need no lock
    try (ReportStore r = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      assertEquals(0, r.stats().reports());
    }
    CompletableFuture<ReportStore> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return ReportStore.open(tmp, ReportStore.Mode.READ_WRITE, Duration.ofSeconds(20));
      } catch (Exception x) {
        throw new RuntimeException(x);
      }
    });
    Thread.sleep(300);
    assertFalse(waiting.isDone());
    first.close();
    waiting.get(20, TimeUnit.SECONDS).close();
  }

  @Test
  void anotherSchemaVersionIsRefused() throws Exception {
    try (ReportStore s = writer()) {
      fill(s, reports.subList(0, 3));
    }
    try (var dir = FSDirectory.open(tmp.resolve("index"));
        var w = new IndexWriter(dir, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      w.setLiveCommitData(Map.of("ktriage.schema", "99").entrySet());
      w.commit();
    }
    SchemaVersionException e = assertThrows(SchemaVersionException.class, this::writer);
    assertEquals(99, e.found());
    assertThrows(SchemaVersionException.class, () -> ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO));
  }

  /** The commit's user data with the schema version replaced, as a build of that version would have written it. */
  private void rewriteSchema(String version) throws Exception {
    try (var dir = FSDirectory.open(tmp.resolve("index"));
        var w = new IndexWriter(dir, new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.APPEND))) {
      Map<String, String> data = new java.util.HashMap<>();
      w.getLiveCommitData().forEach(e -> data.put(e.getKey(), e.getValue()));
      data.put("ktriage.schema", version);
      w.setLiveCommitData(data.entrySet());
      w.commit();
    }
  }

  @Test
  void aSchema3StoreIsReadAndItsNextCommitSaysSchema4() throws Exception {
    try (ReportStore s = writer()) {
      fill(s, reports.subList(0, 3));
    }
    rewriteSchema("3");
    try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      SearchResult all = s.search("", 10, true);
      assertTrue(all.total() > 0);
      assertEquals(all.total(), all.facets().get("tool").stream().mapToLong(SearchResult.FacetCount::count).sum());
    }
    try (ReportStore s = writer()) {
      fill(s, reports.subList(3, 4));
    }
    try (var dir = FSDirectory.open(tmp.resolve("index"));
        var r = org.apache.lucene.index.DirectoryReader.open(dir)) {
      assertEquals(Integer.toString(StoreSchema.VERSION), r.getIndexCommit().getUserData().get("ktriage.schema"));
    }
    rewriteSchema("2");
    assertEquals(2, assertThrows(SchemaVersionException.class, this::writer).found());
  }

  @Test
  void aDamagedOrStaleSnapshotIsRebuiltFromTheReports() throws Exception {
    var stats = (dev.ktriage.depot.stack.DepotStats) null;
    List<ClusterSummary> clusters;
    try (ReportStore s = writer()) {
      fill(s, reports);
      stats = s.depotStats();
      clusters = s.clusters();
    }
    Path snap = tmp.resolve("depot.snapshot");
    byte[] b = Files.readAllBytes(snap);
    b[b.length / 3] ^= 1;
    Files.write(snap, b);
    try (ReportStore s = writer()) {
      assertEquals(1, s.recoveries().size(), s.recoveries().toString());
      assertTrue(s.recoveries().getFirst().contains("depot.snapshot"));
      assertEquals(stats.stacks(), s.depotStats().stacks());
      assertEquals(stats.frameReferences(), s.depotStats().frameReferences());
      assertEquals(clusters, s.clusters());
      s.commit(); // writes a good snapshot again
    }
    Files.delete(snap);
    try (ReportStore s = writer()) {
      assertEquals(1, s.recoveries().size());
      assertEquals(clusters, s.clusters());
    }
  }

  /**
   * The derived files are written at a writer's first commit and at its close (not at every commit):
   * a write of them that fails there (a full disk; here a directory in the temporary file's place, the
   * same failure path) fails the call that made it, and the reports committed before stay, with their
   * clusters rebuilt at the next open.
   */
  @Test
  void aFailedDerivedWriteAtCommitOrCloseLosesNothingCommitted() throws Exception {
    int half = reports.size() / 2;
    Path blocker = tmp.resolve("depot.snapshot.tmp");
    List<ClusterSummary> clusters;
    ReportStore w = writer();
    fill(w, reports.subList(0, half)); // the first commit writes the derived files
    fill(w, reports.subList(half, reports.size())); // this one leaves them to the close
    clusters = w.clusters();
    Files.createDirectories(blocker.resolve("x"));
    assertThrows(IOException.class, w::close);
    try (ReportStore s = writer()) { // the lock was released, the commit kept
      assertEquals(reports.size(), s.stats().reports());
      assertEquals(clusters, s.clusters());
      assertTrue(s.recoveries().stream().anyMatch(r -> r.contains("depot.snapshot")), s.recoveries().toString());
    }
    // the same failure at a writer's first commit: the commit's reports are kept all the same
    Files.delete(tmp.resolve("depot.snapshot"));
    try (ReportStore s = writer()) {
      s.add(reports.getFirst(), T0); // a duplicate: the commit has nothing new, and still writes
      assertThrows(IOException.class, s::commit);
    }
    Files.delete(blocker.resolve("x"));
    Files.delete(blocker);
    try (ReportStore s = writer()) {
      assertEquals(reports.size(), s.stats().reports());
      assertEquals(clusters, s.clusters());
    }
  }

  @Test
  void aRebuiltDepotKeepsItsLifetimeCountersAfterARemoval() throws Exception {
    dev.ktriage.depot.stack.DepotStats stats;
    try (ReportStore s = writer()) {
      fill(s, reports);
      s.keepNewest(reports.size() / 2);
      stats = s.depotStats();
      assertTrue(stats.frees() > 0, "the removal freed stacks: " + stats);
    }
    // the documents hold only the stacks in use; the commit holds how many were ever allocated
    Files.delete(tmp.resolve("depot.snapshot"));
    try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      assertEquals(stats, s.depotStats());
      assertTrue(s.recoveries().getFirst().contains("depot.snapshot"), s.recoveries().toString());
    }
  }

  @Test
  void theClusterStateIsPersistedAndDecidesAsARebuildDoes() throws Exception {
    List<Report> first = reports.subList(0, reports.size() / 2);
    List<Report> rest = reports.subList(reports.size() / 2, reports.size());
    List<ClusterSummary> clusters;
    Path state = tmp.resolve("clusters.state");
    byte[] early;
    try (ReportStore s = writer()) {
      fill(s, first);
      early = Files.readAllBytes(state);
      fill(s, rest);
      clusters = s.clusters();
    }
    // what a store that re-clusters from the documents decides, for every report and for variants
    Files.copy(state, tmp.resolve("saved.state"));
    Files.delete(state);
    List<Assignment> rebuilt = new java.util.ArrayList<>();
    List<List<dev.ktriage.depot.cluster.Clusterer.Scored>> rebuiltSimilar = new java.util.ArrayList<>();
    try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      for (Report r : reports) {
        rebuilt.add(s.explain(r));
        rebuiltSimilar.add(s.similar(r, 5));
      }
      assertEquals(1, s.recoveries().size(), s.recoveries().toString());
      assertTrue(s.recoveries().getFirst().contains("clusters.state: missing"), s.recoveries().toString());
    }
    Files.move(tmp.resolve("saved.state"), state);
    try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      for (int i = 0; i < reports.size(); i++) {
        assertEquals(rebuilt.get(i), s.explain(reports.get(i)), "report " + i);
        assertEquals(rebuiltSimilar.get(i), s.similar(reports.get(i), 5), "report " + i);
      }
      assertEquals(List.of(), s.recoveries());
    }
    try (ReportStore s = writer()) {
      assertEquals(List.of(), s.recoveries());
      assertEquals(clusters, s.clusters());
      // new reports are clustered by the loaded state as by the rebuilt one
      Report v = variant(reports.getFirst(), 7);
      assertEquals(rebuilt.getFirst().clusterId(), ((IngestResult.Added) s.add(v)).assignment().clusterId());
    }
    // a state of an earlier commit is stale, a damaged one is refused: both are rebuilt, and written again
    Files.write(state, early);
    try (ReportStore s = writer()) {
      assertEquals(1, s.recoveries().size(), s.recoveries().toString());
      assertTrue(s.recoveries().getFirst().contains("stale"), s.recoveries().toString());
      assertEquals(clusters, s.clusters());
    }
    try (ReportStore s = writer()) {
      assertEquals(List.of(), s.recoveries(), "written back after the rebuild");
    }
    byte[] b = Files.readAllBytes(state);
    b[b.length / 2] ^= 4;
    Files.write(state, b);
    try (ReportStore s = ReportStore.open(tmp, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      for (int i = 0; i < reports.size(); i++) {
        assertEquals(rebuilt.get(i), s.explain(reports.get(i)), "report " + i);
      }
      assertEquals(1, s.recoveries().size(), s.recoveries().toString());
      assertTrue(s.recoveries().getFirst().contains("checksum"), s.recoveries().toString());
    }
  }

  private static Report variant(Report r, int salt) {
    return new Report(r.tool(), r.bugType(), r.header(), r.title(), r.access(), r.context(),
        new dev.ktriage.model.LogTime(java.util.OptionalDouble.of(1e6 + salt), java.util.Optional.empty()),
        r.stacks(), r.details(), r.corruption(), r.complete(), r.source());
  }

  @Test
  void retentionReleasesStacksAndFreesThemAtZero() throws Exception {
    try (ReportStore s = writer()) {
      fill(s, reports);
      long maxId = s.clusters().stream().mapToLong(ClusterSummary::id).max().orElseThrow();
      long before = s.depotStats().stacks();
      long removed = s.keepNewest(reports.size() / 2);
      assertEquals(reports.size() - reports.size() / 2, removed);
      assertEquals(reports.size() / 2, s.stats().reports());
      assertTrue(s.depotStats().stacks() < before);
      assertTrue(s.depotStats().frees() > 0);
      long members = s.clusters().stream().mapToLong(ClusterSummary::reports).sum();
      assertEquals(reports.size() / 2, members);
      // everything older than the far future: all gone, every stack freed
      s.removeOlderThan(Instant.parse("2100-01-01T00:00:00Z"));
      assertEquals(0, s.stats().reports());
      assertEquals(0, s.depotStats().stacks());
      assertEquals(0, s.depotStats().distinctFrames());
      assertEquals(List.of(), s.clusters());
      // ids are not reused after removal
      Report r = reports.getFirst();
      IngestResult.Added a = (IngestResult.Added) s.add(r);
      assertTrue(a.assignment().clusterId() > maxId, "cluster id " + a.assignment().clusterId());
    }
  }
}
