package dev.ktriage.depot.store;

import java.io.IOException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.facet.FacetsCollector;
import org.apache.lucene.facet.FacetsConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.ArrayUtil;
import org.apache.lucene.util.BytesRef;

/**
 * How many of a query's matches have each value of each facet dimension ({@link Fields#FACETS}), counted from
 * the doc values every document carries anyway (tool, bug type, release as sorted values, the cluster as a
 * number), so ingest writes no facet field of its own. Documents of schema 3 carry the values in Lucene's
 * {@code $facets} field as well; theirs are read from there, as schema 3 counted them. Each dimension lists
 * its {@link #TOP} most frequent values, ties in the values' UTF-8 byte order (what Lucene's sorted-set facet
 * counts gave). Stateless.
 */
final class FacetCounts {
  private FacetCounts() {} // no instance

  /** Values listed per dimension. */
  static final int TOP = 50;

  /** Schema 3's facet field: {@code dim U+001F value} per dimension of a document. */
  private static final String LEGACY = FacetsConfig.DEFAULT_INDEX_FIELD_NAME;

  private static final Comparator<Map.Entry<String, Long>> ORDER =
      Comparator.<Map.Entry<String, Long>>comparingLong(Map.Entry::getValue).reversed()
          .thenComparing(e -> new BytesRef(e.getKey()));

  /** The counts per dimension, in {@link Fields#FACETS} order (a dimension no match has: an empty list). */
  static Map<String, List<SearchResult.FacetCount>> of(FacetsCollector fc) throws IOException {
    Map<String, Map<String, Long>> totals = new HashMap<>();
    for (String dim : Fields.FACETS) {
      totals.put(dim, new HashMap<>());
    }
    for (FacetsCollector.MatchingDocs md : fc.getMatchingDocs()) {
      DocIdSetIterator it = md.bits() == null ? null : md.bits().iterator();
      if (it != null) {
        new Leaf(md.context().reader()).count(it, totals);
      }
    }
    Map<String, List<SearchResult.FacetCount>> out = new LinkedHashMap<>();
    for (String dim : Fields.FACETS) {
      out.put(dim, totals.get(dim).entrySet().stream().sorted(ORDER).limit(TOP)
          .map(e -> new SearchResult.FacetCount(e.getKey(), e.getValue())).toList());
    }
    return out;
  }

  /** One segment's counts: per segment ordinal for sorted values, a sorted list of the cluster numbers. */
  private static final class Leaf {
    private final SortedDocValues tool;
    private final SortedDocValues bugType;
    private final SortedDocValues release;
    private final NumericDocValues cluster;
    private final SortedSetDocValues legacy;

    Leaf(LeafReader r) throws IOException {
      tool = r.getSortedDocValues(Fields.TOOL_DV);
      bugType = r.getSortedDocValues(Fields.BUG_TYPE_DV);
      release = r.getSortedDocValues(Fields.RELEASE_DV);
      cluster = r.getNumericDocValues(Fields.CLUSTER);
      legacy = r.getSortedSetDocValues(LEGACY);
    }

    void count(DocIdSetIterator it, Map<String, Map<String, Long>> totals) throws IOException {
      int[] tools = counts(tool);
      int[] bugTypes = counts(bugType);
      int[] releases = counts(release);
      int[] legacies = legacy == null ? null : new int[(int) legacy.getValueCount()];
      long[] clusters = new long[16];
      int nClusters = 0;
      for (int doc = it.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = it.nextDoc()) {
        if (legacy != null && legacy.advanceExact(doc)) {
          for (int i = 0; i < legacy.docValueCount(); i++) {
            legacies[(int) legacy.nextOrd()]++;
          }
          continue;
        }
        add(tool, tools, doc);
        add(bugType, bugTypes, doc);
        add(release, releases, doc);
        if (cluster != null && cluster.advanceExact(doc)) {
          clusters = ArrayUtil.grow(clusters, nClusters + 1);
          clusters[nClusters++] = cluster.longValue();
        }
      }
      addTo(totals.get(Fields.TOOL), tool, tools);
      addTo(totals.get(Fields.BUG_TYPE), bugType, bugTypes);
      addTo(totals.get(Fields.RELEASE), release, releases);
      Arrays.sort(clusters, 0, nClusters);
      for (int i = 0; i < nClusters; ) {
        int j = i;
        while (j < nClusters && clusters[j] == clusters[i]) {
          j++;
        }
        totals.get(Fields.CLUSTER).merge(Long.toString(clusters[i]), (long) (j - i), Long::sum);
        i = j;
      }
      if (legacies != null) {
        for (int ord = 0; ord < legacies.length; ord++) {
          if (legacies[ord] > 0) {
            String path = legacy.lookupOrd(ord).utf8ToString();
            int cut = path.indexOf(FacetsConfig.DELIM_CHAR);
            Map<String, Long> dim = cut < 0 ? null : totals.get(path.substring(0, cut));
            if (dim != null) {
              dim.merge(path.substring(cut + 1), (long) legacies[ord], Long::sum);
            }
          }
        }
      }
    }

    private static int[] counts(SortedDocValues dv) {
      return dv == null ? null : new int[dv.getValueCount()];
    }

    private static void add(SortedDocValues dv, int[] counts, int doc) throws IOException {
      if (dv != null && dv.advanceExact(doc)) {
        counts[dv.ordValue()]++;
      }
    }

    private static void addTo(Map<String, Long> total, SortedDocValues dv, int[] counts) throws IOException {
      if (dv == null) {
        return;
      }
      for (int ord = 0; ord < counts.length; ord++) {
        if (counts[ord] > 0) {
          total.merge(dv.lookupOrd(ord).utf8ToString(), (long) counts[ord], Long::sum);
        }
      }
    }
  }
}
