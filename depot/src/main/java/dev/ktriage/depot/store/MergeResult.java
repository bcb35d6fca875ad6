package dev.ktriage.depot.store;

import java.util.List;

/**
 * What a merge pass did ({@link ReportStore#merge()}).
 *
 * @param clusters clusters looked at
 * @param merges the clusters this pass merged, each with where it went and why
 */
public record MergeResult(long clusters, List<Merged> merges) {
  public MergeResult {
    merges = List.copyOf(merges);
  }

  /**
   * One merge.
   *
   * @param cluster the cluster merged (its reports keep its id, which now reads as {@code into})
   * @param into the cluster it joined
   * @param score the decision's score (1: the same exact key)
   * @param why the decision in words
   */
  public record Merged(long cluster, long into, double score, String why) {}
}
