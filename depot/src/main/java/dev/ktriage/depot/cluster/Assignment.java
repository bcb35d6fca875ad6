package dev.ktriage.depot.cluster;

import java.util.List;
import java.util.Map;
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
   * No exact match; a rule of {@link Decision} held against a member of this cluster.
   *
   * @param clusterId the cluster
   * @param exactKey the report's key (now also the cluster's)
   * @param rule the rule that decided
   * @param score its score ({@link Decision.Verdict#score()})
   * @param matchedKey the exact key of the cluster member it matched
   * @param reasons the evidence that decided, in words
   * @param access the aligned frames of the identifying stacks, when stacks decided
   * @param components the score of each compared stack role, when stacks decided
   */
  record EvidenceMatch(long clusterId, String exactKey, Decision.Rule rule, double score, String matchedKey,
      List<String> reasons, List<AlignedFrame> access, Map<String, Double> components) implements Assignment {
    public EvidenceMatch {
      reasons = List.copyOf(reasons);
      access = List.copyOf(access);
      components = Map.copyOf(components);
    }
  }

  /**
   * No rule held: a new cluster.
   *
   * @param clusterId the new cluster, or {@link Clusterer#NO_CLUSTER} for an explanation that changed nothing
   * @param exactKey the report's key
   * @param bestCluster the closest cluster, if any candidate was compared
   * @param bestScore its score (below 0.5)
   * @param why why the closest cluster is not the same bug, in words (empty when there was none)
   */
  record NewCluster(long clusterId, String exactKey, OptionalLong bestCluster, OptionalDouble bestScore,
      String why) implements Assignment {}
}
