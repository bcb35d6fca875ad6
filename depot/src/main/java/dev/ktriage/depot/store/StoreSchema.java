package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.SchemaVersionException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.lucene.index.SegmentInfos;

/**
 * The embedded store's schema version and the commit user data that carries it, with the commit
 * sequence, the next cluster id and the next ingest ordinal.
 */
final class StoreSchema {
  private StoreSchema() {} // no instance

  /**
   * The schema this build writes; a store of a version it does not read ({@link #OLDEST} to this) is refused
   * ({@link SchemaVersionException}, exit 3), never misread. Version 3: the store encodes reports
   * itself with their frames' symbolization kept apart from what the log printed; search fields
   * follow what the user sees (the title's guilty frame, identifier-aware free text, paths as typed,
   * corrupted reports marked). Versions 1 and 2 indexed other fields under the same names, and their
   * JSON did not say which positions a symbolizer added: such a store is re-made by ingesting its
   * logs into a new store. Version 4: facets are counted from the documents' doc values, no {@code $facets}
   * field is written; a version 3 store is read and written on (its documents' {@code $facets} still count) and
   * its next commit says 4, so a build that only knows 3 refuses it rather than miscount its facets.
   */
  static final int VERSION = 4;

  /** The oldest version this build reads and writes on. */
  static final int OLDEST = 3;

  static final String SCHEMA = "ktriage.schema";
  static final String COMMIT = "ktriage.commit";
  static final String NEXT_CLUSTER = "ktriage.nextCluster";
  static final String NEXT_ORD = "ktriage.nextOrd";
  /** The depot's lifetime allocation count: what a rebuilt depot cannot learn from the documents. */
  static final String DEPOT_ALLOCATIONS = "ktriage.depotAllocations";

  /** What the last commit recorded. */
  record CommitData(long commitSeq, long nextCluster, long nextOrd, long depotAllocations) {
    static CommitData of(Map<String, String> data) {
      return new CommitData(Long.parseLong(data.getOrDefault(COMMIT, "0")),
          Long.parseLong(data.getOrDefault(NEXT_CLUSTER, "1")), Long.parseLong(data.getOrDefault(NEXT_ORD, "0")),
          Long.parseLong(data.getOrDefault(DEPOT_ALLOCATIONS, "-1")));
    }

    Map<String, String> userData() {
      Map<String, String> m = new LinkedHashMap<>();
      m.put(SCHEMA, Integer.toString(VERSION));
      m.put(COMMIT, Long.toString(commitSeq));
      m.put(NEXT_CLUSTER, Long.toString(nextCluster));
      m.put(NEXT_ORD, Long.toString(nextOrd));
      if (depotAllocations >= 0) {
        m.put(DEPOT_ALLOCATIONS, Long.toString(depotAllocations));
      }
      return m;
    }
  }

  /** Refuses a commit of another schema version (null: a new store). */
  static void check(SegmentInfos commit, Path indexDir) throws DepotException {
    if (commit == null) {
      return;
    }
    String v = commit.getUserData().get(SCHEMA);
    int found;
    try {
      found = v == null ? 0 : Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new CorruptStoreException(indexDir.resolve(commit.getSegmentsFileName()), "bad schema version " + v);
    }
    if (found < OLDEST || found > VERSION) {
      throw new SchemaVersionException(indexDir, found, VERSION);
    }
  }
}
