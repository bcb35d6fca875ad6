package dev.ktriage.depot.store;

import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Cluster;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.stack.DepotStats;
import dev.ktriage.model.Report;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A report store: reports kept as facts (a report is stored once, under its content fingerprint, and
 * never rewritten), clustered into bugs, searchable with one query language. Two backends implement
 * it: the embedded Lucene store ({@link #open}, the default) and the OpenSearch store (module
 * {@code store-opensearch}); {@code ReportStoreContract} in the tests holds them to the same behaviour.
 *
 * <p>Durability: {@link #add} buffers, {@link #commit} makes everything added so far durable and
 * searchable. Implementations are thread-safe.
 */
public interface ReportStore extends Closeable {
  /** How a store is opened. */
  enum Mode {
    /** Search, show, cluster listings; no lock; a missing store reads as empty. */
    READ_ONLY,
    /** Also ingest and retention; takes the write lock and creates the store if needed. */
    READ_WRITE
  }

  /** Reports between the commits a writer makes by itself: what a kill can lose at most. */
  int COMMIT_EVERY = 5_000;

  /** Whether {@code dir} holds an embedded store (a READ_ONLY open of one that does not reads as empty). */
  static boolean exists(Path dir) {
    return LuceneIndex.exists(dir);
  }

  /**
   * Opens (READ_WRITE: creates) the embedded store in {@code dir}.
   *
   * @param wait how long to wait for another writer to finish; zero fails at once
   * @throws dev.ktriage.depot.StoreLockedException another writer holds the store beyond {@code wait}
   * @throws dev.ktriage.depot.SchemaVersionException the store was written by another schema version
   * @throws dev.ktriage.depot.CorruptStoreException the index cannot be read
   */
  static ReportStore open(Path dir, Mode mode, Duration wait) throws IOException, DepotException {
    return LuceneReportStore.open(dir, mode, wait);
  }

  // ------------------------------------------------------------------ writing

  /**
   * Adds a report unless the store already has it (same {@link dev.ktriage.depot.signature.ReportFingerprint},
   * which ignores what a symbolizer added). The store encodes the report itself and returns it from
   * {@link #get}. Searchable and durable after {@link #commit()}; clustering sees it at once. A writer
   * commits by itself every {@link #COMMIT_EVERY} new reports.
   *
   * @param ingested when it was ingested (its time when the log printed no wall clock)
   */
  IngestResult add(Report report, Instant ingested) throws IOException;

  /** {@link #add(Report, Instant)} now. */
  default IngestResult add(Report report) throws IOException {
    return add(report, Instant.now());
  }

  /**
   * Transitional, for callers that made the JSON and fingerprint themselves: the store makes both
   * itself now, so {@code jsonUtf8} and {@code id} are not used (the id is the report's fingerprint
   * either way, since the fingerprint ignores symbolization).
   */
  default IngestResult add(Report report, byte[] jsonUtf8, Instant ingested, String id) throws IOException {
    return add(report, ingested);
  }

  /** Makes every report added so far durable, atomically, and visible to searches. */
  void commit() throws IOException;

  /**
   * Reports {@link #add} answered {@link IngestResult.Added} for that a commit then found stored by
   * another writer, since this store was opened. A store shared by several writers learns that only
   * when it writes (another ingester stored the same report between this writer's check and its
   * commit): what this writer added is its {@code Added} answers minus this, after its last commit.
   * A store with one writer at a time never answers Added for a stored report: 0.
   */
  default long addedByAnotherWriter() {
    return 0;
  }

  /**
   * Removes the reports whose {@code time} is before {@code cutoff}, releasing their stacks, and commits.
   *
   * @return how many were removed
   */
  long removeOlderThan(Instant cutoff) throws IOException;

  /**
   * Keeps the {@code max} newest reports (by {@code time}, then ingest order), removes the rest and commits.
   *
   * @return how many were removed
   */
  long keepNewest(long max) throws IOException;

  /**
   * Joins clusters that several writers opened for one bug at the same time (a store with one writer has
   * none: the embedded store answers with no merges). Run by one process at a time; reports are never
   * rewritten, a merged cluster's id reads as the cluster it joined.
   */
  default MergeResult merge() throws IOException {
    return new MergeResult(stats().clusters(), List.of());
  }

  // ------------------------------------------------------------------ reading

  /**
   * Reports matching a query in Lucene's classic syntax over the store's fields (docs/store.md), best
   * first. Corrupted reports are left out (and counted, {@link SearchResult#corruptedLeftOut()}) unless
   * {@code withCorrupted} or the query names the {@code corrupted} field.
   *
   * @param limit at most this many hits
   * @param facets also count matches per tool, bug type, cluster and release
   * @param withReports load each hit's full {@link Report} ({@link StoredReport#report()})
   * @throws QuerySyntaxException when the query does not parse or cannot match because of its syntax
   */
  SearchResult search(String query, int limit, boolean facets, boolean withReports, boolean withCorrupted)
      throws IOException, QuerySyntaxException;

  /** {@link #search(String, int, boolean, boolean, boolean)} without corrupted reports. */
  default SearchResult search(String query, int limit, boolean facets, boolean withReports) throws IOException,
      QuerySyntaxException {
    return search(query, limit, facets, withReports, false);
  }

  /** {@link #search(String, int, boolean, boolean)} without the full reports. */
  default SearchResult search(String query, int limit, boolean facets) throws IOException, QuerySyntaxException {
    return search(query, limit, facets, false);
  }

  /** The stored report with this id, or the only one whose id starts with it (at least 6 digits), with its report. */
  Optional<StoredReport> get(String idOrPrefix) throws IOException;

  /** The stored report that starts at {@code source:line}, if any, with its report. */
  Optional<StoredReport> getAt(String source, long line) throws IOException;

  /**
   * The clusters, in id order, counted without corrupted reports unless {@code withCorrupted}: a
   * corrupted report that joined a cluster with intact reports is listed apart, as one of its
   * {@link ClusterSummary#corruptedMembers()}; a cluster of corrupted reports only is left out, and the
   * listing says how many reports and clusters were.
   */
  ClusterListing clusters(boolean withCorrupted) throws IOException;

  /** Every cluster with a stored report, corrupted ones included, in id order. */
  default List<ClusterSummary> clusters() throws IOException {
    return clusters(true).clusters();
  }

  /** One cluster. */
  default Optional<ClusterSummary> cluster(long id) throws IOException {
    return clusters().stream().filter(c -> c.id() == id).findFirst();
  }

  /** The clusterer's view of a cluster: its titles and the exact keys that lead to it. */
  Optional<Cluster.Snapshot> clusterDetail(long id) throws IOException;

  /** What {@link #add} would do with a report: the cluster it would join and why. Changes nothing. */
  Assignment explain(Report report) throws IOException;

  /** The {@code k} clusters most like a report, best first. */
  List<Clusterer.Scored> similar(Report report, int k) throws IOException;

  /** The {@code k} clusters most like a stored report (its own cluster first, with score 1). */
  List<Clusterer.Scored> similar(StoredReport report, int k) throws IOException;

  /** The frames of a stack a stored report holds, innermost first (empty for an unknown handle). */
  List<String> frames(int handle) throws IOException;

  /** Sizes and the depot's counters. */
  StoreStats stats() throws IOException;

  /** The depot's counters. */
  DepotStats depotStats() throws IOException;

  /** What was repaired when the store was opened (a stale or damaged derived file rebuilt), for the user. */
  List<String> recoveries();

  /** Where the store is, for messages: a directory or a cluster's URL. */
  String location();

  /** Closes without committing: reports added since the last {@link #commit} are dropped. */
  @Override
  void close() throws IOException;
}
