package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.signature.Signer;
import dev.ktriage.model.LogTime;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceSpan;
import dev.ktriage.model.Tool;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ReportStore} does, whatever keeps the reports: subclassed per backend (the
 * embedded Lucene store, the OpenSearch store), each test on a fresh, empty store.
 */
public abstract class ReportStoreContract {
  /** A new, empty store for writing. */
  protected abstract ReportStore newWriter() throws Exception;

  /** The same store opened again for reading (after the writer committed and closed). */
  protected abstract ReportStore reopen() throws Exception;

  protected static List<Report> reports;
  protected static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @BeforeAll
  static void loadReports() throws Exception {
    reports = TestReports.first(10);
    assertTrue(reports.size() > 30, "reports: " + reports.size());
  }

  private void fill(ReportStore s) throws Exception {
    for (int i = 0; i < reports.size(); i++) {
      assertInstanceOf(IngestResult.Added.class, s.add(reports.get(i), T0.plusSeconds(i)), "new report " + i);
    }
    s.commit();
  }

  @Test
  protected void storesEachReportOnceAndGivesItBack() throws Exception {
    try (ReportStore s = newWriter()) {
      fill(s);
      for (Report r : reports) {
        assertInstanceOf(IngestResult.Duplicate.class, s.add(r, T0), "same content, same report");
      }
      s.commit();
    }
    try (ReportStore s = reopen()) {
      assertEquals(reports.size(), s.stats().reports());
      Report r = reports.get(reports.size() / 2);
      StoredReport byLocation = s.getAt(r.source().path(), r.source().firstLine()).orElseThrow();
      assertEquals(r, byLocation.report().orElseThrow(), "a stored report comes back as the Report added");
      StoredReport byId = s.get(byLocation.id()).orElseThrow();
      assertEquals(byLocation.id(), byId.id());
      assertEquals(byLocation.id(), s.get(byLocation.id().substring(0, 10)).orElseThrow().id());
      assertEquals(r.title().title(), byId.title());
    }
  }

  @Test
  protected void aReportIngestedAgainWeeksLaterIsStillOneReport() throws Exception {
    // Reports whose logs print no wall clock take their ingest time (OpenSearch files them by week).
    List<Report> timeless = reports.stream().filter(r -> ReportTimes.wallClock(r.time()).isEmpty()).limit(5).toList();
    assertFalse(timeless.isEmpty(), "test reports without a wall clock");
    Instant later = T0.plus(java.time.Duration.ofDays(21));
    try (ReportStore s = newWriter()) {
      for (Report r : timeless) {
        assertInstanceOf(IngestResult.Added.class, s.add(r, T0));
      }
      s.commit();
      for (Report r : timeless) {
        assertInstanceOf(IngestResult.Duplicate.class, s.add(r, later), "the same log ingested three weeks later");
      }
      s.commit();
    }
    try (ReportStore s = reopen()) {
      assertEquals(timeless.size(), s.stats().reports());
    }
  }

  @Test
  protected void answersTheSameQueries() throws Exception {
    try (ReportStore s = newWriter()) {
      fill(s);
    }
    try (ReportStore s = reopen()) {
      long kcsan = reports.stream().filter(r -> r.tool() == Tool.KCSAN && !r.corrupted()).count();
      long healthy = reports.stream().filter(r -> !r.corrupted()).count();
      assertEquals(kcsan, s.search("tool:kcsan", 1, false).total());
      assertEquals(healthy, s.search("", 1, false).total());
      assertEquals(reports.size(), s.search("", 1, false, false, true).total());
      for (Report r : reports) {
        if (r.title().guiltyFrame().isPresent() && !r.corrupted()) {
          String g = QueryParser.escape(r.title().guiltyFrame().get());
          assertTrue(s.search("guilty:" + g, 500, false).hits().stream()
              .anyMatch(h -> h.line() == r.source().firstLine() && h.source().equals(r.source().path())), g);
        }
      }
      SearchResult f = s.search("", 0, true);
      assertEquals(healthy, f.facets().get("tool").stream().mapToLong(SearchResult.FacetCount::count).sum());
      assertThrows(QuerySyntaxException.class, () -> s.search("funtion:x", 1, false));
      assertThrows(QuerySyntaxException.class, () -> s.search("title:(unbalanced", 1, false));
    }
  }

