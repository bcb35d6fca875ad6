package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Run;
import dev.ktriage.cli.TestLogs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ktriage parse} as a user sees it: arguments, inputs, exit codes, messages and output formats. */
class ParseCommandTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Path KASAN = TestLogs.logs().resolve("kasan/slab-out-of-bounds-x86_64-caller-ids.log");
  private static final Path KCSAN = TestLogs.logs().resolve("kcsan/data-race-x86_64-value-changed.log");
  private static final Path NONE = TestLogs.logs().resolve("other/clean-boot.log");

  @TempDir
  Path tmp;

  private static TestLogs.Run run(String... args) {
    return TestLogs.run(args);
  }

  // A user-facing failure is one line starting with "ktriage: ", and never a Java stack trace.
  private static void oneLineError(TestLogs.Run r, String expected) {
    List<String> lines = r.err().lines().toList();
    assertEquals(expected, lines.get(0));
    assertFalse(r.err().contains("\tat "), r.err());
    assertFalse(r.err().contains("Exception"), r.err());
  }

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  // ------------------------------------------------------------------------------------ exit codes

  @Test
  void reportsFoundExitZero() {
    var r = run("parse", KASAN.toString());
    assertEquals(ExitCodes.OK, r.code());
    assertTrue(r.out().startsWith("KASAN: slab-out-of-bounds Read in hci_le_meta_evt\n"), r.out());
  }

  // --check is about crashes of any kind, not only KASAN and KCSAN.
  @ParameterizedTest
  @ValueSource(strings = {"kmsan/uninit-value-x86_64-local-variable.log",
      "kmsan/kernel-infoleak-x86_64-stored-to-memory.log", "kfence/use-after-free-read-x86_64-5.12.log",
      "kfence/memory-corruption-x86_64-5.15.log"})
  void checkExitsOneForEveryCrashKind(String log) {
    var r = run("parse", "--check", TestLogs.logs().resolve(log).toString());
    assertEquals(ExitCodes.REPORTS_FOUND, r.code(), r.err());
    assertEquals("", r.err());
  }

  @Test
  void checkExitsOneWhenReportsWereFoundAndZeroWhenNot() {
    assertEquals(ExitCodes.REPORTS_FOUND, run("parse", "--check", KASAN.toString()).code());
    var none = run("parse", "--check", NONE.toString());
    assertEquals(ExitCodes.OK, none.code());
    assertEquals("ktriage: no crash reports found", none.err().strip());
  }

  // A report of a log that says the fuzzing machine failed is printed, marked, and not counted by --check.
  @Test
  void checkDoesNotCountSuppressedReportsAndSaysSo() {
    Path log = TestLogs.logs().resolve("suppressed/fuzzer-oom-killed-then-warning-x86_64-6.1.log");
    var r = run("parse", "--check", log.toString());
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.out().startsWith("WARNING in ext4_set_page_dirty\n"), r.out());
    assertTrue(r.out().contains("suppressed: the OOM killer killed the fuzzer or sshd"), r.out());
    assertEquals("ktriage: " + log + ": 1 report suppressed: line 41: the OOM killer killed the fuzzer or sshd: "
        + "the machine ran out of memory (mm/oom_kill.c); --check does not count it", r.err().strip());
    // with a report that is not suppressed beside it, --check fails
    Path other = TestLogs.logs().resolve("suppressed/fuzzer-executor-oom-kill-not-suppressed-x86_64-6.1.log");
    assertEquals(ExitCodes.REPORTS_FOUND, run("parse", "--check", log.toString(), other.toString()).code());
  }

  @Test
  void missingFile() {
    Path missing = tmp.resolve("nope.log");
    var r = run("parse", missing.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, r.code());
    oneLineError(r, "ktriage: " + missing + ": no such file");
    assertEquals("", r.out());
  }

  @Test
  void directoryIsAnError() {
    var r = run("parse", tmp.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, r.code());
    assertTrue(r.err().startsWith("ktriage: " + tmp + ": is a directory"), r.err());
    oneLineError(r, r.err().lines().findFirst().orElseThrow());
  }

  @Test
  void unknownOption() {
    var r = run("parse", "--frobnicate", KASAN.toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, r.code());
    oneLineError(r, "ktriage: Unknown option: '--frobnicate'");
    assertTrue(r.err().contains("--help"));
  }

  @Test
  void aMissingFileAfterAGoodOneIsSaidAndTheGoodOneStillPrinted() {
    // Issue 18: one file that cannot be read does not stop the others; the JSON stays one valid array.
    var r = run("parse", "--format", "json", KASAN.toString(), tmp.resolve("gone.log").toString());
    assertEquals(ExitCodes.USAGE_OR_INPUT, r.code());
    assertTrue(r.out().startsWith("[\n{") && r.out().endsWith("}\n]\n"), r.out());
    assertEquals("ktriage: " + tmp.resolve("gone.log") + ": no such file\nktriage: 1 of 2 files could not be read\n",
        r.err());
  }

  // ------------------------------------------------------------------------------------ inputs

  @Test
  void dashReadsStdin() throws IOException {
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(Files.readAllBytes(KCSAN)));
      var r = run("parse", "--format", "jsonl", "-");
      assertEquals(0, r.code(), r.err());
      JsonNode report = json(r.out().strip());
      assertEquals("KCSAN: data-race in generic_fillattr / inode_set_ctime_current", report.get("title").asString());
      assertEquals("-", report.get("source").get("path").asString());
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void severalFilesKeepTheirPathsAsGiven() throws IOException {
    Path copy = tmp.resolve("copy.log");
    Files.copy(KCSAN, copy);
    var r = run("parse", "--format", "json", KASAN.toString(), copy.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode arr = json(r.out());
    assertEquals(2, arr.size());
    assertEquals(KASAN.toString(), arr.get(0).get("source").get("path").asString());
    assertEquals(copy.toString(), arr.get(1).get("source").get("path").asString());
  }

  @Test
  void compressedLogsAreReadTransparently() throws IOException {
    byte[] log = Files.readAllBytes(KASAN);
    Path gz = tmp.resolve("console.log.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(log);
    }
    Path xz = tmp.resolve("console.log.xz");
    try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options())) {
      o.write(log);
    }
    Path zst = tmp.resolve("console.log.zst");
    try (OutputStream o = new ZstdOutputStream(Files.newOutputStream(zst))) {
      o.write(log);
    }
    for (Path p : List.of(gz, xz, zst)) {
      var r = run("parse", "--format", "jsonl", p.toString());
      assertEquals(0, r.code(), p + ": " + r.err());
      JsonNode report = json(r.out().strip());
      assertEquals("KASAN: slab-out-of-bounds Read in hci_le_meta_evt", report.get("title").asString(), p.toString());
      assertEquals(83, report.get("source").get("lastLine").asInt(), p.toString());
    }
  }

  @Test
  void corruptGzipEndsTheLogWithANote() throws IOException {
    Path gz = tmp.resolve("broken.log.gz");
    byte[] good;
    try (var bytes = new java.io.ByteArrayOutputStream(); OutputStream o = new GZIPOutputStream(bytes)) {
      o.write(Files.readAllBytes(KASAN));
      o.close();
      good = bytes.toByteArray();
    }
    byte[] bad = Arrays.copyOf(good, good.length);
    for (int i = 20; i < bad.length - 8; i += 7) {
      bad[i] ^= 0x5a; // the deflate stream is garbage after the header
    }
    Files.write(gz, bad);
    var r = run("parse", gz.toString());
    assertEquals(ExitCodes.OK, r.code());
    assertTrue(r.err().startsWith("ktriage: " + gz + ": "), r.err());
    assertTrue(r.err().contains("; the reports before that were read"), r.err());
    assertTrue(r.err().contains("corrupt") || r.err().contains("ends early"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void binaryFileWarnsAndSucceeds() throws IOException {
    Path bin = tmp.resolve("vmlinux");
    byte[] b = new byte[200_000];
    new java.util.Random(7).nextBytes(b);
    Files.write(bin, b);
    var r = run("parse", bin.toString());
    assertEquals(ExitCodes.OK, r.code());
    assertTrue(r.err().contains("ktriage: " + bin + ": binary data, not a text log"), r.err());
  }

  @Test
  void fiftyMegabyteLineIsCutWithAWarningAndTheReportAfterItFound() throws IOException {
    Path big = tmp.resolve("long-line.log");
    try (OutputStream o = Files.newOutputStream(big)) {
      o.write("[    1.000000] random noise follows: ".getBytes(StandardCharsets.US_ASCII));
      byte[] chunk = new byte[1 << 20];
      Arrays.fill(chunk, (byte) 'x');
      for (int i = 0; i < 50; i++) {
        o.write(chunk); // written in pieces: the test itself does not hold 50 MB
      }
      o.write('\n');
      o.write(Files.readAllBytes(KCSAN));
    }
    var r = run("parse", "--format", "jsonl", big.toString());
    assertEquals(ExitCodes.OK, r.code(), r.err());
    assertTrue(r.err().contains("1 line was longer than 16 KiB and cut"), r.err());
    JsonNode report = json(r.out().strip());
    assertEquals("KCSAN: data-race in generic_fillattr / inode_set_ctime_current", report.get("title").asString());
    assertEquals(3, report.get("source").get("firstLine").asInt()); // the long line still counts as line 1
  }

  // ------------------------------------------------------------------------------------ outputs

  @Test
  void aClosedStdoutStopsTheParse() throws IOException {
    // `ktriage parse big.log | head -1`: once stdout is closed the rest of the log is not read (it was
    // parsed to the end before: 18 s of CPU for a 40 MB log after head had gone)
    byte[] demo = Files.readAllBytes(TestLogs.root().resolve("testdata/demo/syzkaller-console.log"));
    long total = 96L << 20;
    long[] read = {0};
    InputStream big = new InputStream() {
      @Override
      public int read() {
        byte[] b = new byte[1];
        return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        if (read[0] >= total) {
          return -1;
        }
        int n = (int) Math.min(len, total - read[0]);
        for (int i = 0; i < n; i++) {
          b[off + i] = demo[(int) ((read[0] + i) % demo.length)];
        }
        read[0] += n;
        return n;
      }
    };
    // a reader that takes the first write and then goes away, as head -1 does
    OutputStream head = new OutputStream() {
      private boolean gone;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (gone) {
          throw new IOException("Broken pipe");
        }
        gone = true;
      }
    };
    java.io.StringWriter err = new java.io.StringWriter();
    int code = dev.ktriage.cli.Ktriage.run(new String[] {"parse", "--format", "jsonl", "-"}, big, head,
        new java.io.PrintWriter(err, true));
    assertEquals(0, code, err.toString());
    assertEquals("", err.toString());
    assertTrue(read[0] < total / 3, "read " + read[0] + " of " + total + " bytes after stdout was closed");
  }

  @Test
  void jsonIsOneArray() {
    var r = run("parse", "--format", "json", TestLogs.logs().resolve("multi/kcsan-warning-kasan-in-one-log.log").toString());
    JsonNode arr = json(r.out());
    assertTrue(arr.isArray());
    assertEquals(3, arr.size());
    assertEquals("KCSAN", arr.get(0).get("tool").asString());
    assertEquals("WARNING", arr.get(1).get("tool").asString());
    assertEquals("KASAN", arr.get(2).get("tool").asString());
    assertEquals("ktriage.report.v1", arr.get(2).get("schema").asString());
    // An empty result is still an array.
    assertEquals(0, json(run("parse", "--format", "json", NONE.toString()).out()).size());
  }

  @Test
  void jsonlIsOneObjectPerLine() {
    var r = run("parse", "--format", "jsonl", TestLogs.logs().resolve("multi/two-reports-interleaved-caller-ids.log").toString());
    List<String> lines = r.out().lines().toList();
    assertEquals(2, lines.size());
    for (String line : lines) {
      assertTrue(json(line).isObject(), line);
    }
    assertEquals("T8021", json(lines.get(0)).get("context").get("callerId").asString());
  }

  @Test
  void colorNeverHasNoEscapesAndAlwaysHas() {
    assertFalse(run("parse", "--color", "never", KASAN.toString()).out().contains("\u001b"));
    assertTrue(run("parse", "--color", "always", KASAN.toString()).out().contains("\u001b["));
  }
}
