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
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The clusters of a shared store as seen by one process: two indices, {@code <prefix>-clusters} (one small
 * document per bug: its counters, titles, and a {@code mergedInto} pointer once {@link #merge merged}) and
 * {@code <prefix>-keys} (one document per exact key a cluster took, with the exemplar it came with: the
 * signature and its {@link Evidence#encode() evidence}), and a local {@link Clusterer} built from them,
 * which decides for this writer exactly as the embedded store decides.
 *
 * <p><b>Assignment.</b> Local: a report whose exact key the local clusterer knows joins that cluster; else
 * the evidence tier decides, and a report it does not place opens the cluster whose id derives from its
 * key ({@link #clusterId}), so writers that meet a new bug at once meet on one document. After each of its
 * commits a writer pulls the keys other writers stamped since its last pull ({@link #pullOthers}), so it
 * sees their clusters one commit late; near-duplicates opened meanwhile are what {@link #merge} joins.
 *
 * <p><b>Writes.</b> Once per commit ({@link #write}): the touched clusters' counters read with one
 * {@code _mget} and written as plain documents guarded by {@code if_seq_no}/{@code if_primary_term} (a
 * conflict with another writer reads again and retries), then the new keys, append-only ({@code create}):
 * no script runs in the cluster and no write carries the exemplars of a whole cluster.
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

  /** What a commit adds to one cluster: its reports' count, times and titles, and the keys it took. */
  record Touched(long id, int reports, long first, long last, Set<String> titles, String key, String tool,
      String bugClass, String title, List<JsonObject> keys) {}

  /** Keys another writer stamped this long before this writer's last pull are still pulled (clocks differ). */
  private static final long PULL_MARGIN_MICROS = 60_000_000L;
  /** Attempts of a cluster counter write that keeps meeting other writers' updates. */
  private static final int COUNTER_ATTEMPTS = 20;

  private final Rest rest;
  private final String index;
  private final String keysIndex;
  /** Names this writer's key documents, so {@link #pullOthers} skips them. */
  private final String writer = java.util.UUID.randomUUID().toString();
  private final Clusterer.Config config = Clusterer.Config.standard();
  private Clusterer clusterer;
  /** Merged cluster to the cluster it was merged into (resolved to the end of the chain). */
  private Map<Long, Long> merged = new HashMap<>();
  private boolean pointersLoaded;
  private long sequence;
  private long pulledSince;

  SharedClusters(Rest rest, String prefix) {
    this.rest = rest;
    this.index = prefix + "-clusters";
    this.keysIndex = prefix + "-keys";
  }

  /** The id of the cluster a key opens: 62 bits of the SHA-256 of the exact key, the same in every writer. */
  static long clusterId(String exactKey) {
    byte[] d = sha256(exactKey);
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (d[i] & 0xff);
    }
    return v >>> 2; // leaves room for the clusterer's next id above every cluster id
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  /** The id of a key document: one per cluster and key (two writers may give one key two clusters). */
  static String keyDocId(long cluster, String exactKey) {
    return java.util.HexFormat.of().formatHex(sha256(cluster + "/" + exactKey), 0, 16);
  }

  // ------------------------------------------------------------------ documents

  /** One cluster document as read. */
  private record Doc(long id, long created, long reports, List<String> titles, OptionalLong mergedInto) {}

  /** A key document as read: the cluster that took the key, with its exemplar; {@code seq} orders all writers' keys. */
  private record Key(long cluster, long seq, String title, Signature sig) {}

  /** The key document of a key new to cluster {@code id}: its exemplar inline (the index has no joins). */
  synchronized JsonObject keyDoc(long id, Signature sig, String title) {
    JsonObjectBuilder stacks = Json.createObjectBuilder();
    for (StackRole r : StackRole.values()) {
      List<String> frames = sig.stack(r);
      if (!frames.isEmpty()) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        frames.forEach(a::add);
        stacks.add(r.name(), a);
      }
    }
    JsonObjectBuilder ex = Json.createObjectBuilder().add("title", title).add("tool", sig.tool().name())
        .add("bugClass", sig.bugClass()).add("stacks", stacks).add("evidence", sig.evidence().encode());
    sig.guilty().ifPresent(g -> ex.add("guilty", g));
    return Json.createObjectBuilder().add("cid", id).add("key", sig.exactKey()).add("seq", nextSequence())
        .add("writer", writer).add("exemplar", ex).build();
  }

  private long nextSequence() {
    // wall-clock microseconds, strictly increasing here: orders the keys of all writers roughly by time
    sequence = Math.max(sequence + 1, System.currentTimeMillis() * 1000);
    return sequence;
  }

  private static Key keyOf(JsonObject o) {
    JsonObject x = o.getJsonObject("exemplar");
    Map<StackRole, List<String>> stacks = new EnumMap<>(StackRole.class);
    JsonObject st = x.getJsonObject("stacks");
    if (st != null) {
      for (var e : st.entrySet()) {
        stacks.put(StackRole.valueOf(e.getKey()), strings(e.getValue().asJsonArray()));
      }
    }
    Signature sig = new Signature(Tool.valueOf(x.getString("tool")), x.getString("bugClass"), o.getString("key"),
        x.containsKey("guilty") ? Optional.of(x.getString("guilty")) : Optional.empty(), stacks,
        Evidence.decode(x.getString("evidence", "")));
    return new Key(o.getJsonNumber("cid").longValue(), o.getJsonNumber("seq").longValue(), x.getString("title", ""), sig);
  }

  private static List<String> strings(JsonArray a) {
    List<String> out = new ArrayList<>(a.size());
    a.forEach(v -> out.add(((JsonString) v).getString()));
    return out;
  }

  private static Doc docOf(JsonObject source) {
    return new Doc(source.getJsonNumber("cid").longValue(), source.getJsonNumber("created").longValue(),
        source.getJsonNumber("reports").longValue(),
        source.get("titles") instanceof JsonArray t ? strings(t) : List.of(),
        source.containsKey("mergedInto") && source.get("mergedInto").getValueType() == JsonValue.ValueType.NUMBER
            ? OptionalLong.of(source.getJsonNumber("mergedInto").longValue()) : OptionalLong.empty());
  }

  /** Every document of {@code idx} matching {@code query}, in {@code sort} order (which must end in a unique field). */
  private List<JsonObject> readAll(String idx, String query, String sort) throws IOException {
    List<JsonObject> out = new ArrayList<>();
    String after = null;
    while (true) {
      String body = "{\"size\":1000,\"sort\":" + sort + ",\"query\":" + query
          + (after == null ? "" : ",\"search_after\":" + after) + "}";
      Rest.Answer a = rest.json("POST", "/" + idx + "/_search", body);
      if (!a.ok()) {
        if (a.status() == 404) { // a store nobody wrote yet
          return out;
        }
        throw new IOException("reading " + idx + " failed: " + a.reason());
      }
      JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
      for (JsonValue h : hits) {
        out.add(h.asJsonObject().getJsonObject("_source"));
      }
      if (hits.size() < 1000) {
        return out;
      }
      after = hits.getJsonObject(hits.size() - 1).getJsonArray("sort").toString();
    }
  }

  /** Every cluster document, in creation order. */
  private List<Doc> readClusters() throws IOException {
    rest.json("POST", "/" + index + "," + keysIndex + "/_refresh", null);
    return readAll(index, "{\"match_all\":{}}", "[{\"created\":\"asc\"},{\"cid\":\"asc\"}]").stream()
        .map(SharedClusters::docOf).toList();
  }

  /** The keys of {@code query}, oldest first. */
  private List<Key> readKeys(String query) throws IOException {
    return readAll(keysIndex, query, "[{\"seq\":\"asc\"},{\"cid\":\"asc\"},{\"key\":\"asc\"}]").stream()
        .map(SharedClusters::keyOf).toList();
  }

  private Optional<Doc> read(long id) throws IOException {
    Rest.Answer a = rest.get("/" + index + "/_doc/" + id);
    if (!a.object().getBoolean("found", false)) {
      return Optional.empty();
    }
    return Optional.of(docOf(a.object().getJsonObject("_source")));
  }

  // ------------------------------------------------------------------ the local view

  /** Reads the indices into the local clusterer (on open, and after a merge). */
  synchronized void load() throws IOException {
    long now = System.currentTimeMillis() * 1000;
    List<Doc> docs = readClusters();
    Map<Long, List<Key>> keysByCluster = new HashMap<>();
    for (Key k : readKeys("{\"match_all\":{}}")) {
      keysByCluster.computeIfAbsent(k.cluster(), x -> new ArrayList<>()).add(k);
    }
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
    List<Key> all = new ArrayList<>();
    Map<Key, Long> owner = new java.util.IdentityHashMap<>();
    long maxId = 0;
    for (var e : byRoot.entrySet()) {
      long id = e.getKey();
      maxId = Math.max(maxId, id);
      long size = 0;
      List<String> titles = new ArrayList<>();
      List<String> keys = new ArrayList<>();
      List<Key> ex = new ArrayList<>();
      for (Doc d : e.getValue()) {
        size += d.reports();
        d.titles().stream().filter(t -> !titles.contains(t)).forEach(titles::add);
        for (Key k : keysByCluster.getOrDefault(d.id(), List.of())) {
          if (claimed.add(k.sig().exactKey())) { // a key two writers gave two clusters leads to the older one
            keys.add(k.sig().exactKey());
          }
          ex.add(k);
        }
      }
      ex.sort(Comparator.comparingLong(Key::seq));
      if (ex.size() > config.maxExemplars()) {
        ex = new ArrayList<>(ex.subList(0, config.maxExemplars()));
      }
      for (Key x : ex) {
        owner.put(x, id);
      }
      all.addAll(ex);
      states.add(new Clusterer.ClusterState(id, size, titles, keys, ex.stream().map(Key::sig).toList()));
    }
    all.sort(Comparator.comparingLong(Key::seq));
    List<Long> log = all.stream().map(owner::get).toList();
    try {
      clusterer = Clusterer.fromState(config, new Clusterer.State(maxId + 1, states, log));
    } catch (IllegalArgumentException e) {
      throw new IOException("the clusters index does not hang together: " + e.getMessage(), e);
    }
    pulledSince = now;
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

  /**
   * Brings the keys other writers stamped since this writer's last pull (less a margin for clocks) into
   * the local view: each key new here joins the cluster that took it. Called after each commit.
   */
  synchronized void pullOthers() throws IOException {
    if (clusterer == null) {
      return;
    }
    long now = System.currentTimeMillis() * 1000;
    String query = "{\"bool\":{\"filter\":{\"range\":{\"seq\":{\"gte\":" + (pulledSince - PULL_MARGIN_MICROS)
        + "}}},\"must_not\":{\"term\":{\"writer\":\"" + writer + "\"}}}}";
    for (Key k : readKeys(query)) {
      if (clusterer.clusterOfKey(k.sig().exactKey()).isEmpty()) {
        clusterer.restore(root(k.cluster()), k.sig(), k.title(), List.of());
      }
    }
    pulledSince = now;
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
    JsonArrayBuilder ids = Json.createArrayBuilder().add(r);
    for (var e : merged.entrySet()) {
      if (e.getValue() == r) {
        Optional<Doc> m = read(e.getKey());
        if (m.isPresent()) {
          ids.add(e.getKey());
          reports += m.get().reports();
          m.get().titles().stream().filter(t -> !titles.contains(t)).forEach(titles::add);
        }
      }
    }
    List<String> keys = new ArrayList<>();
    String query = Json.createObjectBuilder().add("terms", Json.createObjectBuilder().add("cid", ids)).build().toString();
    for (Key k : readKeys(query)) {
      if (!keys.contains(k.sig().exactKey())) {
        keys.add(k.sig().exactKey());
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
   *     an exemplar the cluster keeps: {@link #keyDoc})
   */
  synchronized Decided assign(Signature sig, String title, List<String> alternatives) throws IOException {
    Clusterer c = clusterer();
    String key = sig.exactKey();
    OptionalLong known = c.clusterOfKey(key);
    if (known.isPresent()) {
      c.restore(known.getAsLong(), key, () -> sig, title, alternatives);
      return new Decided(new Assignment.ExactMatch(known.getAsLong(), key), false);
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

  /** An assignment; {@code newKey}: the report brought a new key to its cluster. */
  record Decided(Assignment assignment, boolean newKey) {}

  // ------------------------------------------------------------------ writing

  /**
   * Writes what a commit adds to its clusters: the counters of each touched cluster (one {@code _mget},
   * then plain documents with {@code if_seq_no}; a new cluster with {@code create}; what another writer
   * changed meanwhile is read again, {@value #COUNTER_ATTEMPTS} rounds at most), then the new keys.
   */
  synchronized void write(List<Touched> touched) throws IOException {
    if (touched.isEmpty()) {
      return;
    }
    BulkBatch bulk = new BulkBatch(rest, "/_bulk");
    List<Touched> todo = touched;
    for (int round = 1; !todo.isEmpty(); round++) {
      if (round > COUNTER_ATTEMPTS) {
        throw new IOException("updating clusters failed: " + todo.size() + " clusters kept changing under this writer");
      }
      Map<Long, JsonObject> current = mget(todo);
      List<BulkBatch.Action> actions = new ArrayList<>(todo.size());
      for (Touched t : todo) {
        JsonObject hit = current.get(t.id());
        actions.add(hit == null ? created(t) : updated(t, hit));
      }
      List<BulkBatch.Result> results = bulk.send(actions, "updating clusters");
      List<Touched> again = new ArrayList<>();
      for (int i = 0; i < todo.size(); i++) {
        BulkBatch.Result r = results.get(i);
        if (r.status() == 409) { // another writer created or updated it since the read: read again
          again.add(todo.get(i));
        } else if (!r.ok()) {
          throw new IOException("updating cluster " + todo.get(i).id() + " failed: " + r.error());
        }
      }
      todo = again;
    }
    List<BulkBatch.Action> keys = new ArrayList<>();
    for (Touched t : touched) {
      for (JsonObject k : t.keys()) {
        keys.add(new BulkBatch.Action(BulkBatch.meta("create", keysIndex,
            keyDocId(k.getJsonNumber("cid").longValue(), k.getString("key"))), k.toString()));
      }
    }
    for (BulkBatch.Result r : bulk.send(keys, "storing cluster keys")) {
      if (!r.ok() && r.status() != 409) { // 409: stored by an earlier run of the same ingest
        throw new IOException("storing cluster keys failed: " + r.error());
      }
    }
  }

  /** The current documents of the touched clusters, with their sequence numbers; absent ones left out. */
  private Map<Long, JsonObject> mget(List<Touched> touched) throws IOException {
    JsonArrayBuilder ids = Json.createArrayBuilder();
    touched.forEach(t -> ids.add(Long.toString(t.id())));
    Rest.Answer a = rest.json("POST", "/" + index + "/_mget",
        Json.createObjectBuilder().add("ids", ids).build().toString());
    if (!a.ok()) {
      throw new IOException("reading clusters failed: " + a.reason());
    }
    Map<Long, JsonObject> out = new HashMap<>();
    for (JsonValue v : a.object().getJsonArray("docs")) {
      JsonObject d = v.asJsonObject();
      if (d.getBoolean("found", false)) {
        out.put(Long.parseLong(d.getString("_id")), d);
      }
    }
    return out;
  }

  private BulkBatch.Action created(Touched t) {
    long created = t.keys().stream().mapToLong(k -> k.getJsonNumber("seq").longValue()).min()
        .orElse(System.currentTimeMillis() * 1000);
    JsonArrayBuilder titles = Json.createArrayBuilder();
    t.titles().forEach(titles::add);
    JsonObject doc = Json.createObjectBuilder().add("cid", t.id()).add("created", created).add("key", t.key())
        .add("tool", t.tool()).add("bugClass", t.bugClass()).add("title", t.title()).add("titles", titles)
        .add("reports", t.reports()).add("firstSeen", t.first()).add("lastSeen", t.last()).add("algo", "evidence-v1")
        .build();
    return new BulkBatch.Action(BulkBatch.meta("create", index, Long.toString(t.id())), doc.toString());
  }

  /** The document {@code hit} holds with this commit's counters added, written only over that version. */
  private BulkBatch.Action updated(Touched t, JsonObject hit) {
    JsonObject src = hit.getJsonObject("_source");
    JsonObjectBuilder doc = Json.createObjectBuilder(src);
    doc.add("reports", src.getJsonNumber("reports").longValue() + t.reports());
    doc.add("firstSeen", Math.min(src.getJsonNumber("firstSeen").longValue(), t.first()));
    doc.add("lastSeen", Math.max(src.getJsonNumber("lastSeen").longValue(), t.last()));
    Set<String> titles = new LinkedHashSet<>(strings(src.getJsonArray("titles")));
    titles.addAll(t.titles());
    JsonArrayBuilder ts = Json.createArrayBuilder();
    titles.forEach(ts::add);
    doc.add("titles", ts);
    String meta = "{\"index\":{\"_index\":\"" + index + "\",\"_id\":\"" + t.id() + "\",\"if_seq_no\":"
        + hit.getJsonNumber("_seq_no") + ",\"if_primary_term\":" + hit.getJsonNumber("_primary_term") + "}}";
    return new BulkBatch.Action(meta, doc.build().toString());
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
    List<Doc> docs = readClusters();
    Map<Long, List<Key>> keysByCluster = new HashMap<>();
    for (Key k : readKeys("{\"match_all\":{}}")) {
      keysByCluster.computeIfAbsent(k.cluster(), x -> new ArrayList<>()).add(k);
    }
    Map<Long, Long> pointers = new HashMap<>();
    for (Doc d : docs) {
      d.mergedInto().ifPresent(m -> pointers.put(d.id(), m));
    }
    Map<Long, Long> known = resolve(pointers);
    Clusterer fresh = new Clusterer(config);
    List<Merge> out = new ArrayList<>();
    for (Doc d : docs) {
      List<Key> ex = keysByCluster.getOrDefault(d.id(), List.of()); // oldest first
      long target = known.getOrDefault(d.id(), d.id());
      if (target == d.id() && !ex.isEmpty()) {
        Assignment a = fresh.explain(ex.getFirst().sig());
        if (!(a instanceof Assignment.NewCluster)) {
          target = a.clusterId();
          out.add(new Merge(d.id(), target, a instanceof Assignment.EvidenceMatch m ? m.score() : 1.0,
              dev.ktriage.depot.store.Explanations.describe(a)));
        }
      }
      for (Key x : ex) {
        fresh.restore(target, x.sig(), x.title(), List.of());
      }
    }
    if (!out.isEmpty()) {
      List<BulkBatch.Action> actions = new ArrayList<>();
      for (Merge m : out) {
        actions.add(new BulkBatch.Action(BulkBatch.meta("update", index, Long.toString(m.cluster())),
            Json.createObjectBuilder().add("doc", Json.createObjectBuilder().add("mergedInto", m.into())
                .add("mergeScore", m.score()).add("mergeWhy", m.why())).build().toString()));
      }
      for (BulkBatch.Result r : new BulkBatch(rest, "/_bulk?refresh=true").send(actions, "recording merges")) {
        if (!r.ok()) {
          throw new IOException("recording merges failed: " + r.error());
        }
      }
    }
    load();
    return out;
  }
}
