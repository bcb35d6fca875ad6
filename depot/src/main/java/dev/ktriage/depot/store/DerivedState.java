package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.cluster.ClusterFile;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.BugClass;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Evidence;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.stack.DepotFile;
import dev.ktriage.depot.stack.StackDepot;
import dev.ktriage.depot.stack.StackHandle;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;

/**
 * The store's derived state: the stack depot and the clusterer. Both are kept in files beside the
 * index ({@code depot.snapshot}, {@code clusters.state}), tagged with the commit they belong to, and
 * rebuilt from the documents whenever a file is missing, stale (a crash between the index commit and
 * the file write), damaged or of another version: the index is the source of truth. Each is loaded
 * on first use, so a reader that only searches never pays for it.
 *
 * <p>Not thread-safe: the store calls it under its lock.
 */
final class DerivedState {
  static final String SNAPSHOT = "depot.snapshot";
  static final String CLUSTER_STATE = "clusters.state";

  private final Path dir;
  private final Supplier<DirectoryReader> reader;
  private final boolean writable;
  private final Signer signer;
  private final List<String> recoveries;
  private long commitSeq;
  private final long initialNextCluster;
  private final long depotAllocations;
  private StackDepot depot;
  private Clusterer clusterer;
  /** Reports stored when this writer last wrote the derived files; -1 before its first commit. */
  private long writtenAt = -1;
  /** Whether the files on disk are of an older commit than the last one. */
  private boolean lagging;

  /**
   * The depot handles of the exemplars' stacks by list identity: the clusterer keeps the very lists,
   * so writing its state at every commit does not hash every exemplar frame again. Emptied whenever the
   * clusterer is rebuilt (handles can be freed and reused after a removal).
   */
  private final Map<List<String>, Integer> exemplarHandles = new IdentityHashMap<>();

  DerivedState(Path dir, Supplier<DirectoryReader> reader, boolean writable, Signer signer, List<String> recoveries,
      long commitSeq, long nextCluster, long depotAllocations) {
    this.dir = dir;
    this.reader = reader;
    this.writable = writable;
    this.signer = signer;
    this.recoveries = recoveries;
    this.commitSeq = commitSeq;
    this.initialNextCluster = nextCluster;
    this.depotAllocations = depotAllocations;
  }

  /** A read-only store that does not exist yet: empty state, nothing to load. */
  static DerivedState empty(Path dir, Signer signer) {
    DerivedState s = new DerivedState(dir, () -> null, false, signer, new ArrayList<>(), 0, 1, 0);
    s.depot = new StackDepot();
    s.clusterer = new Clusterer();
    return s;
  }

  /** The depot, loaded on first use. */
  StackDepot depot() throws IOException {
    if (depot == null) {
      StackDepot d = readDerived(dir.resolve(SNAPSHOT), file -> {
        DepotFile.Snapshot s = DepotFile.read(file);
        return new Tagged<>(s.depot(), s.tag());
      }, "rebuilt from the reports");
      depot = d != null ? d : rebuildDepot();
    }
    return depot;
  }

  /**
   * The clusterer, on first use: read from the cluster state file when it belongs to this commit,
   * otherwise rebuilt from the documents (and, for a writer, written back at once).
   */
  Clusterer clusterer() throws IOException {
    if (clusterer == null) {
      depot();
      clusterer = readDerived(dir.resolve(CLUSTER_STATE), file -> {
        ClusterFile.Loaded l = ClusterFile.read(file, Clusterer.Config.standard(), depotStacks());
        return new Tagged<>(l.clusterer(), l.tag());
      }, "clusters rebuilt from the reports");
      if (clusterer == null) {
        rebuildClusters(initialNextCluster);
        DirectoryReader r = reader.get();
        if (writable && r != null && r.numDocs() > 0) {
          writeClusterState();
        }
      }
    }
    return clusterer;
  }

  /** After a commit: the files written now belong to {@code seq}. */
  void committed(long seq, boolean withClusters, long stored) throws IOException {
    commitSeq = seq;
    // Both files are rewritten whole, so writing them at every commit made an ingest quadratic in the
    // store's size. A writer writes them at its first commit, when the store has doubled since, and at
    // close (closing()); a kill in between costs a rebuild at the next open (a recovery), never a wrong
    // answer: a file of another commit is not used.
    if (withClusters && writtenAt >= 0 && stored - writtenAt < Math.max(ReportStore.COMMIT_EVERY, writtenAt)) {
      lagging = true;
      return;
    }
    DepotFile.write(depot, seq, dir.resolve(SNAPSHOT));
    if (withClusters) {
      writeClusterState();
    }
    writtenAt = stored;
    lagging = false;
  }

  /** Writes the files of the last commit if they lag it; {@code nothingSince}: nothing was added after it. */
  void closing(boolean nothingSince) throws IOException {
    if (lagging && nothingSince) {
      DepotFile.write(depot, commitSeq, dir.resolve(SNAPSHOT));
      writeClusterState();
      lagging = false;
    }
  }

  /** Rebuilds the clusters from the documents (after a removal) and writes their state. */
  void reclusterAfterRemoval(long nextCluster) throws IOException {
    rebuildClusters(nextCluster);
    writeClusterState();
  }

