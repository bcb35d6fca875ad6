package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The exit-code table of docs/cli.md is what the commands do: each documented error, walked through
 * each command it applies to, gives its code and one line on stderr ({@code ktriage: ...}, naming
 * the file where there is one), never a stack trace. The table's codes are read from the document, so
 * a code added there without a case here fails.
 */
class ExitCodeTableTest {
  @TempDir static Path tmp;

  /** A documented error, a command line that meets it, and how many lines stderr says (notes aside). */
  record Case(int code, String error, String command, List<String> args, String named, int lines) {
    Case(int code, String error, String command, List<String> args, String named) {
      this(code, error, command, args, named, 1);
    }
  }

  private static final List<String> STORE_READERS = List.of("clusters", "search", "show", "similar", "depot");
  private static final List<String> STORE_WRITERS = List.of("ingest", "gc", "merge");

  /** Codes the table documents that no in-process command line can meet, and why. */
  private static final Map<Integer, String> NOT_WALKED = Map.of(
      70, "an internal error is a bug, and running out of memory needs a heap too small for the test JVM",
      130, "an interrupt is a signal to a process (Ctrl-C)");

  private static List<String> storeArgs(String command, Path store, Path log) {
    return storeArgs(command, store.toString(), log);
  }

  private static List<String> storeArgs(String command, String store, Path log) {
    List<String> a = new ArrayList<>();
    switch (command) {
      case "depot" -> a.addAll(List.of("depot", "stats"));
      case "search" -> a.addAll(List.of("search", "bugType:*"));
      case "show" -> a.addAll(List.of("show", "1"));
      case "similar" -> a.addAll(List.of("similar", log.toString()));
      case "ingest" -> a.addAll(List.of("ingest", "--no-progress", log.toString()));
      case "gc" -> a.addAll(List.of("gc", "--max-reports", "1"));
      default -> a.add(command);
    }
    a.addAll(List.of("--store", store));
    return a;
  }

  private static List<Case> cases;
  private static org.apache.lucene.index.IndexWriter lockHolder;

  @org.junit.jupiter.api.AfterAll
  static void releaseLock() throws IOException {
    if (lockHolder != null) {
      lockHolder.rollback();
    }
  }

  static synchronized List<Case> cases() throws IOException {
    if (cases == null) {
      cases = makeCases();
    }
    return cases;
  }

  private static List<Case> makeCases() throws IOException {
    Path log = TestLogs.root().resolve("testdata/demo/syzkaller-console.log");
    Path missing = tmp.resolve("no-such.log");
    Path notElf = Files.writeString(tmp.resolve("not-elf"), "this is not an ELF file\n");
    Path badGz = tmp.resolve("bad.log.gz");
    Files.write(badGz, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9});
    Path good = tmp.resolve("good-store");
    Run ingest = Run.of("ingest", "--no-progress", "--store", good.toString(), log.toString());
    assertEquals(0, ingest.code(), ingest.stderr());

    // damaged: a flipped byte in a stored-fields file; another schema: a store whose commit says 99
    Path damaged = copy(good, tmp.resolve("damaged-store"));
    Path fdt;
    try (Stream<Path> s = Files.list(damaged.resolve("index"))) {
      fdt = s.filter(p -> p.toString().endsWith(".fdt")).findFirst().orElseThrow();
    }
    try (RandomAccessFile f = new RandomAccessFile(fdt.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 1);
    }
    // a missing store file: the commit point (segments_N) deleted, as the probe of issue 19 did
    Path noCommit = copy(good, tmp.resolve("no-commit-store"));
    Path segments;
    try (Stream<Path> s = Files.list(noCommit.resolve("index"))) {
      segments = s.filter(p -> p.getFileName().toString().startsWith("segments_")).findFirst().orElseThrow();
    }
    Files.delete(segments);
    Path otherSchema = copy(good, tmp.resolve("schema-store"));
    try (var dir = org.apache.lucene.store.FSDirectory.open(otherSchema.resolve("index"));
        var w = new org.apache.lucene.index.IndexWriter(dir, new org.apache.lucene.index.IndexWriterConfig()
            .setOpenMode(org.apache.lucene.index.IndexWriterConfig.OpenMode.APPEND))) {
      w.setLiveCommitData(Map.of("ktriage.schema", "99").entrySet());
      w.commit();
    }

    // locked: another writer holds the index's write lock (a second IndexWriter, open until the class ends)
    Path locked = copy(good, tmp.resolve("locked-store"));
    lockHolder = new org.apache.lucene.index.IndexWriter(org.apache.lucene.store.FSDirectory.open(locked.resolve("index")),
        new org.apache.lucene.index.IndexWriterConfig().setOpenMode(org.apache.lucene.index.IndexWriterConfig.OpenMode.APPEND));
    // an OpenSearch store nobody answers at (port 1 of this host: connection refused at once)
    String unreachable = "https://127.0.0.1:1";

