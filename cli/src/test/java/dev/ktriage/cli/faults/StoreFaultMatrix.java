package dev.ktriage.cli.faults;

import dev.ktriage.cli.Run;
import dev.ktriage.cli.TestLogs;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The store fault matrix, after the probe of issue 19: a real store (every Lucene file kind our schema
 * writes, deletions included), each of its files damaged in turn (a byte flipped in the header, the
 * body or the checksum; cut in half; deleted), and every store command run against it in-process.
 * Each must either work (exit 0, and for a reader the answer of the intact store) or fail with exit
 * 3 and one line naming the damaged file; it must not write into a damaged index; nothing may print
 * a stack trace. The depot files are caches: damaged, they are rebuilt and the command works.
 *
 * <p>{@link StoreFaultMatrixTest} runs a seeded sample in every build; {@code bench/faults/run.sh}
 * (this class's {@link #main}) runs all of it.
 */
public final class StoreFaultMatrix {
  /** A way to damage a file. */
  enum Damage { FLIP_HEADER, FLIP_BODY, FLIP_FOOTER, TRUNCATE, DELETE }

  /** One case: a file of the store and what is done to it. */
  record Case(String file, Damage damage) {
    boolean derived() {
      return !file.startsWith("index/");
    }
  }

  /** A command and the arguments after it; {@code STORE} is replaced by the store directory. */
  record Command(String name, List<String> args, boolean writes) {}

  /** What went wrong in one run, for the report. */
  record Failure(Case c, Command cmd, String what) {
    @Override
    public String toString() {
      return c.file() + " " + c.damage() + " / " + cmd.name() + ": " + what;
    }
  }

  private final Path work;
  private final Path pristine;
  private final List<Command> commands;
  private final Map<String, String> answers = new LinkedHashMap<>();
  private int copies;

  /** Builds the store in {@code work/pristine} and records the intact store's answers. */
  public StoreFaultMatrix(Path work) throws IOException {
    this.work = work;
    this.pristine = work.resolve("pristine");
    List<Path> logs = TestLogs.files(".log");
    Path more = logs.get(logs.size() / 2);
    // two ingests and a gc: several segments, deletions (.liv) and a commit point beyond the first
    expectOk(Run.of("ingest", "--store", pristine.toString(), "--no-progress", TestLogs.logs().resolve("kasan").toString()));
    long first = storedReports();
    expectOk(Run.of("ingest", "--store", pristine.toString(), "--no-progress", TestLogs.logs().toString()));
    // the oldest half of the first ingest goes: its segment loses some reports and keeps some (a .liv file)
    long keep = storedReports() - first / 2;
    expectOk(Run.of("gc", "--store", pristine.toString(), "--max-reports", Long.toString(keep)));
    // a cluster that exists (retention re-numbers none, but removes some)
    Run listing = Run.of("clusters", "--store", pristine.toString(), "--format", "jsonl");
    expectOk(listing);
    java.util.regex.Matcher id = java.util.regex.Pattern.compile("\"id\":(\\d+)").matcher(listing.out());
    if (!id.find()) {
      throw new IllegalStateException("no cluster in " + listing.out());
    }
    commands = List.of(
        new Command("ingest", List.of("--no-progress", TestLogs.root().resolve("testdata/clusters/logs").toString()), true),
        new Command("clusters", List.of("--format", "json"), false),
        new Command("search", List.of("--format", "json", "-n", "50", "bugType:*"), false),
        new Command("show", List.of(id.group(1), "--format", "json"), false),
        new Command("similar", List.of(more.toString(), "--format", "jsonl"), false),
        new Command("gc", List.of("--max-reports", "10"), true),
        new Command("depot", List.of("stats", "--format", "json"), false));
    for (Command c : commands) {
      if (!c.writes()) {
        Path copy = copy();
        Run r = run(c, copy);
        expectOk(r);
        answers.put(c.name(), r.out());
      }
    }
  }

  private long storedReports() {
    Run r = Run.of("depot", "stats", "--store", pristine.toString(), "--format", "json");
    expectOk(r);
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"reports\":(\\d+)").matcher(r.out());
    if (!m.find()) {
      throw new IllegalStateException("no report count in " + r.out());
    }
    return Long.parseLong(m.group(1));
  }

  private static void expectOk(Run r) {
    if (r.code() != 0) {
      throw new IllegalStateException("setting up the store failed: exit " + r.code() + ": " + r.stderr());
    }
  }

  List<Command> commands() {
    return commands;
  }

  /** Every file of the intact store (its lock file aside) with every damage. */
  List<Case> cases() throws IOException {
    List<Case> out = new ArrayList<>();
    for (String f : files(pristine)) {
      for (Damage d : Damage.values()) {
        out.add(new Case(f, d));
      }
    }
    return out;
  }

  /** The file kinds of the store: each Lucene extension, segments_N, each depot file. */
  static String kind(String file) {
    String name = Path.of(file).getFileName().toString();
    if (name.startsWith("segments_")) {
      return "segments_N";
    }
    int dot = name.lastIndexOf('.');
    return file.startsWith("index/") ? "." + name.substring(dot + 1) : name;
  }

  private static List<String> files(Path store) throws IOException {
    try (Stream<Path> s = Files.walk(store)) {
      return s.filter(Files::isRegularFile).map(p -> store.relativize(p).toString())
          .filter(f -> !f.endsWith("write.lock")).sorted().toList();
    }
  }

  /** Runs {@code cmd} on a fresh copy of the store with {@code c} applied; the failures found. */
  List<Failure> run(Case c, Command cmd) throws IOException {
    Path store = copy();
    damage(store.resolve(c.file()), c.damage());
    Map<String, String> before = contents(store);
    Run r = run(cmd, store);
    List<Failure> failures = new ArrayList<>();
    String err = r.stderr();
    if (err.contains("\tat ") || err.contains("Exception") || err.contains("internal error")) {
      failures.add(new Failure(c, cmd, "stack trace or internal error: " + err));
    }
    String named = c.file().equals("index.verified") ? null : Path.of(c.file()).getFileName().toString();
    if (c.derived()) {
      // a cache: rebuilt from the reports; the command works and readers answer as before
      if (r.code() != 0) {
        failures.add(new Failure(c, cmd, "exit " + r.code() + " (a depot file is rebuilt): " + err));
      } else if (!cmd.writes() && !sameAnswer(r.out(), answers.get(cmd.name()))) {
        failures.add(new Failure(c, cmd, "another answer than the intact store's"));
      } else if (named != null && err.contains("rebuilt") && !err.contains(named)) {
        failures.add(new Failure(c, cmd, "a rebuild note that does not name " + named + ": " + err));
      }
    } else {
      // the index: refused, named, untouched (a flip that an open cannot see would still have to be named by the read)
      if (r.code() != 3) {
        failures.add(new Failure(c, cmd, "exit " + r.code() + ", not 3: " + err));
      } else if (!err.contains(named)) {
        failures.add(new Failure(c, cmd, "the message does not name " + named + ": " + err));
      } else if (err.strip().lines().count() != 1) {
        failures.add(new Failure(c, cmd, "more than one line: " + err));
      }
      if (!contents(store).equals(before)) {
        failures.add(new Failure(c, cmd, "the damaged store was written to"));
      }
    }
    deleteTree(store);
    return failures;
  }

  /**
   * The depot file's size on disk: a reader rebuilds a damaged depot.snapshot in memory and leaves the
   * file as it found it. Everything else {@code depot stats} says must not change, the allocator's
   * lifetime counts included (each commit records them, so a rebuild restores them).
   */
  private static final java.util.regex.Pattern CACHE_HISTORY =
      java.util.regex.Pattern.compile("\"(depotFileBytes)\":\\d+");

  private static boolean sameAnswer(String out, String intact) {
    return CACHE_HISTORY.matcher(out).replaceAll("\"$1\":_").equals(CACHE_HISTORY.matcher(intact).replaceAll("\"$1\":_"));
  }

  private Run run(Command cmd, Path store) {
    List<String> args = new ArrayList<>();
    if (cmd.name().equals("depot")) {
      args.add("depot");
      args.add(cmd.args().get(0));
      args.addAll(List.of("--store", store.toString()));
      args.addAll(cmd.args().subList(1, cmd.args().size()));
    } else {
      args.add(cmd.name());
      args.addAll(List.of("--store", store.toString()));
      args.addAll(cmd.args());
    }
    return Run.of(args.toArray(String[]::new));
  }

  private Path copy() throws IOException {
    Path to = work.resolve("copy-" + copies++);
    try (Stream<Path> s = Files.walk(pristine)) {
      for (Path p : s.toList()) {
        Path t = to.resolve(pristine.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t);
        }
      }
    }
    return to;
  }

  /** Damages {@code file} as {@code d} says; the byte flipped in the body is chosen by the file's size. */
  static void damage(Path file, Damage d) throws IOException {
    if (d == Damage.DELETE) {
      Files.delete(file);
      return;
    }
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      long n = f.length();
      if (d == Damage.TRUNCATE) {
        f.setLength(n / 2);
        return;
      }
      long at = switch (d) {
        case FLIP_HEADER -> Math.min(n - 1, 5);
        case FLIP_BODY -> n / 2;
        default -> n - 1;
      };
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x20);
    }
  }

  private static Map<String, String> contents(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.toList()) {
        String rel = dir.relativize(p).toString();
        out.put(rel, Files.isDirectory(p) ? "dir" : sha256(Files.readAllBytes(p)));
      }
    }
    return out;
  }

  private static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * A sample: for each file kind, one damage and one reader chosen by {@code seed}, plus the writer
   * ({@code ingest}) on the same damage, which must never write into a damaged index.
   */
  List<Failure> sample(long seed) throws IOException {
    SplittableRandom rnd = new SplittableRandom(seed);
    Map<String, List<String>> byKind = new TreeMap<>();
    for (String f : files(pristine)) {
      byKind.computeIfAbsent(kind(f), k -> new ArrayList<>()).add(f);
    }
    List<Command> readers = commands.stream().filter(c -> !c.writes()).toList();
    Command ingest = commands.get(0);
    List<Failure> failures = new ArrayList<>();
    for (List<String> files : byKind.values()) {
      String f = files.get(rnd.nextInt(files.size()));
      Case c = new Case(f, Damage.values()[rnd.nextInt(Damage.values().length)]);
      failures.addAll(run(c, readers.get(rnd.nextInt(readers.size()))));
      failures.addAll(run(c, ingest));
    }
    return failures;
  }

  /** The kinds of file the intact store has, for the report. */
  List<String> kinds() throws IOException {
    return files(pristine).stream().map(StoreFaultMatrix::kind).distinct().sorted().toList();
  }

  /** Every case with every command; prints a line per failure and a summary. */
  public static void main(String[] args) throws IOException {
    Path work = Files.createTempDirectory("ktriage-faults");
    try {
      StoreFaultMatrix m = new StoreFaultMatrix(work);
      int runs = 0;
      List<Failure> failures = new ArrayList<>();
      Map<String, int[]> byCommand = new LinkedHashMap<>();
      for (Case c : m.cases()) {
        for (Command cmd : m.commands()) {
          List<Failure> f = m.run(c, cmd);
          runs++;
          failures.addAll(f);
          byCommand.computeIfAbsent(cmd.name(), k -> new int[2])[f.isEmpty() ? 0 : 1]++;
          f.forEach(x -> System.out.println("FAIL " + x));
        }
      }
      System.out.println("file kinds: " + m.kinds());
      byCommand.forEach((k, v) -> System.out.printf(java.util.Locale.ROOT, "%-9s %d as required, %d not%n", k, v[0], v[1]));
      System.out.printf(java.util.Locale.ROOT, "%d runs (%d files x %d damages x %d commands), %d failures%n", runs, m.cases().size() / Damage.values().length,
          Damage.values().length, m.commands().size(), failures.size());
      if (!failures.isEmpty()) {
        System.exit(1);
      }
    } finally {
      deleteTree(work);
    }
  }

  static UncheckedIOException unchecked(IOException e) {
    return new UncheckedIOException(e);
  }
}
