package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.TestLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage ingest} as a process: Ctrl-C, the progress line, files that cannot be read. */
class IngestCommandTest {

  @TempDir Path dir;

  /** A ktriage process, its stdout and stderr collected as they come. */
  private static final class Ktriage {
    final Process process;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    Ktriage(List<String> prefix, String... args) throws IOException {
      List<String> cmd = new ArrayList<>(prefix);
      cmd.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
          System.getProperty("java.class.path"), "dev.ktriage.cli.Main"));
      cmd.addAll(List.of(args));
      process = new ProcessBuilder(cmd).start();
      drain(process.getInputStream(), out);
      drain(process.getErrorStream(), err);
    }

    private static void drain(InputStream in, ByteArrayOutputStream to) {
      Thread.ofPlatform().daemon().start(() -> {
        byte[] buf = new byte[8192];
        try {
          for (int n; (n = in.read(buf)) > 0; ) {
            synchronized (to) {
              to.write(buf, 0, n);
            }
          }
        } catch (IOException e) {
          // the process is gone
        }
      });
    }

    String err() {
      synchronized (err) {
        return err.toString(StandardCharsets.UTF_8);
      }
    }

    String out() {
      synchronized (out) {
        return out.toString(StandardCharsets.UTF_8);
      }
    }
  }

  // A process started from a background job inherits SIGINT ignored, and the JVM then leaves it
  // ignored; perl (or python) puts the default back before it runs the JVM.
  private static List<String> withDefaultSigint() {
    for (String[] tool : new String[][] {
        {"perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV or die"},
        {"python3", "-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); "
            + "os.execvp(sys.argv[1], sys.argv[1:])"}}) {
      for (String d : System.getenv().getOrDefault("PATH", "").split(":")) {
        if (!d.isEmpty() && Files.isExecutable(Path.of(d, tool[0]))) {
          return List.of(tool);
        }
      }
    }
    Assumptions.abort("neither perl nor python3 found to run ktriage with SIGINT's default action");
    return List.of();
  }

  private static boolean ignoresSigint(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & 2) != 0;
      }
    }
    return false;
  }

  @Test
  void ctrlCCommitsWhatWasParsedSaysHowFarItGotAndExits130() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "needs Linux /proc");
    Path logs = Files.createDirectory(dir.resolve("logs"));
    int files = 30;
    TestLogs.manyReports(logs, files, 60);
    Path store = dir.resolve("store");
    Ktriage k = new Ktriage(withDefaultSigint(), "ingest", "--store", store.toString(), "--progress", "-j", "1",
        logs.toString());
    Pattern progress = Pattern.compile("files (\\d+)/" + files + ", ([1-9]\\d*) reports");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!progress.matcher(k.err()).find() && k.process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertTrue(k.process.isAlive(), "ingest ended before it could be interrupted:\n" + k.err());
    Assumptions.assumeFalse(ignoresSigint(k.process.pid()), "SIGINT is ignored in this environment");
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(k.process.pid())).start().waitFor());
    assertTrue(k.process.waitFor(120, TimeUnit.SECONDS));
    String err = k.err();
    assertEquals(130, k.process.exitValue(), err);
    Matcher said = Pattern.compile("ktriage: interrupted: committed (\\d+) reports \\((\\d+) new\\) from (\\d+) of "
        + files + " files").matcher(err);
    assertTrue(said.find(), err);
    assertEquals("", k.out(), "no summary: the run did not finish");
    assertTrue(Integer.parseInt(said.group(3)) < files, err);
    long added = Long.parseLong(said.group(2));
    assertTrue(added > 0, err);
    String stats = TestLogs.run("depot", "stats", "--store", store.toString(), "--format", "json").out();
    assertTrue(stats.contains("\"reports\":" + added + ","), "the store holds what was said: " + stats);
    assertTrue(err.endsWith("\n"), "the progress line was ended");
  }

  @Test
  void progressLineMovesAndEndsWithANewlineAndIsOffWhenStderrIsNotATerminal() throws Exception {
    Path logs = Files.createDirectory(dir.resolve("logs"));
    TestLogs.manyReports(logs, 3, 2);
    String store = dir.resolve("store").toString();
    TestLogs.Run quietByDefault = TestLogs.run("ingest", "--store", store, logs.toString());
    assertEquals(0, quietByDefault.code(), quietByDefault.err());
    assertFalse(quietByDefault.err().contains("files "), "stderr is not a terminal: " + quietByDefault.err());
    TestLogs.Run forced = TestLogs.run("ingest", "--store", store, "--progress", logs.toString());
    assertEquals(0, forced.code(), forced.err());
    String[] draws = forced.err().split("\r");
    assertTrue(draws[draws.length - 1].matches("files 3/3, 12 reports, \\d+ reports/s *\n"), forced.err());
    TestLogs.Run quiet = TestLogs.run("ingest", "--store", store, "--progress", "--quiet", logs.toString());
    assertEquals("", quiet.err());
  }

  @Test
  void missingFilesAreSaidCountedAndTheOthersIngested() throws Exception {
    Path logs = Files.createDirectory(dir.resolve("logs"));
    List<String> made = TestLogs.manyReports(logs, 2, 1);
    String store = dir.resolve("store").toString();
    TestLogs.Run r = TestLogs.run("ingest", "--store", store, made.get(0), dir.resolve("nope").toString(),
        made.get(1));
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("nope: no such file or directory"), r.err());
    assertTrue(r.err().contains("ktriage: 1 of 3 files could not be read"), r.err());
    assertTrue(r.out().startsWith("ingested 4 reports from 2 files"), r.out());
  }
}
