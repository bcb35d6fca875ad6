package dev.ktriage.depot.store;

import dev.ktriage.depot.cluster.AlignedFrame;
import dev.ktriage.depot.cluster.Assignment;
import java.util.Locale;
import java.util.stream.Collectors;

/** Says in words why a report is in its cluster; stored with each report at ingest. */
public final class Explanations {
  private Explanations() {} // no instance

  /** One paragraph: the tier, the key, and for a similarity match the score, parts and aligned frames. */
  public static String describe(Assignment a) {
    return switch (a) {
      case Assignment.ExactMatch m -> "cluster " + m.clusterId() + ": exact key " + m.exactKey();
      case Assignment.SimilarMatch m -> String.format(Locale.ROOT,
          "cluster %d: similar (score %.3f >= %.2f) to member with key %s; parts %s; aligned frames %s; own key %s",
          m.clusterId(), m.score(), m.threshold(), m.matchedKey(),
          m.components().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
              .map(e -> String.format(Locale.ROOT, "%s=%.3f", e.getKey(), e.getValue()))
              .collect(Collectors.joining(", ")),
          m.access().stream().map(Explanations::aligned).collect(Collectors.joining(", ")), m.exactKey());
      case Assignment.NewCluster n -> (n.clusterId() < 0 ? "new cluster" : "new cluster " + n.clusterId())
          + ": key " + n.exactKey()
          + (n.bestScore().isPresent()
              ? String.format(Locale.ROOT, "; closest cluster %d scored %.3f < %.2f", n.bestCluster().getAsLong(),
                  n.bestScore().getAsDouble(), n.threshold())
              : "; no cluster shares its first frames");
    };
  }

  private static String aligned(AlignedFrame f) {
    return String.format(Locale.ROOT, "%s@%d~%d", f.frame(), f.position(), f.otherPosition());
  }
}
