package dev.ktriage.depot.cluster;

import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** Which cluster a report joined (or would join) and why. */
public sealed interface Assignment {
  /** The cluster; for an {@link #explain} of a report that would open one, {@link Clusterer#NO_CLUSTER}. */
  long clusterId();

  /** The report's exact key. */
  String exactKey();

  /**
   * The report's exact key was already known: the cheap tier.
   *
   * @param clusterId the cluster the key belongs to
   * @param exactKey the key
   */
  record ExactMatch(long clusterId, String exactKey) implements Assignment {}

  /**
   * No exact match; the report was most similar to this cluster, above the threshold.
   *
   * @param clusterId the cluster
   * @param exactKey the report's key (now also the cluster's)
   * @param score the similarity in [0, 1]
   * @param threshold the threshold it passed
   * @param matchedKey the exact key of the cluster member it was most similar to
   * @param access the aligned frames of the identifying stacks
   * @param components the score of each compared stack role, for the explanation
   */
  record SimilarMatch(long clusterId, String exactKey, double score, double threshold, String matchedKey,
      List<AlignedFrame> access, java.util.Map<String, Double> components) implements Assignment {
    public SimilarMatch {
      access = List.copyOf(access);
      components = java.util.Map.copyOf(components);
    }
  }

  /**
   * Nothing was similar enough: a new cluster.
   *
   * @param clusterId the new cluster, or {@link Clusterer#NO_CLUSTER} for an explanation that changed nothing
   * @param exactKey the report's key
   * @param bestCluster the most similar cluster below the threshold, if any candidate was scored
   * @param bestScore its score
   * @param threshold the threshold it missed
   */
  record NewCluster(long clusterId, String exactKey, OptionalLong bestCluster, OptionalDouble bestScore,
      double threshold) implements Assignment {}
}
