package dev.ktriage.store.opensearch;

import java.util.Locale;

/**
 * The cluster's indices, versioned with the store schema: the report index template (weekly indices,
 * {@code dynamic: strict}, the same field names and tokens as the embedded store), the clusters index
 * and the stack depot index. A schema change is a new {@link #VERSION} and a new template, never drift.
 */
final class Mappings {
  private Mappings() {} // no instance

  /** The store schema these mappings are; the same number as the embedded store's. */
  static final int VERSION = 3;

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

  /** The template every {@code <prefix>-reports-*} index is made from. */
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
          "settings": {"number_of_shards": 1, "number_of_replicas": %d, %s},
          "mappings": {"dynamic": "strict", "_meta": {"ktriage_schema": %d}, "properties": {%s}}
         }}""", prefix, VERSION, replicas, ANALYSIS, VERSION, props);
  }

  /**
   * One document per cluster: counters updated by scripted upserts, the exact keys that lead to it, its
   * exemplars (signature and encoded evidence, not indexed) and, once merged, where it went and why.
   */
  static String clustersIndex(int replicas) {
    return String.format(Locale.ROOT, """
        {"settings": {"number_of_shards": 1, "number_of_replicas": %d},
         "mappings": {"dynamic": "strict", "_meta": {"ktriage_schema": %d}, "properties": {
          "cid": {"type": "long"}, "created": {"type": "long"},
          "key": {"type": "keyword"}, "keys": {"type": "keyword"}, "tool": {"type": "keyword"},
          "bugClass": {"type": "keyword"}, "title": {"type": "keyword"}, "titles": {"type": "keyword"},
          "reports": {"type": "long"},
          "firstSeen": {"type": "date", "format": "epoch_millis"}, "lastSeen": {"type": "date", "format": "epoch_millis"},
          "exemplars": {"type": "object", "enabled": false},
          "mergedInto": {"type": "long"}, "mergeScore": {"type": "double"},
          "mergeWhy": {"type": "keyword", "index": false, "doc_values": false}, "algo": {"type": "keyword"}
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
