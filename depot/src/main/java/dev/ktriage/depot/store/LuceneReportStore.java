package dev.ktriage.depot.store;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Cluster;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.ReportFingerprint;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.stack.DepotStats;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The embedded report store: a Lucene index of reports under {@code DIR/index} ({@link LuceneIndex}:
 * open, verify, lock, commit), with the stack depot snapshot and the clusterer's state beside it
 * ({@link DerivedState}). This class adds, commits and answers; its collaborators map documents
 * ({@link ReportDocuments}), know the stored ids ({@link ReportIds}), search ({@link StoreSearcher}), list
 * clusters ({@link ClusterSummaries}), select what retention removes ({@link Retention}) and say what a
 * failure was ({@link StoreFailures}).
 *
 * <p><b>Durability.</b> {@link #add} buffers; {@link #commit} makes everything added so far durable in
 * one Lucene commit (atomic: a crash leaves the previous commit), then writes the derived files tagged
 * with the commit's sequence number. The index is the source of truth: every document stores its
 * stacks' frames and handles, so a derived file that is missing, stale, damaged or of another version
 * is rebuilt from the documents, and {@link #recoveries()} says so; cluster ids are stable either way.
 *
 * <p><b>Concurrency.</b> One writer per store, across processes: Lucene's native {@code write.lock}
 * (released by the OS when a writer dies). A second writer gets a {@code StoreLockedException}, or waits
 * for the lock up to a given time. Readers ({@link Mode#READ_ONLY}) need no lock and see the last
 * commit. Instances are thread-safe: {@link #add} may be called from many threads at once (only its
 * clustering decision is serialized); {@link #commit} and retention wait for adds in flight; the other
 * methods synchronize on the store.
 */
public final class LuceneReportStore implements ReportStore {
  private final Path dir;
  private final LuceneIndex index;
  private final StoreFailures failures;
  private final DerivedState derived;
  private final Signer signer;
  private final ReportDocuments documents = new ReportDocuments();
  private final StoreSearcher searcher = new StoreSearcher(documents);
  private final ReportIds ids;
  private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
  private final List<String> recoveries;
  private final AtomicLong sinceCommit = new AtomicLong();
  private long commitSeq;
  private long nextOrd;

  private LuceneReportStore(Path dir, LuceneIndex index, Signer signer, DerivedState derived,
      List<String> recoveries, StoreSchema.CommitData c) {
    this.dir = dir;
    this.index = index;
    this.failures = new StoreFailures(index);
    this.signer = signer;
    this.derived = derived;
    this.recoveries = recoveries;
    this.ids = new ReportIds(index::reader);
    this.commitSeq = c.commitSeq();
    this.nextOrd = c.nextOrd();
  }

  /** See {@link ReportStore#open}. */
  static LuceneReportStore open(Path dir, Mode mode, Duration wait) throws IOException {
    LuceneIndex index = LuceneIndex.open(dir, mode, wait);
    try {
      Signer signer = new Signer();
      List<String> recoveries = new ArrayList<>();
      StoreSchema.CommitData c = index.commitData();
      DerivedState derived = index.directory() == null ? DerivedState.empty(dir, signer)
          : new DerivedState(dir, index::reader, index.writer() != null, signer, recoveries, c.commitSeq(),
              c.nextCluster(), c.depotAllocations());
      LuceneReportStore s = new LuceneReportStore(dir, index, signer, derived, recoveries, c);
      if (index.writer() != null) {
        // a writer loads what every add needs now, not in the first add
        derived.depot();
        derived.clusterer();
        s.ids.filter();
      }
      return s;
    } catch (IOException | RuntimeException e) {
      try {
        index.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  // ------------------------------------------------------------------ writing

  @Override
  public IngestResult add(Report report, Instant ingested) throws IOException {
    requireWriter();
    String id = ReportFingerprint.of(report);
    // Fingerprinting, normalizing, encoding and indexing run in parallel across threads; only the
    // decision (duplicate? which cluster? which handles?) is serialized. commit() waits for adds in flight.
    Map<StackRole, List<NormalizedFrame>> normalized = signer.normalize(report);
    Signature sig = signer.sign(report, normalized);
    IngestResult.Added added;
    inFlight.readLock().lock();
    try {
      Assignment a;
      Map<StackRole, Integer> handles = new EnumMap<>(StackRole.class);
      long ord;
      synchronized (this) {
        if (!ids.claim(id)) {
          return new IngestResult.Duplicate(id);
        }
        a = derived.clusterer().assign(sig, report.title().title(), report.title().alternatives());
        for (var e : sig.stacks().entrySet()) {
          handles.put(e.getKey(), derived.depot().acquire(e.getValue()));
        }
        ord = nextOrd++;
      }
      try {
        index.writer().addDocument(documents.document(report, normalized,
            new ReportDocuments.Decision(id, ord, ingested, sig, a, handles)));
      } catch (RuntimeException e) {
        throw failures.damaged(e); // AlreadyClosedException after a failed flush carries the failure
      }
      added = new IngestResult.Added(id, a);
    } finally {
      inFlight.readLock().unlock();
    }
    if (sinceCommit.incrementAndGet() == COMMIT_EVERY) { // one thread per commit, not every thread past it
      commit();
    }
    return added;
  }

  @Override
  public void commit() throws IOException {
    // Writing the buffered documents out (most of a commit's CPU) while other threads go on adding:
    // only what they add meanwhile is left for the commit, which holds them off.
    requireWriter();
    try {
      index.writer().flush();
    } catch (RuntimeException e) {
      throw failures.damaged(e);
    }
    exclusively(() -> {
      commitLocked(true);
      return null;
    });
  }

  /** Runs {@code work} once the adds in flight are done, holding off new ones, with the store locked. */
  private <T> T exclusively(StoreFailures.Work<T> work) throws IOException {
    inFlight.writeLock().lock();
    try {
      synchronized (this) {
        return work.run();
      }
    } finally {
      inFlight.writeLock().unlock();
    }
  }

  /** Commits; {@code withClusters}: also writes the cluster state (not when the clusters are to be rebuilt). */
  private void commitLocked(boolean withClusters) throws IOException {
    requireWriter();
    sinceCommit.set(0);
    commitSeq++;
    try {
      index.commit(new StoreSchema.CommitData(commitSeq, derived.clusterer().nextId(), nextOrd,
          derived.depot().allocationsCount()));
    } catch (RuntimeException e) {
      throw failures.damaged(e);
    }
    derived.committed(commitSeq, withClusters, nextOrd);
    ids.committed();
    index.refresh();
  }

  @Override
  public long removeOlderThan(Instant cutoff) throws IOException {
    return exclusively(() -> {
      commitLocked(true);
      return remove(Retention.olderThan(cutoff));
    });
  }

  @Override
  public long keepNewest(long max) throws IOException {
    return exclusively(() -> {
      commitLocked(true);
      Retention.Selection sel = Retention.allButNewest(index.reader(), max);
      return sel == null ? 0L : remove(sel);
    });
  }

  private long remove(Retention.Selection sel) throws IOException {
    long removed = Retention.remove(index.reader(), index.writer(), derived.depot(), sel);
    if (removed > 0) {
      long nextCluster = derived.clusterer().nextId();
      commitLocked(false);
      derived.reclusterAfterRemoval(nextCluster);
    }
    return removed;
  }

  // ------------------------------------------------------------------ reading

  @Override
  public synchronized Assignment explain(Report report) throws IOException {
    return failures.mapped(() -> derived.clusterer().explain(signer.sign(report)));
  }

  @Override
  public synchronized List<Clusterer.Scored> similar(Report report, int k) throws IOException {
    return failures.mapped(() -> derived.clusterer().similar(signer.sign(report), k));
  }

  @Override
  public synchronized List<Clusterer.Scored> similar(StoredReport report, int k) throws IOException {
    Signature sig = report.report().isPresent() ? signer.sign(report.report().get())
        : derived.signatureOf(report.tool(), report.bugType(), report.title(), report.handles());
    return failures.mapped(() -> derived.clusterer().similar(sig, k));
  }

  @Override
  public synchronized Optional<StoredReport> get(String idOrPrefix) throws IOException {
    return failures.mapped(() -> searcher.get(index.reader(), idOrPrefix));
  }

  @Override
  public synchronized Optional<StoredReport> getAt(String source, long line) throws IOException {
    return failures.mapped(() -> searcher.getAt(index.reader(), source, line));
  }

  @Override
  public synchronized SearchResult search(String query, int limit, boolean facets, boolean withReports,
      boolean withCorrupted) throws IOException, QuerySyntaxException {
    StoreSearcher.parse(query); // a bad query is the user's, before anything is read
    try {
      return searcher.search(index.reader(), query, limit, facets, withReports, withCorrupted);
    } catch (IOException e) {
      throw failures.damaged(e);
    } catch (RuntimeException e) {
      throw failures.damaged(e);
    }
  }

  @Override
  public synchronized ClusterListing clusters(boolean withCorrupted) throws IOException {
    return failures.mapped(() -> ClusterSummaries.of(index.reader(), withCorrupted));
  }

  @Override
  public synchronized StoreStats stats() throws IOException {
    return failures.mapped(() -> {
      Path snap = dir.resolve(DerivedState.SNAPSHOT);
      long reports = index.reader() == null ? 0 : index.reader().numDocs();
      return new StoreStats(reports, clusters().size(), index.bytes(), Files.exists(snap) ? Files.size(snap) : 0,
          derived.depot().stats());
    });
  }

  @Override
  public synchronized List<String> frames(int handle) throws IOException {
    return failures.mapped(() -> derived.depot().contains(handle) ? derived.depot().frames(handle) : List.of());
  }

  @Override
  public synchronized Optional<Cluster.Snapshot> clusterDetail(long id) throws IOException {
    return failures.mapped(() -> derived.clusterer().cluster(id));
  }

  @Override
  public synchronized DepotStats depotStats() throws IOException {
    return failures.mapped(() -> derived.depot().stats());
  }

  @Override
  public synchronized List<String> recoveries() {
    return List.copyOf(recoveries);
  }

  @Override
  public String location() {
    return dir.toString();
  }

  @Override
  public synchronized void close() throws IOException {
    try (LuceneIndex i = index) { // the last commit's derived files, if it left them behind and nothing followed
      derived.closing(i.writer() != null && sinceCommit.get() == 0);
    }
  }

  private void requireWriter() {
    if (index.writer() == null) {
      throw new IllegalStateException("store opened read-only");
    }
  }
}
