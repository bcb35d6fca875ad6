package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.cluster.ClusterFile;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.stack.DepotFile;
import dev.ktriage.depot.stack.StackDepot;
import dev.ktriage.depot.stack.StackHandle;
import dev.ktriage.model.Report;
import dev.ktriage.reportjson.ReportJsonException;
import dev.ktriage.reportjson.ReportJsonReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.LongConsumer;
import java.util.stream.Stream;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.DocValuesProducer;
import org.apache.lucene.codecs.StoredFieldsReader;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.CheckIndex;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SegmentCommitInfo;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.NoLockFactory;
import org.apache.lucene.util.Bits;

/**
 * Checks a whole embedded store, as Lucene's {@code CheckIndex} checks an index, and says what can be
 * recovered: every byte of every file of the commit against its checksum, each intact segment's
 * structure ({@link CheckIndex}), the depot files against the commit, and then, segment by segment,
 * whether its reports can be read back. A report is kept as its JSON in doc values; a segment whose
 * segment info, field infos, deletions and doc values are intact gives its reports back even when
 * its other files (terms, postings, points, stored fields) are damaged, since adding a report again
 * rebuilds all of those. {@link #recover} does that into a new store; the checked store is only read.
 */
public final class StoreCheck {
  private StoreCheck() {} // no instance

  /** What was found about one thing checked. */
  public enum Status { OK, STALE, MISSING, DAMAGED }

  /** One thing checked: a file or a part of the store. */
  public record Item(String what, Status status, String detail) {}

  /**
   * One segment of the index.
   *
   * @param reports its live reports
   * @param damaged its damaged files, each with what is wrong ("" = none)
   * @param recoverable whether its reports can be read back
   */
  public record Segment(String name, long reports, List<String> damaged, boolean recoverable) {}

  /**
   * A store's check.
   *
   * @param exists whether there is a store there at all
   * @param items the commit point, the depot files and what else was checked, in order
   * @param segments the index's segments (empty when the commit point cannot be read)
   * @param reports the reports the commit holds (0 when it cannot be read)
   */
  public record Result(Path store, boolean exists, List<Item> items, List<Segment> segments, long reports) {
    /** Whether anything is damaged or missing (a stale depot file is not: it is rebuilt as a matter of course). */
    public boolean damaged() {
      return items.stream().anyMatch(i -> i.status() == Status.DAMAGED)
          || segments.stream().anyMatch(s -> !s.damaged().isEmpty());
    }

    /** Reports that can be read back. */
    public long recoverable() {
      return segments.stream().filter(Segment::recoverable).mapToLong(Segment::reports).sum();
    }
  }

  /** Files a segment's reports are read back from (the JSON and ingest order are doc values). */
  private static final Set<String> NEEDED = Set.of("si", "fnm", "liv", "dvd", "dvm");
  /** Files that hold the ingest times (stored fields); without them a recovered report gets the recovery time. */
  private static final Set<String> TIMES = Set.of("fdt", "fdx", "fdm");

