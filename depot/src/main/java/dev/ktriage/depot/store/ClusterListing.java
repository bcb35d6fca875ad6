package dev.ktriage.depot.store;

import java.util.List;

/**
 * The clusters a listing shows, and what it left out.
 *
 * @param clusters the clusters, in id order, with their counts
 * @param corruptedReportsLeftOut corrupted reports not counted in them (those of shown clusters are listed as
 *     their {@link ClusterSummary#corruptedMembers()})
 * @param clustersLeftOut clusters not shown because all their reports are corrupted
 */
public record ClusterListing(List<ClusterSummary> clusters, long corruptedReportsLeftOut, long clustersLeftOut) {
  public ClusterListing {
    clusters = List.copyOf(clusters);
  }

  /** How many of the corrupted reports left out are listed beside the shown clusters they belong to. */
  public long corruptedMembersShown() {
    return clusters.stream().mapToLong(c -> c.corruptedMembers().size()).sum();
  }
}
