package dev.ktriage.depot.cluster;

import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.FrameClassifier;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Puts reports into clusters (bugs) by their stacks, in two tiers:
 *
 * <ol>
 *   <li><b>exact</b>: a report whose {@link Signature#exactKey()} is known joins that key's cluster, O(1);
 *   <li><b>similar</b>: otherwise the clusters sharing one of its first meaningful frames (an inverted
 *       index) are scored with {@link StackSimilarity} over the meaningful frames of the access stack
 *       (weight 1, and only if both start in the same guilty code), the free stack (0.5) and the alloc
 *       stack (0.25), counting only roles both sides have; KCSAN's racing stacks are
 *       compared as an unordered pair. A cluster's score is the best over its exemplars (its first report
 *       and each report that brought a new exact key, at most {@link Config#maxExemplars()}). The report
 *       joins the best cluster at or above {@link Config#threshold()}, and its key then leads there.
 * </ol>
 *
 * <p>Reports never move and clusters never merge: a report joins one cluster, so two clusters are never
 * glued together through a report that resembles both (the transitive alt-title merges syzkaller
 * removed for KMSAN in 2023). Frame weights use IDF over clusters (a frame in every cluster weighs least);
 * tool and bug class must be equal.
 *
 * <p>Thread-safe: every public method synchronizes on the clusterer.
 */
public final class Clusterer {
  /** The id {@link #explain} reports for a cluster that would be new. */
  public static final long NO_CLUSTER = -1;

  /**
   * Tuning.
   *
   * @param threshold the similarity needed to join a cluster
   * @param maxExemplars signatures kept per cluster for scoring
   * @param maxPostings a frame in more clusters than this is not used to find candidates (it would
   *     find everything and decide nothing: ClusterFuzz's anomaly guard)
   * @param maxCandidates clusters scored per report at most, found through the rarest frames first
   */
  public record Config(double threshold, int maxExemplars, int maxPostings, int maxCandidates) {
    /** The defaults the labeled evaluation was run with. */
    public static Config standard() {
      return new Config(0.55, 8, 256, 64);
    }
  }

  /** A cluster and its similarity to a report. */
  public record Scored(long clusterId, double score) {}

  private static final double W_ACCESS = 1.0;
  private static final double W_FREE = 0.5;
  private static final double W_ALLOC = 0.25;
  private static final int QUERY_FRAMES = 3;
  private static final int INDEX_FRAMES = 5;

  private final Config config;
  private final StackSimilarity similarity = StackSimilarity.standard();
  private final FrameClassifier classifier = new FrameClassifier();
  private final Map<String, Long> keys = new HashMap<>();
  private final Map<Long, Cluster> clusters = new LinkedHashMap<>();
  private final Map<String, List<Long>> postings = new HashMap<>();
  private final Map<String, Integer> clusterFrequency = new HashMap<>();
  private long nextId = 1;

  public Clusterer(Config config) {
    this.config = config;
  }

  public Clusterer() {
    this(Config.standard());
  }

  public Config config() {
    return config;
  }

  /** Assigns a report to a cluster, opening one if needed. */
  public synchronized Assignment assign(Signature sig, String title, List<String> alternatives) {
    Assignment a = decide(sig, true);
    Cluster c;
    if (a instanceof Assignment.NewCluster) {
      c = new Cluster(nextId++);
      clusters.put(c.id(), c);
      a = new Assignment.NewCluster(c.id(), sig.exactKey(), ((Assignment.NewCluster) a).bestCluster(),
          ((Assignment.NewCluster) a).bestScore(), config.threshold());
    } else {
      c = clusters.get(a.clusterId());
    }
    join(c, sig, title, alternatives);
    return a;
  }

  /** What {@link #assign} would do, changing nothing. */
  public synchronized Assignment explain(Signature sig) {
    return decide(sig, true);
  }

  /**
   * Puts a report back into the cluster it was assigned to earlier (rebuilding after a restart or a
   * removal); no similarity is computed. Call in the original assignment order.
   */
  public synchronized void restore(long clusterId, Signature sig, String title, List<String> alternatives) {
    restore(clusterId, sig.exactKey(), () -> sig, title, alternatives);
  }

  /**
   * {@link #restore(long, Signature, String, List)} for a report whose exact key is known; the
   * signature is only asked for if the key is new to the cluster (rebuilding a big store touches most
   * reports only through their key).
   */
  public synchronized void restore(long clusterId, String exactKey, java.util.function.Supplier<Signature> sig,
      String title, List<String> alternatives) {
    Cluster c = clusters.computeIfAbsent(clusterId, Cluster::new);
    nextId = Math.max(nextId, clusterId + 1);
    if (c.exactKeys().contains(exactKey) || keys.containsKey(exactKey)) {
      c.addMember(title, alternatives);
      return;
    }
    join(c, sig.get(), title, alternatives);
  }

  /** Makes sure new clusters get ids above {@code id} (ids are never reused). */
  public synchronized void reserveIdsThrough(long id) {
    nextId = Math.max(nextId, id + 1);
  }

  /** The next id a new cluster would get. */
  public synchronized long nextId() {
    return nextId;
  }

  /** The {@code k} clusters most similar to a report, best first; an exact-key cluster scores 1. */
  public synchronized List<Scored> similar(Signature sig, int k) {
    Map<Long, Double> scores = new HashMap<>();
    Long exact = keys.get(sig.exactKey());
    if (exact != null) {
      scores.put(exact, 1.0);
    }
    for (long id : candidates(sig)) {
      scores.merge(id, best(sig, clusters.get(id)).score, Math::max);
    }
    return scores.entrySet().stream()
        .map(e -> new Scored(e.getKey(), e.getValue()))
        .sorted(Comparator.comparingDouble(Scored::score).reversed().thenComparingLong(Scored::clusterId))
        .limit(k)
        .toList();
  }

  public synchronized Optional<Cluster.Snapshot> cluster(long id) {
    return Optional.ofNullable(clusters.get(id)).map(Cluster::snapshot);
  }

  /** Every cluster, in creation order. */
  public synchronized List<Cluster.Snapshot> clusters() {
    return clusters.values().stream().map(Cluster::snapshot).toList();
  }

  /** The cluster an exact key leads to. */
  public synchronized OptionalLong clusterOfKey(String exactKey) {
    Long id = keys.get(exactKey);
    return id == null ? OptionalLong.empty() : OptionalLong.of(id);
  }

  public synchronized int size() {
    return clusters.size();
  }

  // ---- internals ----

  private record Best(double score, Signature exemplar, StackSimilarity.Result access, Map<String, Double> parts) {}

  private Assignment decide(Signature sig, boolean withScores) {
    Long exact = keys.get(sig.exactKey());
    if (exact != null) {
      return new Assignment.ExactMatch(exact, sig.exactKey());
    }
    long bestId = NO_CLUSTER;
    Best best = null;
    for (long id : candidates(sig)) {
      Best b = best(sig, clusters.get(id));
      if (best == null || b.score > best.score || (b.score == best.score && id < bestId)) {
        best = b;
        bestId = id;
      }
    }
    if (best != null && best.score >= config.threshold()) {
      return new Assignment.SimilarMatch(bestId, sig.exactKey(), best.score, config.threshold(),
          best.exemplar.exactKey(), best.access == null ? List.of() : best.access.aligned(), best.parts);
    }
    return new Assignment.NewCluster(NO_CLUSTER, sig.exactKey(),
        best == null ? OptionalLong.empty() : OptionalLong.of(bestId),
        best == null ? OptionalDouble.empty() : OptionalDouble.of(best.score), config.threshold());
  }

  private Set<Long> candidates(Signature sig) {
    List<List<Long>> lists = new ArrayList<>();
    for (List<String> stack : identifying(sig)) {
      for (String f : classifier.keyFrames(stack, QUERY_FRAMES)) {
        List<Long> p = postings.get(f);
        if (p != null && p.size() <= config.maxPostings()) {
          lists.add(p);
        }
      }
    }
    lists.sort(java.util.Comparator.comparingInt(List::size)); // rarest frames first
    Set<Long> out = new LinkedHashSet<>();
    for (List<Long> p : lists) {
      for (long id : p) {
        Cluster c = clusters.get(id);
        if (c.exemplars.isEmpty()) {
          continue;
        }
        Signature first = c.exemplars.getFirst();
        if (first.tool() == sig.tool() && first.bugClass().equals(sig.bugClass())) {
          out.add(id);
          if (out.size() >= config.maxCandidates()) {
            return out;
          }
        }
      }
    }
    return out;
  }

  private List<List<String>> identifying(Signature sig) {
    if (sig.tool() == Tool.KCSAN) {
      List<List<String>> out = new ArrayList<>();
      for (StackRole r : List.of(StackRole.RACE_1, StackRole.RACE_2, StackRole.ACCESS)) {
        if (!sig.stack(r).isEmpty()) {
          out.add(sig.stack(r));
        }
      }
      return out;
    }
    return sig.primary().isEmpty() ? List.of() : List.of(sig.primary());
  }

  private Best best(Signature sig, Cluster c) {
    Best best = null;
    for (Signature e : c.exemplars) {
      Best b = score(sig, e);
      if (best == null || b.score > best.score) {
        best = b;
      }
    }
    return best;
  }

  private double idf(String frame) {
    int n = clusters.size();
    int df = clusterFrequency.getOrDefault(frame, 0);
    return Math.log(1.0 + (double) n / (df + 1));
  }

  private Best score(Signature a, Signature b) {
    Map<String, Double> parts = new LinkedHashMap<>();
    if (a.tool() == Tool.KCSAN) {
      List<String> a1 = classifier.meaningful(a.stack(StackRole.RACE_1));
      List<String> a2 = classifier.meaningful(a.stack(StackRole.RACE_2));
      List<String> b1 = classifier.meaningful(b.stack(StackRole.RACE_1));
      List<String> b2 = classifier.meaningful(b.stack(StackRole.RACE_2));
      StackSimilarity.Result s11 = race(a1, b1);
      StackSimilarity.Result s22 = race(a2, b2);
      StackSimilarity.Result s12 = race(a1, b2);
      StackSimilarity.Result s21 = race(a2, b1);
      boolean straight = s11.score() + s22.score() >= s12.score() + s21.score();
      StackSimilarity.Result first = straight ? s11 : s12;
      StackSimilarity.Result second = straight ? s22 : s21;
      parts.put("race-1", first.score());
      parts.put("race-2", second.score());
      // A missing side (race at unknown origin) scores 0: one shared access is not the same race.
      double score = (first.score() + second.score()) / 2;
      return new Best(score, b, first, parts);
    }
    double sum = 0;
    double weights = 0;
    List<String> ax = classifier.meaningful(a.stack(StackRole.ACCESS));
    List<String> bx = classifier.meaningful(b.stack(StackRole.ACCESS));
    StackSimilarity.Result access = sameGuiltyPath(ax, bx)
        ? similarity.compare(ax, bx, this::idf) : new StackSimilarity.Result(0, List.of());
    parts.put("access", access.score());
    sum += W_ACCESS * access.score();
    weights += W_ACCESS;
    for (var role : List.of(StackRole.FREE, StackRole.ALLOC)) {
      List<String> x = a.stack(role);
      List<String> y = b.stack(role);
      if (x.isEmpty() || y.isEmpty()) {
        continue; // an absent alloc/free stack means nothing (KASAN's stack ring is best effort)
      }
      double w = role == StackRole.FREE ? W_FREE : W_ALLOC;
      double s = similarity.compare(classifier.meaningful(x), classifier.meaningful(y), this::idf).score();
      parts.put(role.name().toLowerCase(java.util.Locale.ROOT), s);
      sum += w * s;
      weights += w;
    }
    return new Best(access.score() == 0 ? 0 : sum / weights, b, access, parts);
  }

  private StackSimilarity.Result race(List<String> a, List<String> b) {
    return sameGuiltyPath(a, b) ? similarity.compare(a, b, this::idf) : new StackSimilarity.Result(0, List.of());
  }

  /**
   * Whether two identifying stacks start in the same code: the first meaningful frame of one is among
   * the first two of the other. Two bugs on one object (same alloc and free stacks) reached through
   * different guilty functions must stay apart however alike the rest is; one step of slack lets a
   * function that one build inlines and another does not (syzkaller #3364) still match.
   */
  private static boolean sameGuiltyPath(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    return b.subList(0, Math.min(2, b.size())).contains(a.getFirst())
        || a.subList(0, Math.min(2, a.size())).contains(b.getFirst());
  }

  private void join(Cluster c, Signature sig, String title, List<String> alternatives) {
    c.addMember(title, alternatives);
    if (keys.putIfAbsent(sig.exactKey(), c.id()) == null && c.addKey(sig.exactKey())
        && c.exemplars.size() < config.maxExemplars()) {
      c.exemplars.add(sig);
      for (List<String> stack : identifying(sig)) {
        for (String f : classifier.keyFrames(stack, INDEX_FRAMES)) {
          if (c.indexedFrames.add(f)) {
            postings.computeIfAbsent(f, k -> new ArrayList<>(2)).add(c.id());
          }
        }
      }
      for (List<String> stack : sig.stacks().values()) {
        for (String f : stack) {
          if (c.weightedFrames.add(f)) {
            clusterFrequency.merge(f, 1, Integer::sum);
          }
        }
      }
    }
  }
}
