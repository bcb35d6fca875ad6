package dev.ktriage.store.opensearch;

import java.util.Locale;

/**
 * The cluster's indices, versioned with the store schema: the report index template (weekly indices,
 * {@code dynamic: strict}, the same field names and tokens as the embedded store), the clusters index
 * with its keys index, and the stack depot index. A schema change is a new {@link #VERSION} and a new
 * template, never drift.
 */
final class Mappings {
  private Mappings() {} // no instance

  /**
   * The store schema these mappings are: 3 as the embedded store's until the cluster documents gave their
   * keys and exemplars to the keys index (4); a store of 3 is refused, never read half right.
   */
  static final int VERSION = 4;

  /**
   * Analysis that reproduces the embedded store's {@code IdentifierAnalyzer}: identifiers (letters,
   * digits, {@code _}) kept whole and split at {@code _} for indexing, split only for searching.
   */
  private static final String ANALYSIS = """
      "analysis": {
        "tokenizer": {"ident": {"type": "pattern", "pattern": "[^\\\\p{L}\\\\p{N}_]+"}},
        "filter": {
          "ident_whole_and_parts": {"type": "word_delimiter_graph", "preserve_original": true,
            "split_on_case_change": false, "split_on_numerics": false, "stem_english_possessive": false},
          "ident_parts": {"type": "word_delimiter_graph", "preserve_original": false,
            "split_on_case_change": false, "split_on_numerics": false, "stem_english_possessive": false},
          "truncate_kw": {"type": "truncate", "length": 8000}
        },
        "analyzer": {
          "ident_index": {"type": "custom", "tokenizer": "ident", "filter": ["ident_whole_and_parts", "flatten_graph", "lowercase"]},
          "ident_search": {"type": "custom", "tokenizer": "ident", "filter": ["ident_parts", "lowercase"]}
        },
        "normalizer": {"lower": {"type": "custom", "filter": ["lowercase"]}}
      }""";

  private static String keyword() {
    return "{\"type\": \"keyword\", \"normalizer\": \"lower\", \"ignore_above\": 8000}";
  }

  private static String text() {
    return "{\"type\": \"text\", \"analyzer\": \"ident_index\", \"search_analyzer\": \"ident_search\"}";
  }

  /**
   * The template every {@code <prefix>-reports-*} index is made from. Refresh every 30 s: each commit
   * refreshes what it wrote, and refreshes during a bulk load would only make small segments to merge.
   */
  static String reportTemplate(String prefix, int replicas) {
    StringBuilder props = new StringBuilder();
    for (String k : new String[] {"id", "tool", "bugType", "bugClass", "op", "guilty", "function", "file", "module",
        "release", "arch", "task", "source", "key", "corrupted"}) {
      props.append("\"").append(k).append("\": ").append(keyword()).append(",\n");
    }
    props.append("\"title\": ").append(text()).append(",\n");
    props.append("\"altTitle\": ").append(text()).append(",\n");
    props.append("\"text\": ").append(text()).append(",\n");
    props.append("""
        "titleKw": {"type": "keyword", "ignore_above": 8000},
        "bugTypeKw": {"type": "keyword", "ignore_above": 8000},
        "releaseKw": {"type": "keyword", "ignore_above": 8000},
        "size": {"type": "integer"},
        "line": {"type": "long"},
        "cluster": {"type": "long"},
        "time": {"type": "date", "format": "strict_date_optional_time||epoch_millis"},
        "ingested": {"type": "date", "format": "strict_date_optional_time||epoch_millis"},
        "uptime": {"type": "double"},
        "stacks": {"type": "keyword"},
        "handles": {"type": "object", "enabled": false},
        "assignment": {"type": "keyword", "index": false, "doc_values": false},
        "report": {"type": "object", "enabled": false}
        """);
    return String.format(Locale.ROOT, """
        {"index_patterns": ["%s-reports-*"], "version": %d, "priority": 100,
         "template": {
          "settings": {"number_of_shards": 1, "number_of_replicas": %d, "refresh_interval": "30s", %s},
          "mappings": {"dynamic": "strict", "_meta": {"ktriage_schema": %d}, "properties": {%s}}
         }}""", prefix, VERSION, replicas, ANALYSIS, VERSION, props);
  }

  /**
   * One small document per cluster: its counters and titles (written once per commit, guarded by
   * {@code if_seq_no}) and, once merged, where it went and why. Its keys live in {@link #keysIndex}.
   */
  static String clustersIndex(int replicas) {
    return String.format(Locale.ROOT, """
        {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
         "mappings": {"dynamic": "strict", "_meta": {"ktriage_schema": %d}, "properties": {
          "cid": {"type": "long"}, "created": {"type": "long"},
          "key": {"type": "keyword"}, "tool": {"type": "keyword"},
          "bugClass": {"type": "keyword"}, "title": {"type": "keyword"}, "titles": {"type": "keyword"},
          "reports": {"type": "long"},
          "firstSeen": {"type": "date", "format": "epoch_millis"}, "lastSeen": {"type": "date", "format": "epoch_millis"},
          "mergedInto": {"type": "long"}, "mergeScore": {"type": "double"},
          "mergeWhy": {"type": "keyword", "index": false, "doc_values": false}, "algo": {"type": "keyword"}
         }}}""", replicas, VERSION);
  }

  /**
   * One document per exact key a cluster took, append-only ({@code create}, {@code _id} from cluster and
   * key): the cluster, the key, when (writer's clock, microseconds: orders all writers' keys), which
   * writer (so a writer pulls only the others' keys), and the exemplar the key came with (signature and
   * encoded evidence, not indexed).
   */
  static String keysIndex(int replicas) {
    return String.format(Locale.ROOT, """
        {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
         "mappings": {"dynamic": "strict", "_meta": {"ktriage_schema": %d}, "properties": {
          "cid": {"type": "long"}, "key": {"type": "keyword"}, "seq": {"type": "long"},
          "writer": {"type": "keyword"}, "exemplar": {"type": "object", "enabled": false}
         }}}""", replicas, VERSION);
  }

  /** The stack depot: one document per distinct normalized stack, {@code _id} its hash. */
  static String stacksIndex(int replicas) {
    return String.format(Locale.ROOT, """
        {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
         "mappings": {"dynamic": "strict", "_meta": {"ktriage_schema": %d}, "properties": {
          "handle": {"type": "integer"}, "frames": {"type": "keyword", "index": false}
         }}}""", replicas, VERSION);
  }

  /** The store's own record: which schema wrote it. */
  static String metaIndex(int replicas) {
    return String.format(Locale.ROOT, """
        {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
         "mappings": {"dynamic": "strict", "properties": {"schema": {"type": "integer"}}}}""", replicas);
  }
}
