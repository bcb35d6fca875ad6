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
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.reportjson.ReportJsonReader;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.IOException;
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
 * same time meet on the same cluster; each commit writes their counters ({@link SharedClusters}). The
 * stack depot is {@code <prefix>-stacks}, one document per distinct normalized stack keyed by its hash;
 * reports also carry their frames (there are no joins). The documents themselves are made by
 * {@link ReportDocuments}. Retention deletes whole weekly indices.
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
  private final ReportDocuments documents;
  private final ReportJsonReader jsonReader = new ReportJsonReader();
  private final List<Pending> pending = new ArrayList<>();
  private final Set<String> pendingIds = new HashSet<>();
  private final SharedClusters clusters;
  private final ClusterListings listings;
  /** Ids of the reports this writer committed or found stored (64 bits each), so that adding one again answers Duplicate. */
  private final SeenIds committed = new SeenIds();
  /** Adds answered Added whose create found the report stored by another writer ({@link #addedByAnotherWriter}). */
  private final java.util.concurrent.atomic.AtomicLong storedByOthers = new java.util.concurrent.atomic.AtomicLong();

  /** Health waits (30 s each) for a weekly index's primaries before a store call gives up. */
  private static final int HEALTH_WAITS = 4;
  /** Calls of a read that found shards without an active primary: the first and the retries after waiting. */
  private static final int SHARD_ATTEMPTS = 6;

  /** A report added and not yet committed. */
  private record Pending(String id, String index, String source, byte[] doc, long clusterId, String exactKey, String tool,
      String bugClass, String title, long time, Map<String, List<String>> stacks, Optional<JsonObject> key) {}

  private OpenSearchReportStore(Rest rest, String prefix, boolean writable, int replicas) {
    this.rest = rest;
    this.prefix = prefix;
    this.writable = writable;
    this.replicas = replicas;
    this.documents = new ReportDocuments(prefix);
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
    createIndex(prefix + "-keys", Mappings.keysIndex(replicas));
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
          BulkBatch.pause(attempt);
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

  @Override
  public IngestResult add(Report report, Instant ingested) throws IOException {
    if (!writable) {
      throw new IllegalStateException("store opened read-only");
    }
    String id = ReportFingerprint.of(report);
    synchronized (pendingIds) {
      if (pendingIds.contains(id)) {
        return new IngestResult.Duplicate(id);
      }
    }
    // A report this writer stored before answers Duplicate at once (the local set, confirmed by the cluster:
    // it keeps 64 bits of each id). Any other stored copy (another writer's, an earlier run's, one filed
    // under another week) is found by the commit's one lookup of all its ids, never by a request per report.
    if (committed.mightContain(id) && storedInAnyWeek(id)) {
      return new IngestResult.Duplicate(id);
    }
    ReportDocuments.Prepared prepared = documents.prepare(report, ingested);
    Signature sig = prepared.sig();
    SearchFields f = prepared.fields();
    SharedClusters.Decided decided = clusters.assign(sig, report.title().title(), report.title().alternatives());
    Assignment a = decided.assignment();
    long cluster = a.clusterId();
    Optional<JsonObject> key = decided.newKey()
        ? Optional.of(clusters.keyDoc(cluster, sig, report.title().title())) : Optional.empty();
    byte[] doc = documents.document(id, report, prepared, ingested, cluster, a);
    synchronized (pendingIds) {
      if (!pendingIds.add(id)) {
        return new IngestResult.Duplicate(id);
      }
      pending.add(new Pending(id, prepared.index(), report.source().path() + ":" + report.source().firstLine(), doc, cluster,
          sig.exactKey(), f.tool(), f.bugClass(), f.title(), f.time(), prepared.stacks(), key));
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
    return !storedAmong(List.of(id)).isEmpty();
  }

  /** Ids of one lookup at most (a search answers at most 10,000 hits). */
  private static final int LOOKUP_IDS = 5_000;

  /** Which of {@code ids} a committed report of any weekly index has: one {@code ids} search per 5,000. */
  private Set<String> storedAmong(List<String> ids) throws IOException {
    Set<String> found = new HashSet<>();
    String weeks = prefix + "-reports-*";
    for (int from = 0; from < ids.size(); from += LOOKUP_IDS) {
      JsonArrayBuilder values = Json.createArrayBuilder();
      ids.subList(from, Math.min(ids.size(), from + LOOKUP_IDS)).forEach(values::add);
      String body = Json.createObjectBuilder().add("size", LOOKUP_IDS).add("_source", false)
          .add("query", Json.createObjectBuilder().add("ids", Json.createObjectBuilder().add("values", values)))
          .build().toString();
      // partial results could miss the copy in a shard that did not answer: all shards, or an error
      Rest.Answer a = whenPrimariesActive(weeks, () -> rest.unlessServerError(rest.json("POST",
          "/" + weeks + "/_search?allow_partial_search_results=false", body)));
      if (!a.ok()) {
        throw new IOException("duplicate check failed: " + a.reason());
      }
      for (JsonValue h : a.object().getJsonObject("hits").getJsonArray("hits")) {
        found.add(h.asJsonObject().getString("_id"));
      }
    }
    return found;
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
    // stored by another writer or an earlier run since add() looked (add answered Added for them)
    Set<String> stored = storedAmong(batch.stream().map(Pending::id).toList());
    List<Pending> fresh = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (stored.contains(p.id())) {
        storedByOthers.incrementAndGet();
        committed.add(p.id());
      } else {
        fresh.add(p);
      }
    }
    List<Pending> created = bulkCreate(fresh);
    storeStacks(created);
    clusters.write(touched(created));
    rest.json("POST", "/" + prefix + "-reports-*," + prefix + "-clusters," + prefix + "-keys/_refresh", null);
    clusters.pullOthers();
  }

  /**
   * Writes the reports with {@code create}; 409 = already stored (by a re-run or another ingester).
   * Requests and items refused for load (429) or by an unavailable shard are retried ({@link BulkBatch});
   * any other failure is reported with the report's log location, and nothing is silently dropped.
   *
   * @return the reports this call stored
   */
  private List<Pending> bulkCreate(List<Pending> batch) throws IOException {
    List<BulkBatch.Action> actions = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      actions.add(new BulkBatch.Action(BulkBatch.meta("create", p.index(), p.id()), p.doc()));
    }
    List<BulkBatch.Result> results;
    try {
      results = new BulkBatch(rest, "/_bulk").send(actions, "storing reports");
    } catch (StoreUnavailableException e) {
      throw unavailable(batch.size() + " reports were not stored (first " + batch.getFirst().source() + "): "
          + e.getMessage() + "; " + RERUN, e);
    }
    List<Pending> created = new ArrayList<>();
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      BulkBatch.Result r = results.get(i);
      if (r.ok()) {
        created.add(p);
        committed.add(p.id());
      } else if (r.status() == 409) {
        // stored since the commit looked (another writer committed it first): add() answered Added for it
        storedByOthers.incrementAndGet();
        committed.add(p.id());
      } else {
        failures.add(p.source() + ": " + r.error());
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

  /** The depot: each distinct stack once ({@code create}; 409 = already there). */
  private void storeStacks(List<Pending> created) throws IOException {
    List<List<String>> stacks = new ArrayList<>();
    created.forEach(p -> stacks.addAll(p.stacks().values()));
    for (BulkBatch.Result r : new BulkBatch(rest, "/_bulk").send(documents.stackActions(stacks), "storing stacks")) {
      if (!r.ok() && r.status() != 409) {
        throw new IOException("storing stacks failed: " + r.error());
      }
    }
  }

  /** What the reports of a commit add to each of their clusters, in the order the clusters were first met. */
  private static List<SharedClusters.Touched> touched(List<Pending> created) {
    Map<Long, List<Pending>> byCluster = new LinkedHashMap<>();
    for (Pending p : created) {
      byCluster.computeIfAbsent(p.clusterId(), k -> new ArrayList<>()).add(p);
    }
    List<SharedClusters.Touched> out = new ArrayList<>(byCluster.size());
    for (var e : byCluster.entrySet()) {
      List<Pending> ps = e.getValue();
      Set<String> titles = new LinkedHashSet<>();
      ps.forEach(p -> titles.add(p.title()));
      List<JsonObject> keys = ps.stream().flatMap(p -> p.key().stream()).toList();
      Pending p0 = ps.getFirst();
      out.add(new SharedClusters.Touched(e.getKey(), ps.size(), ps.stream().mapToLong(Pending::time).min().orElse(0),
          ps.stream().mapToLong(Pending::time).max().orElse(0), titles, p0.exactKey(), p0.tool(), p0.bugClass(),
          p0.title(), keys));
    }
    return out;
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

  /** The facet dimensions as terms aggregations (inside the {@code facets} filter aggregation of a search). */
  private static final String FACET_AGGS = "{\"tool\":{\"terms\":{\"field\":\"tool\",\"size\":50}},"
      + "\"bugType\":{\"terms\":{\"field\":\"bugTypeKw\",\"size\":50}},"
      + "\"cluster\":{\"terms\":{\"field\":\"cluster\",\"size\":50}},"
      + "\"release\":{\"terms\":{\"field\":\"releaseKw\",\"size\":50}}}";

  /**
   * One {@code _search}: the query matches corrupted reports too; a {@code post_filter} keeps them out of
   * the hits and the total, a filter aggregation counts those left out, and the facets are a filter
   * aggregation over the kept ones (aggregations run before the post filter). The scores and the order are
   * the query's alone, as with the query and a {@code must_not} beside it.
   */
  @Override
  public SearchResult search(String query, int limit, boolean facets, boolean withReports, boolean withCorrupted)
      throws IOException, QuerySyntaxException {
    Query q = QueryLanguage.parse(query);
    clusters.loadPointers(); // cluster:N reads ids as they read after the merges
    JsonObject dsl = QueryDsl.of(q, clusters.merged());
    boolean setAside = !withCorrupted && !QueryLanguage.mentions(q, QueryLanguage.CORRUPTED);
    String corrupted = "{\"term\":{\"corrupted\":\"true\"}}";
    String kept = setAside ? "{\"bool\":{\"must_not\":" + corrupted + "}}" : "{\"match_all\":{}}";
    StringBuilder body = new StringBuilder("{\"query\":").append(dsl).append(",\"size\":").append(Math.max(0, limit))
        .append(",\"track_total_hits\":true,\"sort\":[\"_score\",{\"ingested\":\"asc\"}]");
    if (setAside) {
      body.append(",\"post_filter\":").append(kept);
    }
    if (!withReports) {
      body.append(',').append(SOURCE_LIGHT);
    }
    StringBuilder aggs = new StringBuilder();
    if (setAside) {
      aggs.append("\"setAside\":{\"filter\":").append(corrupted).append('}');
    }
    if (facets) {
      aggs.append(aggs.isEmpty() ? "" : ",").append("\"facets\":{\"filter\":").append(kept).append(",\"aggs\":")
          .append(FACET_AGGS).append('}');
    }
    if (!aggs.isEmpty()) {
      body.append(",\"aggs\":{").append(aggs).append('}');
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
    JsonObject answered = a.object().getJsonObject("aggregations");
    long leftOut = setAside && answered != null
        ? answered.getJsonObject("setAside").getJsonNumber("doc_count").longValue() : 0;
    Map<String, List<SearchResult.FacetCount>> counts = new LinkedHashMap<>();
    if (facets && answered != null) {
      JsonObject dims = answered.getJsonObject("facets");
      for (String dim : QueryLanguage.FACETS) {
        List<SearchResult.FacetCount> list = new ArrayList<>();
        for (JsonValue b : dims.getJsonObject(dim).getJsonArray("buckets")) {
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
