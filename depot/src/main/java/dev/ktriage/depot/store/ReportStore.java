package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.StoreLockedException;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Cluster;
import dev.ktriage.depot.cluster.ClusterFile;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.BugClass;
import dev.ktriage.depot.signature.ReportFingerprint;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.stack.DepotFile;
import dev.ktriage.depot.stack.DepotStats;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.depot.stack.StackDepot;
import dev.ktriage.depot.stack.StackHandle;
import dev.ktriage.depot.stack.StackNormalizer;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.BytesRef;

/**
 * The report store: an embedded Lucene index of reports under {@code DIR/index}, with the stack depot
 * snapshot in {@code DIR/depot.snapshot} and the clusterer's state in {@code DIR/clusters.state}.
 *
 * <p><b>Durability.</b> {@link #add} buffers; {@link #commit} makes everything added so far durable in
 * one Lucene commit (atomic: a crash leaves the previous commit), then writes the depot snapshot tagged
 * with the commit's sequence number. The index is the source of truth: every document stores its
 * stacks' frames and handles, so a snapshot that is missing, stale (a crash between the two writes),
 * damaged or of another version is rebuilt from the documents, and {@link #recoveries()} says so.
 * Clusters are derived data too: their state is written after the snapshot, tagged the same way
 * ({@link ClusterFile}); when it is missing, stale, damaged or of another version they are rebuilt
 * from doc values in ingest order, each report back into the cluster it was assigned to, so cluster
 * ids are stable across restarts either way.
 *
 * <p><b>Concurrency.</b> One writer per store, across processes: Lucene's native {@code write.lock}
 * (released by the OS when a writer dies). A second writer gets {@link StoreLockedException}, or waits
 * for the lock up to a given time. Readers ({@link Mode#READ_ONLY}) need no lock and see the last
 * commit. Instances are thread-safe: {@link #add} may be called from many threads at once (only its
 * clustering decision is serialized); {@link #commit} and retention wait for adds in flight; the other
 * methods synchronize on the store.
 */
public final class ReportStore implements Closeable {
  /** How a store is opened. */
  public enum Mode {
    /** Search, show, cluster listings; no lock; a missing store reads as empty. */
    READ_ONLY,
    /** Also ingest and retention; takes the write lock and creates the store if needed. */
    READ_WRITE
  }

  private static final String INDEX = "index";
  private static final String SNAPSHOT = "depot.snapshot";
  private static final String CLUSTER_STATE = "clusters.state";
  private static final String TOOL_STORED = "tool_s";
  private static final String BUG_TYPE_STORED = "bugType_s";

  private final Path dir;
  private final Mode mode;
  private final Directory directory;
  private final IndexWriter writer;
  private DirectoryReader reader;
  private StackDepot depot;
  private Clusterer clusterer;
  private final Signer signer = new Signer();
  private final FacetsConfig facetsConfig = facetsConfig();
  private final Set<String> pending = new HashSet<>();
  /** A writer's filter of the ids stored or being added; null until the first add. */
  private IdFilter ids;
  private final java.util.concurrent.locks.ReentrantReadWriteLock inFlight =
      new java.util.concurrent.locks.ReentrantReadWriteLock();
  private DefaultSortedSetDocValuesReaderState facetState;
  private final List<String> recoveries = new ArrayList<>();
  private long commitSeq;
  private long nextOrd;
  private long initialNextCluster = 1;

  /** Facets are only counted, never drilled down into: no drill-down terms to invert per report. */
  private static FacetsConfig facetsConfig() {
    FacetsConfig c = new FacetsConfig();
    for (String dim : Fields.FACETS) {
      c.setDrillDownTermsIndexing(dim, FacetsConfig.DrillDownTermsIndexing.NONE);
    }
    return c;
  }

  private ReportStore(Path dir, Mode mode, Directory directory, IndexWriter writer) {
    this.dir = dir;
    this.mode = mode;
    this.directory = directory;
    this.writer = writer;
  }

  /** Whether {@code dir} holds a store (a READ_ONLY open of one that does not reads as empty). */
  public static boolean exists(Path dir) {
    return Files.isDirectory(dir.resolve(INDEX));
  }

