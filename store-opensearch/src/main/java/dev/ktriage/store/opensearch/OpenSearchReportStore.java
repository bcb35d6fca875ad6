package dev.ktriage.store.opensearch;

import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.StoreUnavailableException;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Cluster;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.ReportFingerprint;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.stack.DepotStats;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.depot.store.ClusterListing;
import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.MergeResult;
import dev.ktriage.depot.store.QueryLanguage;
import dev.ktriage.depot.store.QuerySyntaxException;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.SearchFields;
import dev.ktriage.depot.store.SearchResult;
import dev.ktriage.depot.store.StoreStats;
import dev.ktriage.depot.store.StoredReport;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.reportjson.ReportJsonReader;
import dev.ktriage.reportjson.ReportJsonWriter;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.lucene.search.Query;

/**
 * The report store on an OpenSearch cluster.
 *
 * <p><b>Layout.</b> Reports live in weekly indices {@code <prefix>-reports-YYYY.ww} (ISO week of the
 * report's time) made from a versioned template ({@link Mappings}, {@code dynamic: strict}); each is
 * an immutable document whose {@code _id} is its content fingerprint, written with {@code _bulk}
 * {@code create}, so re-running an ingest after a crash, or two ingesters storing the same log, stores
 * each report once. Clusters are documents of {@code <prefix>-clusters} whose id is derived from the
 * exact key of the clustering evidence ({@link #clusterId}), so ingesters that meet a new bug at the
 * same time meet on the same cluster; their counters are scripted upserts. The stack depot is
 * {@code <prefix>-stacks}, one document per distinct normalized stack keyed by its hash; reports also
 * carry their frames (there are no joins). Retention deletes whole weekly indices.
 *
 * <p><b>Clusters.</b> {@link SharedClusters} decides as the embedded store does (exact key, then the
 * evidence tier of a local clusterer loaded from the clusters index), so two writers meet on one cluster
 * for one exact key; clusters opened concurrently for one bug under different keys are joined by
 * {@link #merge}, whose {@code mergedInto} pointers every read resolves.
 *
 * <p>Thread-safe: adds may come from many threads; commits are serialized.
 */