  /** Checks the store in {@code dir}; reads only. */
  public static Result check(Path dir) throws IOException {
    Path indexDir = dir.resolve("index");
    List<Item> items = new ArrayList<>();
    List<Segment> segments = new ArrayList<>();
    boolean derivedFiles = Files.exists(dir.resolve(DerivedState.SNAPSHOT)) || Files.exists(dir.resolve(DerivedState.CLUSTER_STATE));
    if (!Files.isDirectory(indexDir)) {
      if (!derivedFiles) {
        return new Result(dir, false, items, segments, 0);
      }
      items.add(new Item("index/", Status.DAMAGED, "missing, yet the depot files (written after a commit) remain: "
          + "its reports are lost; re-ingest their logs"));
      return new Result(dir, true, items, segments, 0);
    }
    long reports = 0;
    long commitSeq = -1;
    try (StoreDirectory index = new StoreDirectory(indexDir)) {
      String[] names = index.listAll();
      String segmentsFile = SegmentInfos.getLastCommitSegmentsFileName(names);
      if (segmentsFile == null) {
        long siFiles = Arrays.stream(names).filter(n -> n.endsWith(".si")).count();
        if (siFiles > 0 || derivedFiles) {
          items.add(new Item("index/segments_N", Status.DAMAGED, "missing: the commit point is gone, so the "
              + siFiles + " segments left cannot be read; re-ingest their logs"));
        } else {
          items.add(new Item("index/", Status.OK, "empty (nothing ingested yet)"));
        }
        return new Result(dir, true, items, segments, 0);
      }
      SegmentInfos sis;
      try {
        StoreIntegrity.checksum(index, segmentsFile);
        sis = SegmentInfos.readCommit(index, segmentsFile);
      } catch (IOException | RuntimeException e) {
        CorruptStoreException c = StoreIntegrity.corrupt(index, e, segmentsFile);
        items.add(new Item(indexDir.relativize(c.file()).toString().isEmpty() ? "index/" : "index/" + indexDir.relativize(c.file()),
            Status.DAMAGED, c.reason() + ": the commit point cannot be read, so neither can the segments"));
        return new Result(dir, true, items, segments, 0);
      }
      commitSeq = StoreSchema.CommitData.of(sis.getUserData()).commitSeq();
      reports = sis.totalMaxDoc() - sis.asList().stream().mapToLong(SegmentCommitInfo::getDelCount).sum();
      items.add(new Item("index/" + segmentsFile, Status.OK, "commit " + commitSeq + ": " + sis.size() + " segments, "
          + reports + " reports"));
      List<String> intact = new ArrayList<>();
      for (SegmentCommitInfo sci : sis) {
        List<String> damaged = new ArrayList<>();
        boolean needed = true;
        for (String f : new java.util.TreeSet<>(sci.files())) {
          try {
            StoreIntegrity.checksum(index, f);
          } catch (CorruptStoreException | NoSuchFileException e) {
            String reason = e instanceof CorruptStoreException c ? c.reason() : "missing";
            damaged.add(f + ": " + reason);
            needed &= !NEEDED.contains(IndexFileNames.getExtension(f));
          }
        }
        if (damaged.isEmpty()) {
          intact.add(sci.info.name);
        }
        segments.add(new Segment(sci.info.name, sci.info.maxDoc() - sci.getDelCount(), damaged, needed));
      }
      // the structure of the segments whose bytes are intact: what a checksum cannot see (a bug's own writes)
      if (!intact.isEmpty()) {
        try (CheckIndex checker = new CheckIndex(index, NoLockFactory.INSTANCE.obtainLock(index, "write.lock"))) {
          checker.setLevel(CheckIndex.Level.MIN_LEVEL_FOR_INTEGRITY_CHECKS);
          checker.setThreadCount(1);
          CheckIndex.Status st = checker.checkIndex(intact);
          for (CheckIndex.Status.SegmentInfoStatus s : st.segmentInfos) {
            if (s.error != null) {
              for (int i = 0; i < segments.size(); i++) {
                Segment seg = segments.get(i);
                if (seg.name().equals(s.name)) {
                  segments.set(i, new Segment(seg.name(), seg.reports(), List.of("structure: " + s.error.getMessage()),
                      seg.recoverable()));
                }
              }
            }
          }
        }
      }
    }
    checkDerived(dir, commitSeq, items);
    return new Result(dir, true, items, segments, reports);
  }

  /** The depot files: intact and of this commit (stale and missing ones are rebuilt by the next writer). */
  private static void checkDerived(Path dir, long commitSeq, List<Item> items) {
    StackDepot depot = null;
    Path snap = dir.resolve(DerivedState.SNAPSHOT);
    try {
      DepotFile.Snapshot s = DepotFile.read(snap);
      depot = s.depot();
      items.add(tagged(DerivedState.SNAPSHOT, s.tag(), commitSeq));
    } catch (NoSuchFileException e) {
      items.add(new Item(DerivedState.SNAPSHOT, Status.MISSING, "rebuilt from the reports when next needed"));
    } catch (CorruptStoreException | SchemaVersionException e) {
      items.add(new Item(DerivedState.SNAPSHOT, Status.DAMAGED, reason(e) + "; rebuilt from the reports when next needed"));
    } catch (IOException e) {
      items.add(new Item(DerivedState.SNAPSHOT, Status.DAMAGED, e.getMessage()));
    }
    Path clusters = dir.resolve(DerivedState.CLUSTER_STATE);
    StackDepot d = depot == null ? new StackDepot() : depot;
    try {
      ClusterFile.Loaded l = ClusterFile.read(clusters, Clusterer.Config.standard(), new ClusterFile.Stacks() {
        @Override
        public int handleOf(List<String> frames) {
          int h = d.find(frames);
          return h == StackHandle.NONE ? 0 : h;
        }

        @Override
        public List<String> framesOf(int handle) {
          return d.contains(handle) ? d.frames(handle) : List.of();
        }
      });
      items.add(tagged(DerivedState.CLUSTER_STATE, l.tag(), commitSeq));
    } catch (NoSuchFileException e) {
      items.add(new Item(DerivedState.CLUSTER_STATE, Status.MISSING, "rebuilt from the reports when next needed"));
    } catch (CorruptStoreException | SchemaVersionException e) {
      items.add(new Item(DerivedState.CLUSTER_STATE, Status.DAMAGED, reason(e) + "; rebuilt from the reports when next needed"));
    } catch (IOException e) {
      items.add(new Item(DerivedState.CLUSTER_STATE, Status.DAMAGED, e.getMessage()));
    }
  }

