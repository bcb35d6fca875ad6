package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.StoreAccessException;
import dev.ktriage.depot.StoreLockedException;
import dev.ktriage.depot.io.IoFailures;
import dev.ktriage.depot.io.PrivateFiles;
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
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.stream.Stream;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded report store: a Lucene index of reports under {@code DIR/index}, with the stack depot
 * snapshot and the clusterer's state beside it ({@link DerivedState}). This class opens, locks,
 * adds, commits and closes; its collaborators map documents ({@link ReportDocuments}), search
 * ({@link StoreSearcher}), list clusters ({@link ClusterSummaries}), select what retention removes
 * ({@link Retention}) and check the schema ({@link StoreSchema}).
 *
 * <p><b>Durability.</b> {@link #add} buffers; {@link #commit} makes everything added so far durable in
 * one Lucene commit (atomic: a crash leaves the previous commit), then writes the derived files tagged
 * with the commit's sequence number. The index is the source of truth: every document stores its
 * stacks' frames and handles, so a derived file that is missing, stale, damaged or of another version
 * is rebuilt from the documents, and {@link #recoveries()} says so; cluster ids are stable either way.
 *
 * <p><b>Concurrency.</b> One writer per store, across processes: Lucene's native {@code write.lock}
 * (released by the OS when a writer dies). A second writer gets {@link StoreLockedException}, or waits
 * for the lock up to a given time. Readers ({@link Mode#READ_ONLY}) need no lock and see the last
 * commit. Instances are thread-safe: {@link #add} may be called from many threads at once (only its
 * clustering decision is serialized); {@link #commit} and retention wait for adds in flight; the other
 * methods synchronize on the store.
 */
public final class LuceneReportStore implements ReportStore {
  private static final String INDEX = "index";

  private final Path dir;
  private final StoreDirectory directory;
  private final IndexWriter writer;
  private DirectoryReader reader;
  /** The commit verified on open (null for a new store). */
  private StoreIntegrity.Verified verified;
  /** The files known intact, as last recorded. */
  private VerifiedFiles known = VerifiedFiles.none();
  private DerivedState derived;
  private final Signer signer = new Signer();
  private final ReportDocuments documents = new ReportDocuments();
  private final StoreSearcher searcher = new StoreSearcher(documents);
  private final Set<String> pending = new HashSet<>();
  /** A writer's filter of the ids stored or being added; null until the first add. */
  private IdFilter ids;
  private final ReentrantReadWriteLock inFlight = new ReentrantReadWriteLock();
  private final List<String> recoveries = new ArrayList<>();
  private final AtomicLong sinceCommit = new AtomicLong();
  private long commitSeq;
  private long nextOrd;

  private LuceneReportStore(Path dir, StoreDirectory directory, IndexWriter writer) {
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
  }

  /** Whether {@code dir} holds a store (one that cannot be looked into counts: opening it says why). */
  static boolean exists(Path dir) {
    try {
      return Files.readAttributes(dir.resolve(INDEX), BasicFileAttributes.class).isDirectory();
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** See {@link ReportStore#open}. */
  static LuceneReportStore open(Path dir, Mode mode, Duration wait) throws IOException {
    Path indexDir = dir.resolve(INDEX);
    StoreIntegrity.requireIndexIfCommitted(dir, indexDir);
    if (mode == Mode.READ_ONLY && !exists(dir)) {
      LuceneReportStore s = new LuceneReportStore(dir, null, null);
      s.derived = DerivedState.empty(dir, s.signer);
      return s;
    }
    if (mode == Mode.READ_WRITE) {
      try {
        PrivateFiles.createDirectories(indexDir);
      } catch (IOException e) {
        StoreAccessException a = IoFailures.classify(indexDir, e, true);
        throw a != null ? a : e;
      }
    }
    StoreDirectory directory = new StoreDirectory(indexDir);
    Lock lock = null;
    try {
      VerifiedFiles known = VerifiedFiles.read(dir);
      LuceneReportStore s;
      if (mode == Mode.READ_ONLY) {
        StoreIntegrity.Opened o = StoreIntegrity.openReader(directory, dir, known);
        s = new LuceneReportStore(dir, directory, null);
        if (o != null) {
          s.reader = o.reader();
          s.verified = o.verified();
          StoreSchema.check(o.verified().commit(), indexDir);
        }
      } else {
        // The lock first, then the check, then the writer: an IndexWriter deletes the files its commit
        // does not name as it opens, which, on an index whose commit point is lost, would be all of them.
        lock = lock(directory, dir, wait);
        StoreIntegrity.Verified v = StoreIntegrity.latestCommit(directory, dir, known);
        StoreSchema.check(v == null ? null : v.commit(), indexDir);
        s = new LuceneReportStore(dir, directory, openWriter(directory));
        lock = null; // the writer has it
        s.verified = v;
      }
      s.known = known;
      try {
        s.load();
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      return s;
    } catch (IOException | RuntimeException e) {
      if (lock != null) {
        lock.close();
      }
      directory.close();
      throw e;
    }
  }

  /** Takes the write lock for the writer to come, waiting up to {@code wait} for another writer. */
  private static Lock lock(StoreDirectory directory, Path dir, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return directory.lend(IndexWriter.WRITE_LOCK_NAME);
      } catch (LockObtainFailedException e) {
        if (System.nanoTime() >= deadline) {
          throw new StoreLockedException(dir, e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new StoreLockedException(dir, e);
        }
      }
    }
  }

  private static IndexWriter openWriter(StoreDirectory directory) throws IOException {
    IndexWriterConfig cfg = new IndexWriterConfig(Fields.analyzer());
    cfg.setCommitOnClose(false);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    cfg.setRAMBufferSizeMB(128);
    // no compound files: building one copies a whole new segment once more, and merges redo it
    cfg.setUseCompoundFile(false);
    cfg.getMergePolicy().setNoCFSRatio(0.0);
    return new IndexWriter(directory, cfg);
  }

  private void load() throws IOException {
    Map<String, String> data = Map.of();
    if (writer != null) {
      if (verified != null) {
        reader = DirectoryReader.open(directory);
      } else {
        writer.setLiveCommitData(new StoreSchema.CommitData(0, 1, 0).userData().entrySet());
        writer.commit();
        reader = DirectoryReader.open(directory);
      }
    }
    if (reader != null) {
      data = reader.getIndexCommit().getUserData();
    }
    StoreSchema.CommitData c = StoreSchema.CommitData.of(data);
    commitSeq = c.commitSeq();
    nextOrd = c.nextOrd();
    derived = new DerivedState(dir, () -> reader, writer != null, signer, recoveries, commitSeq, c.nextCluster());
    if (writer != null) {
      recordVerified();
      derived.depot();
      derived.clusterer();
      ids();
    }
  }

  /**
   * A writer's record of the files of its commit that are known intact: those verified on open and
   * those it wrote itself; any other is verified now. Written only when it changed.
   */
  private void recordVerified() throws IOException {
    var commit = reader.getIndexCommit();
    Map<String, VerifiedFiles.Stat> stats = new HashMap<>();
    Set<String> mine = directory.written();
    for (String f : commit.getFileNames()) {
      VerifiedFiles.Stat now = VerifiedFiles.Stat.of(directory.path().resolve(f));
      boolean intact = verified != null && now.equals(verified.files().get(f)) || known.covers(f, now)
          || mine.contains(f);
      if (!intact) {
        StoreIntegrity.checksum(directory, f);
      }
      stats.put(f, now);
    }
    if (!stats.equals(known.files()) || !known.commit().equals(Optional.of(commit.getSegmentsFileName()))) {
      known = new VerifiedFiles(commit.getSegmentsFileName(), stats);
      known.write(dir);
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
      long key = IdFilter.key(id);
      synchronized (this) {
        // the filter settles almost every new report; the few it might have seen are looked up
        if (ids().mightContain(key) && (pending.contains(id) || exists(id))) {
          return new IngestResult.Duplicate(id);
        }
        ids.add(key);
        a = derived.clusterer().assign(sig, report.title().title(), report.title().alternatives());
        for (var e : sig.stacks().entrySet()) {
          handles.put(e.getKey(), derived.depot().acquire(e.getValue()));
        }
        pending.add(id);
        ord = nextOrd++;
      }
      try {
        writer.addDocument(documents.document(report, normalized,
            new ReportDocuments.Decision(id, ord, ingested, sig, a, handles)));
      } catch (RuntimeException e) {
        throw damaged(e); // AlreadyClosedException after a failed flush carries the failure
      }
      added = new IngestResult.Added(id, a);
    } finally {
      inFlight.readLock().unlock();
    }
    if (sinceCommit.incrementAndGet() >= COMMIT_EVERY) {
      commit();
    }
    return added;
  }

  @Override
  public void commit() throws IOException {
    exclusively(() -> {
      commitLocked(true);
      return null;
    });
  }

  /** Work on the store that no add may run beside (commit, retention). */
  @FunctionalInterface
  private interface Exclusive<T> {
    T run() throws IOException;
  }

  /** Runs {@code work} once the adds in flight are done, holding off new ones, with the store locked. */
  private <T> T exclusively(Exclusive<T> work) throws IOException {
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
    writer.setLiveCommitData(new StoreSchema.CommitData(commitSeq, derived.clusterer().nextId(), nextOrd)
        .userData().entrySet());
    try {
      writer.commit();
    } catch (RuntimeException e) {
      throw damaged(e);
    }
    derived.committed(commitSeq, withClusters);
    pending.clear();
    DirectoryReader r = DirectoryReader.openIfChanged(reader);
    if (r != null) {
      reader.close();
      reader = r;
    }
    recordVerified();
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
      Retention.Selection sel = Retention.allButNewest(reader, max);
      return sel == null ? 0L : remove(sel);
    });
  }

  private long remove(Retention.Selection sel) throws IOException {
    long removed = Retention.remove(reader, writer, derived.depot(), sel);
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
    return reading(() -> derived.clusterer().explain(signer.sign(report)));
  }

  @Override
  public synchronized List<Clusterer.Scored> similar(Report report, int k) throws IOException {
    return reading(() -> derived.clusterer().similar(signer.sign(report), k));
  }

  @Override
  public synchronized List<Clusterer.Scored> similar(StoredReport report, int k) throws IOException {
    Signature sig = report.report().isPresent() ? signer.sign(report.report().get())
        : derived.signatureOf(report.tool(), report.bugType(), report.title(), report.handles());
    return reading(() -> derived.clusterer().similar(sig, k));
  }

  @Override
  public synchronized Optional<StoredReport> get(String idOrPrefix) throws IOException {
    return reading(() -> searcher.get(reader, idOrPrefix));
  }

  @Override
  public synchronized Optional<StoredReport> getAt(String source, long line) throws IOException {
    return reading(() -> searcher.getAt(reader, source, line));
  }

  @Override
  public synchronized SearchResult search(String query, int limit, boolean facets, boolean withReports,
      boolean withCorrupted) throws IOException, QuerySyntaxException {
    StoreSearcher.parse(query); // a bad query is the user's, before anything is read
    try {
      return searcher.search(reader, query, limit, facets, withReports, withCorrupted);
    } catch (IOException e) {
      throw damaged(e);
    } catch (RuntimeException e) {
      throw damaged(e);
    }
  }

  @Override
  public synchronized ClusterListing clusters(boolean withCorrupted) throws IOException {
    return reading(() -> ClusterSummaries.of(reader, withCorrupted));
  }

  @Override
  public synchronized StoreStats stats() throws IOException {
    return reading(this::statsNow);
  }

  private StoreStats statsNow() throws IOException {
    long indexBytes = 0;
    Path idx = dir.resolve(INDEX);
    if (Files.isDirectory(idx)) {
      try (Stream<Path> files = Files.list(idx)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          indexBytes += Files.isRegularFile(p) ? Files.size(p) : 0;
        }
      }
    }
    Path snap = dir.resolve(DerivedState.SNAPSHOT);
    long snapBytes = Files.exists(snap) ? Files.size(snap) : 0;
    long reports = reader == null ? 0 : reader.numDocs();
    return new StoreStats(reports, clusters().size(), indexBytes, snapBytes, derived.depot().stats());
  }

  @Override
  public synchronized List<String> frames(int handle) throws IOException {
    return reading(() -> derived.depot().contains(handle) ? derived.depot().frames(handle) : List.of());
  }

  @Override
  public synchronized Optional<Cluster.Snapshot> clusterDetail(long id) throws IOException {
    return reading(() -> derived.clusterer().cluster(id));
  }

  @Override
  public synchronized DepotStats depotStats() throws IOException {
    return reading(() -> derived.depot().stats());
  }

  @Override
  public synchronized List<String> recoveries() {
    return List.copyOf(recoveries);
  }

  @Override
  public String location() {
    return dir.toString();
  }

  /** The store directory. */
  public Path directory() {
    return dir;
  }

  @Override
  public synchronized void close() throws IOException {
    IOException first = null;
    for (Closeable c : new Closeable[] {reader, writer == null ? null : (Closeable) writer::rollback, directory}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    reader = null;
    if (first != null) {
      throw first;
    }
  }

  // ------------------------------------------------------------------ failures

  /** A read of the store. */
  @FunctionalInterface
  private interface Read<T> {
    T run() throws IOException;
  }

  /** Runs a read; a failure that damage explains becomes that damage (see {@link #explain(Throwable)}). */
  private <T> T reading(Read<T> read) throws IOException {
    try {
      return read.run();
    } catch (IOException e) {
      throw damaged(e);
    } catch (RuntimeException e) {
      throw damaged(e);
    }
  }

  private IOException damaged(IOException failure) throws DepotException {
    explain(failure);
    return failure;
  }

  private RuntimeException damaged(RuntimeException failure) throws DepotException {
    explain(failure);
    return failure;
  }

  /**
   * Throws what a failed read or write was, when it was a store problem: one it carries (a full disk
   * that Lucene met while flushing and then closed the writer for, say), a damaged file Lucene named,
   * or a damaged file the failure led to, found by checksumming the reader's commit (damage that left
   * the files' times alone, so the open did not look). Returns when it was none of these: a bug, or
   * I/O trouble of another kind.
   */
  private void explain(Throwable failure) throws DepotException {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DepotException d) {
        throw d;
      }
      if (t instanceof CorruptIndexException c && directory != null) {
        throw StoreIntegrity.corrupt(directory, c, ".");
      }
    }
    if (reader != null && directory != null) {
      CorruptStoreException c = StoreIntegrity.diagnose(directory, reader, failure);
      if (c != null) {
        throw c;
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  /** The id filter, filled from the index's id terms on first use (a few tens of ms per million reports). */
  private IdFilter ids() throws IOException {
    if (ids == null) {
      IdFilter f = new IdFilter();
      if (reader != null) {
        for (LeafReaderContext ctx : reader.leaves()) {
          Terms terms = ctx.reader().terms(Fields.ID);
          if (terms == null) {
            continue;
          }
          TermsEnum te = terms.iterator();
          for (BytesRef t = te.next(); t != null; t = te.next()) {
            f.add(IdFilter.key(t.utf8ToString()));
          }
        }
      }
      ids = f;
    }
    return ids;
  }

  private boolean exists(String id) throws IOException {
    if (reader == null) {
      return false;
    }
    BytesRef term = new BytesRef(id);
    for (LeafReaderContext ctx : reader.leaves()) {
      Terms terms = ctx.reader().terms(Fields.ID);
      if (terms == null) {
        continue;
      }
      TermsEnum te = terms.iterator();
      if (te.seekExact(term)) {
        PostingsEnum pe = te.postings(null, PostingsEnum.NONE);
        var live = ctx.reader().getLiveDocs();
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
          if (live == null || live.get(d)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private void requireWriter() {
    if (writer == null) {
      throw new IllegalStateException("store opened read-only");
    }
  }
}
