package dev.ktriage.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Run;
import dev.ktriage.cli.TestLogs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store under process-level faults, each command a real {@code ktriage} process: {@code kill -9}
 * of {@code ingest} at random points and at commit moments, a full disk (a small tmpfs in a private
 * mount namespace where permitted, else a file size limit), a read-only file system and a store
 * without permission. Every command works or exits 3 saying why, and nothing committed is lost.
 */
class StoreProcessFaultsTest {
  @TempDir Path tmp;

  private static final Pattern REPORTS = Pattern.compile("\"reports\":(\\d+)");

  /** The command line of a ktriage process (this JVM, this class path). */
  private static List<String> ktriage(String classPath, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
        "--enable-native-access=ALL-UNNAMED", "-cp", classPath, "dev.ktriage.cli.Main"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static long reports(Path store) {
    Run r = Run.of("depot", "stats", "--store", store.toString(), "--format", "json");
    assertEquals(0, r.code(), "the store does not open: " + r.stderr());
    Matcher m = REPORTS.matcher(r.out());
    assertTrue(m.find(), r.out());
    return Long.parseLong(m.group(1));
  }

  /** Copies of the testdata logs whose printk times are moved by {@code salt} s: new reports for the store. */
  private Path saltedLogs(int salt) throws IOException {
    Path dir = tmp.resolve("logs-" + salt);
    Files.createDirectories(dir);
    Pattern time = Pattern.compile("\\[\\s*(\\d+)\\.(\\d{6})\\]");
    for (Path log : TestLogs.files(".log")) {
      String s = Files.readString(log, StandardCharsets.ISO_8859_1);
      Matcher m = time.matcher(s);
      StringBuilder out = new StringBuilder();
      while (m.find()) {
        m.appendReplacement(out, "[" + (Long.parseLong(m.group(1)) + 10_000L * salt) + "." + m.group(2) + "]");
      }
      m.appendTail(out);
      Files.writeString(dir.resolve(log.getParent().getFileName() + "-" + log.getFileName()), out, StandardCharsets.ISO_8859_1);
    }
    return dir;
  }

  @Test
  void aKilledIngestLosesNothingCommitted() throws Exception {
    long seed = Long.getLong("ktriage.faults.seed", System.nanoTime() % 100_000);
    System.out.println("StoreProcessFaultsTest: seed " + seed);
    SplittableRandom rnd = new SplittableRandom(seed);
    Path store = tmp.resolve("store");
    String cp = System.getProperty("java.class.path");
    long committed = 0;
    List<Path> dirs = new ArrayList<>();
    int kills = 0;
    // a few rounds in the build; -Dktriage.faults.rounds=N for more
    int rounds = Integer.getInteger("ktriage.faults.rounds", 3);
    for (int round = 0; round < rounds; round++) {
      Path logs = saltedLogs(round);
      dirs.add(logs);
      Process p = new ProcessBuilder(ktriage(cp, "ingest", "--store", store.toString(), "--no-progress", "-j", "1",
          logs.toString())).redirectErrorStream(true).redirectOutput(tmp.resolve("ingest-" + round + ".out").toFile()).start();
      boolean atCommit = rnd.nextBoolean();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(atCommit ? 60_000 : rnd.nextInt(200, 4000));
      // at a commit moment: Lucene's pending_segments_N, or the depot files' temporaries after it
      while (p.isAlive() && System.nanoTime() < deadline) {
        if (atCommit && commitInProgress(store)) {
          break;
        }
        Thread.sleep(atCommit ? 1 : 20);
      }
      if (p.isAlive()) {
        p.destroyForcibly();
        kills++;
      }
      p.waitFor();
      long now = reports(store);
      assertTrue(now >= committed, "seed " + seed + ", round " + round + ": " + now + " reports, " + committed
          + " were committed before");
      committed = now;
    }
    // everything again, without a kill: the store ends with every report once
    for (Path d : dirs) {
      Process p = new ProcessBuilder(ktriage(cp, "ingest", "--store", store.toString(), "--no-progress", d.toString()))
          .redirectErrorStream(true).redirectOutput(tmp.resolve("final.out").toFile()).start();
      assertEquals(0, p.waitFor(), Files.readString(tmp.resolve("final.out")));
    }
    Path reference = tmp.resolve("reference");
    for (Path d : dirs) {
      assertEquals(0, Run.of("ingest", "--store", reference.toString(), "--no-progress", d.toString()).code());
    }
    assertEquals(reports(reference), reports(store), "seed " + seed + " (" + kills + " kills)");
  }

  private static boolean commitInProgress(Path store) {
    try (Stream<Path> s = Files.list(store.resolve("index"))) {
      if (s.anyMatch(p -> p.getFileName().toString().startsWith("pending_segments_"))) {
        return true;
      }
    } catch (IOException e) {
      return false; // not there yet
    }
    return Files.exists(store.resolve("depot.snapshot.tmp")) || Files.exists(store.resolve("index.verified.tmp"));
  }

  /** Runs a bash script; its output. */
  private static Run bash(String script) throws Exception {
    Process p = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    return new Run(p.waitFor(), out.getBytes(StandardCharsets.UTF_8), out);
  }

  /** Whether this machine lets a test mount a tmpfs in a mount namespace of its own. */
  private static String namespace() throws Exception {
    for (String ns : List.of("unshare -m", "unshare -Urm")) {
      if (bash(ns + " bash -c 'd=$(mktemp -d) && mount -t tmpfs -o size=1m tmpfs $d && umount $d && rmdir $d'").code() == 0) {
        return ns;
      }
    }
    return null;
  }

  private static String quote(List<String> cmd) {
    return String.join(" ", cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
  }

  @Test
  void aFullDiskOrAFileSizeLimitIsExit3WithWhyAndKeepsWhatWasCommitted() throws Exception {
    String cp = System.getProperty("java.class.path");
    Path small = saltedLogs(100);
    Path big = TestLogs.root().resolve("testdata/clusters/logs");
    String ns = namespace();
    Path mnt = tmp.resolve("mnt");
    Files.createDirectories(mnt);
    String store = mnt.resolve("s").toString();
    String first = quote(ktriage(cp, "ingest", "--no-progress", "--store", store, small.toString()));
    String second = quote(ktriage(cp, "ingest", "--no-progress", "--store", store, big.toString(), small.toString()));
    String stats = quote(ktriage(cp, "depot", "stats", "--format", "json", "--store", store));
    Run r;
    String why;
    if (ns != null) {
      // the first ingest fits; the second fills the 640 KB disk (the zstd library unpacks to java.io.tmpdir, elsewhere)
      r = bash(ns + " bash -c " + quote(List.of("mount -t tmpfs -o size=640k tmpfs " + mnt + " && " + first
          + " >/dev/null && " + stats + " && echo; " + second + "; echo \"exit=$?\"; " + stats)));
      why = "disk full";
    } else {
      System.out.println("StoreProcessFaultsTest: no tmpfs can be mounted here; a file size limit stands in for a full disk");
      r = bash(first + " >/dev/null && " + stats + " && echo; (ulimit -f 200; " + second + "); echo \"exit=$?\"; " + stats);
      why = "file size limit exceeded";
    }
    String out = r.out();
    assertTrue(out.contains("exit=3"), out);
    assertTrue(out.contains(": cannot write: " + why), out);
    assertTrue(!out.contains("\tat ") && !out.contains("internal error"), out);
    Matcher m = REPORTS.matcher(out);
    assertTrue(m.find(), out);
    long before = Long.parseLong(m.group(1));
    assertTrue(m.find(), "the store does not open after the failed ingest: " + out);
    assertTrue(Long.parseLong(m.group(1)) >= before, out);
  }

  @Test
  void aReadOnlyStoreServesReadersAndRefusesWritersWithWhy() throws Exception {
    String ns = namespace();
    if (ns == null) {
      System.out.println("StoreProcessFaultsTest: no tmpfs can be mounted here; read-only file system not tested");
      return;
    }
    String cp = System.getProperty("java.class.path");
    Path logs = saltedLogs(200);
    Path mnt = tmp.resolve("ro");
    Files.createDirectories(mnt);
    String store = mnt.resolve("s").toString();
    StringBuilder script = new StringBuilder("mount -t tmpfs -o size=20m tmpfs " + mnt + " && "
        + quote(ktriage(cp, "ingest", "--no-progress", "--store", store, logs.toString())) + " >/dev/null && mount -o remount,ro "
        + mnt + " || exit 9; ");
    String[][] commands = {{"clusters"}, {"search", "bugType:*"}, {"depot", "stats"}, {"show", "1"},
        {"ingest", "--no-progress", logs.toString()}, {"gc", "--max-reports", "1"}};
    for (String[] c : commands) {
      List<String> args = new ArrayList<>(List.of(c));
      args.addAll(List.of("--store", store));
      script.append("echo \"== ").append(c[0]).append("\"; ").append(quote(ktriage(cp, args.toArray(String[]::new))))
          .append(" >/dev/null; echo \"exit=$?\"; ");
    }
    Run r = bash(ns + " bash -c " + quote(List.of(script.toString())));
    String out = r.out();
    for (String[] c : commands) {
      int at = out.indexOf("== " + c[0] + "\n");
      assertTrue(at >= 0, c[0] + ": " + out);
      String section = out.substring(at, out.indexOf("exit=", at) + "exit=N".length());
      boolean writer = c[0].equals("ingest") || c[0].equals("gc");
      assertTrue(section.endsWith(writer ? "exit=3" : "exit=0"), section);
      if (writer) {
        assertTrue(section.contains("ktriage: " + store + "/index/write.lock: cannot write: read-only file system"), section);
      }
      assertTrue(!section.contains("\tat ") && !section.contains("internal error"), section);
    }
  }

  @Test
  void aStoreWithoutPermissionIsExit3SayingSo() throws Exception {
    Path store = tmp.resolve("perm/s");
    Path logs = saltedLogs(300);
    assertEquals(0, Run.of("ingest", "--no-progress", "--store", store.toString(), logs.toString()).code());
    boolean root = "root".equals(System.getProperty("user.name"));
    String prefix = "";
    String cp = System.getProperty("java.class.path");
    if (root) {
      if (bash("command -v setpriv").code() != 0) {
        System.out.println("StoreProcessFaultsTest: root without setpriv; a store without permission is not tested");
        return;
      }
      // another user: nobody, with a class path it can read
      Path libs = tmp.resolve("cp");
      Files.createDirectories(libs);
      List<String> entries = new ArrayList<>();
      int i = 0;
      for (String e : cp.split(java.io.File.pathSeparator)) {
        Path to = libs.resolve(i++ + "-" + Path.of(e).getFileName());
        bash("cp -r " + quote(List.of(e, to.toString())));
        entries.add(to.toString());
      }
      bash("chmod -R a+rX " + quote(List.of(tmp.toString())) + "; chmod -R go-rwx " + quote(List.of(store.getParent().toString())));
      cp = String.join(java.io.File.pathSeparator, entries);
      prefix = "setpriv --reuid=65534 --regid=65534 --clear-groups ";
    } else {
      bash("chmod 000 " + quote(List.of(store.toString())));
    }
    for (String[] c : new String[][] {{"clusters"}, {"depot", "stats"}, {"ingest", "--no-progress", logs.toString()}}) {
      List<String> args = new ArrayList<>(List.of(c));
      args.addAll(List.of("--store", store.toString()));
      Run r = bash(prefix + quote(ktriage(cp, args.toArray(String[]::new))) + " 2>&1 >/dev/null");
      assertEquals(3, r.code(), c[0] + ": " + r.out());
      assertTrue(r.out().contains("permission denied"), c[0] + ": " + r.out());
      assertEquals(1, r.out().strip().lines().count(), c[0] + ": " + r.out());
    }
    bash("chmod -R u+rwX " + quote(List.of(tmp.toString())));
  }
}
