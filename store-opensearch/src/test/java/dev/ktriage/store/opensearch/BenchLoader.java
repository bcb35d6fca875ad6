package dev.ktriage.store.opensearch;

import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.signature.ReportFingerprint;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.model.Report;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.io.IOException;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Benchmark tool, not a test (used by {@code bench/opensearch/BulkLoad.java}): writes reports into a fresh
 * store's indices with the store's own documents ({@link ReportDocuments}: the same report JSON, search
 * fields, mapping and index template), skipping what a writer decides per report: a report's cluster is
 * the one its exact key opens ({@link SharedClusters#clusterId}), never the evidence tier's (near-duplicates
 * stay apart, as when two ingesters race: {@code merge} would join them), and there is no duplicate lookup.
 *
 * <p>Two modes. {@code reportsOnly}: nothing but {@code _bulk} {@code create}s of report documents, so that
 * the nodes' CPU per document is the floor of any ingest of these documents. Otherwise a whole store: the
 * reports, then per request the stacks, the touched clusters' counters and the new keys, written by the
 * store's {@link SharedClusters#write} exactly as a commit writes them, so that {@code search}, {@code
 * similar} and {@code clusters} run on it as on an ingested store.
 *
 * <p>Thread-safe: {@link #add} may be called from several threads; a full request is sent by the thread
 * that filled it.
 */
public final class BenchLoader implements AutoCloseable {
  /** A report ready to send. */
  private record Item(String id, String index, byte[] doc, long cluster, String exactKey, String tool, String bugClass,
      String title, long time, List<List<String>> stacks, Optional<JsonObject> key) {}

  private final Rest rest;
  private final String prefix;
  private final ReportDocuments documents;
  private final SharedClusters clusters;
  private final boolean reportsOnly;
  private final int docsPerRequest;
  private final List<Item> buffer = new ArrayList<>();
  private final Set<String> keysSeen = ConcurrentHashMap.newKeySet();
  private final AtomicLong created = new AtomicLong();
  private final AtomicLong conflicts = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicLong requests = new AtomicLong();

  private BenchLoader(Rest rest, String prefix, boolean reportsOnly, int docsPerRequest) {
    this.rest = rest;
    this.prefix = prefix;
    this.documents = new ReportDocuments(prefix);
    this.clusters = new SharedClusters(rest, prefix);
    this.reportsOnly = reportsOnly;
    this.docsPerRequest = docsPerRequest;
  }

  /**
   * Creates the store {@code prefix} as a writer does (template, clusters, keys, stacks and meta indices)
   * (or opens it, loading more into it) and this week's report index with {@code indexSettings} added to the template's (e.g. {@code
   * "refresh_interval":"-1"}; static settings such as {@code index.replication.type} only apply here).
   *
   * @param indexSettings JSON members of the report index's settings, without braces; empty for none
   */
  public static BenchLoader open(List<URI> urls, String prefix, int replicas, boolean reportsOnly, int docsPerRequest,
      String indexSettings) throws IOException, DepotException {
    OpenSearchStoreConfig cfg = new OpenSearchStoreConfig(urls, Optional.empty(), Optional.empty(), Optional.empty(),
        prefix);
    OpenSearchReportStore.open(cfg, ReportStore.Mode.READ_WRITE, replicas).close();
    Rest rest = new Rest(cfg);
    BenchLoader l = new BenchLoader(rest, prefix, reportsOnly, docsPerRequest);
    String index = l.documents.weekIndex(System.currentTimeMillis());
    Rest.Answer a = rest.json("PUT", "/" + index, "{\"settings\":{" + indexSettings + "}}");
    if (!a.ok() && !a.reason().startsWith("resource_already_exists_exception")) { // made by an earlier load: kept
      rest.close();
      throw new IOException("creating " + index + ": " + a.reason());
    }
    return l;
  }

  /** Makes a report's documents (the caller's thread pays for it) and sends a request when one is full. */
  public void add(Report r, Instant ingested) throws IOException {
    String id = ReportFingerprint.of(r);
    ReportDocuments.Prepared p = documents.prepare(r, ingested);
    String key = p.sig().exactKey();
    long cluster = SharedClusters.clusterId(key);
    boolean first = keysSeen.add(key);
    Assignment a = first ? new Assignment.NewCluster(cluster, key, OptionalLong.empty(), OptionalDouble.empty(), "")
        : new Assignment.ExactMatch(cluster, key);
    byte[] doc = documents.document(id, r, p, ingested, cluster, a);
    Optional<JsonObject> keyDoc = first && !reportsOnly
        ? Optional.of(clusters.keyDoc(cluster, p.sig(), r.title().title())) : Optional.empty();
    Item item = new Item(id, p.index(), doc, cluster, key, p.fields().tool(), p.fields().bugClass(), p.fields().title(),
        p.fields().time(), List.copyOf(p.stacks().values()), keyDoc);
    List<Item> full = null;
    synchronized (buffer) {
      buffer.add(item);
      if (buffer.size() >= docsPerRequest) {
        full = new ArrayList<>(buffer);
        buffer.clear();
      }
    }
    if (full != null) {
      write(full);
    }
  }

  private void write(List<Item> items) throws IOException {
    List<BulkBatch.Action> actions = new ArrayList<>(items.size());
    long size = 0;
    for (Item it : items) {
      actions.add(new BulkBatch.Action(BulkBatch.meta("create", it.index(), it.id()), it.doc()));
      size += it.doc().length;
    }
    // one request per docsPerRequest: no byte limit of its own (a node's indexing pressure limit answers 429)
    List<BulkBatch.Result> results = new BulkBatch(rest, "/_bulk", Long.MAX_VALUE).send(actions, "loading reports");
    requests.incrementAndGet();
    for (int i = 0; i < results.size(); i++) {
      BulkBatch.Result r = results.get(i);
      if (r.status() == 409) {
        conflicts.incrementAndGet();
      } else if (!r.ok()) {
        throw new IOException("report " + items.get(i).id() + " not stored: " + r.error());
      }
    }
    created.addAndGet(items.size());
    bytes.addAndGet(size);
    if (reportsOnly) {
      return;
    }
    synchronized (clusters) { // as a store's commits: one at a time
      List<List<String>> stacks = new ArrayList<>();
      items.forEach(it -> stacks.addAll(it.stacks()));
      for (BulkBatch.Result r : new BulkBatch(rest, "/_bulk").send(documents.stackActions(stacks), "loading stacks")) {
        if (!r.ok() && r.status() != 409) {
          throw new IOException("stacks not stored: " + r.error());
        }
      }
      clusters.write(touched(items));
    }
  }

  /** What the items add to each of their clusters (as the store's commit adds them up). */
  private static List<SharedClusters.Touched> touched(List<Item> items) {
    Map<Long, List<Item>> byCluster = new LinkedHashMap<>();
    items.forEach(it -> byCluster.computeIfAbsent(it.cluster(), k -> new ArrayList<>()).add(it));
    List<SharedClusters.Touched> out = new ArrayList<>(byCluster.size());
    for (var e : byCluster.entrySet()) {
      List<Item> its = e.getValue();
      Set<String> titles = new LinkedHashSet<>();
      its.forEach(it -> titles.add(it.title()));
      Item i0 = its.getFirst();
      out.add(new SharedClusters.Touched(e.getKey(), its.size(), its.stream().mapToLong(Item::time).min().orElse(0),
          its.stream().mapToLong(Item::time).max().orElse(0), titles, i0.exactKey(), i0.tool(), i0.bugClass(),
          i0.title(), its.stream().flatMap(it -> it.key().stream()).toList()));
    }
    return out;
  }

  /** Sends what is buffered, then refreshes the store's indices. */
  public void flush() throws IOException {
    List<Item> rest0;
    synchronized (buffer) {
      rest0 = new ArrayList<>(buffer);
      buffer.clear();
    }
    if (!rest0.isEmpty()) {
      write(rest0);
    }
    rest.json("POST", "/" + prefix + "-*/_refresh", null);
  }

  /** Waits until no merge runs on any node (at most {@code seconds}); whether they all ended. */
  public boolean settle(int seconds) throws IOException {
    for (int i = 0; i < seconds; i++) {
      Rest.Answer a = rest.get("/_nodes/stats/indices/merge");
      long running = 0;
      for (JsonValue n : a.object().getJsonObject("nodes").values()) {
        running += n.asJsonObject().getJsonObject("indices").getJsonObject("merges").getJsonNumber("current").longValue();
      }
      if (running == 0) {
        return true;
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }

  /** CPU milliseconds all the cluster's node processes have used so far ({@code _nodes/stats/process}). */
  public long nodesCpuMillis() throws IOException {
    Rest.Answer a = rest.get("/_nodes/stats/process");
    long sum = 0;
    for (JsonValue n : a.object().getJsonObject("nodes").values()) {
      sum += n.asJsonObject().getJsonObject("process").getJsonObject("cpu").getJsonNumber("total_in_millis").longValue();
    }
    return sum;
  }

  /** Report documents created so far, 409s among them, their bytes, and the {@code _bulk} requests of reports. */
  public long created() {
    return created.get();
  }

  public long conflicts() {
    return conflicts.get();
  }

  public long documentBytes() {
    return bytes.get();
  }

  public long requests() {
    return requests.get();
  }

  /** Primary store bytes of the store's indices. */
  public long primaryBytes() throws IOException {
    Rest.Answer st = rest.get("/" + prefix + "-*/_stats/store");
    return st.object().getJsonObject("_all").getJsonObject("primaries").getJsonObject("store")
        .getJsonNumber("size_in_bytes").longValue();
  }

  /** Closes without sending what is buffered ({@link #flush} first). */
  @Override
  public void close() throws IOException {
    rest.close();
  }
}