    List<Case> cases = new ArrayList<>();
    for (String c : List.of("parse", "symbolize", "addr2line", "ingest", "clusters", "search", "show", "similar", "gc", "depot")) {
      List<String> a = new ArrayList<>(c.equals("depot") ? List.of("depot", "stats") : List.of(c));
      switch (c) { // what else the command requires, so that the option is the one problem
        case "ingest", "similar" -> a.add(log.toString());
        case "show" -> a.add("1");
        default -> { }
      }
      a.add("--no-such-option");
      cases.add(new Case(2, "unknown option", c, a, "--no-such-option"));
    }
    cases.add(new Case(0, "the command worked", "parse", List.of("parse", log.toString()), null));
    cases.add(new Case(1, "--check and reports found", "parse", List.of("parse", "--check", log.toString()), null));
    cases.add(new Case(2, "missing file", "parse", List.of("parse", missing.toString()), missing.toString()));
    cases.add(new Case(2, "missing file", "symbolize", List.of("symbolize", "--vmlinux",
        TestLogs.root().resolve("testdata/elf/kfix/x86_64-dwarf5/kfix.elf").toString(), "--no-cache", missing.toString()),
        missing.toString()));
    cases.add(new Case(2, "missing file", "ingest", List.of("ingest", "--no-progress", "--store",
        tmp.resolve("s-missing").toString(), missing.toString()), missing.toString()));
    cases.add(new Case(2, "missing file", "similar", List.of("similar", missing.toString(), "--store", good.toString()),
        missing.toString()));
    // a file among several: said, the others read, then the count (two lines: the file's and the count's)
    cases.add(new Case(2, "a file among several that could not be read", "parse",
        List.of("parse", log.toString(), missing.toString()), missing.toString(), 2));
    cases.add(new Case(2, "a file among several that could not be read", "ingest",
        List.of("ingest", "--no-progress", "--store", tmp.resolve("s-several").toString(), log.toString(),
            missing.toString()), missing.toString(), 2));
    cases.add(new Case(2, "a directory given to parse", "parse", List.of("parse", tmp.toString()), tmp.toString()));
    // read up to the damage, with a note naming the file (docs/cli.md, Input): not an error
    cases.add(new Case(0, "corrupt compressed data", "parse", List.of("parse", badGz.toString()), badGz.toString()));
    Path kfix = TestLogs.root().resolve("testdata/elf/kfix/x86_64-dwarf5/kfix.elf");
    byte[] elf = Files.readAllBytes(kfix);
    Path truncated = Files.write(tmp.resolve("truncated.elf"), java.util.Arrays.copyOf(elf, elf.length / 2));
    for (String c : List.of("parse", "symbolize", "addr2line")) {
      List<String> t = new ArrayList<>(List.of(c, "--vmlinux", truncated.toString(), "--no-cache"));
      t.add(c.equals("addr2line") ? "0xffffffff81000000" : log.toString());
      cases.add(new Case(2, "a --vmlinux that is truncated", c, t, truncated.toString()));
      List<String> a = new ArrayList<>(List.of(c, "--vmlinux", missing.toString(), "--no-cache"));
      a.add(c.equals("addr2line") ? "0xffffffff81000000" : log.toString());
      cases.add(new Case(2, "a --vmlinux that is missing", c, a, missing.toString()));
      List<String> b = new ArrayList<>(List.of(c, "--vmlinux", notElf.toString(), "--no-cache"));
      b.add(c.equals("addr2line") ? "0xffffffff81000000" : log.toString());
      cases.add(new Case(2, "a --vmlinux that is not ELF", c, b, notElf.toString()));
    }
    cases.add(new Case(2, "a search query that cannot match because of its syntax", "search",
        List.of("search", "title:(unclosed", "--store", good.toString()), null));
    for (String c : STORE_READERS) {
      cases.add(new Case(0, "the command worked", c, storeArgs(c, good, log), null));
    }
    for (String c : concat(STORE_READERS, STORE_WRITERS)) {
      cases.add(new Case(3, "corrupt", c, storeArgs(c, damaged, log), fdt.getFileName().toString()));
      cases.add(new Case(3, "a missing store file", c, storeArgs(c, noCommit, log), "segments_"));
      cases.add(new Case(3, "another schema version", c, storeArgs(c, otherSchema, log), "schema version 99"));
      cases.add(new Case(3, "an OpenSearch store that cannot be reached", c, storeArgs(c, unreachable, log), "127.0.0.1:1"));
    }
    // store check: reads everything; damage is its answer on stdout and its one error line on stderr
    cases.add(new Case(0, "the command worked", "store check", List.of("store", "check", "--store", good.toString()), null));
    cases.add(new Case(0, "the command worked (a writer holds the lock)", "store check",
        List.of("store", "check", "--store", locked.toString()), null));
    cases.add(new Case(3, "corrupt", "store check", List.of("store", "check", "--store", damaged.toString()),
        fdt.getFileName().toString()));
    cases.add(new Case(3, "no store there", "store check", List.of("store", "check", "--store", missing.toString()),
        missing.toString()));
    cases.add(new Case(2, "an OpenSearch store (the cluster checks itself)", "store check",
        List.of("store", "check", "--store", unreachable), unreachable));
    for (String c : STORE_WRITERS) {
      cases.add(new Case(3, "locked", c, storeArgs(c, locked, log), "in use by another writer"));
    }
    for (String c : STORE_READERS) { // readers never wait for the writer
      cases.add(new Case(0, "the command worked (a writer holds the lock)", c, storeArgs(c, locked, log), null));
    }
    return cases;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  private static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Files.copy(p, to.resolve(from.relativize(p).toString()));
      }
    }
    return to;
  }

  @TestFactory
  List<DynamicTest> everyDocumentedErrorThroughEveryCommand() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    for (Case c : cases()) {
      tests.add(DynamicTest.dynamicTest(c.code() + " " + c.error() + ": " + c.command(), () -> {
        Run r = Run.of(c.args().toArray(String[]::new));
        String err = r.stderr();
        assertEquals(c.code(), r.code(), String.join(" ", c.args()) + "\n" + err);
        assertTrue(!err.contains("\tat ") && !err.contains("Exception") && !err.contains("internal error"), err);
        if (c.named() != null && c.code() == 0) {
          assertTrue(err.contains(c.named()), "a note naming " + c.named() + ": " + err);
        }
        if (c.code() >= 2) {
          List<String> lines = err.strip().lines().filter(l -> !l.startsWith("Try '") && !l.startsWith("ktriage: note:")).toList();
          assertEquals(c.lines(), lines.size(), c.lines() + " line(s): " + err);
          assertTrue(lines.stream().allMatch(l -> l.startsWith("ktriage: ")), err);
          if (c.named() != null) {
            assertTrue(lines.get(0).contains(c.named()), "names " + c.named() + ": " + err);
          }
        }
      }));
    }
    return tests;
  }

  /** The codes of docs/cli.md's exit-code table. */
  private static Set<Integer> documentedCodes() throws IOException {
    String doc = Files.readString(TestLogs.root().resolve("docs/cli.md"));
    int at = doc.indexOf("## Exit codes");
    assertTrue(at >= 0, "docs/cli.md has no exit-code table");
    Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(doc.substring(at));
    Set<Integer> documented = new TreeSet<>();
    while (m.find()) {
      documented.add(Integer.parseInt(m.group(1)));
    }
    return documented;
  }

  /** The README's short list of the codes (issue 19: "the README's exit-code table") is the table's, no more, no less. */
  @Test
  void theReadmeListsTheTablesCodes() throws IOException {
    String readme = Files.readString(TestLogs.root().resolve("README.md"));
    int at = readme.indexOf("(docs/cli.md#exit-codes)");
    assertTrue(at >= 0, "README.md does not link docs/cli.md#exit-codes");
    int end = readme.indexOf("\n\n", at);
    String list = readme.substring(at, end < 0 ? readme.length() : end).replace('\n', ' ');
    // "...: 0 ok, 1 reports found with `--check`, 2 usage or unusable input, ..."
    Matcher m = Pattern.compile("(?:: |, )(\\d+) [a-z]").matcher(list);
    Set<Integer> listed = new TreeSet<>();
    while (m.find()) {
      listed.add(Integer.parseInt(m.group(1)));
    }
    assertEquals(documentedCodes(), listed, "README.md's exit codes: " + list);
  }

  @Test
  void theTableIsWhatTheCasesWalk() throws IOException {
    Set<Integer> documented = documentedCodes();
    Set<Integer> walked = new TreeSet<>(NOT_WALKED.keySet());
    for (Case c : cases()) {
      walked.add(c.code());
    }
    assertEquals(documented, walked.stream().filter(documented::contains).collect(java.util.stream.Collectors.toCollection(TreeSet::new)),
        "documented codes without a case: " + diff(documented, walked));
    assertTrue(documented.containsAll(walked.stream().filter(k -> !NOT_WALKED.containsKey(k)).toList()),
        "codes the commands give that the table does not document: " + diff(walked, documented));
  }

  private static Set<Integer> diff(Set<Integer> a, Set<Integer> b) {
    Set<Integer> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }
}