  /** The signature of a stored report from its depot handles. */
  Signature signatureOf(String tool, String bugType, String title, Map<StackRole, Integer> handles) throws IOException {
    Tool t = Tool.valueOf(tool);
    String cls = BugClass.of(t, bugType);
    return signatureOf(depot(), t, cls, title, handles, Evidence.none());
  }

  private Signature signatureOf(StackDepot d, Tool tool, String bugClass, String title, Map<StackRole, Integer> handles,
      Evidence evidence) {
    Map<StackRole, List<String>> stacks = new EnumMap<>(StackRole.class);
    for (var e : handles.entrySet()) {
      stacks.put(e.getKey(), d.frames(e.getValue()));
    }
    return signer.of(tool, bugClass, title, stacks, evidence);
  }

  /** A derived file's content and the commit it was written at. */
  private record Tagged<T>(T value, long tag) {}

  /** Reads a derived file. */
  @FunctionalInterface
  private interface DerivedReader<T> {
    Tagged<T> read(Path file) throws IOException, CorruptStoreException, SchemaVersionException;
  }

  /**
   * The content of a derived file if it is there, intact and of this commit; null otherwise, with why
   * and {@code instead} (what the caller does about it) noted in the recoveries. None of these is an
   * error; a missing file is only news when there are reports it should have described.
   */
  private <T> T readDerived(Path file, DerivedReader<T> read, String instead) throws IOException {
    try {
      Tagged<T> t = read.read(file);
      if (t.tag() == commitSeq) {
        return t.value();
      }
      recoveries.add(file + ": stale (commit " + t.tag() + ", index at " + commitSeq + "); " + instead);
    } catch (NoSuchFileException e) {
      DirectoryReader r = reader.get();
      if (r != null && r.numDocs() > 0) {
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

  /** Rebuilds the depot from the frames and handles every document stores, keeping the handles. */
  private StackDepot rebuildDepot() throws IOException {
    Map<Integer, List<String>> frames = new HashMap<>();
    Map<Integer, Integer> refs = new HashMap<>();
    DirectoryReader r = reader.get();
    if (r != null) {
      for (LeafReaderContext ctx : r.leaves()) {
        LeafReader leaf = ctx.reader();
        StoredFields sf = leaf.storedFields();
        var live = leaf.getLiveDocs();
        for (int d = 0; d < leaf.maxDoc(); d++) {
          if (live != null && !live.get(d)) {
            continue;
          }
          Document doc = sf.document(d, Set.of(Fields.FRAMES, Fields.HANDLES));
          Map<StackRole, Integer> handles = ReportDocuments.decodeHandles(doc.getBinaryValue(Fields.HANDLES));
          Map<StackRole, List<String>> stacks = ReportDocuments.decodeFrames(doc.get(Fields.FRAMES));
          for (var e : handles.entrySet()) {
            frames.putIfAbsent(e.getValue(), stacks.get(e.getKey()));
            refs.merge(e.getValue(), 1, Integer::sum);
          }
        }
      }
    }
    try {
      return StackDepot.restored(frames, refs, depotAllocations);
    } catch (IllegalStateException e) {
      // the index passed its checksums, so the documents were written this way: damage nothing detects
      throw new CorruptStoreException(dir.resolve("index"), "reports disagree about their stacks: " + e.getMessage(), e);
    }
  }

  private void rebuildClusters(long nextCluster) throws IOException {
    exemplarHandles.clear();
    clusterer = new Clusterer();
    clusterer.reserveIdsThrough(nextCluster - 1);
    DirectoryReader reader = this.reader.get();
    if (reader == null) {
      return;
    }
    record Row(long ord, long cluster, String key, String tool, String bugClass, String title, List<String> alts,
        BytesRef handles, BytesRef evidence) {}
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
      BinaryDocValues evidence = leaf.getBinaryDocValues(Fields.EVIDENCE);
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
        BytesRef ev = evidence != null && evidence.advanceExact(d) ? BytesRef.deepCopyOf(evidence.binaryValue()) : null;
        rows.add(new Row(ord.longValue(), cluster.longValue(), keyOrds.computeIfAbsent(key.ordValue(), o -> lookup(key, o)),
            toolOrds.computeIfAbsent(tool.ordValue(), o -> lookup(tool, o)),
            classOrds.computeIfAbsent(cls.ordValue(), o -> lookup(cls, o)), t, alts, h, ev));
      }
    }
    rows.sort(Comparator.comparingLong(Row::ord));
    for (Row r : rows) {
      // the signature is only computed for a key's first report: the others just count as members
      clusterer.restore(r.cluster(), r.key(),
          () -> signatureOf(depot, Tool.valueOf(r.tool()), r.bugClass(), r.title(),
              ReportDocuments.decodeHandles(r.handles()),
              Evidence.decode(r.evidence() == null ? null : r.evidence().utf8ToString())),
          r.title(), r.alts());
    }
  }

  static String lookup(SortedDocValues dv, long ord) {
    try {
      return dv.lookupOrd((int) ord).utf8ToString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String lookup(SortedSetDocValues dv, long ord) {
    try {
      return dv.lookupOrd(ord).utf8ToString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
