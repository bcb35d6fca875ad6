package dev.ktriage.grammar.parse;

import dev.ktriage.grammar.scan.BlockPipeline;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing: real logs with bytes flipped, lines deleted, duplicated, truncated,
 * interleaved or replaced by binary noise must parse without an exception, and every report must keep
 * its invariants (lines inside the log and in order, a title, a reason when corrupted). A failure
 * prints the seed; rerun with {@code -Dktriage.fuzz.seed=N} to reproduce.
 */
class ParserFuzzTest {

  private static final int ROUNDS = Integer.getInteger("ktriage.fuzz.rounds", 1500);

  private static List<byte[]> seeds() {
    List<byte[]> out = new ArrayList<>();
    Path testdata = Corpora.testdata();
    if (Files.isDirectory(testdata)) {
      try (Stream<Path> s = Files.walk(testdata)) {
        s.filter(p -> p.toString().endsWith(".log")).sorted().limit(200).forEach(p -> {
          try {
            out.add(Files.readAllBytes(p));
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    // The report part of a typical log, so the fuzzer always has one even without testdata.
    out.add(String.join("\n",
        "[   31.501934][ T5131] ==================================================================",
        "[   31.509972][ T5131] BUG: KASAN: slab-use-after-free in ext4_xattr_set_entry+0x1c56/0x1e70",
        "[   31.518407][ T5131] Write of size 4 at addr ffff88802a4c3118 by task syz-executor.0/5131",
        "[   31.549471][ T5131] Call Trace:",
        "[   31.552743][ T5131]  <TASK>",
        "[   31.599043][ T5131]  ext4_xattr_set_entry+0x1c56/0x1e70",
        "[   31.609983][ T5131]  ext4_xattr_ibody_set+0x12a/0x310",
        "[   31.719902][ T5131] Allocated by task 5131 on cpu 1 at 31.471098s:",
        "[   31.744467][ T5131]  ext4_xattr_inode_get+0x132/0x560",
        "[   31.985405][ T5131] ==================================================================",
        "").getBytes(StandardCharsets.UTF_8));
    return out;
  }

  @Test
  void mutatedLogsParseAndKeepInvariants() {
    List<byte[]> seeds = seeds();
    long base = Long.getLong("ktriage.fuzz.seed", 20261122L);
    int reports = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long seed = base + round;
      Random r = new Random(seed);
      byte[] input = mutate(seeds, r);
      List<Report> found = new ArrayList<>();
      ParseStats stats;
      try {
        stats = new KernelLogParser(r.nextBoolean() ? 64 : BlockPipeline.BLOCK)
            .parse(new ByteArrayInputStream(input), "fuzz.log", found::add);
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e, e);
      }
      long previous = 0;
      for (Report rep : found) {
        String where = "seed " + seed + ", report at " + rep.source().firstLine();
        assertTrue(rep.source().firstLine() >= 1, where);
        assertTrue(rep.source().firstLine() <= rep.source().lastLine(), where);
        assertTrue(rep.source().lastLine() <= stats.lines() + 1, where + " beyond " + stats.lines());
        assertTrue(rep.source().firstLine() >= previous, where + ": out of order");
        previous = rep.source().firstLine();
        assertFalse(rep.title().title().isBlank(), where);
        rep.corruption().ifPresent(c -> assertFalse(c.detail().isBlank(), where));
      }
      reports += found.size();
    }
    assertTrue(reports > 0, "the mutations should leave some reports intact");
  }

  @Test
  void reparsingAReportsOwnLinesGivesTheSameTitle() {
    for (byte[] s : seeds()) {
      String text = new String(s, StandardCharsets.UTF_8);
      List<Report> all = new KernelLogParser().parse(text, "x");
      String[] lines = text.split("\n", -1);
      for (Report rep : all) {
        StringBuilder own = new StringBuilder();
        for (long i = rep.source().firstLine(); i <= rep.source().lastLine() && i <= lines.length; i++) {
          own.append(lines[(int) i - 1]).append('\n');
        }
        List<Report> again = new KernelLogParser().parse(own.toString(), "x");
        assertFalse(again.isEmpty(), "report at line " + rep.source().firstLine() + " not found again");
        assertEquals(rep.title().title(), again.get(0).title().title());
      }
    }
  }

  private static byte[] mutate(List<byte[]> seeds, Random r) {
    byte[] a = seeds.get(r.nextInt(seeds.size())).clone();
    int kind = r.nextInt(8);
    return switch (kind) {
      case 0 -> flipBytes(a, r);
      case 1 -> truncate(a, r);
      case 2 -> deleteLines(a, r);
      case 3 -> duplicateLines(a, r);
      case 4 -> interleave(a, seeds.get(r.nextInt(seeds.size())), r);
      case 5 -> insertNoise(a, r);
      case 6 -> crlf(a, r);
      default -> flipBytes(deleteLines(a, r), r);
    };
  }

  private static byte[] flipBytes(byte[] a, Random r) {
    int n = 1 + r.nextInt(Math.max(1, a.length / 50));
    for (int i = 0; i < n && a.length > 0; i++) {
      a[r.nextInt(a.length)] = (byte) r.nextInt(256);
    }
    return a;
  }

  private static byte[] truncate(byte[] a, Random r) {
    return java.util.Arrays.copyOf(a, r.nextInt(a.length + 1));
  }

  private static List<String> lines(byte[] a) {
    return new ArrayList<>(List.of(new String(a, StandardCharsets.ISO_8859_1).split("\n", -1)));
  }

  private static byte[] join(List<String> lines) {
    return String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] deleteLines(byte[] a, Random r) {
    List<String> l = lines(a);
    int n = r.nextInt(Math.max(1, l.size() / 4));
    for (int i = 0; i < n && l.size() > 1; i++) {
      l.remove(r.nextInt(l.size()));
    }
    return join(l);
  }

  private static byte[] duplicateLines(byte[] a, Random r) {
    List<String> l = lines(a);
    int n = 1 + r.nextInt(10);
    for (int i = 0; i < n; i++) {
      int at = r.nextInt(l.size());
      l.add(r.nextInt(l.size() + 1), l.get(at));
    }
    return join(l);
  }

  private static byte[] interleave(byte[] a, byte[] b, Random r) {
    List<String> x = lines(a);
    List<String> y = lines(b);
    List<String> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < x.size() || j < y.size()) {
      if (j >= y.size() || i < x.size() && r.nextBoolean()) {
        out.add(x.get(i++));
      } else {
        out.add(y.get(j++));
      }
    }
    return join(out);
  }

  private static byte[] insertNoise(byte[] a, Random r) {
    byte[] noise = new byte[r.nextInt(4096)];
    r.nextBytes(noise);
    int at = r.nextInt(a.length + 1);
    byte[] out = new byte[a.length + noise.length];
    System.arraycopy(a, 0, out, 0, at);
    System.arraycopy(noise, 0, out, at, noise.length);
    System.arraycopy(a, at, out, at + noise.length, a.length - at);
    return out;
  }

  private static byte[] crlf(byte[] a, Random r) {
    String s = new String(a, StandardCharsets.ISO_8859_1);
    s = r.nextBoolean() ? s.replace("\n", "\r\n") : s.replace("\n", r.nextBoolean() ? "\r" : "\n\r");
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
