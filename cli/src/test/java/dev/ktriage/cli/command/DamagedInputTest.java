package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.ZstdOutputStream;
import dev.ktriage.cli.TestLogs;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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

/**
 * Damaged compressed logs and files that cannot be read: the reports before the damage are printed
 * with a one-line note, and one bad file among several does not stop the others.
 */
class DamagedInputTest {

  @TempDir Path dir;

  private interface Compressor {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  private static byte[] compress(byte[] data, Compressor c) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (OutputStream out = c.wrap(b)) {
      out.write(data);
    }
    return b.toByteArray();
  }

  private static byte[] allLogs() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Path p : TestLogs.files(".log")) {
      b.write(Files.readAllBytes(p));
    }
    return b.toByteArray();
  }

  private static List<String> titles(String jsonl) {
    return jsonl.lines().map(l -> l.replaceAll(".*\"title\":\"([^\"]*)\".*", "$1")).toList();
  }

  @Test
  void aTruncatedLogGivesTheReportsBeforeTheDamageWithANote() throws Exception {
    byte[] plain = allLogs();
    Path whole = dir.resolve("all.log");
    Files.write(whole, plain);
    List<String> all = titles(TestLogs.run("parse", "--format", "jsonl", whole.toString()).out());
    for (String kind : List.of("gz", "xz", "zst")) {
      Compressor c = switch (kind) {
        case "gz" -> GZIPOutputStream::new;
        case "xz" -> out -> new XZOutputStream(out, new LZMA2Options());
        default -> ZstdOutputStream::new;
      };
      byte[] packed = compress(plain, c);
      Path cut = dir.resolve("cut.log." + kind);
      Files.write(cut, Arrays.copyOf(packed, packed.length * 2 / 3));
      TestLogs.Run r = TestLogs.run("parse", "--format", "jsonl", cut.toString());
      assertEquals(0, r.code(), kind + ": " + r.err());
      assertEquals(1, r.err().lines().count(), kind + ": one line: " + r.err());
      assertTrue(r.err().startsWith("ktriage: " + cut + ": compressed data ends early after "), r.err());
      List<String> got = titles(r.out());
      if (!r.out().isEmpty()) {
        // the last one may be cut short by the damage (then it is a truncated report)
        assertEquals(all.subList(0, got.size() - 1), got.subList(0, got.size() - 1), kind);
      }
      if (!kind.equals("zst")) {
        // gzip and xz stream: the reports before the cut are kept (zstd loses its last block's part)
        assertTrue(got.size() > all.size() / 3, kind + ": most reports before the cut are kept: " + got.size());
      }
    }
  }

  @Test
  void aCutXzLogGivesTheReportsThatXzDcPipedToParseGives() throws Exception {
    // testdata/compressed/kasan-logs.log.xz is cat testdata/logs/kasan/*.log | xz -6 -T2 --block-size=40KiB;
    // `head -c 13210 kasan-logs.log.xz | xz -dc` prints its first 49343 bytes, `head -c 1000` its
    // first 2006 (xz 5.4.1; XzInputStreamTest checks the bytes at more cuts)
    Path fixture = TestLogs.root().resolve("testdata/compressed/kasan-logs.log.xz");
    byte[] packed = Files.readAllBytes(fixture);
    byte[] plain;
    try (var in = new org.tukaani.xz.XZInputStream(Files.newInputStream(fixture))) {
      plain = in.readAllBytes(); // the reference decoder on the whole file
    }
    for (int[] cut : new int[][] {{13210, 49343}, {1000, 2006}}) {
      Path cutXz = dir.resolve("cut-" + cut[0] + ".log.xz");
      Files.write(cutXz, Arrays.copyOf(packed, cut[0]));
      Path prefix = dir.resolve("prefix-" + cut[0] + ".log");
      Files.write(prefix, Arrays.copyOf(plain, cut[1]));
      TestLogs.Run r = TestLogs.run("parse", "--format", "jsonl", cutXz.toString());
      TestLogs.Run expected = TestLogs.run("parse", "--format", "jsonl", prefix.toString());
      assertEquals(0, r.code(), r.err());
      assertEquals(List.of("ktriage: " + cutXz + ": compressed data ends early after " + cut[1]
          + " bytes of log; the reports before that were read"), r.err().lines().toList());
      assertEquals(expected.out().replace(prefix.toString(), cutXz.toString()), r.out(), "cut at " + cut[0]);
      if (cut[0] == 13210) {
        assertTrue(titles(r.out()).size() >= 10, "half the file: half its reports: " + titles(r.out()).size());
      }
    }
  }

  @Test
  void corruptDataInTheMiddleEndsTheLogThere() throws Exception {
    byte[] plain = allLogs();
    byte[] packed = compress(plain, GZIPOutputStream::new);
    for (int i = packed.length / 2; i < packed.length / 2 + 64; i++) {
      packed[i] ^= (byte) 0x5a;
    }
    Path bad = dir.resolve("bad.log.gz");
    Files.write(bad, packed);
    TestLogs.Run r = TestLogs.run("parse", "--format", "jsonl", bad.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().startsWith("ktriage: " + bad + ": "), r.err());
    assertTrue(r.err().contains("the reports before that were read"), r.err());
    assertFalse(r.out().isEmpty());
  }

  @Test
  void oneMissingFileAmongSeveralIsSaidAndCountedAndTheOthersParsed() throws Exception {
    String demo = TestLogs.root().resolve("testdata/demo/syzkaller-console.log").toString();
    Path missing = dir.resolve("missing.log");
    TestLogs.Run r = TestLogs.run("parse", "--format", "json", demo, missing.toString(), dir.toString(), demo);
    assertEquals(2, r.code(), r.err());
    assertEquals(List.of("ktriage: " + missing + ": no such file",
        "ktriage: " + dir + ": is a directory (parse takes log files; ingest takes directories)",
        "ktriage: 2 of 4 files could not be read"), r.err().lines().toList());
    assertEquals(4, r.out().lines().filter(l -> l.contains("\"title\"")).count(), "both readable logs, in a valid array");
    assertTrue(r.out().startsWith("[") && r.out().strip().endsWith("]"), r.out());
    TestLogs.Run alone = TestLogs.run("parse", missing.toString());
    assertEquals(2, alone.code());
    assertEquals("ktriage: " + missing + ": no such file\n", alone.err());
  }
}