  private static String reason(Exception e) {
    return e instanceof CorruptStoreException c ? c.reason() : e.getMessage();
  }

  private static Item tagged(String file, long tag, long commitSeq) {
    return tag == commitSeq ? new Item(file, Status.OK, "commit " + tag)
        : new Item(file, Status.STALE, "commit " + tag + ", index at " + commitSeq + ": rebuilt from the reports when next needed");
  }

  /**
   * Adds every report that {@code result} found recoverable to a new store in {@code target}, in
   * their ingest order, with their ingest times where the stored fields that hold them are intact
   * (else now). The checked store is only read.
   *
   * @param progress told each report's count as it is added
   * @return how many were added
   */
  public static long recover(Result result, Path target, LongConsumer progress) throws IOException {
    if (Files.exists(target)) {
      try (Stream<Path> s = Files.list(target)) {
        if (s.findAny().isPresent()) {
          throw new IOException(target + ": not empty; recovery writes a new store");
        }
      }
    }
    Map<Long, Recovered> byOrd = new TreeMap<>();
    Path indexDir = result.store().resolve("index");
    try (StoreDirectory index = new StoreDirectory(indexDir)) {
      SegmentInfos sis = SegmentInfos.readLatestCommit(index);
      for (SegmentCommitInfo sci : sis) {
        Segment seg = result.segments().stream().filter(s -> s.name().equals(sci.info.name)).findFirst().orElse(null);
        if (seg == null || !seg.recoverable()) {
          continue;
        }
        boolean times = seg.damaged().stream().noneMatch(d -> TIMES.contains(IndexFileNames.getExtension(d.substring(0, d.indexOf(':')))));
        read(index, sci, times, byOrd);
      }
    }
    long added = 0;
    Instant now = Instant.now();
    try (ReportStore out = ReportStore.open(target, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      for (Recovered r : byOrd.values()) {
        out.add(r.report(), r.ingested() == null ? now : r.ingested());
        progress.accept(++added);
      }
      out.commit();
    }
    return added;
  }

  private record Recovered(Report report, Instant ingested) {}

  /** The live reports of one segment, by their ingest order, read with the codec (no reader over the whole index). */
  private static void read(StoreDirectory index, SegmentCommitInfo sci, boolean times, Map<Long, Recovered> out)
      throws IOException {
    Codec codec = sci.info.getCodec();
    String fiSuffix = sci.hasFieldUpdates() ? Long.toString(sci.getFieldInfosGen(), Character.MAX_RADIX) : "";
    FieldInfos fis = codec.fieldInfosFormat().read(index, sci.info, fiSuffix, IOContext.READONCE);
    Bits live = sci.hasDeletions() ? codec.liveDocsFormat().readLiveDocs(index, sci, IOContext.READONCE) : null;
    FieldInfo jsonField = fis.fieldInfo(Fields.JSON_Z);
    FieldInfo ordField = fis.fieldInfo(Fields.ORD);
    if (jsonField == null || ordField == null) {
      return;
    }
    ReportJsonReader json = new ReportJsonReader();
    try (DocValuesProducer dv = codec.docValuesFormat().fieldsProducer(new SegmentReadState(index, sci.info, fis, IOContext.DEFAULT));
        StoredFieldsReader stored = times ? codec.storedFieldsFormat().fieldsReader(index, sci.info, fis, IOContext.DEFAULT) : null) {
      BinaryDocValues jsonValues = dv.getBinary(jsonField);
      NumericDocValues ords = dv.getNumeric(ordField);
      for (int doc = 0; doc < sci.info.maxDoc(); doc++) {
        if (live != null && !live.get(doc) || !jsonValues.advanceExact(doc) || !ords.advanceExact(doc)) {
          continue;
        }
        Report report;
        try {
          report = json.read(JsonCodec.decodeUtf8(jsonValues.binaryValue()));
        } catch (ReportJsonException | RuntimeException e) {
          continue; // checksummed bytes that do not decode: written so; nothing to recover
        }
        Instant ingested = null;
        if (stored != null) {
          long[] ms = {-1};
          stored.document(doc, new StoredFieldVisitor() {
            @Override
            public Status needsField(FieldInfo f) {
              return f.name.equals(Fields.INGESTED) ? Status.YES : Status.NO;
            }

            @Override
            public void longField(FieldInfo f, long value) {
              ms[0] = value;
            }
          });
          ingested = ms[0] < 0 ? null : Instant.ofEpochMilli(ms[0]);
        }
        out.put(ords.longValue(), new Recovered(report, ingested));
      }
    }
  }

}
