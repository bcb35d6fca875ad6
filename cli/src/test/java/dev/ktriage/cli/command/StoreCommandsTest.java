package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.Run;
import dev.ktriage.depot.store.ReportStore;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store commands as a black box: exit code, stdout, stderr. */
class StoreCommandsTest {
  static final Path ROOT = Path.of(System.getProperty("ktriage.root", ".."));
  static final Path LOGS = ROOT.resolve("testdata/clusters/logs");

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    System.arraycopy(args, 0, all, 0, args.length);
    all[args.length] = "--store";
    all[args.length + 1] = tmp.resolve("store").toString();
    int code = Ktriage.run(all, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private static long labeledReports() throws Exception {
    return Files.readAllLines(ROOT.resolve("testdata/clusters/labels.tsv")).stream()
        .filter(l -> !l.startsWith("#") && !l.isBlank()).count();
  }

  @Test
  void ingestThenReingestAddsNothing() throws Exception {
    long n = labeledReports();
    Run first = run("ingest", "--no-progress", LOGS.toString());
    assertEquals(0, first.code(), first.err());
    Matcher m = Pattern.compile("ingested (\\d+) reports from 80 files in [\\d.]+ s: (\\d+) new, 0 already stored; (\\d+) new clusters")
        .matcher(first.out());
    assertTrue(m.find(), first.out());
    assertEquals(n, Long.parseLong(m.group(1)));
    assertEquals(n, Long.parseLong(m.group(2)));
    long clusters = Long.parseLong(m.group(3));
    Run again = run("ingest", "--no-progress", "--format", "json", LOGS.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains("\"new\":0,\"alreadyStored\":" + n + ",\"newClusters\":0"), again.out());
    Run list = run("clusters", "--format", "jsonl");
    assertEquals(0, list.code(), list.err());
    List<String> lines = list.out().lines().toList();
    assertEquals(clusters, lines.size());
    long members = 0;
    for (String l : lines) {
      Matcher r = Pattern.compile("\"reports\":(\\d+)").matcher(l);
      assertTrue(r.find());
      members += Long.parseLong(r.group(1));
      assertTrue(l.contains("\"members\":[\"") && l.contains(".log:"), l);
    }
    assertEquals(n, members);
    assertEquals("", list.err());
  }

  @Test
  void everyTestdataLogIngestsAndTheStoreReopensClean() throws Exception {
    // testdata/logs holds every format variant, corrupted and cut-off reports, reports without a
    // stack: writing the cluster state must cope with all of them (it once failed on stackless ones)
    Run r = run("ingest", "--no-progress", ROOT.resolve("testdata/logs").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().matches("(?s)ingested \\d+ reports from \\d+ files.*"), r.out());
    assertEquals("", r.err());
    // the golden .json files beside the logs are not read: no title carries JSON
    Run all = run("search", "-n", "100000", "--format", "jsonl");
    assertEquals(0, all.code(), all.err());
    assertFalse(all.out().contains(".json:"), all.out());
    assertFalse(all.out().contains("\\\",\\\"access\\\":"), all.out());
    assertFalse(Files.exists(tmp.resolve("store/clusters.state.tmp")));
    // the state written is the state read: no rebuild note on the next open
    Run again = run("ingest", "--no-progress", ROOT.resolve("testdata/logs").toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains(": 0 new,"), again.out());
    assertEquals("", again.err());
  }

  @Test
  void searchShowSimilarAndStats() throws Exception {
    assertEquals(0, run("ingest", "--no-progress", LOGS.toString()).code());
    Run s = run("search", "tool:kcsan", "AND", "title:\"data-race\"", "-n", "2");
    assertEquals(0, s.code(), s.err());
    assertTrue(s.out().matches("(?s)\\d+ reports \\(showing 2\\)\n.*"), s.out());
    String id = s.out().lines().skip(1).findFirst().orElseThrow().substring(0, 12);
    Run show = run("show", id, "--explain");
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("title     KCSAN: data-race in "), show.out());
    assertTrue(show.out().contains("why       "), show.out());
    Run json = run("show", id, "--format", "json");
    assertTrue(json.out().contains("\"report\":{\"schema\":\"ktriage.report.v1\""), json.out());
    Run cluster = run("show", "c1");
    assertEquals(0, cluster.code(), cluster.err());
    assertTrue(cluster.out().startsWith("cluster 1: "), cluster.out());
    Run missing = run("show", "c99999");
    assertEquals(2, missing.code());
    assertEquals("ktriage: no cluster 99999\n", missing.err());
    Run bad = run("search", "title:(unbalanced");
    assertEquals(2, bad.code());
    assertTrue(bad.err().startsWith("ktriage: bad query: "), bad.err());
    assertEquals(1, bad.err().lines().count());
    // queries that could only ever match nothing because of how they are written: exit 2, one line
    for (String q : new String[] {"funtion:ext4_*", "size:eight", "\"--\"", "function:/ext4_.+/"}) {
      Run r = run("search", q);
      assertEquals(2, r.code(), q + ": " + r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
    assertTrue(run("search", "/xattr.+/").err().startsWith("ktriage: bad query: regular expressions are not supported: "
        + "/xattr.+/ (use wildcards"));
    // paths as typed (regular expressions are refused, above)
    assertEquals(0, run("search", "file:lib/iov_iter.c").code());
    assertEquals(0, run("search", "file:fs/ext4/*", "OR", "file:drivers/usb/").code());
    Run facets = run("search", "--facets", "-n", "0", "--format", "jsonl");
    assertTrue(facets.out().contains("\"facets\":{\"tool\":{"), facets.out());
    Run similar = run("similar", LOGS.resolve("000.log").toString(), "-k", "2");
    assertEquals(0, similar.code(), similar.err());
    assertTrue(similar.out().contains(" 1. cluster "), similar.out());
    assertTrue(similar.out().contains("score 1.000"), "a stored report's own cluster is an exact match: " + similar.out());
    Run stats = run("depot", "stats", "--format", "json");
    assertEquals(0, stats.code(), stats.err());
    assertTrue(stats.out().contains("\"reports\":" + labeledReports()), stats.out());
  }

  @Test
  void readingAMissingStoreSaysSoAndReadsEmpty() {
    Run r = run("search", "tool:kasan");
    assertEquals(0, r.code());
    assertEquals("0 reports\n", r.out());
    assertEquals("ktriage: note: no store at " + tmp.resolve("store") + " yet (ingest creates one); reading it as empty\n",
        r.err());
    assertFalse(Files.exists(tmp.resolve("store")), "a reader must not create the store");
    assertEquals(0, run("ingest", "--no-progress", LOGS.resolve("000.log").toString()).code());
    assertEquals("", run("clusters").err());
  }

  @Test
  void aLockedStoreIsOneLineAndExit3() throws Exception {
    Path store = tmp.resolve("store");
    try (ReportStore writer = ReportStore.open(store, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      Run r = run("ingest", "--no-progress", LOGS.resolve("000.log").toString());
      assertEquals(3, r.code());
      assertEquals("ktriage: store " + store + " is in use by another writer\n", r.err());
      assertEquals("", r.out());
      Run gc = run("gc", "--max-reports", "1");
      assertEquals(3, gc.code());
      // readers are not blocked by a writer
      assertEquals(0, run("clusters").code());
    }
    assertEquals(0, run("ingest", "--no-progress", LOGS.resolve("000.log").toString()).code());
  }

  @Test
  void anotherSchemaIsRefusedWithExit3() throws Exception {
    assertEquals(0, run("ingest", "--no-progress", LOGS.resolve("000.log").toString()).code());
    try (var dir = org.apache.lucene.store.FSDirectory.open(tmp.resolve("store/index"));
        var w = new org.apache.lucene.index.IndexWriter(dir, new org.apache.lucene.index.IndexWriterConfig()
            .setOpenMode(org.apache.lucene.index.IndexWriterConfig.OpenMode.APPEND))) {
      w.setLiveCommitData(Map.of("ktriage.schema", "99").entrySet());
      w.commit();
    }
    Run r = run("search", "tool:kasan");
    assertEquals(3, r.code());
    assertTrue(r.err().matches("ktriage: .*index: schema version 99 \\(this ktriage reads version \\d+\\)\n"), r.err());
  }

  @Test
  void anUnreachableClusterIsOneLineAndExit3() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ktriage.run(new String[] {"search", "tool:kasan", "--store", "http://127.0.0.1:9"}, new PrintWriter(out),
        new PrintWriter(err));
    assertEquals(3, code, err.toString());
    assertTrue(err.toString().matches("ktriage: http://127\\.0\\.0\\.1:9: unreachable \\(.*\\)\n"), err.toString());
  }

  @Test
  void gcReleasesStacks() throws Exception {
    assertEquals(0, run("ingest", "--no-progress", LOGS.toString()).code());
    // --dry-run says what would go and changes nothing
    Run dry = run("gc", "--max-reports", "100", "--dry-run");
    assertEquals(0, dry.code(), dry.err());
    assertEquals("would remove " + (labeledReports() - 100) + " of " + labeledReports()
        + " reports (dry run: nothing was changed)\n", dry.out());
    Run dryAll = run("gc", "--older-than", "0d", "-n");
    assertEquals("would remove " + labeledReports() + " of " + labeledReports()
        + " reports (dry run: nothing was changed)\n", dryAll.out());
    Run dryNone = run("gc", "--older-than", "36500d", "--dry-run");
    assertTrue(dryNone.out().startsWith("would remove 0 of "), dryNone.out());
    assertTrue(run("depot", "stats", "--format", "json").out().contains("\"reports\":" + labeledReports() + ","));
    Run gc = run("gc", "--max-reports", "100");
    assertEquals(0, gc.code(), gc.err());
    Matcher m = Pattern.compile("removed (\\d+) reports, freed (\\d+) stacks; 100 reports in \\d+ clusters remain").matcher(gc.out());
    assertTrue(m.find(), gc.out());
    assertEquals(labeledReports() - 100, Long.parseLong(m.group(1)));
    Run all = run("gc", "--older-than", "0d");
    assertEquals(0, all.code(), all.err());
    Run stats = run("depot", "stats", "--format", "json");
    assertTrue(stats.out().contains("\"reports\":0,") && stats.out().contains("\"stacks\":0,"), stats.out());
    Run usage = run("gc");
    assertEquals(2, usage.code());
  }

  @Test
  void aBinaryFileIsANoteNotAFailure() throws Exception {
    // A core dump or disk image in a crash directory: say so, as parse does, and go on (exit 0).
    byte[] noise = new byte[200_000];
    new java.util.Random(5).nextBytes(noise);
    Path bin = Files.write(tmp.resolve("vmcore.bin"), noise);
    Path dir = Files.createDirectories(tmp.resolve("dir"));
    Files.copy(LOGS.resolve("000.log"), dir.resolve("000.log"));
    Files.copy(bin, dir.resolve("vmcore.bin"));
    Run r = run("ingest", "--no-progress", bin.toString(), dir.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("ktriage: note: " + bin + ": binary data, not a text log; no reports in it\n"
        + "ktriage: note: " + dir.resolve("vmcore.bin") + ": binary data, not a text log; no reports in it\n", r.err());
    assertTrue(r.out().startsWith("ingested ") && r.out().contains(" reports from 3 files"), r.out());
    // A text log with no report in it is not binary: nothing to say.
    Path quiet = Files.writeString(tmp.resolve("quiet.log"), "[    0.000000] Linux version 6.1.0\n");
    Run q = run("ingest", "--no-progress", quiet.toString());
    assertEquals(0, q.code(), q.err());
    assertEquals("", q.err());
  }

  @Test
  void directoriesCompressionAndSyzkallerCrashDirs() throws Exception {
    Path crash = tmp.resolve("workdir/crashes/0123abcd");
    Files.createDirectories(crash);
    Files.writeString(crash.resolve("description"), "whatever title\n");
    Files.copy(LOGS.resolve("000.log"), crash.resolve("report0"));
    Files.copy(LOGS.resolve("000.log"), crash.resolve("log0"));
    Files.writeString(crash.resolve("repro.prog"), "r0 = openat(...)\n");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(tmp.resolve("workdir/other.log.gz")))) {
      o.write(Files.readAllBytes(LOGS.resolve("001.log")));
    }
    long in000 = Files.readAllLines(ROOT.resolve("testdata/clusters/labels.tsv")).stream()
        .filter(l -> l.startsWith("logs/000.log\t")).count();
    long in001 = Files.readAllLines(ROOT.resolve("testdata/clusters/labels.tsv")).stream()
        .filter(l -> l.startsWith("logs/001.log\t")).count();
    Run r = run("ingest", "--no-progress", tmp.resolve("workdir").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("ingested " + (in000 + in001) + " reports from 2 files"), r.out());
    Run missing = run("ingest", tmp.resolve("nope.log").toString());
    assertEquals(2, missing.code());
    assertEquals("ktriage: " + tmp.resolve("nope.log") + ": no such file or directory\n", missing.err());
    assertFalse(missing.err().contains("Exception"));
  }

  @Test
  void ingestWithVmlinuxStoresSymbolizedReportsOnce() throws Exception {
    String log = KfixTruth.testdata("kasan-x86.log").toString();
    String vmlinux = KfixTruth.fixture(KfixTruth.VMLINUX).toString();
    Run r = run("ingest", "--no-progress", "--vmlinux", vmlinux, "--no-cache", "--raw-paths", log);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().startsWith("ingested 1 reports from 1 files") && r.out().contains(": 1 new,"), r.out());
    // the store keeps the symbolized report: what parse --vmlinux prints
    dev.ktriage.cli.Run parsed = dev.ktriage.cli.Run.of(new String[] {"parse", "--format", "json", "--vmlinux", vmlinux, "--no-cache", "--raw-paths", log});
    Run search = run("search", "--format", "json", "tool:kasan");
    assertEquals(0, search.code(), search.err());
    Matcher id = Pattern.compile("\"id\":\"([0-9a-f]{32})\"").matcher(search.out());
    assertTrue(id.find(), search.out());
    Run show = run("show", "--format", "json", id.group(1));
    assertEquals(0, show.code(), show.err());
    assertTrue(show.out().contains("\"file\":\"") && show.out().contains("\"inlined\":[{"), show.out());
    String firstFile = Pattern.compile("\"file\":\"[^\"]+\"").matcher(parsed.out()).results().findFirst()
        .orElseThrow().group();
    assertTrue(show.out().contains(firstFile), firstFile + " in " + show.out());
    // the same log again, without --vmlinux: the same report, not a new one
    Run again = run("ingest", "--no-progress", log);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.out().contains(": 0 new, 1 already stored"), again.out());
    // a vmlinux that is not one fails before the store is touched
    Run bad = run("ingest", "--no-progress", "--vmlinux", log, log);
    assertEquals(2, bad.code(), bad.err());
    assertTrue(bad.err().contains("not an ELF file"), bad.err());
  }
}
