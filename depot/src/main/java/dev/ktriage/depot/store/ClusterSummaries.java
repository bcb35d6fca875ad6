package dev.ktriage.depot.store;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;

/**
 * The cluster listing: one {@link ClusterSummary} per cluster with a stored report, summed from the
 * documents' doc values in one pass (no stored fields are read). Stateless and thread-safe.
 */
final class ClusterSummaries {
  private ClusterSummaries() {} // no instance

  /**
   * Every cluster with a stored report in {@code reader} (null: none), in id order; without
   * {@code withCorrupted}, corrupted reports are left out of the counts: those of a cluster that has
   * intact reports are listed as its corrupted members, clusters of only corrupted reports are counted.
   */
  static ClusterListing of(IndexReader reader, boolean withCorrupted) throws IOException {
    Map<Long, Acc> acc = new TreeMap<>();
    Map<Long, Acc> corrupted = new HashMap<>();
    long leftOut = 0;
    if (reader != null) {
      for (LeafReaderContext ctx : reader.leaves()) {
        leftOut += add(ctx.reader(), acc, withCorrupted, corrupted);
      }
    }
    Set<Long> corruptedOnly = new java.util.HashSet<>(corrupted.keySet());
    corruptedOnly.removeAll(acc.keySet());
    List<ClusterSummary> out = new ArrayList<>();
    for (var e : acc.entrySet()) {
      ClusterSummary s = e.getValue().summary(e.getKey());
      Acc set = corrupted.get(e.getKey());
      out.add(set == null ? s : s.withCorruptedMembers(set.summary(e.getKey()).members()));
    }
    return new ClusterListing(out, leftOut, corruptedOnly.size());
  }

  /** Adds a segment's reports; how many corrupted ones were left out (kept per cluster in {@code corrupted}). */
  private static long add(LeafReader leaf, Map<Long, Acc> acc, boolean withCorrupted, Map<Long, Acc> corruptedAcc)
      throws IOException {
    long leftOut = 0;
    var live = leaf.getLiveDocs();
    NumericDocValues ord = leaf.getNumericDocValues(Fields.ORD);
    if (ord == null) {
      return 0;
    }
    NumericDocValues corrupted = leaf.getNumericDocValues(Fields.CORRUPTED);
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
      boolean setAside = !withCorrupted && corrupted != null && corrupted.advanceExact(d) && corrupted.longValue() != 0;
      time.advanceExact(d);
      line.advanceExact(d);
      source.advanceExact(d);
      id.advanceExact(d);
      String rel = release != null && release.advanceExact(d) ? release.lookupOrd(release.ordValue()).utf8ToString() : "";
      if (setAside) {
        leftOut++;
        corruptedAcc.computeIfAbsent(cluster.longValue(), k -> new Acc()).add(ord.longValue(), time.longValue(), rel,
            source.lookupOrd(source.ordValue()).utf8ToString() + ":" + line.longValue(),
            id.lookupOrd(id.ordValue()).utf8ToString());
        continue;
      }
      Acc a = acc.computeIfAbsent(cluster.longValue(), k -> new Acc());
      a.add(ord.longValue(), time.longValue(), rel,
          source.lookupOrd(source.ordValue()).utf8ToString() + ":" + line.longValue(),
          id.lookupOrd(id.ordValue()).utf8ToString());
      // titles are few and repeat: decode each segment ordinal once
      String t = "";
      if (title != null && title.advanceExact(d)) {
        final SortedDocValues tdv = title;
        t = titleOrds.computeIfAbsent((long) title.ordValue(), o -> DerivedState.lookup(tdv, o));
        a.title(t, ord.longValue() * 64);
      }
      if (titles != null && titles.advanceExact(d)) {
        for (int i = 0; i < titles.docValueCount(); i++) {
          final SortedSetDocValues tsv = titles;
          String alt = titlesOrds.computeIfAbsent(titles.nextOrd(), o -> DerivedState.lookup(tsv, o));
          if (!alt.equals(t)) {
            a.title(alt, ord.longValue() * 64 + 1 + i);
          }
        }
      }
    }
    return leftOut;
  }

  /** One cluster's members, seen in any order. */
  private static final class Acc {
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
      members.sort(Comparator.comparingLong(m -> m[0]));
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
}
