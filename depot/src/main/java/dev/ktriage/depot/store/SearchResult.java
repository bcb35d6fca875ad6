package dev.ktriage.depot.store;

import java.util.List;
import java.util.Map;

/**
 * The answer to a query.
 *
 * @param total how many reports matched
 * @param hits the best {@code limit} of them
 * @param facets counts of matching reports per value of each facet dimension (tool, bugType, cluster,
 *     release), largest first; empty unless asked for
 * @param corruptedLeftOut corrupted reports that matched and were left out (not counted in {@code total});
 *     0 when the search included them
 */
public record SearchResult(long total, List<StoredReport> hits, Map<String, List<FacetCount>> facets,
    long corruptedLeftOut) {
  public SearchResult {
    hits = List.copyOf(hits);
    facets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(facets)); // dimension order kept
  }

  /** A result with nothing left out. */
  public SearchResult(long total, List<StoredReport> hits, Map<String, List<FacetCount>> facets) {
    this(total, hits, facets, 0);
  }

  /**
   * One facet value.
   *
   * @param value the value
   * @param count matching reports with it
   */
  public record FacetCount(String value, long count) {}
}
