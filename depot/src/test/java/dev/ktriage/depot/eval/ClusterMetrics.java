package dev.ktriage.depot.eval;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Pairwise and B-cubed precision, recall and F1 of a clustering against labels (Amigó et al. 2009 for
 * B-cubed: per-item precision is the share of the item's cluster that has its label, averaged over items).
 *
 * @param bcubedPrecision B-cubed precision
 * @param bcubedRecall B-cubed recall
 * @param pairPrecision share of same-cluster pairs that have the same label
 * @param pairRecall share of same-label pairs put in the same cluster
 * @param clusters predicted clusters
 * @param bugs labeled bugs
 */
public record ClusterMetrics(double bcubedPrecision, double bcubedRecall, double pairPrecision, double pairRecall,
    int clusters, int bugs) {

  public double bcubedF1() {
    return f1(bcubedPrecision, bcubedRecall);
  }

  public double pairF1() {
    return f1(pairPrecision, pairRecall);
  }

  private static double f1(double p, double r) {
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** Metrics of {@code predicted} (cluster per item) against {@code truth} (label per item). */
  public static <C, L> ClusterMetrics of(List<C> predicted, List<L> truth) {
    if (predicted.size() != truth.size()) {
      throw new IllegalArgumentException("predicted and truth differ in size");
    }
    int n = predicted.size();
    Map<C, Integer> clusterSize = new HashMap<>();
    Map<L, Integer> labelSize = new HashMap<>();
    Map<List<Object>, Integer> both = new HashMap<>();
    for (int i = 0; i < n; i++) {
      clusterSize.merge(predicted.get(i), 1, Integer::sum);
      labelSize.merge(truth.get(i), 1, Integer::sum);
      both.merge(List.of(predicted.get(i), truth.get(i)), 1, Integer::sum);
    }
    double p = 0;
    double r = 0;
    for (int i = 0; i < n; i++) {
      int common = both.get(List.of(predicted.get(i), truth.get(i)));
      p += (double) common / clusterSize.get(predicted.get(i));
      r += (double) common / labelSize.get(truth.get(i));
    }
    long pairsBoth = both.values().stream().mapToLong(c -> (long) c * (c - 1) / 2).sum();
    long pairsPred = clusterSize.values().stream().mapToLong(c -> (long) c * (c - 1) / 2).sum();
    long pairsTrue = labelSize.values().stream().mapToLong(c -> (long) c * (c - 1) / 2).sum();
    return new ClusterMetrics(n == 0 ? 0 : p / n, n == 0 ? 0 : r / n,
        pairsPred == 0 ? 1 : (double) pairsBoth / pairsPred, pairsTrue == 0 ? 1 : (double) pairsBoth / pairsTrue,
        clusterSize.size(), labelSize.size());
  }

  /** One line: {@code B3 P/R/F1 0.990/0.980/0.985  pairs P/R/F1 ...  clusters N for M bugs}. */
  public String summary() {
    return String.format(java.util.Locale.ROOT,
        "B-cubed P/R/F1 %.3f/%.3f/%.3f   pairwise P/R/F1 %.3f/%.3f/%.3f   %d clusters for %d bugs",
        bcubedPrecision, bcubedRecall, bcubedF1(), pairPrecision, pairRecall, pairF1(), clusters, bugs);
  }
}