  @Test
  protected void corruptedReportsAreOutOfTheCountsButBesideTheirCluster() throws Exception {
    // damaged copies of intact KASAN reports seen again later in another log: the same bug, cut short
    List<Report> damaged = reports.stream().filter(r -> !r.corrupted() && r.tool() == Tool.KASAN).limit(3)
        .map(r -> new Report(r.tool(), r.bugType(), r.header(), r.title(), r.access(), r.context(),
            new LogTime(java.util.OptionalDouble.of(5000.0), java.util.Optional.empty()), r.stacks(), r.details(),
            java.util.Optional.of(new dev.ktriage.model.Corruption(dev.ktriage.model.CorruptionReason.TRUNCATED,
                "the log ended", r.source().lastLine())), false,
            new SourceSpan("damaged-" + r.source().path(), r.source().firstLine(), r.source().lastLine())))
        .toList();
    assertEquals(3, damaged.size());
    try (ReportStore s = newWriter()) {
      fill(s);
      for (Report d : damaged) {
        assertInstanceOf(IngestResult.Added.class, s.add(d, T0.plusSeconds(9000)), "damaged copy");
      }
      s.commit();
    }
    try (ReportStore s = reopen()) {
      long corrupted = reports.stream().filter(Report::corrupted).count() + damaged.size();
      ClusterListing listing = s.clusters(false);
      Map<Long, ClusterSummary> all = new HashMap<>();
      s.clusters(true).clusters().forEach(c -> all.put(c.id(), c));
      assertEquals(corrupted, listing.corruptedReportsLeftOut());
      // a search counts the corrupted matches it leaves out, and its total and facets are the rest
      long kasan = reports.stream().filter(r -> r.tool() == Tool.KASAN && !r.corrupted()).count();
      long kasanCorrupted = reports.stream().filter(r -> r.tool() == Tool.KASAN && r.corrupted()).count() + damaged.size();
      SearchResult k = s.search("tool:kasan", 5, true);
      assertEquals(kasan, k.total());
      assertEquals(kasanCorrupted, k.corruptedLeftOut());
      assertEquals(kasan, k.facets().get("tool").stream().mapToLong(SearchResult.FacetCount::count).sum());
      assertTrue(k.hits().stream().noneMatch(StoredReport::corrupted), "no corrupted hit");
      SearchResult everything = s.search("tool:kasan", 5, true, false, true);
      assertEquals(kasan + kasanCorrupted, everything.total());
      assertEquals(0, everything.corruptedLeftOut());
      assertEquals(kasan + kasanCorrupted, everything.facets().get("tool").stream()
          .mapToLong(SearchResult.FacetCount::count).sum());
      long hidden = 0;
      for (ClusterSummary c : listing.clusters()) {
        ClusterSummary full = all.remove(c.id());
        java.util.Set<String> both = new java.util.HashSet<>(c.members());
        both.addAll(c.corruptedMembers());
        assertEquals(new java.util.HashSet<>(full.members()), both, "cluster " + c.id() + ": intact + set aside = all");
        assertEquals(full.members().size(), c.members().size() + c.corruptedMembers().size(), "no member twice");
        for (String m : c.corruptedMembers()) {
          int colon = m.lastIndexOf(':');
          StoredReport r = s.getAt(m.substring(0, colon), Long.parseLong(m.substring(colon + 1))).orElseThrow();
          assertTrue(r.report().orElseThrow().corrupted(), m + " is set aside because it is corrupted");
        }
      }
      for (ClusterSummary c : all.values()) {
        hidden += c.reports();
      }
      assertEquals(listing.clustersLeftOut(), all.size(), "clusters of only corrupted reports are not shown");
      assertEquals(corrupted, listing.corruptedMembersShown() + hidden, "every corrupted report is set aside or hidden");
      assertTrue(listing.corruptedMembersShown() >= damaged.size(), "a damaged copy of a known bug is shown beside it");
    }
  }

