package dev.ktriage.store.opensearch;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.Evidence;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The clusters index seen by one process: the documents of {@code <prefix>-clusters} (one per bug: its
 * exact keys, its exemplars with their {@link Evidence#encode() evidence}, its counters, and a
 * {@code mergedInto} pointer once {@link #merge merged}) and a local {@link Clusterer} built from them,
 * which decides for this writer exactly as the embedded store decides.
 *
 * <p><b>Assignment.</b> A report whose exact key the local clusterer knows joins that cluster. A key new
 * here is first looked up in the index (another writer may have met it: the cluster whose id derives from
 * the key, realtime, then any cluster listing the key), else the local clusterer's evidence tier decides,
 * and a report it does not place opens the cluster whose id derives from its key ({@link #clusterId}), so
 * writers that meet a new bug at once meet on one document. Clusters another writer opened since this
 * one loaded are not candidates of the evidence tier: such near-duplicates are what {@link #merge} joins.
 *
 * <p><b>Merge.</b> A single-writer pass: the clusters in creation order, each one's opening exemplar
 * compared with the clusters before it by a fresh clusterer; a cluster whose opening report the earlier
 * ones would have taken gets {@code mergedInto} that cluster, with the score and the words of the
 * decision. Reports are never rewritten: readers resolve {@code cluster} through the pointers.
 *
 * <p>Thread-safe: every method synchronizes on this object.
 */
final class SharedClusters {
  /** One merge: the cluster, where it went, and why. */
  record Merge(long cluster, long into, double score, String why) {}

  private final Rest rest;
  private final String index;
  private final Clusterer.Config config = Clusterer.Config.standard();
  private Clusterer clusterer;
  /** Merged cluster to the cluster it was merged into (resolved to the end of the chain). */
  private Map<Long, Long> merged = new HashMap<>();
  private boolean pointersLoaded;
  private long sequence;

  SharedClusters(Rest rest, String prefix) {
    this.rest = rest;
    this.index = prefix + "-clusters";
  }

  /** The id of the cluster a key opens: 62 bits of the SHA-256 of the exact key, the same in every writer. */
  static long clusterId(String exactKey) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(exactKey.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) {
        v = (v << 8) | (d[i] & 0xff);
      }
      return v >>> 2; // leaves room for the clusterer's next id above every cluster id
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  // ------------------------------------------------------------------ documents

  /** One cluster document as read. */
  private record Doc(long id, long created, long reports, List<String> titles, List<String> keys,
      List<Exemplar> exemplars, OptionalLong mergedInto) {}

  /** An exemplar as kept in a cluster document; {@code seq} orders exemplars across clusters and writers. */
  private record Exemplar(long seq, String title, Signature sig) {}

  /** An exemplar as a JSON object (frames inline: the index has no joins). */
  JsonObject exemplar(Signature sig, String title) {
    JsonObjectBuilder stacks = Json.createObjectBuilder();
    for (StackRole r : StackRole.values()) {
      List<String> frames = sig.stack(r);
      if (!frames.isEmpty()) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        frames.forEach(a::add);
        stacks.add(r.name(), a);
      }
    }
    JsonObjectBuilder b = Json.createObjectBuilder().add("seq", nextSequence()).add("key", sig.exactKey())
        .add("title", title).add("tool", sig.tool().name()).add("bugClass", sig.bugClass()).add("stacks", stacks)
        .add("evidence", sig.evidence().encode());
    sig.guilty().ifPresent(g -> b.add("guilty", g));
    return b.build();
  }

  private synchronized long nextSequence() {
    // wall-clock microseconds, strictly increasing here: orders the exemplars of all writers roughly by time
    sequence = Math.max(sequence + 1, System.currentTimeMillis() * 1000);
    return sequence;
  }

  private static Exemplar exemplarOf(JsonObject o) {
    Map<StackRole, List<String>> stacks = new EnumMap<>(StackRole.class);
    JsonObject st = o.getJsonObject("stacks");
    if (st != null) {
      for (var e : st.entrySet()) {
        stacks.put(StackRole.valueOf(e.getKey()), strings(e.getValue().asJsonArray()));
      }
    }
    Signature sig = new Signature(Tool.valueOf(o.getString("tool")), o.getString("bugClass"), o.getString("key"),
        o.containsKey("guilty") ? Optional.of(o.getString("guilty")) : Optional.empty(), stacks,
        Evidence.decode(o.getString("evidence", "")));
    return new Exemplar(o.getJsonNumber("seq").longValue(), o.getString("title", ""), sig);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a.size());
    a.forEach(v -> out.add(((JsonString) v).getString()));
    return out;
  }

  private static Doc docOf(JsonObject source) {
    List<Exemplar> ex = new ArrayList<>();
    if (source.get("exemplars") instanceof JsonArray arr) {
      arr.forEach(v -> ex.add(exemplarOf(v.asJsonObject())));
    }
    return new Doc(source.getJsonNumber("cid").longValue(), source.getJsonNumber("created").longValue(),
        source.getJsonNumber("reports").longValue(),
        source.get("titles") instanceof JsonArray t ? strings(t) : List.of(),
        source.get("keys") instanceof JsonArray k ? strings(k) : List.of(), ex,
        source.containsKey("mergedInto") && source.get("mergedInto").getValueType() == JsonValue.ValueType.NUMBER
            ? OptionalLong.of(source.getJsonNumber("mergedInto").longValue()) : OptionalLong.empty());
  }

  /** Every cluster document, in creation order. */
  private List<Doc> readAll() throws IOException {
    rest.json("POST", "/" + index + "/_refresh", null);
    List<Doc> out = new ArrayList<>();
    String after = null;
    while (true) {
      String body = "{\"size\":1000,\"sort\":[{\"created\":\"asc\"},{\"cid\":\"asc\"}],\"query\":{\"match_all\":{}}"
          + (after == null ? "" : ",\"search_after\":" + after) + "}";
      Rest.Answer a = rest.json("POST", "/" + index + "/_search", body);
      if (!a.ok()) {
        throw new IOException("reading the clusters failed: " + a.reason());
      }
      JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
      for (JsonValue h : hits) {
        out.add(docOf(h.asJsonObject().getJsonObject("_source")));
      }
      if (hits.size() < 1000) {
        return out;
      }
      after = hits.getJsonObject(hits.size() - 1).getJsonArray("sort").toString();
    }
  }

  private Optional<Doc> read(long id) throws IOException {
    Rest.Answer a = rest.get("/" + index + "/_doc/" + id);
    if (!a.object().getBoolean("found", false)) {
      return Optional.empty();
    }
    return Optional.of(docOf(a.object().getJsonObject("_source")));
  }

  // ------------------------------------------------------------------ the local view

  /** Reads the index into the local clusterer (on open, and after a merge). */
  synchronized void load() throws IOException {
    List<Doc> docs = readAll();
    Map<Long, Long> pointers = new HashMap<>();
    for (Doc d : docs) {
      d.mergedInto().ifPresent(m -> pointers.put(d.id(), m));
    }
    merged = resolve(pointers);
    pointersLoaded = true;
    // each merged cluster's keys and exemplars count for the cluster it went into
    Map<Long, List<Doc>> byRoot = new LinkedHashMap<>();
    for (Doc d : docs) {
      byRoot.computeIfAbsent(root(d.id()), k -> new ArrayList<>()).add(d);
    }
    Set<String> claimed = new HashSet<>();
    List<Clusterer.ClusterState> states = new ArrayList<>();
    List<Exemplar> all = new ArrayList<>();
    Map<Exemplar, Long> owner = new java.util.IdentityHashMap<>();
    long maxId = 0;
    for (var e : byRoot.entrySet()) {
      long id = e.getKey();
      maxId = Math.max(maxId, id);
      long size = 0;
      List<String> titles = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      List<Exemplar> ex = new ArrayList<>();
      for (Doc d : e.getValue()) {
        size += d.reports();
        d.titles().stream().filter(t -> !titles.contains(t)).forEach(titles::add);
        for (String k : d.keys()) {
          if (claimed.add(k)) { // a key two writers gave two clusters leads to the older one
            keys.add(k);
          }
        }
        ex.addAll(d.exemplars());
      }
      ex.sort(Comparator.comparingLong(Exemplar::seq));
      if (ex.size() > config.maxExemplars()) {
        ex = new ArrayList<>(ex.subList(0, config.maxExemplars()));
      }
      for (Exemplar x : ex) {
        owner.put(x, id);
      }
      all.addAll(ex);
      states.add(new Clusterer.ClusterState(id, size, titles, keys, ex.stream().map(Exemplar::sig).toList()));
    }
    all.sort(Comparator.comparingLong(Exemplar::seq));
    List<Long> log = all.stream().map(owner::get).toList();
    // the exemplars of each cluster in the order the log takes them
    List<Clusterer.ClusterState> ordered = new ArrayList<>();
    for (Clusterer.ClusterState s : states) {
      ordered.add(s);
    }
    try {
      clusterer = Clusterer.fromState(config, new Clusterer.State(maxId + 1, ordered, log));
    } catch (IllegalArgumentException e) {
      throw new IOException("the clusters index does not hang together: " + e.getMessage(), e);
    }
  }

  private static Map<Long, Long> resolve(Map<Long, Long> pointers) {
    Map<Long, Long> out = new HashMap<>();
    for (long id : pointers.keySet()) {
      long r = id;
      for (int hops = 0; pointers.containsKey(r) && hops <= pointers.size(); hops++) {
        r = pointers.get(r);
      }
      out.put(id, r);
    }
    return out;
  }

  private Clusterer clusterer() throws IOException {
    if (clusterer == null) {
      load();
    }
    return clusterer;
  }

  /** Reads the merge pointers (once; a writer's {@link #load} reads them too), for {@link #root}. */
  synchronized void loadPointers() throws IOException {
    if (pointersLoaded) {
      return;
    }
    Map<Long, Long> pointers = new HashMap<>();
    String after = null;
    while (true) {
      Rest.Answer a = rest.json("POST", "/" + index + "/_search", "{\"size\":1000,\"_source\":[\"cid\",\"mergedInto\"],"
          + "\"sort\":[{\"cid\":\"asc\"}],\"query\":{\"exists\":{\"field\":\"mergedInto\"}}"
          + (after == null ? "" : ",\"search_after\":" + after) + "}");
      if (!a.ok()) {
        if (a.status() == 404) { // a store nobody wrote yet
          break;
        }
        throw new IOException("reading the cluster merges failed: " + a.reason());
      }
      JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
      for (JsonValue h : hits) {
        JsonObject src = h.asJsonObject().getJsonObject("_source");
        pointers.put(src.getJsonNumber("cid").longValue(), src.getJsonNumber("mergedInto").longValue());
      }
      if (hits.size() < 1000) {
        break;
      }
      after = hits.getJsonObject(hits.size() - 1).getJsonArray("sort").toString();
    }
    merged = resolve(pointers);
    pointersLoaded = true;
  }

  /** A cluster as the clusterer sees it (the cluster it joined, if merged), with what merged into it. */
  synchronized Optional<dev.ktriage.depot.cluster.Cluster.Snapshot> snapshot(long id) throws IOException {
    loadPointers();
    long r = root(id);
    Optional<Doc> d = read(r);
    if (d.isEmpty()) {
      return Optional.empty();
    }
    long reports = d.get().reports();
    List<String> titles = new ArrayList<>(d.get().titles());
    List<String> keys = new ArrayList<>(d.get().keys());
    for (var e : merged.entrySet()) {
      if (e.getValue() == r) {
        Optional<Doc> m = read(e.getKey());
        if (m.isPresent()) {
          reports += m.get().reports();
          m.get().titles().stream().filter(t -> !titles.contains(t)).forEach(titles::add);
          m.get().keys().stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        }
      }
    }
    return Optional.of(new dev.ktriage.depot.cluster.Cluster.Snapshot(r, reports, titles, keys));
  }

  /** The cluster a cluster id stands for now: itself, or where a merge sent it. */
  synchronized long root(long id) {
    return merged.getOrDefault(id, id);
  }

  /** Merged clusters and where they went (for readers folding reports of merged clusters). */
  synchronized Map<Long, Long> merged() {
    return Map.copyOf(merged);
  }

  /**
   * Decides a report's cluster and records it in the local view.
   *
   * @return the assignment, and whether its key is new to the cluster it joins (its signature is then
   *     an exemplar the cluster document should keep)
   */
  synchronized Decided assign(Signature sig, String title, List<String> alternatives) throws IOException {
    Clusterer c = clusterer();
    String key = sig.exactKey();
    OptionalLong known = c.clusterOfKey(key);
    if (known.isPresent()) {
      c.restore(known.getAsLong(), key, () -> sig, title, alternatives);
      return new Decided(new Assignment.ExactMatch(known.getAsLong(), key), false);
    }
    OptionalLong remote = remoteClusterOfKey(key);
    if (remote.isPresent()) {
      long id = root(remote.getAsLong());
      pull(id);
      c.restore(id, sig, title, alternatives);
      return new Decided(new Assignment.ExactMatch(id, key), false);
    }
    Assignment a = c.explain(sig);
    if (a instanceof Assignment.NewCluster n) {
      long id = clusterId(key);
      c.restore(id, sig, title, alternatives);
      return new Decided(new Assignment.NewCluster(id, key, n.bestCluster(), n.bestScore(), n.why()), true);
    }
    c.restore(a.clusterId(), sig, title, alternatives);
    return new Decided(a, true);
  }

  /** An assignment; {@code exemplar}: the report brought a new key to its cluster. */
  record Decided(Assignment assignment, boolean exemplar) {}

  /** The cluster another writer put a key in: the one the key opens (realtime), else one listing it. */
  private OptionalLong remoteClusterOfKey(String key) throws IOException {
    long own = clusterId(key);
    if (rest.get("/" + index + "/_doc/" + own + "?_source=false").object().getBoolean("found", false)) {
      return OptionalLong.of(own);
    }
    Rest.Answer a = rest.json("POST", "/" + index + "/_search", Json.createObjectBuilder()
        .add("size", 1).add("_source", false).add("sort", Json.createArrayBuilder().add("created"))
        .add("query", Json.createObjectBuilder().add("term", Json.createObjectBuilder().add("keys", key)))
        .build().toString());
    if (a.ok()) {
      JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
      if (!hits.isEmpty()) {
        return OptionalLong.of(Long.parseLong(hits.getJsonObject(0).getString("_id")));
      }
    }
    return OptionalLong.empty();
  }

  /** Brings another writer's cluster into the local view: its exemplars this view lacks. */
  private void pull(long id) throws IOException {
    Optional<Doc> d = read(id);
    if (d.isEmpty()) {
      return;
    }
    for (Exemplar x : d.get().exemplars()) {
      if (clusterer.clusterOfKey(x.sig().exactKey()).isEmpty()) {
        clusterer.restore(id, x.sig(), x.title(), List.of());
      }
    }
  }

  /** What {@link #assign} would do, changing nothing (no lookup of other writers' keys). */
  synchronized Assignment explain(Signature sig) throws IOException {
    Assignment a = clusterer().explain(sig);
    return switch (a) {
      case Assignment.ExactMatch m -> new Assignment.ExactMatch(root(m.clusterId()), m.exactKey());
      case Assignment.EvidenceMatch m -> new Assignment.EvidenceMatch(root(m.clusterId()), m.exactKey(), m.rule(),
          m.score(), m.matchedKey(), m.reasons(), m.access(), m.components());
      case Assignment.NewCluster n -> n;
    };
  }

  synchronized List<Clusterer.Scored> similar(Signature sig, int k) throws IOException {
    List<Clusterer.Scored> out = new ArrayList<>();
    Set<Long> seen = new HashSet<>();
    for (Clusterer.Scored s : clusterer().similar(sig, k)) {
      if (seen.add(root(s.clusterId()))) {
        out.add(new Clusterer.Scored(root(s.clusterId()), s.score(), s.why()));
      }
    }
    return out;
  }

  // ------------------------------------------------------------------ merge

  /**
   * The merge pass (run by one writer at a time): see the class comment. Writes the pointers and reloads
   * the local view.
   *
   * @return the merges made by this pass, in creation order of the merged clusters
   */
  synchronized List<Merge> merge() throws IOException {
    List<Doc> docs = readAll();
    Map<Long, Long> pointers = new HashMap<>();
    for (Doc d : docs) {
      d.mergedInto().ifPresent(m -> pointers.put(d.id(), m));
    }
    Map<Long, Long> known = resolve(pointers);
    Clusterer fresh = new Clusterer(config);
    List<Merge> out = new ArrayList<>();
    for (Doc d : docs) {
      List<Exemplar> ex = new ArrayList<>(d.exemplars());
      ex.sort(Comparator.comparingLong(Exemplar::seq));
      long target = known.getOrDefault(d.id(), d.id());
      if (target == d.id() && !ex.isEmpty()) {
        Assignment a = fresh.explain(ex.getFirst().sig());
        if (!(a instanceof Assignment.NewCluster)) {
          target = a.clusterId();
          out.add(new Merge(d.id(), target, a instanceof Assignment.EvidenceMatch m ? m.score() : 1.0,
              dev.ktriage.depot.store.Explanations.describe(a)));
        }
      }
      for (Exemplar x : ex) {
        fresh.restore(target, x.sig(), x.title(), List.of());
      }
    }
    if (!out.isEmpty()) {
      StringBuilder body = new StringBuilder();
      for (Merge m : out) {
        body.append("{\"update\":{\"_index\":\"").append(index).append("\",\"_id\":\"").append(m.cluster())
            .append("\"}}\n").append(Json.createObjectBuilder().add("doc", Json.createObjectBuilder()
                .add("mergedInto", m.into()).add("mergeScore", m.score()).add("mergeWhy", m.why())).build())
            .append('\n');
      }
      Rest.Answer a = rest.ndjson("/_bulk?refresh=true", body.toString().getBytes(StandardCharsets.UTF_8));
      if (!a.ok() || a.object().getBoolean("errors", false)) {
        throw new IOException("recording merges failed: " + (a.ok() ? a.object().getJsonArray("items") : a.reason()));
      }
    }
    load();
    return out;
  }
}
