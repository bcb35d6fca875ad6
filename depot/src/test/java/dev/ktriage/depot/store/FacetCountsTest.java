package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.facet.FacetResult;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsCollectorManager;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.facet.LabelAndValue;
import org.apache.lucene.facet.sortedset.DefaultSortedSetDocValuesReaderState;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetCounts;
import org.apache.lucene.facet.sortedset.SortedSetDocValuesFacetField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

/**
 * Facet counts from doc values give what Lucene's sorted-set facet counts over schema 3's {@code $facets} field
 * gave (same values, counts and order, ties included), for documents of either schema and segments holding both.
 */
class FacetCountsTest {
  /** One report's facet values; release may be absent. */
  private record Values(String tool, String bugType, long cluster, String release) {}

  private static List<Values> reports(long seed, int n) {
    Random rnd = new Random(seed);
    // few tools, bug types with non-ASCII and case differences, clusters 1..120 (more than TOP, "10" before "9")
    String[] tools = {"KASAN", "KCSAN", "KMSAN", "UBSAN"};
    String[] types = {"slab-out-of-bounds", "use-after-free", "Use-after-free", "data-race", "null-ptr-deref",
        "wild-memory-access", "\u00e9trange", "\uff21wide", "\ud83d\ude00emoji", "double-free"};
    String[] releases = {"6.1.0", "6.10.0", "6.9.0-rc1", "5.15.0-kasan"};
    List<Values> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Values(tools[rnd.nextInt(tools.length)], types[rnd.nextInt(types.length)],
          1 + rnd.nextInt(rnd.nextBoolean() ? 12 : 120), rnd.nextInt(5) == 0 ? null : releases[rnd.nextInt(4)]));
    }
    return out;
  }

  private static FacetsConfig legacyConfig() {
    FacetsConfig c = new FacetsConfig();
    for (String dim : Fields.FACETS) {
      c.setDrillDownTermsIndexing(dim, FacetsConfig.DrillDownTermsIndexing.NONE);
    }
    return c;
  }

  /** A document as ReportDocuments writes its facet-related fields, schema 4 or (legacy) schema 3. */
  private static Document document(Values v, boolean legacy, FacetsConfig config) throws IOException {
    Document d = new Document();
    d.add(new StringField(Fields.TOOL, v.tool().toLowerCase(java.util.Locale.ROOT), Field.Store.NO));
    d.add(new SortedDocValuesField(Fields.TOOL_DV, new BytesRef(v.tool())));
    d.add(new NumericDocValuesField(Fields.CLUSTER, v.cluster()));
    if (v.release() != null) {
      d.add(new SortedDocValuesField(Fields.RELEASE_DV, new BytesRef(v.release())));
    }
    if (!legacy) {
      d.add(new SortedDocValuesField(Fields.BUG_TYPE_DV, new BytesRef(v.bugType())));
      return d;
    }
    d.add(new SortedSetDocValuesFacetField(Fields.TOOL, v.tool()));
    d.add(new SortedSetDocValuesFacetField(Fields.BUG_TYPE, v.bugType()));
    d.add(new SortedSetDocValuesFacetField(Fields.CLUSTER, Long.toString(v.cluster())));
    if (v.release() != null) {
      d.add(new SortedSetDocValuesFacetField(Fields.RELEASE, v.release()));
    }
    return config.build(d);
  }

  /** An index of these reports, legacy where {@code legacy} says, a segment every {@code flushEvery}. */
  private static Directory index(List<Values> reports, java.util.function.IntPredicate legacy, int flushEvery,
      boolean merge) throws IOException {
    Directory dir = new ByteBuffersDirectory();
    FacetsConfig config = legacyConfig();
    try (IndexWriter w = new IndexWriter(dir, new IndexWriterConfig())) {
      for (int i = 0; i < reports.size(); i++) {
        w.addDocument(document(reports.get(i), legacy.test(i), config));
        if ((i + 1) % flushEvery == 0) {
          w.flush();
        }
      }
      if (merge) {
        w.forceMerge(1);
      }
    }
    return dir;
  }

  private static FacetsCollector collect(DirectoryReader r, Query q) throws IOException {
    return FacetsCollectorManager.search(new IndexSearcher(r), q, 10, new FacetsCollectorManager()).facetsCollector();
  }

  /** What schema 3 answered: Lucene's counts over $facets, top 50 of each dimension. */
  private static Map<String, List<SearchResult.FacetCount>> lucene(DirectoryReader r, FacetsCollector fc)
      throws IOException {
    SortedSetDocValuesFacetCounts counts =
        new SortedSetDocValuesFacetCounts(new DefaultSortedSetDocValuesReaderState(r, legacyConfig()), fc);
    Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
    for (String dim : Fields.FACETS) {
      List<SearchResult.FacetCount> list = new ArrayList<>();
      FacetResult res = counts.getTopChildren(FacetCounts.TOP, dim);
      if (res != null) {
        for (LabelAndValue lv : res.labelValues) {
          list.add(new SearchResult.FacetCount(lv.label, lv.value.longValue()));
        }
      }
      out.put(dim, list);
    }
    return out;
  }

  @Test
  void doc_values_count_what_the_facet_field_counted() throws IOException {
    List<Values> reports = reports(11, 3_000);
    List<Query> queries = List.of(new MatchAllDocsQuery(), new TermQuery(new Term(Fields.TOOL, "kasan")),
        new TermQuery(new Term(Fields.TOOL, "nothing")));
    try (Directory legacyDir = index(reports, i -> true, 700, false);
        DirectoryReader legacy = DirectoryReader.open(legacyDir)) {
      for (Query q : queries) {
        Map<String, List<SearchResult.FacetCount>> expected = lucene(legacy, collect(legacy, q));
        assertEquals(expected, FacetCounts.of(collect(legacy, q)), "schema 3 documents, " + q);
        for (boolean merge : new boolean[] {false, true}) {
          for (java.util.function.IntPredicate mix : List.<java.util.function.IntPredicate>of(i -> false,
              i -> i % 3 == 0, i -> i < 1_000)) {
            try (Directory dir = index(reports, mix, 700, merge); DirectoryReader r = DirectoryReader.open(dir)) {
              assertEquals(expected, FacetCounts.of(collect(r, q)), "merged " + merge + ", " + q);
            }
          }
        }
      }
      Map<String, List<SearchResult.FacetCount>> all = lucene(legacy, collect(legacy, new MatchAllDocsQuery()));
      assertEquals(FacetCounts.TOP, all.get(Fields.CLUSTER).size(), "more clusters than listed: the cut is tested");
      assertFalse(all.get(Fields.RELEASE).isEmpty());
    }
  }
}