public final class OpenSearchReportStore implements ReportStore {
  private final Rest rest;
  private final String prefix;
  private final boolean writable;
  private final int replicas;
  private final Signer signer = new Signer();
  private final ReportJsonWriter jsonWriter = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);
  private final ReportJsonReader jsonReader = new ReportJsonReader();
  private final List<Pending> pending = new ArrayList<>();
  private final Set<String> pendingIds = new HashSet<>();
  private final SharedClusters clusters;
  private final ClusterListings listings;
  /** Weekly indices this writer made sure exist with every primary shard active. */
  private final Set<String> readyWeeks = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** Adds answered Added whose create found the report stored by another writer ({@link #addedByAnotherWriter}). */
  private final java.util.concurrent.atomic.AtomicLong storedByOthers = new java.util.concurrent.atomic.AtomicLong();

  /** Health waits (30 s each) for a weekly index's primaries before a store call gives up. */
  private static final int HEALTH_WAITS = 4;
  /** Calls of a read that found shards without an active primary: the first and the retries after waiting. */
  private static final int SHARD_ATTEMPTS = 6;

  /** A report added and not yet committed. */
  private record Pending(String id, String index, String source, byte[] doc, long clusterId, String key, String tool,
      String bugClass, String title, long time, Map<String, List<String>> stacks, Optional<JsonObject> exemplar) {}

  private OpenSearchReportStore(Rest rest, String prefix, boolean writable, int replicas) {
    this.rest = rest;
    this.prefix = prefix;
    this.writable = writable;
    this.replicas = replicas;
    this.clusters = new SharedClusters(rest, prefix);
    this.listings = new ClusterListings(rest, prefix);
  }

  /**
   * Connects to the cluster and checks it: reachable, not red, and holding this schema version (a
   * writer creates the indices and template of a new store).
   *
   * @param replicas replicas of each new index (1 on a cluster of several nodes)
   * @throws StoreUnavailableException unreachable, credentials refused, red, or unexpected answers
   * @throws SchemaVersionException the cluster holds a store of another schema version
   */
  public static OpenSearchReportStore open(OpenSearchStoreConfig cfg, Mode mode, int replicas)
      throws IOException, DepotException {
    Rest rest = new Rest(cfg);
    OpenSearchReportStore s = new OpenSearchReportStore(rest, cfg.prefix(), mode == Mode.READ_WRITE, replicas);
    try {
      s.check();
      if (s.writable) {
        s.clusters.load();
      }
      return s;
    } catch (IOException | RuntimeException e) {
      rest.close();
      throw e;
    }
  }

  private StoreUnavailableException unavailable(String what, Throwable cause) {
    return new StoreUnavailableException(rest.location(), what, cause);
  }

  private void check() throws IOException, DepotException {
    Rest.Answer health;
    try {
      health = rest.get("/_cluster/health?wait_for_status=yellow&timeout=30s");
    } catch (Rest.AuthRefused e) {
      throw unavailable(e.getMessage(), e);
    } catch (IOException e) {
      throw unavailable("unreachable (" + rootMessage(e) + ")", e);
    }
    String status = health.object().getString("status", "unknown");
    if (!health.ok() && health.status() != 408) {
      throw unavailable("cluster health answered " + health.reason(), null);
    }
    if (status.equals("red")) {
      throw unavailable("the cluster is red (some shards are unassigned); fix it before using the store", null);
    }
    Rest.Answer meta = rest.get("/" + prefix + "-meta/_doc/schema");
    if (meta.status() == 404) {
      if (writable) {
        create();
      }
      return;
    }
    if (!meta.ok()) {
      throw unavailable("reading the store's schema: " + meta.reason(), null);
    }
    int found = meta.object().getJsonObject("_source").getInt("schema", -1);
    if (found != Mappings.VERSION) {
      throw new SchemaVersionException(rest.location() + " (" + prefix + "-meta)", found, Mappings.VERSION);
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
  }

  /** A new store: the template, the clusters and stacks indices, then the schema record (last: it says the rest is there). */
  private void create() throws IOException, DepotException {
    expect(rest.json("PUT", "/_index_template/" + prefix + "-reports-v" + Mappings.VERSION,
        Mappings.reportTemplate(prefix, replicas)), "creating the report index template");
    createIndex(prefix + "-clusters", Mappings.clustersIndex(replicas));
    createIndex(prefix + "-stacks", Mappings.stacksIndex(replicas));
    createIndex(prefix + "-meta", Mappings.metaIndex(replicas));
    Rest.Answer a = rest.json("PUT", "/" + prefix + "-meta/_create/schema?refresh=true",
        "{\"schema\":" + Mappings.VERSION + "}");
    if (!a.ok() && a.status() != 409) {
      throw unavailable("recording the schema: " + a.reason(), null);
    }
  }

  private void createIndex(String name, String body) throws IOException, DepotException {
    Rest.Answer a = rest.json("PUT", "/" + name, body);
    // another writer creating the store at the same moment is fine
    if (!a.ok() && !a.reason().startsWith("resource_already_exists_exception")) {
      throw unavailable("creating index " + name + ": " + a.reason(), null);
    }
  }

  private void expect(Rest.Answer a, String what) throws StoreUnavailableException {
    if (!a.ok()) {
      throw unavailable(what + ": " + a.reason(), null);
    }
  }

  // ------------------------------------------------------------------ identities

  /** The cluster id of a new cluster: from the exact key, the same in every ingester ({@link SharedClusters#clusterId}). */
  public static long clusterId(String exactKey) {
    return SharedClusters.clusterId(exactKey);
  }

  /** A stack's id in the depot index (hex) and its handle (what reports and {@link #frames} use). */
  static String stackHash(List<String> frames) {
    return java.util.HexFormat.of().formatHex(sha256(String.join("\n", frames)), 0, 16);
  }

  static int handleOf(String stackHash) {
    return (int) (Long.parseLong(stackHash.substring(0, 8), 16) & 0x7fffffff);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The weekly index of a time: ISO week-based year and week. */
  String weekIndex(long epochMs) {
    LocalDate d = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate();
    return String.format(Locale.ROOT, "%s-reports-%04d.%02d", prefix, d.get(IsoFields.WEEK_BASED_YEAR),
        d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  // ------------------------------------------------------------------ writing

  /** A store call, run again by {@link #whenPrimariesActive}. */
  @FunctionalInterface
  private interface Call<T> {
    T run() throws IOException;
  }

  /**
   * Runs a read of {@code indices}. A shard whose primary is not active yet (a weekly index another
   * writer has just created) answers 503: then this waits until every primary of {@code indices} is
   * active ({@link #awaitPrimaries}), pauses, and runs the read again, {@value #SHARD_ATTEMPTS} times at most.
   * A store that stays unavailable fails the call as before.
   */
  private <T> T whenPrimariesActive(String indices, Call<T> call) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return call.run();
      } catch (StoreUnavailableException e) {
        if (attempt == SHARD_ATTEMPTS || !Rest.serverError(e)) {
          throw e;
        }
        try {
          awaitPrimaries(indices);
          // the cluster manager says the primaries are active; the node this request reaches may not have
          // applied that cluster state yet (seen: 503 "all shards failed" with no shard failure, three
          // times in a row right after a yellow health): give it time, 0.2 s doubling (6 s in all)
          pause(attempt - 1);
        } catch (IOException again) {
          e.addSuppressed(again);
          throw e;
        }
      }
    }
  }

  /**
   * Returns once every primary shard of {@code indices} is active (their health is yellow or green);
   * waits {@value #HEALTH_WAITS} times 30 s at most, then fails: the cluster cannot serve them.
   */
  private void awaitPrimaries(String indices) throws IOException {
    for (int i = 0; i < HEALTH_WAITS; i++) {
      Rest.Answer h = rest.get("/_cluster/health/" + indices + "?wait_for_status=yellow&timeout=30s");
      if (h.ok() && !h.object().getBoolean("timed_out", false)
          && !h.object().getString("status", "red").equals("red")) {
        return;
      }
      if (h.status() != 408 && !h.ok()) {
        throw unavailable("health of " + indices + ": " + h.reason(), null);
      }
    }
    throw unavailable("the primary shards of " + indices + " are not active after " + HEALTH_WAITS * 30
        + " s; fix the cluster, then run the same ingest again (stored reports are skipped)", null);
  }

  /**
   * Makes sure weekly index {@code index} exists with its primaries active before this writer reads it:
   * creates it (the template gives its mappings; another writer creating it too is fine), then waits
   * for its primaries. Once per index and writer. Without this, a realtime GET on an index another
   * writer created a moment ago answers 503 until its primary shard is allocated.
   */
  private void ensureWeek(String index) throws IOException {
    if (readyWeeks.contains(index)) {
      return;
    }
    Rest.Answer a = rest.json("PUT", "/" + index, null);
    if (!a.ok() && !a.reason().startsWith("resource_already_exists_exception")) {
      throw unavailable("creating index " + index + ": " + a.reason(), null);
    }
    awaitPrimaries(index);
    readyWeeks.add(index);
  }

  /** Whether report {@code id} is in {@code index}, committed or not (a realtime GET). */
  private boolean storedBefore(String index, String id) throws IOException {
    ensureWeek(index);
    String get = "/" + index + "/_doc/" + id + "?_source=false";
    return whenPrimariesActive(index, () -> rest.unlessServerError(rest.get(get)).object().getBoolean("found", false));
  }

  @Override
  public IngestResult add(Report report, Instant ingested) throws IOException {
    if (!writable) {
      throw new IllegalStateException("store opened read-only");
    }
    String id = ReportFingerprint.of(report);
    Map<StackRole, List<NormalizedFrame>> normalized = signer.normalize(report);
    Signature sig = signer.sign(report, normalized);
    SearchFields f = SearchFields.of(report, sig, normalized, ingested);
    String index = weekIndex(f.time());
    synchronized (pendingIds) {
      if (pendingIds.contains(id)) {
        return new IngestResult.Duplicate(id);
      }
    }
    // A report stored before (by this or another ingester) is a duplicate. One with a wall clock is filed
    // under its own week whatever its ingest time: a realtime GET there. One filed by its ingest time (no
    // wall clock in its log) may be in any week's index: a search, which sees what every writer committed
    // (each commit refreshes). What another writer writes meanwhile, create finds at commit (409).
    boolean timeless = f.time() == ingested.toEpochMilli();
    if (timeless ? storedInAnyWeek(id) : storedBefore(index, id)) {
      return new IngestResult.Duplicate(id);
    }
    SharedClusters.Decided decided = clusters.assign(sig, report.title().title(), report.title().alternatives());
    Assignment a = decided.assignment();
    long cluster = a.clusterId();
    Optional<JsonObject> exemplar = decided.exemplar()
        ? Optional.of(clusters.exemplar(sig, report.title().title())) : Optional.empty();
    Map<String, List<String>> stacks = new LinkedHashMap<>();
    for (var e : sig.stacks().entrySet()) {
      stacks.put(e.getKey().name(), e.getValue());
    }
    byte[] doc = document(id, report, f, sig, ingested, cluster, a, stacks);
    synchronized (pendingIds) {
      if (!pendingIds.add(id)) {
        return new IngestResult.Duplicate(id);
      }
      pending.add(new Pending(id, index, report.source().path() + ":" + report.source().firstLine(), doc, cluster,
          sig.exactKey(), f.tool(), f.bugClass(), f.title(), f.time(), stacks, exemplar));
      if (pending.size() < COMMIT_EVERY) {
        return new IngestResult.Added(id, a);
      }
    }
    commit();
    return new IngestResult.Added(id, a);
  }

  /**
   * Whether a committed report with this id is in any weekly index. A report whose log prints no wall
   * clock is filed under the week it was ingested, so the same log ingested again in a later week (a
   * re-run over a crash directory, another ingester days later) goes to another index, where
   * {@code create} cannot see the first copy.
   */
  private boolean storedInAnyWeek(String id) throws IOException {
    // partial results could miss the copy in a shard that did not answer: all shards, or an error
    String weeks = prefix + "-reports-*";
    Rest.Answer a = whenPrimariesActive(weeks, () -> rest.unlessServerError(rest.json("POST",
        "/" + weeks + "/_search?allow_partial_search_results=false",
        "{\"size\":0,\"track_total_hits\":1,\"query\":{\"ids\":{\"values\":[\"" + id + "\"]}}}")));
    if (!a.ok()) {
      throw new IOException("duplicate check failed: " + a.reason());
    }
    return a.object().getJsonObject("hits").getJsonObject("total").getJsonNumber("value").longValue() > 0;
  }

  private byte[] document(String id, Report r, SearchFields f, Signature sig, Instant ingested, long cluster,
      Assignment a, Map<String, List<String>> stacks) throws IOException {
    JsonObjectBuilder d = Json.createObjectBuilder();
    d.add("id", id).add("title", f.title()).add("titleKw", f.title()).add("altTitle", strings(f.altTitles()))
        .add("text", f.text()).add("tool", f.tool()).add("bugType", f.bugType()).add("bugTypeKw", f.bugType())
        .add("bugClass", f.bugClass()).add("key", f.key()).add("guilty", strings(f.guilty()))
        .add("function", strings(f.functions())).add("file", strings(f.files())).add("module", strings(f.modules()))
        .add("source", f.source()).add("line", f.line()).add("cluster", cluster).add("time", f.time())
        .add("ingested", ingested.toEpochMilli()).add("corrupted", Boolean.toString(f.corrupted()));
    f.op().ifPresent(v -> d.add("op", v));
    f.size().ifPresent(v -> d.add("size", v));
    f.task().ifPresent(v -> d.add("task", v));
    f.release().ifPresent(v -> d.add("release", v).add("releaseKw", v));
    f.arch().ifPresent(v -> d.add("arch", v));
    f.uptime().ifPresent(v -> d.add("uptime", v));
    JsonObjectBuilder handles = Json.createObjectBuilder();
    JsonArrayBuilder hashes = Json.createArrayBuilder();
    for (var e : stacks.entrySet()) {
      String h = stackHash(e.getValue());
      handles.add(e.getKey(), handleOf(h));
      hashes.add(h);
    }
    d.add("handles", handles).add("stacks", hashes);
    d.add("assignment", dev.ktriage.depot.store.Explanations.describe(a));
    try (JsonReader jr = Json.createReader(new ByteArrayInputStream(jsonWriter.toJsonUtf8(r)))) {
      d.add("report", jr.readObject());
    }
    return d.build().toString().getBytes(StandardCharsets.UTF_8);
  }

  private static JsonArrayBuilder strings(java.util.Collection<String> values) {
    JsonArrayBuilder b = Json.createArrayBuilder();
    values.forEach(b::add);
    return b;
  }

  @Override
  public long addedByAnotherWriter() {
    return storedByOthers.get();
  }

  @Override
  public synchronized void commit() throws IOException {
    List<Pending> batch;
    synchronized (pendingIds) {
      batch = new ArrayList<>(pending);
      pending.clear();
      pendingIds.clear();
    }
    if (batch.isEmpty()) {
      return;
    }
    List<Pending> created = new ArrayList<>();
    for (List<Pending> part : bySize(batch)) {
      created.addAll(bulkCreate(part));
    }
    storeStacks(created);
    countClusters(created);
    rest.json("POST", "/" + prefix + "-reports-*," + prefix + "-clusters/_refresh", null);
  }

  /**
   * Bytes of one {@code _bulk} request at most. A node refuses a request larger than its indexing
   * pressure limit (10% of its heap: 40 MB for a 384 MB heap) with 429 whatever the load, and a commit of
   * 5,000 reports with their report JSON is ~60 MB: requests stay well below the limit of small nodes.
   */
  static final int BULK_BYTES = 8 << 20;

  /** {@code batch} cut, in order, into parts of at most {@link #BULK_BYTES} of documents (one at least). */
  private static List<List<Pending>> bySize(List<Pending> batch) {
    List<List<Pending>> parts = new ArrayList<>();
    List<Pending> part = new ArrayList<>();
    long bytes = 0;
    for (Pending p : batch) {
      if (!part.isEmpty() && bytes + p.doc().length > BULK_BYTES) {
        parts.add(part);
        part = new ArrayList<>();
        bytes = 0;
      }
      part.add(p);
      bytes += p.doc().length;
    }
    if (!part.isEmpty()) {
      parts.add(part);
    }
    return parts;
  }

  /**
   * Writes the reports with {@code create}; 409 = already stored (by a re-run or another ingester).
   * Items refused for load (429) or by an unavailable shard are retried; any other failure is
   * reported with the report's log location, and nothing is silently dropped.
   *
   * @return the reports this call stored
   */
  private List<Pending> bulkCreate(List<Pending> batch) throws IOException {
    List<Pending> created = new ArrayList<>();
    List<Pending> todo = batch;
    List<String> failures = new ArrayList<>();
    for (int attempt = 0; !todo.isEmpty(); attempt++) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      for (Pending p : todo) {
        body.writeBytes(("{\"create\":{\"_index\":\"" + p.index() + "\",\"_id\":\"" + p.id() + "\"}}\n")
            .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(p.doc());
        body.write('\n');
      }
      Rest.Answer a = rest.ndjson("/_bulk", body.toByteArray());
      if (!a.ok()) {
        if (attempt < 5 && (a.status() == 429 || a.status() >= 500)) {
          pause(attempt);
          continue;
        }
        throw unavailable(todo.size() + " reports were not stored: " + a.reason() + " (first " + todo.getFirst().source()
            + "); " + RERUN, null);
      }
      JsonArray items = a.object().getJsonArray("items");
      List<Pending> retry = new ArrayList<>();
      for (int i = 0; i < items.size(); i++) {
        JsonObject r = items.getJsonObject(i).getJsonObject("create");
        int status = r.getInt("status");
        Pending p = todo.get(i);
        if (status == 201) {
          created.add(p);
        } else if (status == 409) {
          // stored since add() looked (another writer committed it first): add() answered Added for it
          storedByOthers.incrementAndGet();
        } else if ((status == 429 || status >= 500) && attempt < 5) {
          retry.add(p);
        } else {
          JsonObject err = r.getJsonObject("error");
          failures.add(p.source() + ": " + (err == null ? "HTTP " + status : err.getString("type", "") + ": "
              + err.getString("reason", "")));
        }
      }
      todo = retry;
      if (!todo.isEmpty()) {
        pause(attempt);
      }
    }
    if (!failures.isEmpty()) {
      throw unavailable(failures.size() + " report" + (failures.size() == 1 ? " was" : "s were")
          + " not stored, first " + failures.getFirst() + "; " + RERUN, null);
    }
    return created;
  }

  /** What a failed write tells the user: nothing committed is lost, and a re-run is safe. */
  private static final String RERUN = "the reports committed before are kept; run the same ingest again when the "
      + "cluster is healthy (stored reports are skipped)";

  private static void pause(int attempt) throws IOException {
    try {
      Thread.sleep(200L << Math.min(attempt, 4));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while retrying", e);
    }
  }

  /** The depot: each distinct stack once ({@code create}; 409 = already there). */
  private void storeStacks(List<Pending> created) throws IOException {
    Map<String, List<String>> stacks = new LinkedHashMap<>();
    for (Pending p : created) {
      for (List<String> frames : p.stacks().values()) {
        stacks.putIfAbsent(stackHash(frames), frames);
      }
    }
    if (stacks.isEmpty()) {
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var e : stacks.entrySet()) {
      body.writeBytes(("{\"create\":{\"_index\":\"" + prefix + "-stacks\",\"_id\":\"" + e.getKey() + "\"}}\n")
          .getBytes(StandardCharsets.UTF_8));
      body.writeBytes(Json.createObjectBuilder().add("handle", handleOf(e.getKey())).add("frames", strings(e.getValue()))
          .build().toString().getBytes(StandardCharsets.UTF_8));
      body.write('\n');
      if (body.size() >= BULK_BYTES) {
        sendStacks(body);
      }
    }
    sendStacks(body);
  }

  private void sendStacks(ByteArrayOutputStream body) throws IOException {
    if (body.size() == 0) {
      return;
    }
    Rest.Answer a = rest.ndjson("/_bulk", body.toByteArray());
    body.reset();
    if (!a.ok()) {
      throw new IOException("storing stacks failed: " + a.reason());
    }
  }

  /**
   * Each cluster's counters, titles and new keys with their exemplars: one scripted upsert per cluster of
   * the batch (retried on conflict), which creates the document of a new cluster.
   */
  private void countClusters(List<Pending> created) throws IOException {
    Map<Long, List<Pending>> byCluster = new LinkedHashMap<>();
    for (Pending p : created) {
      byCluster.computeIfAbsent(p.clusterId(), k -> new ArrayList<>()).add(p);
    }
    if (byCluster.isEmpty()) {
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (var e : byCluster.entrySet()) {
      List<Pending> ps = e.getValue();
      long first = ps.stream().mapToLong(Pending::time).min().orElse(0);
      long last = ps.stream().mapToLong(Pending::time).max().orElse(0);
      Set<String> titles = new LinkedHashSet<>();
      ps.forEach(p -> titles.add(p.title()));
      JsonArrayBuilder exemplars = Json.createArrayBuilder();
      long created0 = Long.MAX_VALUE;
      for (Pending p : ps) {
        if (p.exemplar().isPresent()) {
          exemplars.add(p.exemplar().get());
          created0 = Math.min(created0, p.exemplar().get().getJsonNumber("seq").longValue());
        }
      }
      Pending p0 = ps.getFirst();
      JsonObject params = Json.createObjectBuilder().add("n", ps.size()).add("first", first).add("last", last)
          .add("titles", strings(titles)).add("exemplars", exemplars)
          .add("max", Clusterer.Config.standard().maxExemplars()).build();
      JsonObject upsert = Json.createObjectBuilder().add("cid", e.getKey())
          .add("created", created0 == Long.MAX_VALUE ? System.currentTimeMillis() * 1000 : created0)
          .add("key", p0.key()).add("tool", p0.tool()).add("bugClass", p0.bugClass()).add("title", p0.title())
          .add("titles", JsonValue.EMPTY_JSON_ARRAY).add("keys", JsonValue.EMPTY_JSON_ARRAY)
          .add("exemplars", JsonValue.EMPTY_JSON_ARRAY).add("reports", 0).add("firstSeen", first)
          .add("lastSeen", last).add("algo", "evidence-v1").build();
      body.writeBytes(("{\"update\":{\"_index\":\"" + prefix + "-clusters\",\"_id\":\"" + e.getKey()
          + "\",\"retry_on_conflict\":10}}\n").getBytes(StandardCharsets.UTF_8));
      body.writeBytes(Json.createObjectBuilder().add("scripted_upsert", true).add("script", Json.createObjectBuilder()
          .add("lang", "painless")
          .add("source", "ctx._source.reports += params.n; "
              + "if (params.first < ctx._source.firstSeen) { ctx._source.firstSeen = params.first } "
              + "if (params.last > ctx._source.lastSeen) { ctx._source.lastSeen = params.last } "
              + "for (t in params.titles) { if (!ctx._source.titles.contains(t)) { ctx._source.titles.add(t) } } "
              + "for (x in params.exemplars) { if (!ctx._source.keys.contains(x.key)) { ctx._source.keys.add(x.key); "
              + "if (ctx._source.exemplars.size() < params.max) { ctx._source.exemplars.add(x) } } }")
          .add("params", params)).add("upsert", upsert).build().toString().getBytes(StandardCharsets.UTF_8));
      body.write('\n');
      if (body.size() >= BULK_BYTES) {
        sendClusterUpdates(body);
      }
    }
    sendClusterUpdates(body);
  }

  private void sendClusterUpdates(ByteArrayOutputStream body) throws IOException {
    if (body.size() == 0) {
      return;
    }
    Rest.Answer a = rest.ndjson("/_bulk", body.toByteArray());
    body.reset();
    if (!a.ok() || a.object().getBoolean("errors", false)) {
      throw new IOException("updating clusters failed: " + (a.ok() ? firstError(a) : a.reason()));
    }
  }

  private static String firstError(Rest.Answer a) {
    for (JsonValue v : a.object().getJsonArray("items")) {
      JsonObject item = v.asJsonObject().values().iterator().next().asJsonObject();
      if (item.containsKey("error")) {
        return item.get("error").toString();
      }
    }
    return "unknown";
  }

  // ------------------------------------------------------------------ retention

  /** The weekly indices with their report counts, oldest first. */
  private List<Map.Entry<String, Long>> weeks() throws IOException {
    Rest.Answer a = rest.get("/_cat/indices/" + prefix + "-reports-*?format=json&h=index,docs.count");
    List<Map.Entry<String, Long>> out = new ArrayList<>();
    if (a.json() instanceof JsonArray arr) {
      for (JsonValue v : arr) {
        JsonObject o = v.asJsonObject();
        out.add(Map.entry(o.getString("index"), Long.parseLong(o.getString("docs.count", "0"))));
      }
    }
    out.sort(Map.Entry.comparingByKey());
    return out;
  }

  /** The first instant after an index's week. */
  private Instant weekEnd(String index) {
    String[] yw = index.substring((prefix + "-reports-").length()).split("\\.");
    LocalDate monday = LocalDate.of(Integer.parseInt(yw[0]), 1, 4)
        .with(IsoFields.WEEK_OF_WEEK_BASED_YEAR, Integer.parseInt(yw[1]))
        .with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    return monday.plusWeeks(1).atStartOfDay().toInstant(ZoneOffset.UTC);
  }

  /** Whole weeks only: a week is removed once all of it is before the cutoff. */
  @Override
  public synchronized long removeOlderThan(Instant cutoff) throws IOException {
    commit();
    long removed = 0;
    for (var w : weeks()) {
      if (!weekEnd(w.getKey()).isAfter(cutoff)) {
        removed += deleteWeek(w);
      }
    }
    collectStacks();
    return removed;
  }

  /** Whole weeks only: the oldest weeks go while what stays still holds at least {@code max} reports. */
  @Override
  public synchronized long keepNewest(long max) throws IOException {
    commit();
    List<Map.Entry<String, Long>> ws = weeks();
    long total = ws.stream().mapToLong(Map.Entry::getValue).sum();
    long removed = 0;
    for (var w : ws) {
      if (total - w.getValue() < max) {
        break;
      }
      total -= w.getValue();
      removed += deleteWeek(w);
    }
    collectStacks();
    return removed;
  }

  private long deleteWeek(Map.Entry<String, Long> w) throws IOException {
    readyWeeks.remove(w.getKey());
    Rest.Answer a = rest.json("DELETE", "/" + w.getKey(), null);
    if (!a.ok()) {
      throw new IOException("deleting " + w.getKey() + ": " + a.reason());
    }
    return w.getValue();
  }

  /** Frees stacks no stored report references, rechecking the references against the live report indices. */
  private void collectStacks() throws IOException {
    rest.json("POST", "/" + prefix + "-reports-*/_refresh", null);
    Rest.Answer used = rest.json("POST", "/" + prefix + "-reports-*/_search",
        "{\"size\":0,\"aggs\":{\"s\":{\"terms\":{\"field\":\"stacks\",\"size\":65536}}}}");
    JsonArrayBuilder keep = Json.createArrayBuilder();
    JsonObject aggs = used.object().getJsonObject("aggregations");
    if (aggs != null) {
      for (JsonValue b : aggs.getJsonObject("s").getJsonArray("buckets")) {
        keep.add(b.asJsonObject().getString("key"));
      }
    }
    JsonObject q = Json.createObjectBuilder().add("query", Json.createObjectBuilder().add("bool",
        Json.createObjectBuilder().add("must_not", Json.createObjectBuilder().add("ids",
            Json.createObjectBuilder().add("values", keep))))).build();
    rest.json("POST", "/" + prefix + "-stacks/_delete_by_query?refresh=true&conflicts=proceed", q.toString());
  }

  // ------------------------------------------------------------------ reading

  private static final String SOURCE_LIGHT = "\"_source\":{\"excludes\":[\"report\",\"text\",\"function\",\"file\"]}";

  @Override
  public SearchResult search(String query, int limit, boolean facets, boolean withReports, boolean withCorrupted)
      throws IOException, QuerySyntaxException {
    Query q = QueryLanguage.parse(query);
    clusters.loadPointers(); // cluster:N reads ids as they read after the merges
    JsonObject dsl = QueryDsl.of(q, clusters.merged());
    long leftOut = 0;
    if (!withCorrupted && !QueryLanguage.mentions(q, QueryLanguage.CORRUPTED)) {
      JsonObject corrupted = Json.createObjectBuilder().add("term", Json.createObjectBuilder()
          .add("corrupted", "true")).build();
      leftOut = count(Json.createObjectBuilder().add("bool", Json.createObjectBuilder()
          .add("must", dsl).add("filter", corrupted)).build());
      dsl = Json.createObjectBuilder().add("bool", Json.createObjectBuilder().add("must", dsl)
          .add("must_not", corrupted)).build();
    }
    StringBuilder body = new StringBuilder("{\"query\":").append(dsl).append(",\"size\":").append(Math.max(0, limit))
        .append(",\"track_total_hits\":true,\"sort\":[\"_score\",{\"ingested\":\"asc\"}]");
    if (!withReports) {
      body.append(',').append(SOURCE_LIGHT);
    }
    if (facets) {
      body.append(",\"aggs\":{\"tool\":{\"terms\":{\"field\":\"tool\",\"size\":50}},"
          + "\"bugType\":{\"terms\":{\"field\":\"bugTypeKw\",\"size\":50}},"
          + "\"cluster\":{\"terms\":{\"field\":\"cluster\",\"size\":50}},"
          + "\"release\":{\"terms\":{\"field\":\"releaseKw\",\"size\":50}}}");
    }
    body.append('}');
    Rest.Answer a = rest.json("POST", "/" + prefix + "-reports-*/_search", body.toString());
    if (!a.ok()) {
      throw new IOException("search failed: " + a.reason());
    }
    clusters.loadPointers();
    JsonObject hits = a.object().getJsonObject("hits");
    long total = hits.getJsonObject("total").getJsonNumber("value").longValue();
    List<StoredReport> out = new ArrayList<>();
    for (JsonValue h : hits.getJsonArray("hits")) {
      out.add(stored(h.asJsonObject(), withReports));
    }
    Map<String, List<SearchResult.FacetCount>> counts = new LinkedHashMap<>();
    if (facets && a.object().containsKey("aggregations")) {
      JsonObject aggs = a.object().getJsonObject("aggregations");
      for (String dim : QueryLanguage.FACETS) {
        List<SearchResult.FacetCount> list = new ArrayList<>();
        for (JsonValue b : aggs.getJsonObject(dim).getJsonArray("buckets")) {
          JsonObject o = b.asJsonObject();
          String key = o.get("key") instanceof JsonString s ? s.getString()
              : Long.toString(clusters.root(((JsonNumber) o.get("key")).longValue()));
          list.add(new SearchResult.FacetCount(key.equals("kasan") || key.equals("kcsan")
              ? key.toUpperCase(Locale.ROOT) : key, o.getJsonNumber("doc_count").longValue()));
        }
        counts.put(dim, folded(list));
      }
    }
    return new SearchResult(total, out, counts, leftOut);
  }

  /** Counts of equal keys added up (a merged cluster's count goes to the cluster it joined), largest first. */
  private static List<SearchResult.FacetCount> folded(List<SearchResult.FacetCount> counts) {
    Map<String, Long> sums = new LinkedHashMap<>();
    counts.forEach(c -> sums.merge(c.value(), c.count(), Long::sum));
    if (sums.size() == counts.size()) {
      return counts;
    }
    List<SearchResult.FacetCount> out = new ArrayList<>();
    sums.forEach((k, v) -> out.add(new SearchResult.FacetCount(k, v)));
    out.sort(java.util.Comparator.comparingLong(SearchResult.FacetCount::count).reversed());
    return out;
  }

  private long count(JsonObject query) throws IOException {
    Rest.Answer a = rest.json("POST", "/" + prefix + "-reports-*/_count", "{\"query\":" + query + "}");
    return a.ok() ? a.object().getJsonNumber("count").longValue() : 0;
  }

  private StoredReport stored(JsonObject hit, boolean withReport) throws IOException {
    JsonObject s = hit.getJsonObject("_source");
    Map<StackRole, Integer> handles = new EnumMap<>(StackRole.class);
    JsonObject h = s.getJsonObject("handles");
    if (h != null) {
      for (var e : h.entrySet()) {
        handles.put(StackRole.valueOf(e.getKey()), ((JsonNumber) e.getValue()).intValue());
      }
    }
    List<String> alts = new ArrayList<>();
    if (s.get("altTitle") instanceof JsonArray arr) {
      arr.forEach(v -> alts.add(((JsonString) v).getString()));
    }
    Optional<Report> report = Optional.empty();
    if (withReport && s.containsKey("report")) {
      report = Optional.of(jsonReader.read(s.getJsonObject("report").toString()));
    }
    return new StoredReport(s.getString("id"), s.getString("title"), alts, s.getString("tool"), s.getString("bugType"),
        clusters.root(s.getJsonNumber("cluster").longValue()), s.getString("source"), s.getJsonNumber("line").longValue(),
        Instant.ofEpochMilli(s.getJsonNumber("time").longValue()),
        Instant.ofEpochMilli(s.getJsonNumber("ingested").longValue()), s.getString("release", ""), handles,
        s.getString("assignment", ""), Boolean.parseBoolean(s.getString("corrupted", "false")), report);
  }

  private Optional<StoredReport> one(JsonObject query) throws IOException {
    clusters.loadPointers();
    Rest.Answer a = rest.json("POST", "/" + prefix + "-reports-*/_search",
        "{\"query\":" + query + ",\"size\":2}");
    if (!a.ok()) {
      throw new IOException("lookup failed: " + a.reason());
    }
    JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
    return hits.size() == 1 ? Optional.of(stored(hits.getJsonObject(0), true)) : Optional.empty();
  }

  @Override
  public Optional<StoredReport> get(String idOrPrefix) throws IOException {
    if (idOrPrefix.length() < 6) {
      return Optional.empty();
    }
    String id = idOrPrefix.toLowerCase(Locale.ROOT);
    String kind = id.length() >= 32 ? "term" : "prefix";
    return one(Json.createObjectBuilder().add(kind, Json.createObjectBuilder().add("id", id)).build());
  }

  @Override
  public Optional<StoredReport> getAt(String source, long line) throws IOException {
    return one(Json.createObjectBuilder().add("bool", Json.createObjectBuilder().add("filter", Json.createArrayBuilder()
        .add(Json.createObjectBuilder().add("term", Json.createObjectBuilder().add("source", source.toLowerCase(Locale.ROOT))))
        .add(Json.createObjectBuilder().add("term", Json.createObjectBuilder().add("line", line))))).build());
  }

  @Override
  public ClusterListing clusters(boolean withCorrupted) throws IOException {
    clusters.loadPointers();
    String filter = withCorrupted ? "{\"match_all\":{}}" : "{\"term\":{\"corrupted\":\"false\"}}";
    List<ClusterSummary> out = listings.list(filter, clusters::root);
    long leftOut = 0;
    long clustersLeftOut = 0;
    if (!withCorrupted) {
      leftOut = count(Json.createObjectBuilder().add("term", Json.createObjectBuilder().add("corrupted", "true")).build());
      if (leftOut > 0) {
        Map<Long, ClusterSummary> all = new HashMap<>();
        clusters(true).clusters().forEach(c -> all.put(c.id(), c));
        List<ClusterSummary> withSetAside = new ArrayList<>(out.size());
        for (ClusterSummary c : out) {
          Set<String> intact = new HashSet<>(c.members());
          ClusterSummary full = all.remove(c.id());
          List<String> corrupted = full == null ? List.of()
              : full.members().stream().filter(m -> !intact.contains(m)).toList();
          withSetAside.add(corrupted.isEmpty() ? c : c.withCorruptedMembers(corrupted));
        }
        out = withSetAside;
        clustersLeftOut = all.size();
      }
    }
    return new ClusterListing(out, leftOut, clustersLeftOut);
  }

  /** A cluster as the clusterer sees it: its titles and keys, with those of the clusters merged into it. */
  @Override
  public Optional<Cluster.Snapshot> clusterDetail(long id) throws IOException {
    return clusters.snapshot(id);
  }

  @Override
  public Assignment explain(Report report) throws IOException {
    return clusters.explain(signer.sign(report));
  }

  @Override
  public List<Clusterer.Scored> similar(Report report, int k) throws IOException {
    return clusters.similar(signer.sign(report), k);
  }

  @Override
  public List<Clusterer.Scored> similar(StoredReport report, int k) throws IOException {
    if (report.report().isEmpty()) {
      return List.of(new Clusterer.Scored(report.clusterId(), 1.0, "its own cluster"));
    }
    List<Clusterer.Scored> out = new ArrayList<>();
    out.add(new Clusterer.Scored(report.clusterId(), 1.0, "its own cluster"));
    for (Clusterer.Scored s : clusters.similar(signer.sign(report.report().get()), k)) {
      if (s.clusterId() != report.clusterId() && out.size() < k) {
        out.add(s);
      }
    }
    return out;
  }

  /** The merge pass ({@link SharedClusters}): run by one process at a time. */
  @Override
  public MergeResult merge() throws IOException {
    if (!writable) {
      throw new IllegalStateException("store opened read-only");
    }
    commit();
    List<MergeResult.Merged> merges = new ArrayList<>();
    for (SharedClusters.Merge m : clusters.merge()) {
      merges.add(new MergeResult.Merged(m.cluster(), m.into(), m.score(), m.why()));
    }
    Rest.Answer a = rest.json("POST", "/" + prefix + "-clusters/_count", null);
    return new MergeResult(a.ok() ? a.object().getJsonNumber("count").longValue() : 0, merges);
  }

  @Override
  public List<String> frames(int handle) throws IOException {
    Rest.Answer a = rest.json("POST", "/" + prefix + "-stacks/_search",
        "{\"query\":{\"term\":{\"handle\":" + handle + "}},\"size\":1}");
    if (!a.ok()) {
      return List.of();
    }
    JsonArray hits = a.object().getJsonObject("hits").getJsonArray("hits");
    if (hits.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    hits.getJsonObject(0).getJsonObject("_source").getJsonArray("frames").forEach(f -> out.add(((JsonString) f).getString()));
    return out;
  }

  @Override
  public StoreStats stats() throws IOException {
    long reports = count(Json.createObjectBuilder().add("match_all", JsonValue.EMPTY_JSON_OBJECT).build());
    long bytes = 0;
    Rest.Answer st = rest.get("/" + prefix + "-*/_stats/store");
    if (st.ok()) {
      bytes = st.object().getJsonObject("_all").getJsonObject("primaries").getJsonObject("store")
          .getJsonNumber("size_in_bytes").longValue();
    }
    return new StoreStats(reports, clusters(true).clusters().size(), bytes, 0, depotStats());
  }

  @Override
  public DepotStats depotStats() throws IOException {
    Rest.Answer a = rest.json("POST", "/" + prefix + "-stacks/_count", null);
    long stacks = a.ok() ? a.object().getJsonNumber("count").longValue() : 0;
    return new DepotStats(stacks, 0, 0, 0, 0, stacks, 0, stacks, 0);
  }

  @Override
  public List<String> recoveries() {
    return List.of();
  }

  @Override
  public String location() {
    return rest.location();
  }

  /** Closes without committing: reports added since the last {@link #commit} are dropped. */
  @Override
  public void close() throws IOException {
    rest.close();
  }
}