  /**
   * Opens (READ_WRITE: creates) the store in {@code dir}.
   *
   * @param wait how long to wait for another writer to finish; zero fails at once
   * @throws StoreLockedException another writer holds the store beyond {@code wait}
   * @throws SchemaVersionException the store was written by another schema version
   * @throws CorruptStoreException the index cannot be read
   */
  public static ReportStore open(Path dir, Mode mode, Duration wait) throws IOException, DepotException {
    Path indexDir = dir.resolve(INDEX);
    if (mode == Mode.READ_ONLY && !exists(dir)) {
      ReportStore s = new ReportStore(dir, mode, null, null);
      s.depot = new StackDepot();
      s.clusterer = new Clusterer();
      return s;
    }
    if (mode == Mode.READ_WRITE) {
      Files.createDirectories(indexDir);
    }
    Directory directory = FSDirectory.open(indexDir);
    try {
      checkSchema(directory, indexDir);
      IndexWriter writer = null;
      if (mode == Mode.READ_WRITE) {
        writer = openWriter(directory, dir, wait);
      }
      ReportStore s = new ReportStore(dir, mode, directory, writer);
      try {
        s.load();
      } catch (IOException | RuntimeException e) {
        s.close();
        throw e;
      }
      return s;
    } catch (DepotException | IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  private static void checkSchema(Directory directory, Path indexDir) throws IOException, DepotException {
    if (!DirectoryReader.indexExists(directory)) {
      return;
    }
    Map<String, String> data;
    try {
      data = SegmentInfos.readLatestCommit(directory).getUserData();
    } catch (IndexFormatTooOldException | IndexFormatTooNewException e) {
      throw new SchemaVersionException(indexDir, -1, Fields.SCHEMA_VERSION);
    } catch (CorruptIndexException e) {
      throw new CorruptStoreException(indexDir, e.getMessage(), e);
    }
    String v = data.get(Fields.SCHEMA);
    int found;
    try {
      found = v == null ? 0 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new CorruptStoreException(indexDir, "bad schema version " + v);
    }
    if (!Fields.READABLE_VERSIONS.contains(found)) {
      throw new SchemaVersionException(indexDir, found, Fields.SCHEMA_VERSION);
    }
  }

  private static IndexWriter openWriter(Directory directory, Path dir, Duration wait) throws IOException,
      StoreLockedException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      IndexWriterConfig cfg = new IndexWriterConfig(Fields.analyzer());
      cfg.setCommitOnClose(false);
      cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
      cfg.setRAMBufferSizeMB(128);
      // no compound files: building one copies a whole new segment once more, and merges redo it
      cfg.setUseCompoundFile(false);
      cfg.getMergePolicy().setNoCFSRatio(0.0);
      try {
        return new IndexWriter(directory, cfg);
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

  // ------------------------------------------------------------------ loading

  private void load() throws IOException {
    Map<String, String> data = Map.of();
    if (DirectoryReader.indexExists(directory)) {
      reader = DirectoryReader.open(directory);
      data = reader.getIndexCommit().getUserData();
    } else if (writer != null) {
      writer.setLiveCommitData(userData(0, 1, 0).entrySet());
      writer.commit();
      reader = DirectoryReader.open(directory);
    }
    commitSeq = Long.parseLong(data.getOrDefault(Fields.COMMIT, "0"));
    nextOrd = Long.parseLong(data.getOrDefault(Fields.NEXT_ORD, "0"));
    long nextCluster = Long.parseLong(data.getOrDefault(Fields.NEXT_CLUSTER, "1"));
    initialNextCluster = nextCluster;
    if (mode == Mode.READ_WRITE) {
      depot();
      clusterer();
      ids();
    }
  }

  /**
   * The depot, loaded on first use: a reader that only searches never pays for it (on a store of a
   * million reports, rebuilding the clusters takes seconds).
   */
  private StackDepot depot() throws IOException {
    if (depot == null) {
      depot = loadDepot();
    }
    return depot;
  }

  /**
   * The clusterer, on first use: read from the cluster state file when it belongs to this commit,
   * otherwise rebuilt from the documents (and, for a writer, written back at once).
   */
  private Clusterer clusterer() throws IOException {
    if (clusterer == null) {
      depot();
      clusterer = loadClusters();
      if (clusterer == null) {
        rebuildClusters(initialNextCluster);
        if (writer != null && reader != null && reader.numDocs() > 0) {
          writeClusterState();
        }
      }
    }
    return clusterer;
  }

  /** The persisted clusterer if it is there, intact and of this commit; null (noted) otherwise. */
  private Clusterer loadClusters() throws IOException {
    return readDerived(dir.resolve(CLUSTER_STATE), file -> {
      ClusterFile.Loaded l = ClusterFile.read(file, Clusterer.Config.standard(), depotStacks());
      return new Tagged<>(l.clusterer(), l.tag());
    }, "clusters rebuilt from the reports");
  }

  /** A derived file's content and the commit it was written at. */
  private record Tagged<T>(T value, long tag) {}

  /** Reads a derived file. */
  @FunctionalInterface
  private interface DerivedReader<T> {
    Tagged<T> read(Path file) throws IOException, CorruptStoreException, SchemaVersionException;
  }

  /**
   * The content of a derived file (the depot snapshot, the cluster state) if it is there, intact and of
   * this commit; null otherwise, with why and {@code instead} (what the caller does about it) noted in
   * {@link #recoveries()}. The index is the source of truth, so none of these is an error; a missing
   * file is only news when there are reports it should have described.
   */
  private <T> T readDerived(Path file, DerivedReader<T> read, String instead) throws IOException {
    try {
      Tagged<T> t = read.read(file);
      if (t.tag() == commitSeq) {
        return t.value();
      }
      recoveries.add(file + ": stale (commit " + t.tag() + ", index at " + commitSeq + "); " + instead);
    } catch (NoSuchFileException e) {
      if (reader != null && reader.numDocs() > 0) {
        recoveries.add(file + ": missing; " + instead);
      }
    } catch (CorruptStoreException | SchemaVersionException e) {
      recoveries.add(e.getMessage() + "; " + instead);
    }
    return null;
  }

  private void writeClusterState() throws IOException {
    ClusterFile.write(clusterer, commitSeq, depotStacks(), dir.resolve(CLUSTER_STATE));
  }

  /**
   * The depot handles of the exemplars' stacks by list identity: the clusterer keeps the very lists,
   * so writing its state at every commit does not hash every exemplar frame again. Emptied whenever the
   * clusterer is rebuilt (handles can be freed and reused after a removal).
   */
  private final Map<List<String>, Integer> exemplarHandles = new java.util.IdentityHashMap<>();

  private ClusterFile.Stacks depotStacks() {
    StackDepot d = depot;
    return new ClusterFile.Stacks() {
      @Override
      public int handleOf(List<String> frames) {
        Integer h = exemplarHandles.get(frames);
        if (h == null) {
          h = d.find(frames);
          if (h != StackHandle.NONE) {
            exemplarHandles.put(frames, h);
          }
        }
        return h;
      }

      @Override
      public List<String> framesOf(int handle) {
        if (!d.contains(handle)) {
          return List.of();
        }
        List<String> frames = d.frames(handle);
        exemplarHandles.put(frames, handle);
        return frames;
      }
    };
  }

  private StackDepot loadDepot() throws IOException {
    StackDepot d = readDerived(dir.resolve(SNAPSHOT), file -> {
      DepotFile.Snapshot s = DepotFile.read(file);
      return new Tagged<>(s.depot(), s.tag());
    }, "rebuilt from the reports");
    return d != null ? d : rebuildDepot();
  }

  /** Rebuilds the depot from the frames and handles every document stores, keeping the handles. */
  private StackDepot rebuildDepot() throws IOException {
    Map<Integer, List<String>> frames = new HashMap<>();
    Map<Integer, Integer> refs = new HashMap<>();
    if (reader != null) {
      for (LeafReaderContext ctx : reader.leaves()) {
        LeafReader leaf = ctx.reader();
        StoredFields sf = leaf.storedFields();
        var live = leaf.getLiveDocs();
        for (int d = 0; d < leaf.maxDoc(); d++) {
          if (live != null && !live.get(d)) {
            continue;
          }
          Document doc = sf.document(d, Set.of(Fields.FRAMES, Fields.HANDLES));
          Map<StackRole, Integer> handles = decodeHandles(doc.getBinaryValue(Fields.HANDLES));
          Map<StackRole, List<String>> stacks = decodeFrames(doc.get(Fields.FRAMES));
          for (var e : handles.entrySet()) {
            frames.putIfAbsent(e.getValue(), stacks.get(e.getKey()));
            refs.merge(e.getValue(), 1, Integer::sum);
          }
        }
      }
    }
    try {
      return StackDepot.restored(frames, refs);
    } catch (IllegalStateException e) {
      throw new IOException("reports disagree about their stacks: " + e.getMessage(), e);
    }
  }

  private void rebuildClusters(long nextCluster) throws IOException {
    exemplarHandles.clear();
    clusterer = new Clusterer();
    clusterer.reserveIdsThrough(nextCluster - 1);
    if (reader == null) {
      return;
    }
    record Row(long ord, long cluster, String key, String tool, String bugClass, String title, List<String> alts,
        BytesRef handles) {}
    List<Row> rows = new ArrayList<>(reader.numDocs());
    for (LeafReaderContext ctx : reader.leaves()) {
      LeafReader leaf = ctx.reader();
      var live = leaf.getLiveDocs();
      NumericDocValues ord = leaf.getNumericDocValues(Fields.ORD);
      NumericDocValues cluster = leaf.getNumericDocValues(Fields.CLUSTER);
      SortedDocValues tool = leaf.getSortedDocValues(Fields.TOOL_DV);
      SortedDocValues cls = leaf.getSortedDocValues(Fields.CLASS_DV);
      SortedDocValues title = leaf.getSortedDocValues(Fields.TITLE_DV);
      SortedSetDocValues titles = leaf.getSortedSetDocValues(Fields.TITLES_DV);
      BinaryDocValues handles = leaf.getBinaryDocValues(Fields.HANDLES);
      SortedDocValues key = leaf.getSortedDocValues(Fields.KEY_DV);
      if (ord == null) {
        continue;
      }
      // Values repeat across documents (a few tools, classes, titles, keys per cluster): decode each
      // segment ordinal once. This pass dominates opening a big store for clustering.
      Map<Integer, String> toolOrds = new HashMap<>();
      Map<Integer, String> classOrds = new HashMap<>();
      Map<Integer, String> titleOrds = new HashMap<>();
      Map<Integer, String> keyOrds = new HashMap<>();
      Map<Long, String> titlesOrds = new HashMap<>();
      Map<List<Long>, List<String>> altLists = new HashMap<>();
      for (int d = 0; d < leaf.maxDoc(); d++) {
        if (live != null && !live.get(d)) {
          continue;
        }
        ord.advanceExact(d);
        cluster.advanceExact(d);
        tool.advanceExact(d);
        cls.advanceExact(d);
        key.advanceExact(d);
        String t = title.advanceExact(d) ? titleOrds.computeIfAbsent(title.ordValue(), o -> lookup(title, o)) : "";
        List<String> alts = List.of();
        if (titles != null && titles.advanceExact(d) && titles.docValueCount() > 1) {
          Long[] ords = new Long[titles.docValueCount()];
          for (int i = 0; i < ords.length; i++) {
            ords[i] = titles.nextOrd();
          }
          String tt = t;
          alts = altLists.computeIfAbsent(List.of(ords), os -> os.stream()
              .map(o -> titlesOrds.computeIfAbsent(o, x -> lookup(titles, x))).filter(a -> !a.equals(tt)).toList());
        }
        BytesRef h = handles != null && handles.advanceExact(d) ? BytesRef.deepCopyOf(handles.binaryValue()) : null;
        rows.add(new Row(ord.longValue(), cluster.longValue(), keyOrds.computeIfAbsent(key.ordValue(), o -> lookup(key, o)),
            toolOrds.computeIfAbsent(tool.ordValue(), o -> lookup(tool, o)),
            classOrds.computeIfAbsent(cls.ordValue(), o -> lookup(cls, o)), t, alts, h));
      }
    }
    rows.sort(java.util.Comparator.comparingLong(Row::ord));
    for (Row r : rows) {
      // the signature is only computed for a key's first report: the others just count as members
      clusterer.restore(r.cluster(), r.key(),
          () -> signatureOf(depot, Tool.valueOf(r.tool()), r.bugClass(), r.title(), decodeHandles(r.handles())),
          r.title(), r.alts());
    }
  }

  private Signature signatureOf(Tool tool, String bugClass, String title, Map<StackRole, Integer> handles) throws IOException {
    return signatureOf(depot(), tool, bugClass, title, handles);
  }

  private Signature signatureOf(StackDepot d, Tool tool, String bugClass, String title, Map<StackRole, Integer> handles) {
    Map<StackRole, List<String>> stacks = new EnumMap<>(StackRole.class);
    for (var e : handles.entrySet()) {
      stacks.put(e.getKey(), d.frames(e.getValue()));
    }
    return signer.of(tool, bugClass, title, stacks);
  }

  // ------------------------------------------------------------------ writing

  /** {@link #add(Report, String, Instant)} at the current time. */
  public IngestResult add(Report report, String json) throws IOException {
    return add(report, json, Instant.now());
  }

  /**
   * Adds a report unless the store already has it (same {@link ReportFingerprint}). It is searchable
   * and durable after {@link #commit()}; clustering sees it at once.
   *
   * @param json the report as JSON, stored as given and returned by {@link #get}
   */
  public IngestResult add(Report report, String json, Instant ingested) throws IOException {
    return add(report, json, ingested, ReportFingerprint.of(report));
  }

  /**
   * {@link #add(Report, String, Instant)} with the fingerprint given: a report symbolized on the way in
   * keeps the fingerprint of the log as printed ({@link ReportFingerprint#of} of the parsed report), so
   * ingesting a log with and without symbolization stores it once.
   */
  public IngestResult add(Report report, String json, Instant ingested, String id) throws IOException {
    return add(report, json.getBytes(java.nio.charset.StandardCharsets.UTF_8), ingested, id);
  }

  /**
   * {@link #add(Report, String, Instant, String)} with the JSON as UTF-8 bytes, which is how it is
   * stored (no string of it needs to exist). The array is not kept.
   */
  public IngestResult add(Report report, byte[] jsonUtf8, Instant ingested, String id) throws IOException {
    requireWriter();
    if (id.length() < 16) {
      throw new IllegalArgumentException("not a report fingerprint: " + id);
    }
    // Fingerprinting, normalizing and indexing run in parallel across threads; only the decision
    // (duplicate? which cluster? which handles?) is serialized. commit() waits for adds in flight.
    Map<StackRole, List<NormalizedFrame>> normalized = signer.normalize(report);
    Signature sig = signer.sign(report, normalized);
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
        a = clusterer().assign(sig, report.title().title(), report.title().alternatives());
        for (var e : sig.stacks().entrySet()) {
          handles.put(e.getKey(), depot().acquire(e.getValue()));
        }
        pending.add(id);
        ord = nextOrd++;
      }
      writer.addDocument(document(report, normalized, jsonUtf8, ingested, id, ord, sig, a, handles));
      return new IngestResult.Added(id, a);
    } finally {
      inFlight.readLock().unlock();
    }
  }

  /** Makes every report added so far durable, atomically, and visible to searches. */
  public void commit() throws IOException {
    exclusively(() -> {
      commitLocked();
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

  private void commitLocked() throws IOException {
    commitLocked(true);
  }

  /** Commits; {@code withClusters}: also writes the cluster state (not when the clusters are to be rebuilt). */
  private void commitLocked(boolean withClusters) throws IOException {
    requireWriter();
    commitSeq++;
    writer.setLiveCommitData(userData(commitSeq, clusterer().nextId(), nextOrd).entrySet());
    writer.commit();
    DepotFile.write(depot, commitSeq, dir.resolve(SNAPSHOT));
    if (withClusters) {
      writeClusterState();
    }
    pending.clear();
    DirectoryReader r = DirectoryReader.openIfChanged(reader);
    if (r != null) {
      reader.close();
      reader = r;
    }
  }

  private static Map<String, String> userData(long seq, long nextCluster, long nextOrd) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Fields.SCHEMA, Integer.toString(Fields.SCHEMA_VERSION));
    m.put(Fields.COMMIT, Long.toString(seq));
    m.put(Fields.NEXT_CLUSTER, Long.toString(nextCluster));
    m.put(Fields.NEXT_ORD, Long.toString(nextOrd));
    return m;
  }

  private Document document(Report r, Map<StackRole, List<NormalizedFrame>> normalized, byte[] json,
      Instant ingested, String id, long ord, Signature sig, Assignment a, Map<StackRole, Integer> handles) {
    Document doc = new Document();
    keyword(doc, Fields.ID, id);
    doc.add(new SortedDocValuesField(Fields.ID_DV, new BytesRef(id)));
    doc.add(new NumericDocValuesField(Fields.ORD, ord));
    String title = r.title().title();
    doc.add(new TextField(Fields.TITLE, title, Field.Store.YES));
    doc.add(new SortedDocValuesField(Fields.TITLE_DV, new BytesRef(title)));
    doc.add(new SortedSetDocValuesField(Fields.TITLES_DV, new BytesRef(title)));
    StringBuilder text = new StringBuilder(title).append('\n');
    for (String alt : r.title().alternatives()) {
      doc.add(new TextField(Fields.ALT_TITLE, alt, Field.Store.YES));
      doc.add(new SortedSetDocValuesField(Fields.TITLES_DV, new BytesRef(alt)));
      text.append(alt).append('\n');
    }
    keyword(doc, Fields.TOOL, r.tool().name());
    doc.add(new SortedDocValuesField(Fields.TOOL_DV, new BytesRef(r.tool().name())));
    keyword(doc, Fields.BUG_TYPE, r.bugType());
    doc.add(new StoredField(TOOL_STORED, r.tool().name()));
    doc.add(new StoredField(BUG_TYPE_STORED, r.bugType()));
    keyword(doc, Fields.BUG_CLASS, sig.bugClass());
    doc.add(new SortedDocValuesField(Fields.CLASS_DV, new BytesRef(sig.bugClass())));
    keyword(doc, Fields.KEY, sig.exactKey());
    doc.add(new SortedDocValuesField(Fields.KEY_DV, new BytesRef(sig.exactKey())));
    sig.guilty().or(() -> r.title().guiltyFrame()).ifPresent(g -> keyword(doc, Fields.GUILTY, g));
    r.access().ifPresent(acc -> {
      keyword(doc, Fields.OP, acc.op().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      acc.size().ifPresent(sz -> {
        doc.add(new IntPoint(Fields.SIZE, (int) sz));
        doc.add(new StoredField(Fields.SIZE, (int) sz));
      });
      acc.task().ifPresent(t -> {
        keyword(doc, Fields.TASK, t.comm());
        text.append(t.comm()).append('\n');
      });
    });
    if (r.access().isEmpty()) {
      r.context().comm().ifPresent(c -> keyword(doc, Fields.TASK, c));
    }
    Set<String> functions = new LinkedHashSet<>();
    Set<String> files = new LinkedHashSet<>();
    Set<String> modules = new LinkedHashSet<>();
    for (List<NormalizedFrame> stack : normalized.values()) {
      for (NormalizedFrame f : stack) {
        functions.add(f.function());
        f.location().ifPresent(l -> files.add(l.file()));
        f.module().ifPresent(modules::add);
      }
    }
    for (String f : functions) {
      keyword(doc, Fields.FUNCTION, f);
    }
    for (String f : files) {
      keyword(doc, Fields.FILE, f);
    }
    for (String m : modules) {
      keyword(doc, Fields.MODULE, m);
    }
    String release = r.context().release().orElse("");
    if (!release.isEmpty()) {
      keyword(doc, Fields.RELEASE, release);
      doc.add(new SortedDocValuesField(Fields.RELEASE_DV, new BytesRef(release)));
      doc.add(new SortedSetDocValuesFacetField(Fields.RELEASE, release));
    }
    r.context().arch().ifPresent(x -> keyword(doc, Fields.ARCH, x));
    text.append(r.bugType());
    doc.add(new TextField(Fields.TEXT, text.toString(), Field.Store.NO));
    keyword(doc, Fields.SOURCE, r.source().path());
    doc.add(new SortedDocValuesField(Fields.SOURCE_DV, new BytesRef(r.source().path())));
    doc.add(new LongPoint(Fields.LINE, r.source().firstLine()));
    doc.add(new StoredField(Fields.LINE, r.source().firstLine()));
    doc.add(new NumericDocValuesField(Fields.LINE, r.source().firstLine()));
    doc.add(new LongPoint(Fields.CLUSTER, a.clusterId()));
    doc.add(new StoredField(Fields.CLUSTER, a.clusterId()));
    doc.add(new NumericDocValuesField(Fields.CLUSTER, a.clusterId()));
    long time = ReportTimes.wallClock(r.time()).map(Instant::toEpochMilli).orElse(ingested.toEpochMilli());
    doc.add(new LongPoint(Fields.TIME, time));
    doc.add(new StoredField(Fields.TIME, time));
    doc.add(new NumericDocValuesField(Fields.TIME, time));
    doc.add(new LongPoint(Fields.INGESTED, ingested.toEpochMilli()));
    doc.add(new StoredField(Fields.INGESTED, ingested.toEpochMilli()));
    r.time().uptime().ifPresent(u -> {
      doc.add(new DoublePoint(Fields.UPTIME, u));
      doc.add(new StoredField(Fields.UPTIME, u));
    });
    BytesRef h = encodeHandles(handles);
    doc.add(new BinaryDocValuesField(Fields.HANDLES, h));
    doc.add(new StoredField(Fields.HANDLES, h));
    doc.add(new StoredField(Fields.FRAMES, encodeFrames(sig.stacks())));
    doc.add(new StoredField(Fields.ASSIGNMENT, Explanations.describe(a)));
    doc.add(new BinaryDocValuesField(Fields.JSON_Z, JsonCodec.encode(json)));
    doc.add(new SortedSetDocValuesFacetField(Fields.TOOL, r.tool().name()));
    doc.add(new SortedSetDocValuesFacetField(Fields.BUG_TYPE, r.bugType()));
    doc.add(new SortedSetDocValuesFacetField(Fields.CLUSTER, Long.toString(a.clusterId())));
    try {
      return facetsConfig.build(doc);
    } catch (IOException e) {
      throw new IllegalStateException("facet config rejected a document", e);
    }
  }

  private static void keyword(Document doc, String field, String value) {
    doc.add(new StringField(field, Fields.lower(value), Field.Store.NO));
  }

  // ------------------------------------------------------------------ retention

  /**
   * Removes the reports whose {@code time} is before {@code cutoff}, releasing their stacks, and commits.
   *
   * @return how many were removed
   */
  public long removeOlderThan(Instant cutoff) throws IOException {
    return exclusively(() -> {
      commitLocked();
      Query q = LongPoint.newRangeQuery(Fields.TIME, Long.MIN_VALUE, cutoff.toEpochMilli() - 1);
      return remove(q, Integer.MAX_VALUE, null);
    });
  }

  /**
   * Keeps the {@code max} newest reports (by {@code time}, then ingest order) and removes the rest,
   * releasing their stacks, and commits.
   *
   * @return how many were removed
   */
  public long keepNewest(long max) throws IOException {
    return exclusively(() -> {
      commitLocked();
      long total = reader.numDocs();
      if (total <= max) {
        return 0L;
      }
      Sort oldestFirst = new Sort(new SortField(Fields.TIME, SortField.Type.LONG),
          new SortField(Fields.ORD, SortField.Type.LONG));
      return remove(new MatchAllDocsQuery(), (int) Math.min(Integer.MAX_VALUE, total - max), oldestFirst);
    });
  }

  private long remove(Query q, int limit, Sort sort) throws IOException {
    requireWriter();
    IndexSearcher s = new IndexSearcher(reader);
    TopDocs top = sort == null ? s.search(q, Math.max(1, Math.min(limit, reader.maxDoc())))
        : s.search(q, Math.max(1, Math.min(limit, reader.maxDoc())), sort);
    StoredFields sf = s.storedFields();
    long removed = 0;
    List<Term> ids = new ArrayList<>();
    for (ScoreDoc sd : top.scoreDocs) {
      Document doc = sf.document(sd.doc, Set.of(Fields.HANDLES, Fields.ID));
      for (int handle : decodeHandles(doc.getBinaryValue(Fields.HANDLES)).values()) {
        depot().release(handle);
      }
      removed++;
    }
    if (removed == 0) {
      return 0;
    }
    // Delete by the id doc values we just read (stored "id" is not stored; use the dv through the leaf).
    for (ScoreDoc sd : top.scoreDocs) {
      ids.add(new Term(Fields.ID, idOf(sd.doc)));
    }
    writer.deleteDocuments(ids.toArray(Term[]::new));
    long nextCluster = clusterer().nextId();
    commitLocked(false);
    rebuildClusters(nextCluster);
    writeClusterState();
    return removed;
  }

  private String idOf(int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext ctx = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    SortedDocValues dv = ctx.reader().getSortedDocValues(Fields.ID_DV);
    dv.advanceExact(doc - ctx.docBase);
    return dv.lookupOrd(dv.ordValue()).utf8ToString();
  }

  // ------------------------------------------------------------------ reading

  /** What {@link #add} would do with a report: the cluster it would join and why. Changes nothing. */
  public synchronized Assignment explain(Report report) throws IOException {
    return clusterer().explain(signer.sign(report));
  }

  /** The {@code k} clusters most like a report, best first. */
  public synchronized List<Clusterer.Scored> similar(Report report, int k) throws IOException {
    return clusterer().similar(signer.sign(report), k);
  }

  /** The {@code k} clusters most like a stored report (its own cluster first, with score 1). */
  public synchronized List<Clusterer.Scored> similar(StoredReport report, int k) throws IOException {
    BugClassAndTool bt = BugClassAndTool.of(report);
    return clusterer().similar(signatureOf(bt.tool(), bt.bugClass(), report.title(), report.handles()), k);
  }

  /** The stored report with this id, or the only one whose id starts with it (at least 6 digits). */
  public synchronized Optional<StoredReport> get(String idOrPrefix) throws IOException {
    if (reader == null || idOrPrefix.length() < 6) {
      return Optional.empty();
    }
    IndexSearcher s = new IndexSearcher(reader);
    Query q = idOrPrefix.length() >= 32 ? new TermQuery(new Term(Fields.ID, Fields.lower(idOrPrefix)))
        : new org.apache.lucene.search.PrefixQuery(new Term(Fields.ID, Fields.lower(idOrPrefix)));
    TopDocs top = s.search(q, 2);
    if (top.scoreDocs.length != 1) {
      return Optional.empty();
    }
    return Optional.of(load(s.storedFields(), top.scoreDocs[0].doc));
  }

  /** The stored report that starts at {@code source:line}, if any. */
  public synchronized Optional<StoredReport> getAt(String source, long line) throws IOException {
    if (reader == null) {
      return Optional.empty();
    }
    IndexSearcher s = new IndexSearcher(reader);
    Query q = new org.apache.lucene.search.BooleanQuery.Builder()
        .add(new TermQuery(new Term(Fields.SOURCE, Fields.lower(source))), org.apache.lucene.search.BooleanClause.Occur.FILTER)
        .add(LongPoint.newExactQuery(Fields.LINE, line), org.apache.lucene.search.BooleanClause.Occur.FILTER)
        .build();
    TopDocs top = s.search(q, 1);
    return top.scoreDocs.length == 0 ? Optional.empty() : Optional.of(load(s.storedFields(), top.scoreDocs[0].doc));
  }

  /**
   * Reports matching a query in Lucene syntax over the store's fields (see the README), best first.
   *
   * @param facets also count matches per tool, bug type, cluster and release
   * @throws QuerySyntaxException when the query does not parse
   */
  public SearchResult search(String query, int limit, boolean facets) throws IOException, QuerySyntaxException {
    return search(query, limit, facets, false);
  }

  /**
   * {@link #search(String, int, boolean)}, with each hit's report JSON loaded when {@code withJson}
   * (otherwise {@link StoredReport#json()} is empty: listing hits does not need the biggest field).
   */
  public synchronized SearchResult search(String query, int limit, boolean facets, boolean withJson)
      throws IOException, QuerySyntaxException {
    Query q;
    try {
      q = query.isBlank() ? new MatchAllDocsQuery() : new StoreQueryParser().parse(query);
    } catch (ParseException | RuntimeException e) {
      throw new QuerySyntaxException("bad query: " + firstLine(e.getMessage()), e);
    }
    if (reader == null || reader.numDocs() == 0) {
      return new SearchResult(0, List.of(), Map.of());
    }
    IndexSearcher s = new IndexSearcher(reader);
    int n = Math.max(1, limit);
    List<StoredReport> hits = new ArrayList<>();
    Map<String, List<SearchResult.FacetCount>> counts = new LinkedHashMap<>();
    TopDocs top;
    if (facets) {
      FacetsCollectorManager.FacetsResult fr = FacetsCollectorManager.search(s, q, n, new FacetsCollectorManager());
      top = fr.topDocs();
      counts = facetCounts(fr.facetsCollector());
    } else {
      // one pass for the best hits and the exact total (no second count() pass)
      top = s.search(q, new org.apache.lucene.search.TopScoreDocCollectorManager(n, Integer.MAX_VALUE));
    }
    long total = top.totalHits.relation() == org.apache.lucene.search.TotalHits.Relation.EQUAL_TO
        ? top.totalHits.value() : s.count(q);
    StoredFields sf = s.storedFields();
    for (ScoreDoc sd : top.scoreDocs) {
      hits.add(load(sf, sd.doc, withJson));
    }
    return new SearchResult(total, hits.subList(0, Math.min(limit, hits.size())), counts);
  }

  private Map<String, List<SearchResult.FacetCount>> facetCounts(FacetsCollector fc) throws IOException {
    Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
    DefaultSortedSetDocValuesReaderState state;
    try {
      if (facetState == null || facetState.reader != reader) {
        // building the ordinal map costs a pass over the facet field: once per reader, not per query
        facetState = new DefaultSortedSetDocValuesReaderState(reader, facetsConfig);
      }
      state = facetState;
    } catch (IllegalArgumentException e) {
      return out; // no document has facets yet
    }
    SortedSetDocValuesFacetCounts counts = new SortedSetDocValuesFacetCounts(state, fc);
    for (String dim : Fields.FACETS) {
      List<SearchResult.FacetCount> list = new ArrayList<>();
      try {
        FacetResult r = counts.getTopChildren(50, dim);
        if (r != null) {
          for (LabelAndValue lv : r.labelValues) {
            list.add(new SearchResult.FacetCount(lv.label, lv.value.longValue()));
          }
        }
      } catch (IllegalArgumentException e) {
        // the dimension was never indexed (no report had a release, say)
      }
      out.put(dim, list);
    }
    return out;
  }

  private StoredReport load(StoredFields sf, int doc) throws IOException {
    return load(sf, doc, true);
  }

  private static final Set<String> LIGHT = Set.of(Fields.TITLE, Fields.ALT_TITLE, "tool_s", "bugType_s", Fields.CLUSTER,
      Fields.LINE, Fields.TIME, Fields.INGESTED, Fields.HANDLES, Fields.ASSIGNMENT);

  private StoredReport load(StoredFields sf, int doc, boolean withJson) throws IOException {
    Document d = sf.document(doc, LIGHT);
    List<String> alts = Stream.of(d.getValues(Fields.ALT_TITLE)).toList();
    String json = withJson ? jsonOf(sf, doc) : "";
    return new StoredReport(idOf(doc), d.get(Fields.TITLE), alts, d.get(TOOL_STORED), d.get(BUG_TYPE_STORED),
        d.getField(Fields.CLUSTER).numericValue().longValue(), sourceOf(doc), d.getField(Fields.LINE).numericValue().longValue(),
        Instant.ofEpochMilli(d.getField(Fields.TIME).numericValue().longValue()),
        Instant.ofEpochMilli(d.getField(Fields.INGESTED).numericValue().longValue()), releaseOf(doc),
        decodeHandles(d.getBinaryValue(Fields.HANDLES)), d.get(Fields.ASSIGNMENT), json);
  }

  /** A report's JSON: compressed doc values (schema 2), or the stored field of a schema 1 report. */
  private String jsonOf(StoredFields sf, int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext ctx = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues dv = ctx.reader().getBinaryDocValues(Fields.JSON_Z);
    if (dv != null && dv.advanceExact(doc - ctx.docBase)) {
      return JsonCodec.decode(dv.binaryValue());
    }
    String old = sf.document(doc, Set.of(Fields.JSON)).get(Fields.JSON);
    return old == null ? "" : old;
  }

  private String sourceOf(int doc) throws IOException {
    return sortedValue(doc, Fields.SOURCE_DV);
  }

  private String releaseOf(int doc) throws IOException {
    return sortedValue(doc, Fields.RELEASE_DV);
  }

  private String sortedValue(int doc, String field) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext ctx = leaves.get(org.apache.lucene.index.ReaderUtil.subIndex(doc, leaves));
    SortedDocValues dv = ctx.reader().getSortedDocValues(field);
    if (dv == null || !dv.advanceExact(doc - ctx.docBase)) {
      return "";
    }
    return dv.lookupOrd(dv.ordValue()).utf8ToString();
  }

  /** Every cluster with a stored report, in id order. */
  public synchronized List<ClusterSummary> clusters() throws IOException {
    Map<Long, ClusterAcc> acc = new java.util.TreeMap<>();
    if (reader != null) {
      for (LeafReaderContext ctx : reader.leaves()) {
        LeafReader leaf = ctx.reader();
        var live = leaf.getLiveDocs();
        NumericDocValues ord = leaf.getNumericDocValues(Fields.ORD);
        if (ord == null) {
          continue;
        }
        NumericDocValues cluster = leaf.getNumericDocValues(Fields.CLUSTER);
        NumericDocValues time = leaf.getNumericDocValues(Fields.TIME);
        NumericDocValues line = leaf.getNumericDocValues(Fields.LINE);
        SortedDocValues release = leaf.getSortedDocValues(Fields.RELEASE_DV);
        SortedDocValues source = leaf.getSortedDocValues(Fields.SOURCE_DV);
        SortedDocValues id = leaf.getSortedDocValues(Fields.ID_DV);
        SortedDocValues title = leaf.getSortedDocValues(Fields.TITLE_DV);
        SortedSetDocValues titles = leaf.getSortedSetDocValues(Fields.TITLES_DV);
        Map<Long, String> titleOrds = new HashMap<>();
        Map<Long, String> titlesOrds = new HashMap<>();
        for (int d = 0; d < leaf.maxDoc(); d++) {
          if (live != null && !live.get(d)) {
            continue;
          }
          ord.advanceExact(d);
          cluster.advanceExact(d);
          time.advanceExact(d);
          line.advanceExact(d);
          source.advanceExact(d);
          id.advanceExact(d);
          String rel = release != null && release.advanceExact(d) ? release.lookupOrd(release.ordValue()).utf8ToString() : "";
          ClusterAcc a = acc.computeIfAbsent(cluster.longValue(), k -> new ClusterAcc());
          a.add(ord.longValue(), time.longValue(), rel,
              source.lookupOrd(source.ordValue()).utf8ToString() + ":" + line.longValue(),
              id.lookupOrd(id.ordValue()).utf8ToString());
          // titles are few and repeat: decode each segment ordinal once
          String t = "";
          if (title != null && title.advanceExact(d)) {
            final SortedDocValues tdv = title;
            t = titleOrds.computeIfAbsent((long) title.ordValue(), o -> lookup(tdv, o));
            a.title(t, ord.longValue() * 64);
          }
          if (titles != null && titles.advanceExact(d)) {
            for (int i = 0; i < titles.docValueCount(); i++) {
              final SortedSetDocValues tsv = titles;
              String alt = titlesOrds.computeIfAbsent(titles.nextOrd(), o -> lookup(tsv, o));
              if (!alt.equals(t)) {
                a.title(alt, ord.longValue() * 64 + 1 + i);
              }
            }
          }
        }
      }
    }
    List<ClusterSummary> out = new ArrayList<>();
    for (var e : acc.entrySet()) {
      out.add(e.getValue().summary(e.getKey()));
    }
    return out;
  }

  private static String lookup(SortedDocValues dv, long ord) {
    try {
      return dv.lookupOrd((int) ord).utf8ToString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static String lookup(SortedSetDocValues dv, long ord) {
    try {
      return dv.lookupOrd(ord).utf8ToString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** One cluster. */
  public synchronized Optional<ClusterSummary> cluster(long id) throws IOException {
    return clusters().stream().filter(c -> c.id() == id).findFirst();
  }

  private static final class ClusterAcc {
    private final List<long[]> members = new ArrayList<>();
    private final List<String> locations = new ArrayList<>();
    private final List<String> ids = new ArrayList<>();
    private final Set<String> releases = new TreeSet<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private final Map<String, Long> titleOrder = new HashMap<>();

    /** A title seen at a position (ingest order, title before alternatives); the earliest one counts. */
    void title(String t, long position) {
      titleOrder.merge(t, position, Math::min);
    }

    void add(long ord, long time, String release, String location, String id) {
      members.add(new long[] {ord, locations.size()});
      locations.add(location);
      ids.add(id);
      if (!release.isEmpty()) {
        releases.add(release);
      }
      first = Math.min(first, time);
      last = Math.max(last, time);
    }

    ClusterSummary summary(long id) {
      List<String> titles = titleOrder.entrySet().stream().sorted(Map.Entry.comparingByValue()).map(Map.Entry::getKey)
          .toList();
      members.sort(java.util.Comparator.comparingLong(m -> m[0]));
      List<String> locs = new ArrayList<>();
      List<String> idList = new ArrayList<>();
      for (long[] m : members) {
        locs.add(locations.get((int) m[1]));
        idList.add(ids.get((int) m[1]));
      }
      return new ClusterSummary(id, members.size(), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last), titles,
          List.copyOf(releases), locs, idList);
    }
  }

  /** Sizes and the depot's counters. */
  public synchronized StoreStats stats() throws IOException {
    long indexBytes = 0;
    Path idx = dir.resolve(INDEX);
    if (Files.isDirectory(idx)) {
      try (Stream<Path> files = Files.list(idx)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          indexBytes += Files.isRegularFile(p) ? Files.size(p) : 0;
        }
      }
    }
    Path snap = dir.resolve(SNAPSHOT);
    long snapBytes = Files.exists(snap) ? Files.size(snap) : 0;
    long reports = reader == null ? 0 : reader.numDocs();
    return new StoreStats(reports, clusters().size(), indexBytes, snapBytes, depot().stats());
  }

  /** The frames of a stack a stored report holds, innermost first (empty for an unknown handle). */
  public synchronized List<String> frames(int handle) throws IOException {
    return depot().contains(handle) ? depot().frames(handle) : List.of();
  }

  /** The clusterer's view of a cluster: its titles and the exact keys that lead to it. */
  public synchronized Optional<Cluster.Snapshot> clusterDetail(long id) throws IOException {
    return clusterer().cluster(id);
  }

  /** The depot's counters. */
  public synchronized DepotStats depotStats() throws IOException {
    return depot().stats();
  }

  /** What was repaired when the store was opened (a stale or damaged depot snapshot rebuilt), for the user. */
  public synchronized List<String> recoveries() {
    return List.copyOf(recoveries);
  }

  /** The store directory. */
  public Path directory() {
    return dir;
  }

  /** Closes without committing: reports added since the last {@link #commit} are dropped. */
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

  // ------------------------------------------------------------------ helpers

  /** The id filter, filled from the index's id terms on first use (a few tens of ms per million reports). */
  private IdFilter ids() throws IOException {
    if (ids == null) {
      IdFilter f = new IdFilter();
      if (reader != null) {
        for (LeafReaderContext ctx : reader.leaves()) {
          org.apache.lucene.index.Terms terms = ctx.reader().terms(Fields.ID);
          if (terms == null) {
            continue;
          }
          org.apache.lucene.index.TermsEnum te = terms.iterator();
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
      org.apache.lucene.index.Terms terms = ctx.reader().terms(Fields.ID);
      if (terms == null) {
        continue;
      }
      org.apache.lucene.index.TermsEnum te = terms.iterator();
      if (te.seekExact(term)) {
        org.apache.lucene.index.PostingsEnum pe = te.postings(null, org.apache.lucene.index.PostingsEnum.NONE);
        var live = ctx.reader().getLiveDocs();
        for (int d = pe.nextDoc(); d != org.apache.lucene.search.DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
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

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** Handles as (role name length, role name, handle) triples: by name, so new roles cannot shift old data. */
  static BytesRef encodeHandles(Map<StackRole, Integer> handles) {
    ByteBuffer b = ByteBuffer.allocate(handles.size() * 24);
    for (var e : handles.entrySet()) {
      byte[] name = e.getKey().name().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      b.put((byte) name.length);
      b.put(name);
      b.putInt(e.getValue());
    }
    return new BytesRef(b.array(), 0, b.position());
  }

  static Map<StackRole, Integer> decodeHandles(BytesRef ref) {
    Map<StackRole, Integer> out = new EnumMap<>(StackRole.class);
    if (ref == null) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(ref.bytes, ref.offset, ref.length);
    while (b.remaining() > 0) {
      byte[] name = new byte[b.get()];
      b.get(name);
      out.put(StackRole.valueOf(new String(name, java.nio.charset.StandardCharsets.US_ASCII)), b.getInt());
    }
    return out;
  }

  static String encodeFrames(Map<StackRole, List<String>> stacks) {
    StringBuilder sb = new StringBuilder();
    for (var e : stacks.entrySet()) {
      sb.append(e.getKey().name());
      for (String f : e.getValue()) {
        sb.append('\t').append(f);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static Map<StackRole, List<String>> decodeFrames(String s) {
    Map<StackRole, List<String>> out = new EnumMap<>(StackRole.class);
    if (s == null) {
      return out;
    }
    for (String line : s.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\t");
      out.put(StackRole.valueOf(parts[0]), List.of(parts).subList(1, parts.length));
    }
    return out;
  }

  /** Tool and class of a stored report. */
  private record BugClassAndTool(Tool tool, String bugClass) {
    static BugClassAndTool of(StoredReport r) {
      Tool t = Tool.valueOf(r.tool());
      String cls = t == Tool.KCSAN ? (r.bugType().startsWith("assert") ? "assert" : "data-race") : BugClass.ofKasan(r.bugType());
      return new BugClassAndTool(t, cls);
    }
  }
}
