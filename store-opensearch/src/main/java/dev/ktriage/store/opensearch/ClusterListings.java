package dev.ktriage.store.opensearch;

import dev.ktriage.depot.store.ClusterSummary;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongUnaryOperator;

/**
 * The cluster listing read from the report indices: every report's cluster (resolved through merges),
 * with all its members, titles, releases and times. Reports are read page by page in cluster and
 * ingest order ({@code search_after}), so a cluster is never cut at a page size.
 */
final class ClusterListings {
  private static final int PAGE = 5000;

  private final Rest rest;
  private final String reports;

  ClusterListings(Rest rest, String prefix) {
    this.rest = rest;
    this.reports = "/" + prefix + "-reports-*";
  }

  /** A member as read, kept until its cluster is complete (merged clusters add members of other ids). */
  private record Member(long ingested, long line, String source, String id, long time, String release,
      List<String> titles) {}

  /**
   * The clusters of the reports matching {@code filter}, in id order.
   *
   * @param root where a cluster id now reads (itself, or the cluster a merge sent it to)
   */
  List<ClusterSummary> list(String filter, LongUnaryOperator root) throws IOException {
    Map<Long, List<Member>> byCluster = new TreeMap<>();
    String after = null;
    while (true) {
      String body = "{\"size\":" + PAGE + ",\"query\":" + filter
          + ",\"sort\":[{\"cluster\":\"asc\"},{\"ingested\":\"asc\"},{\"line\":\"asc\"},{\"id\":\"asc\"}],"
          + "\"_source\":[\"id\",\"source\",\"line\",\"title\",\"altTitle\",\"cluster\",\"time\",\"ingested\",\"release\"]"
          + (after == null ? "" : ",\"search_after\":" + after) + "}";
      Rest.Answer a = rest.json("POST", reports + "/_search", body);
      if (!a.ok()) {
        throw new IOException("listing clusters failed: " + a.reason());
      }
      JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
      for (JsonValue h : hits) {
        JsonObject s = h.asJsonObject().getJsonObject("_source");
        List<String> titles = new ArrayList<>();
        titles.add(s.getString("title"));
        if (s.get("altTitle") instanceof JsonArray arr) {
          arr.forEach(t -> titles.add(((JsonString) t).getString()));
        }
        long cluster = root.applyAsLong(s.getJsonNumber("cluster").longValue());
        byCluster.computeIfAbsent(cluster, k -> new ArrayList<>()).add(new Member(
            s.getJsonNumber("ingested").longValue(), s.getJsonNumber("line").longValue(), s.getString("source"),
            s.getString("id"), s.getJsonNumber("time").longValue(), s.getString("release", ""), titles));
      }
      if (hits.size() < PAGE) {
        break;
      }
      after = hits.getJsonObject(hits.size() - 1).getJsonArray("sort").toString();
    }
    List<ClusterSummary> out = new ArrayList<>(byCluster.size());
    for (var e : byCluster.entrySet()) {
      List<Member> ms = e.getValue();
      ms.sort(Comparator.comparingLong(Member::ingested).thenComparingLong(Member::line)
          .thenComparing(Member::id));
      Set<String> titles = new LinkedHashSet<>();
      Set<String> releases = new TreeSet<>();
      List<String> members = new ArrayList<>(ms.size());
      List<String> ids = new ArrayList<>(ms.size());
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (Member m : ms) {
        titles.addAll(m.titles());
        if (!m.release().isEmpty()) {
          releases.add(m.release());
        }
        members.add(m.source() + ":" + m.line());
        ids.add(m.id());
        first = Math.min(first, m.time());
        last = Math.max(last, m.time());
      }
      out.add(new ClusterSummary(e.getKey(), ms.size(), Instant.ofEpochMilli(first), Instant.ofEpochMilli(last),
          List.copyOf(titles), List.copyOf(releases), members, ids));
    }
    return out;
  }
}
