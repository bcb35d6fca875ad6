package dev.ktriage.depot.store;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.analysis.Analyzer;
import java.util.TreeSet;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;

/**
 * The index's fields: their names (the query vocabulary, same words as the model and JSON) and how
 * each is analyzed. Changing any of it means bumping {@link StoreSchema#VERSION}.
 */
final class Fields {
  private Fields() {} // no instance

  // text fields (IdentifierAnalyzer: words and identifier parts, lowercase)
  static final String TITLE = "title";
  static final String ALT_TITLE = "altTitle";
  /**
   * The default field: what a triager sees of a report, as words: titles, the header, the guilty
   * functions, the access stack's functions and files, bug type and task. Other stacks' functions
   * are under {@code function:} only (analyzing every frame of every stack costs ingest speed and
   * makes words from allocator paths match everything).
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
  /** {@code true} or {@code false}: whether the parser marked the report corrupted. */
  static final String CORRUPTED = "corrupted";

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
  /** The report JSON as binary doc values, {@link JsonCodec}-encoded. */
  static final String JSON_Z = "json_z";
  static final String HANDLES = "handles";
  /** The cluster evidence ({@link dev.ktriage.depot.signature.Evidence#encode()}), for rebuilding the clusters. */
  static final String EVIDENCE = "evidence";
  static final String FRAMES = "frames";
  static final String ASSIGNMENT = "assignment";
  static final String TITLES_DV = "titles_dv";
  static final String TOOL_DV = "tool_dv";
  /** The bug type as printed (the facet's value; {@link #BUG_TYPE} is lowercased). */
  static final String BUG_TYPE_DV = "bugType_dv";
  static final String CLASS_DV = "class_dv";
  static final String TITLE_DV = "title_dv";
  static final String RELEASE_DV = "release_dv";
  static final String SOURCE_DV = "source_dv";
  static final String ID_DV = "id_dv";
  static final String KEY_DV = "key_dv";

  static final Set<String> KEYWORDS = Set.of(ID, TOOL, BUG_TYPE, BUG_CLASS, OP, GUILTY, FUNCTION, FILE, MODULE,
      RELEASE, ARCH, TASK, SOURCE, KEY, CORRUPTED);
  static final Set<String> LONGS = Set.of(LINE, CLUSTER, TIME, INGESTED);
  static final Set<String> INTS = Set.of(SIZE);
  static final Set<String> DATES = Set.of(TIME, INGESTED);
  static final Set<String> DOUBLES = Set.of(UPTIME);
  static final Set<String> TEXTS = Set.of(TITLE, ALT_TITLE, TEXT);

  /** Every field a query may name. */
  static final Set<String> QUERYABLE = queryable();
  static final List<String> QUERYABLE_SORTED = List.copyOf(new TreeSet<>(QUERYABLE));

  private static Set<String> queryable() {
    Set<String> s = new java.util.HashSet<>(KEYWORDS);
    s.addAll(TEXTS);
    s.addAll(LONGS);
    s.addAll(INTS);
    s.addAll(DOUBLES);
    return Set.copyOf(s);
  }

  /** Facet dimensions, counted from doc values ({@link FacetCounts}). */
  static final List<String> FACETS = List.of(TOOL, BUG_TYPE, CLUSTER, RELEASE);

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  /** How documents are analyzed: keywords whole, text as words and identifiers (kept whole too). */
  static Analyzer analyzer() {
    return perField(IdentifierAnalyzer.forIndex());
  }

  /** How queries are analyzed: keywords whole, text as words and identifier parts (joined into phrases). */
  static Analyzer queryAnalyzer() {
    return perField(IdentifierAnalyzer.forQuery());
  }

  private static Analyzer perField(Analyzer text) {
    Analyzer kw = new KeywordLowerAnalyzer();
    Map<String, Analyzer> per = new java.util.HashMap<>();
    for (String k : KEYWORDS) {
      per.put(k, kw);
    }
    return new PerFieldAnalyzerWrapper(text, per);
  }
}
