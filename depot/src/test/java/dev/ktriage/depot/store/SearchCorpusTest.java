package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import java.util.Locale;

/**
 * Search as a triager uses it, over the real reports of {@code ../shared/corpus} (syzkaller's report
 * tests and reports posted in the wild), stored by the store as ingest stores them:
 * <ul>
 *   <li>every report is found by {@code guilty:} with its title's function, and by free text with the
 *       function its header names;
 *   <li>free text, paths and fields behave as docs/store.md says (checked against the reports themselves);
 *   <li>a golden list of triager queries ({@code testdata/search/corpus-queries.txt}: query, number of
 *       hits, the best hits in order) catches any change in what they find; {@code -Dktriage.update=true}
 *       rewrites it, and the diff is reviewed as code.
 * </ul>
 * Skipped, with a message, when the shared corpus is absent.
 */
class SearchCorpusTest {
  private static final boolean UPDATE = Boolean.getBoolean("ktriage.update");
  private static final Path ROOT = Path.of(System.getProperty("ktriage.root", "..")).toAbsolutePath().normalize();
  private static final Path GOLDEN = ROOT.resolve("testdata/search/corpus-queries.txt");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static Path dir;
  private static ReportStore store;
  private static final List<Report> reports = new ArrayList<>();

  @BeforeAll
  static void ingest() throws Exception {
    Path corpus = ROOT.resolve("../shared/corpus").normalize();
    if (!Files.isRegularFile(corpus.resolve("syzkaller/reports.jsonl"))) {
      String why = "shared corpus not found at " + corpus + " (search corpus tests skipped)";
      System.err.println("SKIPPED: " + why);
      abort(why);
    }
    ObjectMapper mapper = new ObjectMapper();
    KernelLogParser parser = new KernelLogParser();
    Set<String> fingerprints = new java.util.HashSet<>();
    for (String[] set : new String[][] {{"syzkaller", "log"}, {"wild", "raw"}}) {
      for (String line : Files.readAllLines(corpus.resolve(set[0] + "/reports.jsonl"), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = mapper.readTree(line);
        JsonNode text = n.get(set[1]);
        if (text == null || text.isNull()) {
          continue;
        }
        for (Report r : parser.parse(text.asString(), set[0] + "/" + n.get("id").asString())) {
          // The store keeps one copy of a report printed twice (same fingerprint); so do the expectations.
          if (fingerprints.add(dev.ktriage.depot.signature.ReportFingerprint.of(r))) {
            reports.add(r);
          }
        }
      }
    }
    assertTrue(reports.size() > 150, "reports parsed from the corpus: " + reports.size());
    dir = Files.createTempDirectory("ktriage-search-corpus");
    store = ReportStore.open(dir, ReportStore.Mode.READ_WRITE, Duration.ZERO);
    for (int i = 0; i < reports.size(); i++) {
      store.add(reports.get(i), T0.plusSeconds(60L * i));
    }
    store.commit();
  }

  @AfterAll
  static void close() throws IOException {
    if (store != null) {
      store.close();
    }
  }

  private static String loc(Report r) {
    return r.source().path() + ":" + r.source().firstLine();
  }

  private static Set<String> hits(String query) throws Exception {
    Set<String> out = new LinkedHashSet<>();
    for (StoredReport h : store.search(query, 100_000, false, false, true).hits()) {
      out.add(h.location());
    }
    return out;
  }

  @Test
  void everyReportIsFoundByItsTitlesFunction() throws Exception {
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (Report r : reports) {
      if (r.title().guiltyFrame().isEmpty()) {
        continue;
      }
      checked++;
      String q = "guilty:" + QueryParser.escape(r.title().guiltyFrame().get());
      if (!hits(q).contains(loc(r))) {
        missed.add(loc(r) + " " + q);
      }
    }
    assertTrue(checked > 100, "reports with a guilty frame: " + checked);
    assertEquals(List.of(), missed);
  }

  private static final Pattern HEADER_FUNCTION = Pattern.compile(" in ([A-Za-z_][A-Za-z0-9_.]*)");

  @Test
  void everyReportIsFoundByTheFunctionItsHeaderNames() throws Exception {
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (Report r : reports) {
      Matcher m = HEADER_FUNCTION.matcher(r.header());
      if (!m.find()) {
        continue;
      }
      checked++;
      String q = QueryParser.escape(m.group(1));
      if (!hits(q).contains(loc(r))) {
        missed.add(loc(r) + " " + q);
      }
    }
    assertTrue(checked > 100, "reports whose header names a function: " + checked);
    assertEquals(List.of(), missed);
  }

  @Test
  void everyReportIsFoundByTheFileItsHeaderNames() throws Exception {
    // WARNING: fs/ext4/xattr.c:1058 at ..., kernel BUG at mm/slub.c:3912!, BUG: KASAN: ... in f+0x1/0x2 fs/x.c:12
    List<String> missed = new ArrayList<>();
    int checked = 0;
    for (Report r : reports) {
      var file = GuiltyFiles.headerFile(r.header());
      if (file.isEmpty()) {
        continue;
      }
      checked++;
      String q = "file:" + QueryParser.escape(file.get());
      if (!hits(q).contains(loc(r))) {
        missed.add(loc(r) + " " + q);
      }
    }
    assertTrue(checked > 10, "reports whose header names a source file: " + checked);
    assertEquals(List.of(), missed);
  }

  @Test
  void wordsFindIdentifiersAndPathsAndTheTitleComesFirst() throws Exception {
    // every report whose title or access stack names ext4 code is found by the word, title ones first
    Set<String> ext4 = hits("ext4");
    List<String> titled = new ArrayList<>();
    for (Report r : reports) {
      boolean inTitle = r.title().title().toLowerCase(Locale.ROOT).contains("ext4");
      boolean inStack = accessFunctions(r).stream().anyMatch(f -> f.startsWith("ext4_"));
      if (inTitle || inStack) {
        assertTrue(ext4.contains(loc(r)), "ext4 misses " + loc(r));
      }
      if (inTitle && !r.corrupted()) {
        titled.add(loc(r));
      }
    }
    assertTrue(titled.size() >= 2, "corpus reports with ext4 in the title: " + titled);
    List<String> ranked = store.search("ext4", titled.size(), false).hits().stream().map(StoredReport::location).toList();
    assertEquals(Set.copyOf(titled), Set.copyOf(ranked), "title matches rank first");
    // io_uring: identifier parts, adjacent
    Set<String> io = hits("io_uring");
    for (Report r : reports) {
      if (accessFunctions(r).stream().anyMatch(f -> f.startsWith("io_uring_"))) {
        assertTrue(io.contains(loc(r)), "io_uring misses " + loc(r));
      }
    }
    // paths as typed
    Set<String> files = new LinkedHashSet<>();
    for (Report r : reports) {
      if (frames(r).stream().anyMatch(f -> f.location().map(l -> l.file().startsWith("fs/ext4/")).orElse(false))
          || GuiltyFiles.headerFile(r.header()).map(f -> f.startsWith("fs/ext4/")).orElse(false)) {
        files.add(loc(r));
      }
    }
    assertTrue(!files.isEmpty(), "no corpus report prints fs/ext4/ files");
    assertEquals(files, Set.copyOf(hits("file:fs/ext4/*")));
    assertEquals(files, Set.copyOf(hits("file:fs/ext4/")));
  }

  private static List<Frame> frames(Report r) {
    List<Frame> out = new ArrayList<>();
    for (Stack s : r.stacks()) {
      out.addAll(s.frames());
    }
    return out;
  }

  /** The access stacks' functions that are the report's text: the first few, normalized. */
  private static List<String> accessFunctions(Report r) {
    List<String> out = new ArrayList<>();
    for (var e : new dev.ktriage.depot.signature.Signer().normalize(r).entrySet()) {
      if (e.getKey() == StackRole.ACCESS || e.getKey() == StackRole.RACE_1 || e.getKey() == StackRole.RACE_2) {
        e.getValue().stream().limit(SearchFields.TEXT_FRAMES).forEach(f -> out.add(f.function()));
      }
    }
    return out;
  }

  @Test
  void corruptedReportsAreOutOfTheWayButCounted() throws Exception {
    long corrupted = reports.stream().filter(Report::corrupted).count();
    assertTrue(corrupted > 0, "the corpus has corrupted reports");
    SearchResult all = store.search("", 1, false);
    assertEquals(reports.size() - corrupted, all.total());
    assertEquals(corrupted, all.corruptedLeftOut());
    assertEquals(corrupted, store.search("corrupted:true", 1, false).total());
    assertEquals(reports.size(), store.search("", 1, false, false, true).total());
    ClusterListing listing = store.clusters(false);
    assertEquals(corrupted, listing.corruptedReportsLeftOut());
    assertEquals(reports.size() - corrupted, listing.clusters().stream().mapToLong(ClusterSummary::reports).sum());
  }

  /** The queries a triager types, by function, file, subsystem word, bug type, release, time and cluster. */
  private static final List<String> QUERIES = List.of(
      "ext4", "io_uring", "binder", "usb", "bluetooth", "xattr", "netfilter OR nf_tables", "\"use-after-free\"",
      "guilty:ext4_xattr_set_entry", "function:ext4_*", "function:*xattr*", "file:fs/ext4/*", "file:lib/iov_iter.c",
      "file:drivers/usb/", "file:net/", "bugType:slab-use-after-free", "bugType:*out-of-bounds AND op:write",
      "bugClass:invalid-free", "tool:kcsan", "tool:kcsan AND guilty:*", "size:[8 TO 16]", "release:6.*",
      "release:4.* AND tool:kasan", "time:[2026-01-01T00:00:00 TO 2026-01-01T02:00:00]", "cluster:1",
      "cluster:[1 TO 3]", "arch:arm64", "task:syz*", "module:*", "corrupted:true AND tool:kasan",
      "title:\"KASAN: null-ptr-deref\"", "sock AND kfree");

  @Test
  void triagerQueriesFindWhatTheyFoundBefore() throws Exception {
    StringBuilder now = new StringBuilder("# query <TAB> hits <TAB> the best 8, in order (SearchCorpusTest; -Dktriage.update=true rewrites)\n");
    for (String q : QUERIES) {
      SearchResult r = store.search(q, 8, false);
      now.append(q).append('\t').append(r.total()).append('\t')
          .append(String.join(" ", r.hits().stream().map(StoredReport::location).toList())).append('\n');
    }
    if (UPDATE) {
      Files.createDirectories(GOLDEN.getParent());
      Files.writeString(GOLDEN, now.toString(), StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.exists(GOLDEN), GOLDEN + " missing; run with -Dktriage.update=true and review it");
    assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), now.toString());
  }
}
