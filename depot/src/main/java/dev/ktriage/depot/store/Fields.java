package dev.ktriage.depot.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.standard.StandardAnalyzer;

/**
 * The index schema: field names (the query vocabulary, same words as the model and JSON), how each is
 * analyzed, and the commit user-data keys. Changing any of it means bumping {@link #SCHEMA_VERSION}.
 */
final class Fields {
  private Fields() {} // no instance

  /**
   * The schema this build writes; stores of a version not in {@link #READABLE_VERSIONS} are refused.
   * Version 2 keeps the report JSON compressed in {@link #JSON_Z} doc values instead of the stored
   * {@link #JSON} field; a version 1 store is read (and written to) as it is.
   */
  static final int SCHEMA_VERSION = 2;

  /** The schema versions this build opens. */
  static final Set<Integer> READABLE_VERSIONS = Set.of(1, 2);

  // commit user data
  static final String SCHEMA = "ktriage.schema";
  static final String COMMIT = "ktriage.commit";
  static final String NEXT_CLUSTER = "ktriage.nextCluster";
  static final String NEXT_ORD = "ktriage.nextOrd";

  // text fields (StandardAnalyzer: words and phrases, lowercase)
  static final String TITLE = "title";
  static final String ALT_TITLE = "altTitle";
  /**
   * The default field: titles, alternative titles, task and bug type together (not every function:
   * {@code function:} is the field for that, and analyzing every frame twice halves ingest speed).
   */
  static final String TEXT = "text";

  // keyword fields (whole value, lowercase)
  static final String ID = "id";
  static final String TOOL = "tool";
  static final String BUG_TYPE = "bugType";
  static final String BUG_CLASS = "bugClass";
  static final String OP = "op";
  static final String GUILTY = "guilty";
  static final String FUNCTION = "function";
  static final String FILE = "file";
  static final String MODULE = "module";
  static final String RELEASE = "release";
  static final String ARCH = "arch";
  static final String TASK = "task";
  static final String SOURCE = "source";
  static final String KEY = "key";

  // numeric fields (points + stored; ranges and exact values)
  static final String SIZE = "size";
  static final String LINE = "line";
  static final String CLUSTER = "cluster";
  /** Epoch milliseconds: the report's wall-clock time when printed, else the ingest time. */
  static final String TIME = "time";
  static final String INGESTED = "ingested";
  static final String UPTIME = "uptime";

  // stored only / doc values
  static final String ORD = "ord";
  /** Schema 1: the report JSON as a stored field. */
  static final String JSON = "json";
  /** Schema 2: the report JSON as binary doc values, {@link JsonCodec}-encoded. */
  static final String JSON_Z = "json_z";
  static final String HANDLES = "handles";
  static final String FRAMES = "frames";
  static final String ASSIGNMENT = "assignment";
  static final String TITLES_DV = "titles_dv";
  static final String TOOL_DV = "tool_dv";
  static final String CLASS_DV = "class_dv";
  static final String TITLE_DV = "title_dv";
  static final String RELEASE_DV = "release_dv";
  static final String SOURCE_DV = "source_dv";
  static final String ID_DV = "id_dv";
  static final String KEY_DV = "key_dv";

  static final Set<String> KEYWORDS = Set.of(ID, TOOL, BUG_TYPE, BUG_CLASS, OP, GUILTY, FUNCTION, FILE, MODULE,
      RELEASE, ARCH, TASK, SOURCE, KEY);
  static final Set<String> LONGS = Set.of(LINE, CLUSTER, TIME, INGESTED);
  static final Set<String> INTS = Set.of(SIZE);
  static final Set<String> DATES = Set.of(TIME, INGESTED);

  /** Facet dimensions. */
  static final List<String> FACETS = List.of(TOOL, BUG_TYPE, CLUSTER, RELEASE);

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static Analyzer analyzer() {
    Analyzer kw = new KeywordLowerAnalyzer();
    Map<String, Analyzer> per = new java.util.HashMap<>();
    for (String k : KEYWORDS) {
      per.put(k, kw);
    }
    return new PerFieldAnalyzerWrapper(new StandardAnalyzer(), per);
  }
}