  @Test
  protected void clustersCoverEveryReportAndFollowTheExactKey() throws Exception {
    try (ReportStore s = newWriter()) {
      fill(s);
    }
    try (ReportStore s = reopen()) {
      List<ClusterSummary> cs = s.clusters();
      assertEquals(reports.size(), cs.stream().mapToLong(ClusterSummary::reports).sum());
      Map<String, Long> clusterOfKey = new HashMap<>();
      Signer signer = new Signer();
      for (Report r : reports) {
        long c = s.getAt(r.source().path(), r.source().firstLine()).orElseThrow().clusterId();
        Long before = clusterOfKey.putIfAbsent(signer.sign(r).exactKey(), c);
        assertTrue(before == null || before == c, "one exact key, one cluster");
      }
    }
  }

  @Test
  protected void aClusterQueryFindsItsReportsAfterAMerge() throws Exception {
    MergeResult m;
    try (ReportStore s = newWriter()) {
      fill(s);
      m = s.merge();
    }
    try (ReportStore s = reopen()) {
      assertClusterQueriesFollowMerges(s, m);
    }
  }

  /**
   * {@code cluster:N} finds exactly the reports the store lists under cluster N, N's members being every
   * report of the clusters merged into it; and a merged cluster's old id finds the same reports as the
   * id it reads as now (a user may hold either).
   */
  protected static void assertClusterQueriesFollowMerges(ReportStore s, MergeResult m) throws Exception {
    List<ClusterSummary> cs = s.clusters();
    assertTrue(!cs.isEmpty());
    for (ClusterSummary c : cs) {
      assertEquals(java.util.Set.copyOf(c.members()), located(s, "cluster:" + c.id()), "cluster:" + c.id());
    }
    for (MergeResult.Merged x : m.merges()) {
      java.util.Set<String> into = located(s, "cluster:" + x.into());
      assertTrue(!into.isEmpty(), "cluster:" + x.into());
      assertEquals(into, located(s, "cluster:" + x.cluster()), "cluster:" + x.cluster() + ", merged into " + x.into());
      assertEquals(into.size(), s.search("cluster:" + x.cluster(), 0, false, false, true).total());
      long c = x.cluster();
      assertTrue(cs.stream().noneMatch(y -> y.id() == c), "a merged cluster is listed under the cluster it joined");
    }
  }

  /** Where the reports a query finds (corrupted ones too) were read, as {@code path:line}. */
  private static java.util.Set<String> located(ReportStore s, String query) throws Exception {
    SearchResult r = s.search(query, 10_000, false, false, true); // OpenSearch's default result window
    java.util.Set<String> out = new java.util.HashSet<>();
    for (StoredReport h : r.hits()) {
      out.add(h.source() + ":" + h.line());
    }
    assertEquals(r.total(), out.size(), query);
    return out;
  }

  @Test
  protected void aClusterKeepsEveryMember() throws Exception {
    Report r = reports.stream().filter(x -> !x.corrupted()).findFirst().orElseThrow();
    int n = 250; // more than any page or bucket size a backend might cut a cluster at
    try (ReportStore s = newWriter()) {
      for (int i = 0; i < n; i++) {
        // the same bug seen again: another uptime is another occurrence with the same exact key
        Report again = new Report(r.tool(), r.bugType(), r.header(), r.title(), r.access(), r.context(),
            new LogTime(java.util.OptionalDouble.of(1000.0 + i), java.util.Optional.empty()), r.stacks(), r.details(),
            r.corruption(), r.complete(), new SourceSpan("again.log", 10L * i + 1, 10L * i + 9));
        assertInstanceOf(IngestResult.Added.class, s.add(again, T0.plusSeconds(i)), "occurrence " + i);
      }
      s.commit();
    }
    try (ReportStore s = reopen()) {
      List<ClusterSummary> cs = s.clusters();
      assertEquals(1, cs.size(), "one bug");
      assertEquals(n, cs.getFirst().reports());
      assertEquals(n, cs.getFirst().members().size(), "every member listed");
      assertEquals(n, new java.util.HashSet<>(cs.getFirst().memberIds()).size());
      assertEquals("again.log:1", cs.getFirst().members().getFirst(), "in ingest order");
    }
  }

  @Test
  protected void retentionRemovesOldReports() throws Exception {
    try (ReportStore s = newWriter()) {
      fill(s);
      assertEquals(0, s.removeOlderThan(Instant.parse("2000-01-01T00:00:00Z")));
      long removed = s.removeOlderThan(Instant.parse("2100-01-01T00:00:00Z"));
      assertEquals(reports.size(), removed);
      assertEquals(0, s.search("", 1, false, false, true).total());
    }
  }
}
