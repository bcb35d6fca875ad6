import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.eval.ClusterCorpusGenerator;
import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.SearchResult;
import dev.ktriage.depot.store.StoredReport;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * What a store makes of a fixed set of reports, as text, to compare two builds of the store: every report's
 * id, cluster and stored explanation in ingest order, the cluster listing, the hits of a set of searches in
 * order, and {@code similar}'s top clusters with their words. A change meant to make ingest cheaper without
 * changing what users get must leave this output byte for byte the same. Not a test: run
 * bench/depot/digest.sh (which builds) or this file on a class path with depot's test classes.
 *
 * <p>Reports: the testdata logs, the real corpora under ../shared/corpus (KUnit logs, the syzkaller and wild
 * report sets' logs) and the labeled-corpus generator's logs (seed 7), parsed by the product's parser,
 * ingested in one thread at fixed times.
 */
public final class StoreDigest {
  public static void main(String[] args) throws Exception {
    Path repo = Path.of(args[0]);
    Path shared = Path.of(args[1]);
    Path store = Path.of(args[2]);
    int generated = args.length > 3 ? Integer.parseInt(args[3]) : 400;
    PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
    Map<String, byte[]> logs = new TreeMap<>();
    try (Stream<Path> s = Files.walk(repo.resolve("testdata"))) {
      for (Path p : s.filter(x -> x.toString().endsWith(".log")).sorted().toList()) {
        logs.put(repo.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    try (Stream<Path> s = Files.list(shared.resolve("corpus/kunit"))) {
      for (Path p : s.filter(x -> x.toString().endsWith(".log")).sorted().toList()) {
        logs.put("kunit/" + p.getFileName(), Files.readAllBytes(p));
      }
    }
    for (String set : List.of("syzkaller", "wild")) {
      Path jsonl = shared.resolve("corpus/" + set + "/reports.jsonl");
      int i = 0;
      for (String line : Files.readAllLines(jsonl)) {
        String log = logOf(line);
        if (log != null) {
          logs.put(String.format("%s/%04d.log", set, i), log.getBytes(StandardCharsets.UTF_8));
        }
        i++;
      }
    }
    new ClusterCorpusGenerator(7, generated).generate().forEach((k, v) -> {
      if (k.endsWith(".log")) {
        logs.put("gen/" + k, v.getBytes(StandardCharsets.UTF_8));
      }
    });
    List<Report> reports = new ArrayList<>();
    KernelLogParser parser = new KernelLogParser();
    for (var e : logs.entrySet()) {
      parser.parse(new ByteArrayInputStream(e.getValue()), e.getKey(), reports::add);
    }
    // the report JSON as the store encodes it, hashed: the writer must give the same bytes
    var writer = new dev.ktriage.reportjson.ReportJsonWriter(new dev.ktriage.grammar.title.GuiltyFiles()::guiltyFile);
    var md = java.security.MessageDigest.getInstance("SHA-256");
    for (Report r : reports) {
      md.update(writer.toJsonUtf8(r));
    }
    out.println("report JSON sha256 " + java.util.HexFormat.of().formatHex(md.digest()));
    deleteTree(store);
    List<String> ids = new ArrayList<>();
    try (ReportStore s = ReportStore.open(store, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      Instant t = Instant.parse("2026-01-01T00:00:00Z");
      int n = 0;
      for (Report r : reports) {
        IngestResult res = s.add(r, t.plusMillis(n++));
        if (res instanceof IngestResult.Added a) {
          ids.add(a.id());
        } else {
          out.println("duplicate " + res);
        }
        if (n % 500 == 0) {
          s.commit();
        }
      }
      s.commit();
      out.println("reports " + reports.size() + ", added " + ids.size());
      for (String id : ids) {
        StoredReport sr = s.get(id).orElseThrow();
        out.println("report " + id + " cluster " + sr.clusterId() + " | " + sr.assignment());
      }
      for (var c : s.clusters(true).clusters()) {
        out.println("cluster " + c);
      }
      for (String q : List.of("kasan", "ext4", "use-after-free", "io_uring", "function:kfree", "title:\"data-race\"",
          "file:mm/*", "bugType:slab-out-of-bounds AND tool:kasan", "size:[4 TO 16]", "guilty:*", "net/",
          "corrupted:true", "kunit_try_run_case", "release:6.*", "warning", "lockdep", "task:syz-executor*")) {
        SearchResult r = s.search(q, 40, true, false, true);
        out.println("search " + q + " total " + r.total() + " facets " + r.facets());
        for (StoredReport h : r.hits()) {
          out.println("  " + h.id() + " " + h.clusterId());
        }
      }
      for (int i = 0; i < ids.size(); i += Math.max(1, ids.size() / 200)) {
        StoredReport sr = s.get(ids.get(i)).orElseThrow();
        List<Clusterer.Scored> sim = s.similar(sr, 5);
        out.println("similar " + ids.get(i) + " " + sim);
      }
    }
    out.flush();
  }

  /** The "log" string of one JSON line, or null. */
  private static String logOf(String line) throws Exception {
    try (var p = new tools.jackson.core.json.JsonFactory().createParser(tools.jackson.core.ObjectReadContext.empty(),
        line)) {
      p.nextToken();
      while (p.nextToken() == tools.jackson.core.JsonToken.PROPERTY_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (name.equals("log") && p.currentToken() == tools.jackson.core.JsonToken.VALUE_STRING) {
          return p.getString();
        }
        p.skipChildren();
      }
    }
    return null;
  }

  private static void deleteTree(Path p) throws java.io.IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var w = Files.walk(p)) {
      for (Path x : w.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
