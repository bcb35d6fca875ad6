package dev.ktriage.depot.cluster;

import dev.ktriage.depot.signature.Evidence;
import dev.ktriage.depot.signature.FrameClassifier;
import dev.ktriage.depot.signature.Signature;
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
 * Puts reports into clusters (bugs) by their evidence, online and in two tiers:
 *
 * <ol>
 *   <li><b>exact</b>: a report whose {@link Signature#exactKey()} is known joins that key's cluster, O(1);
 *   <li><b>evidence</b>: otherwise the clusters that share its faulting function, its caller or one of its
 *       first meaningful frames (inverted indexes) are compared with it member by member (a cluster's
 *       exemplars: its first report and each report that brought a new exact key, at most
 *       {@link Config#maxExemplars()}), by the rules of {@link Decision} in their order: same site, same
 *       function with nothing that disagrees, same allocation, similar stack across builds. The report
 *       joins the cluster with the strongest verdict (ties: the higher score, then the older cluster), and
 *       its key then leads there; if no rule holds it opens a cluster.
 * </ol>
 *
 * <p>Reports never move and clusters never merge: a report joins one cluster, so two clusters are never
 * glued together through a report that resembles both (the transitive alt-title merges syzkaller removed
 * for KMSAN in 2023), and a report joins a cluster only through a member it matches itself. Stack
 * weights use IDF over clusters (a frame in every cluster, such as a test runner or {@code kthread},
 * weighs almost nothing) times a decay with the distance from the fault. Tool and bug class must be equal.
 *
 * <p>Thread-safe: every public method synchronizes on the clusterer.
 */
public final class Clusterer {
  /** The id {@link #explain} reports for a cluster that would be new. */
  public static final long NO_CLUSTER = -1;

  /**
   * Tuning.
   *
   * @param threshold the stack similarity needed where only stacks decide
   * @param maxExemplars signatures kept per cluster for comparing
   * @param maxPostings a frame in more clusters than this is not used to find candidates (it would
   *     find everything and decide nothing: ClusterFuzz's anomaly guard); faulting functions and callers
   *     are always used
   * @param maxCandidates clusters compared per report at most, found through the evidence first, then
   *     the rarest frames
   */
  public record Config(double threshold, int maxExemplars, int maxPostings, int maxCandidates) {
    /** The defaults the evaluation was run with. */
    public static Config standard() {
      return new Config(0.55, 32, 256, 256);
    }
  }

  /**
   * A cluster and how a report compares with it.
   *
   * @param clusterId the cluster
   * @param score in [0, 1]: 1 the same exact key, at least 0.5 a match ({@link Decision.Verdict#score()})
   * @param why the rule and evidence that decided, in words
   */
  public record Scored(long clusterId, double score, String why) {}

  private static final int QUERY_FRAMES = 3;
  /** Clusters assumed beyond the store's own when weighing frames (see {@link #idf}). */
  private static final int PRIOR_CLUSTERS = 10;
  private static final int INDEX_FRAMES = 5;
  private static final String ANCHOR = "a:";
  private static final String CALLER = "c:";

  private final Config config;
  private final FrameClassifier classifier = new FrameClassifier();
  private final Decision decision;
  private final Map<String, Long> keys = new HashMap<>();
  private final Map<Long, Cluster> clusters = new LinkedHashMap<>();
  private final Map<String, List<Long>> postings = new HashMap<>();
  private final Map<String, Integer> clusterFrequency = new HashMap<>();
  /** The cluster of each exemplar, in the order exemplars were taken: replaying it rebuilds the postings exactly. */
  private final List<Long> exemplarLog = new ArrayList<>();
  private long nextId = 1;

  public Clusterer(Config config) {
    this.config = config;
    this.decision = new Decision(classifier, config.threshold());
  }

  public Clusterer() {
    this(Config.standard());
  }

  public Config config() {
    return config;
  }

  /** Assigns a report to a cluster, opening one if needed. */
  public synchronized Assignment assign(Signature sig, String title, List<String> alternatives) {
    Assignment a = decide(sig, false);
    Cluster c;
    if (a instanceof Assignment.NewCluster) {
      c = new Cluster(nextId++);
      clusters.put(c.id(), c);
      Assignment.NewCluster n = (Assignment.NewCluster) a;
      a = new Assignment.NewCluster(c.id(), sig.exactKey(), n.bestCluster(), n.bestScore(), n.why());
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

  /**
   * The {@code k} clusters most like a report, best first: the same exact key scores 1, a cluster the
   * report would join at least 0.5 (by the rule that holds), others by stack similarity below 0.5.
   */
  public synchronized List<Scored> similar(Signature sig, int k) {
    Map<Long, Scored> scores = new HashMap<>();
    Long exact = keys.get(sig.exactKey());
    if (exact != null) {
      scores.put(exact, new Scored(exact, 1.0, "the same exact key " + sig.exactKey()));
    }
    for (long id : candidates(sig)) {
      if (scores.containsKey(id)) {
        continue;
      }
      Best b = best(sig, clusters.get(id), true, true);
      scores.put(id, new Scored(id, b.verdict().score(), words(b.verdict())));
    }
    return scores.values().stream()
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

  /**
   * Everything a clusterer knows, for persisting it ({@link ClusterFile}): what {@link #fromState}
   * turns back into a clusterer that decides exactly as this one does.
   *
   * @param nextId the id the next new cluster gets
   * @param clusters every cluster, in creation order
   * @param exemplarLog the cluster of each exemplar, in the order the exemplars were taken
   */
  public record State(long nextId, List<ClusterState> clusters, List<Long> exemplarLog) {}

  /**
   * One cluster's state.
   *
   * @param titles first seen first
   * @param exactKeys the keys that lead to it, first seen first
   * @param exemplars the signatures it is scored by, in the order they were taken
   */
  public record ClusterState(long id, long size, List<String> titles, List<String> exactKeys,
      List<Signature> exemplars) {}

  /** A copy of the state (the lists share the immutable signatures). */
  public synchronized State state() {
    List<ClusterState> out = new ArrayList<>(clusters.size());
    for (Cluster c : clusters.values()) {
      out.add(new ClusterState(c.id(), c.size(), List.copyOf(c.titles()), List.copyOf(c.exactKeys()),
          List.copyOf(c.exemplars)));
    }
    return new State(nextId, out, List.copyOf(exemplarLog));
  }

  /**
   * The clusterer a {@link #state()} was taken from: the same clusters, keys, exemplars, candidate
   * postings (in the same order) and frame weights.
   *
   * @throws IllegalArgumentException when the state does not hang together
   */
  public static Clusterer fromState(Config config, State state) {
    Clusterer out = new Clusterer(config);
    out.nextId = state.nextId();
    Map<Long, java.util.Iterator<Signature>> pending = new HashMap<>();
    for (ClusterState cs : state.clusters()) {
      Cluster c = new Cluster(cs.id());
      if (out.clusters.put(cs.id(), c) != null || cs.id() >= state.nextId()) {
        throw new IllegalArgumentException("cluster " + cs.id() + " repeated or beyond the next id");
      }
      c.restoreSize(cs.size());
      c.restoreTitles(cs.titles());
      for (String k : cs.exactKeys()) {
        if (out.keys.putIfAbsent(k, c.id()) != null) {
          throw new IllegalArgumentException("key in two clusters: " + k);
        }
        c.addKey(k);
      }
      if (cs.exemplars().size() > config.maxExemplars()) {
        throw new IllegalArgumentException("cluster " + cs.id() + " has too many exemplars");
      }
      pending.put(cs.id(), cs.exemplars().iterator());
    }
    for (long id : state.exemplarLog()) {
      java.util.Iterator<Signature> it = pending.get(id);
      if (it == null || !it.hasNext()) {
        throw new IllegalArgumentException("exemplar log names cluster " + id + " once too often");
      }
      out.addExemplar(out.clusters.get(id), it.next());
    }
    for (var e : pending.entrySet()) {
      if (e.getValue().hasNext()) {
        throw new IllegalArgumentException("exemplar log misses an exemplar of cluster " + e.getKey());
      }
    }
    return out;
  }

  // ---- internals ----

  private record Best(Decision.Verdict verdict, Signature exemplar) {}

  /**
   * The assignment of a report. {@code withScores}: also align the stacks of clusters no rule accepts, to
   * name the closest one ({@link #explain}); ingest skips that work, which only words an explanation.
   */
  private Assignment decide(Signature sig, boolean withScores) {
    Long exact = keys.get(sig.exactKey());
    if (exact != null) {
      return new Assignment.ExactMatch(exact, sig.exactKey());
    }
    long bestId = NO_CLUSTER;
    Best best = null;
    for (long id : candidates(sig)) {
      Best b = best(sig, clusters.get(id), withScores, false);
      if (best == null || b.verdict().beats(best.verdict())
          || !best.verdict().beats(b.verdict()) && b.verdict().rule() == best.verdict().rule()
              && b.verdict().score() == best.verdict().score() && id < bestId) {
        best = b;
        bestId = id;
      }
    }
    if (best != null) { // the chosen comparison again, in words: the same verdict (compare is deterministic)
      best = new Best(decision.compare(sig, best.exemplar(), this::idf, withScores, true), best.exemplar());
    }
    if (best != null && best.verdict().matches()) {
      Decision.Verdict v = best.verdict();
      return new Assignment.EvidenceMatch(bestId, sig.exactKey(), v.rule(), v.score(), best.exemplar().exactKey(),
          v.reasons(), v.stacks().map(StackSimilarity.Result::aligned).orElse(List.of()), v.components());
    }
    return new Assignment.NewCluster(NO_CLUSTER, sig.exactKey(),
        best == null ? OptionalLong.empty() : OptionalLong.of(bestId),
        best == null ? OptionalDouble.empty() : OptionalDouble.of(best.verdict().score()),
        best == null ? "" : words(best.verdict()));
  }

  private static String words(Decision.Verdict v) {
    StringBuilder b = new StringBuilder(v.rule().words());
    if (!v.reasons().isEmpty()) {
      b.append(": ").append(String.join("; ", v.reasons()));
    }
    if (!v.conflicts().isEmpty()) {
      b.append("; disagrees on ").append(String.join("; ", v.conflicts()));
    }
    return b.toString();
  }

  /**
   * The clusters worth comparing: those of the same tool and bug class sharing the faulting function or
   * caller, then the rarest frames.
   */
  private Set<Long> candidates(Signature sig) {
    Set<Long> out = new LinkedHashSet<>();
    for (String key : evidenceQueries(sig)) {
      List<Long> p = postings.get(key);
      if (p != null) {
        for (long id : p) {
          if (out.size() >= 4 * config.maxCandidates()) {
            return out;
          }
          if (sameKind(sig, id)) {
            out.add(id);
          }
        }
      }
    }
    List<List<Long>> lists = new ArrayList<>();
    for (List<String> stack : identifying(sig)) {
      for (String f : classifier.keyFrames(stack, QUERY_FRAMES)) {
        List<Long> p = postings.get(f);
        if (p != null && p.size() <= config.maxPostings()) {
          lists.add(p);
        }
      }
    }
    lists.sort(Comparator.comparingInt(List::size)); // rarest frames first
    int budget = out.size() + config.maxCandidates();
    for (List<Long> p : lists) {
      for (long id : p) {
        if (out.size() >= budget) {
          return out;
        }
        if (sameKind(sig, id)) {
          out.add(id);
        }
      }
    }
    return out;
  }

  /** Whether a cluster holds reports of the report's tool and bug class: no other can be its bug. */
  private boolean sameKind(Signature sig, long id) {
    Cluster c = clusters.get(id);
    if (c.exemplars.isEmpty()) {
      return false;
    }
    Signature first = c.exemplars.getFirst();
    return first.tool() == sig.tool() && first.bugClass().equals(sig.bugClass());
  }

  /** The faulting functions (KCSAN: both sides) and caller a report is indexed under. */
  private static List<String> evidenceKeys(Signature sig) {
    List<String> out = new ArrayList<>();
    Evidence e = sig.evidence();
    e.anchor().ifPresent(a -> out.add(ANCHOR + a.function()));
    e.caller().ifPresent(c -> out.add(CALLER + c.function()));
    for (Evidence.Side s : e.sides()) {
      out.add(ANCHOR + s.site().function());
    }
    return out;
  }

  /**
   * What finds a report's candidates: clusters with its faulting functions (same site or function), its
   * caller (same allocation), and, for a function one build inlines, its faulting function as their caller
   * or its caller as their faulting function.
   */
  private static List<String> evidenceQueries(Signature sig) {
    List<String> out = new ArrayList<>();
    Evidence e = sig.evidence();
    e.anchor().ifPresent(a -> {
      out.add(ANCHOR + a.function());
      out.add(CALLER + a.function());
    });
    e.caller().ifPresent(c -> {
      out.add(CALLER + c.function());
      out.add(ANCHOR + c.function());
    });
    for (Evidence.Side s : e.sides()) {
      out.add(ANCHOR + s.site().function());
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

  private Best best(Signature sig, Cluster c, boolean withStacks, boolean words) {
    Best best = null;
    for (Signature e : c.exemplars) {
      Decision.Verdict v = decision.compare(sig, e, this::idf, withStacks, words);
      if (best == null || v.beats(best.verdict())) {
        best = new Best(v, e);
      }
    }
    return best;
  }

  /**
   * A frame's weight by how many clusters hold it (BM25's IDF): about {@code log(N)} for a frame of one
   * cluster, almost 0 for a frame every cluster has (a common stack bottom: the test runner, a kthread,
   * syscall entry), so common bottoms glue nothing together. The count of clusters includes
   * {@link #PRIOR_CLUSTERS} that hold no frame: a store of a few clusters cannot yet tell a common
   * frame from a specific one, and should not call every frame common.
   */
  private double idf(String frame) {
    double n = clusters.size() + PRIOR_CLUSTERS;
    int df = clusterFrequency.getOrDefault(frame, 0);
    return Math.log(1.0 + (n - df + 0.5) / (df + 0.5));
  }

  private void join(Cluster c, Signature sig, String title, List<String> alternatives) {
    c.addMember(title, alternatives);
    if (keys.putIfAbsent(sig.exactKey(), c.id()) == null && c.addKey(sig.exactKey())
        && c.exemplars.size() < config.maxExemplars()) {
      addExemplar(c, sig);
    }
  }

  private void addExemplar(Cluster c, Signature sig) {
    c.exemplars.add(sig);
    exemplarLog.add(c.id());
    List<String> indexed = new ArrayList<>(evidenceKeys(sig));
    for (List<String> stack : identifying(sig)) {
      indexed.addAll(classifier.keyFrames(stack, INDEX_FRAMES));
    }
    for (String f : indexed) {
      if (c.indexedFrames.add(f)) {
        postings.computeIfAbsent(f, k -> new ArrayList<>(2)).add(c.id());
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
