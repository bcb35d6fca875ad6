package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.TestLogs;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code parse} and {@code ingest} say about the logs that gave no report (issue 16): how many
 * held no crash, and which blocks looked like a crash but could not be parsed, named by file and line.
 * A directory of one good log, one clean boot and one log whose lockdep report has another cpu's
 * banner glued into a line (a block no grammar reads).
 */
class NoCrashCountsTest {

  @TempDir Path tmp;
  private Path dir;
  private Path good;
  private Path none;
  private Path damaged;

  private static final String GLUED = "[  293.010800]BUG: KMSAN: [T13544] syz-executor.3/13544 is trying to lock:";

  @BeforeEach
  void logs() throws Exception {
    dir = Files.createDirectory(tmp.resolve("logs"));
    good = Files.copy(TestLogs.logs().resolve("kcsan/data-race-x86_64-value-changed.log"), dir.resolve("good.log"));
    none = Files.copy(TestLogs.logs().resolve("other/clean-boot.log"), dir.resolve("none.log"));
    String lockdep = Files.readString(TestLogs.logs().resolve("lockdep/nested-lock-not-taken-x86_64-6.0.log"),
        StandardCharsets.UTF_8);
    String line = "[  293.010800][T13544] syz-executor.3/13544 is trying to lock:\n";
    assertTrue(lockdep.contains(line));
    damaged = Files.writeString(dir.resolve("damaged.log"), lockdep.replace(line, GLUED + "\n"),
        StandardCharsets.UTF_8);
  }

  private record Run(int code, String out, String err) {}

  private Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ktriage.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  private static final String NAMED = ":5: looks like a crash report but could not be parsed: "
      + "BUG: KMSAN: [T13544] syz-executor.3/13544 is trying to lock:";

  @Test
  void parseCountsTheLogsWithoutACrash() {
    Run r = run("parse", good.toString(), none.toString());
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.out().startsWith("KCSAN: data-race in "), r.out());
    assertEquals("ktriage: 1 of 2 logs held no crash", r.err().strip());
  }

  @Test
  void parseOfOneCleanLogSaysNoCrashOnce() {
    Run r = run("parse", none.toString());
    assertEquals("ktriage: no crash reports found", r.err().strip());
    assertEquals("", r.out());
  }

  @Test
  void parseNamesWhatLookedLikeACrashButCouldNotBeParsed() {
    Run r = run("parse", "--format", "jsonl", good.toString(), none.toString(), damaged.toString());
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertEquals("ktriage: " + damaged + NAMED + "\n"
        + "ktriage: 1 of 3 logs held no crash; 1 held something that looked like a crash but could not be parsed\n",
        r.err());
    // the damaged log's other lines still give what they can, and --check sees the good log's report
    assertEquals(ExitCodes.REPORTS_FOUND, run("parse", "--check", good.toString(), damaged.toString()).code());
  }

  @Test
  void parseOfOneDamagedLogNamesTheBlockAndCountsIt() {
    Run d = run("parse", damaged.toString());
    assertEquals(ExitCodes.OK, d.code(), d.err());
    assertTrue(d.err().startsWith("ktriage: " + damaged + NAMED + "\n"), d.err());
    assertTrue(d.err().endsWith("ktriage: 1 of 1 log held something that looked like a crash but could not be parsed\n"),
        d.err());
  }

  @Test
  void ingestCountsAndNamesThem() {
    Path store = tmp.resolve("store");
    Run r = run("ingest", "--no-progress", "--store", store.toString(), dir.toString());
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.out().matches("(?s)ingested \\d+ reports from 3 files in [\\d.]+ s: .*; 1 of 3 logs held no crash; "
        + "1 held something that looked like a crash but could not be parsed\n  not parsed: \\Q" + damaged
        + ":5: BUG: KMSAN: [T13544] syz-executor.3/13544 is trying to lock:\\E\n"), r.out());
    assertEquals("", r.err());
    Run json = run("ingest", "--no-progress", "--format", "json", "--store", store.toString(), dir.toString());
    assertEquals(ExitCodes.OK, json.code(), json.err());
    assertTrue(json.out().contains("\"noCrashFiles\":1,\"unparsedFiles\":1,\"unparsed\":[{\"path\":\""), json.out());
    assertTrue(json.out().contains("damaged.log\",\"line\":5,\"text\":\"BUG: KMSAN: [T13544] syz-executor.3/13544 is "
        + "trying to lock:\"}]"), json.out());
  }
}
