package dev.ktriage.cli.input.xz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ktriage.cli.TestLogs;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.DeltaOptions;
import org.tukaani.xz.FilterOptions;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.X86Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZInputStream;
import org.tukaani.xz.XZOutputStream;

/**
 * The streaming xz decoder: what XZ for Java writes (every check type, filter chains, several blocks,
 * concatenated streams, incompressible data) comes back whole, a cut file gives exactly what
 * {@code xz -dc} prints of it, and damage anywhere is an {@link IOException}, never anything else.
 */
class XzInputStreamTest {

  /**
   * {@code testdata/compressed/kasan-logs.log.xz}: {@code cat testdata/logs/kasan/*.log | xz -6 -T2
   * --block-size=40KiB} (xz 5.4.1: three blocks with their sizes in the headers, CRC64).
   */
  private static final Path FIXTURE = TestLogs.root().resolve("testdata/compressed/kasan-logs.log.xz");

  /**
   * Pairs of (bytes of the fixture kept, bytes {@code head -c CUT kasan-logs.log.xz | xz -dc} printed),
   * measured with xz 5.4.1: in the stream header, in the first chunk (the case that used to give
   * nothing), near each block's end, in the index and footer.
   */
  private static final int[][] XZ_DC = {
    {12, 0}, {30, 0}, {40, 1}, {100, 61}, {1000, 2006}, {5000, 17852}, {10290, 40900}, {10300, 40960},
    {10330, 40960}, {15000, 55741}, {20000, 77880}, {20900, 81920}, {25000, 95967}, {26360, 101415},
    {26380, 101447}, {26419, 101447},
  };

  private static byte[] plainLogs() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (Path p : TestLogs.files(".log")) {
      b.write(Files.readAllBytes(p));
      if (b.size() > 300_000) {
        break;
      }
    }
    return b.toByteArray();
  }

  private static byte[] xz(byte[] data, int check, FilterOptions... filters) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (XZOutputStream out = new XZOutputStream(b, filters, check)) {
      out.write(data);
    }
    return b.toByteArray();
  }

  /** Reads all of {@code in} through buffers of {@code chunk} bytes (output limits cut matches). */
  private static byte[] readAll(InputStream in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[chunk];
    int n;
    while ((n = in.read(buf, 0, chunk)) >= 0) {
      out.write(buf, 0, n);
    }
    return out.toByteArray();
  }

  private static byte[] decode(byte[] xz, int chunk) throws IOException {
    try (XzInputStream in = new XzInputStream(new ByteArrayInputStream(xz))) {
      return readAll(in, chunk);
    }
  }

  /** What a cut file gives before its EOFException (which it must end with). */
  private static byte[] decodeCut(byte[] xz, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (XzInputStream in = new XzInputStream(new ByteArrayInputStream(xz))) {
      byte[] buf = new byte[chunk];
      int n;
      while ((n = in.read(buf, 0, chunk)) >= 0) {
        out.write(buf, 0, n);
      }
      fail("a cut file read to its end without an error: " + xz.length + " bytes");
    } catch (EOFException expected) {
      // what it gave before is the answer
    } catch (IOException e) {
      throw new AssertionError("a cut file is not corrupt: " + e, e);
    }
    return out.toByteArray();
  }

  @Test
  void whatXzForJavaWritesComesBackWhole() throws IOException {
    byte[] plain = plainLogs();
    LZMA2Options fast = new LZMA2Options(0);
    LZMA2Options normal = new LZMA2Options(6);
    LZMA2Options literalContexts = new LZMA2Options(6);
    literalContexts.setLcLp(0, 4);
    literalContexts.setPb(0);
    for (int check : new int[] {XZ.CHECK_NONE, XZ.CHECK_CRC32, XZ.CHECK_CRC64, XZ.CHECK_SHA256}) {
      assertArrayEquals(plain, decode(xz(plain, check, normal), 8192), "check " + check);
    }
    assertArrayEquals(plain, decode(xz(plain, XZ.CHECK_CRC64, fast), 1), "preset 0, a byte at a time");
    assertArrayEquals(plain, decode(xz(plain, XZ.CHECK_CRC32, literalContexts), 7), "lc 0, lp 4, pb 0");
    assertArrayEquals(plain, decode(xz(plain, XZ.CHECK_CRC32, new DeltaOptions(4), normal), 4096), "delta");
    assertArrayEquals(plain, decode(xz(plain, XZ.CHECK_CRC32, new X86Options(), normal), 65536), "x86 BCJ");
  }

  @Test
  void blocksStreamsPaddingAndIncompressibleData() throws IOException {
    byte[] plain = plainLogs();
    byte[] noise = new byte[200_000];
    new SplittableRandom(18).nextBytes(noise); // stored in uncompressed LZMA2 chunks
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (XZOutputStream out = new XZOutputStream(b, new LZMA2Options(1), XZ.CHECK_CRC64)) {
      out.write(plain, 0, 100_000);
      out.endBlock();
      out.write(noise);
      out.endBlock();
      out.write(plain, 100_000, plain.length - 100_000);
    }
    b.write(new byte[8]); // stream padding
    b.write(xz(plain, XZ.CHECK_SHA256, new LZMA2Options(6)));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(plain, 0, 100_000);
    expected.write(noise);
    expected.write(plain, 100_000, plain.length - 100_000);
    expected.write(plain);
    byte[] two = b.toByteArray();
    assertArrayEquals(expected.toByteArray(), decode(two, 10_000));
    assertArrayEquals(readAll(new XZInputStream(new ByteArrayInputStream(two)), 8192), decode(two, 333));
    // cut inside the noise: an uncompressed chunk gives out its bytes up to the cut too
    byte[] cut = decodeCut(Arrays.copyOf(two, 100_000), 4096);
    assertTrue(cut.length > 100_000 && Arrays.equals(cut, 0, cut.length, expected.toByteArray(), 0, cut.length),
        "a prefix past the first block: " + cut.length);
  }

  @Test
  void aCutFileGivesExactlyWhatXzDcPrints() throws IOException {
    byte[] fixture = Files.readAllBytes(FIXTURE);
    byte[] plain = readAll(new XZInputStream(new ByteArrayInputStream(fixture)), 8192); // the reference decoder
    assertEquals(101447, plain.length);
    assertArrayEquals(plain, decode(fixture, 4096));
    for (int[] c : XZ_DC) {
      byte[] cut = Arrays.copyOf(fixture, c[0]);
      for (int chunk : new int[] {1 << 16, 1000}) {
        byte[] got = decodeCut(cut, chunk);
        assertEquals(c[1], got.length, "cut at " + c[0] + ", read " + chunk + " at a time");
        assertArrayEquals(Arrays.copyOf(plain, c[1]), got, "cut at " + c[0]);
      }
    }
  }

  @Test
  void everyCutGivesAPrefixThatGrowsWithTheCut() throws IOException {
    byte[] fixture = Files.readAllBytes(FIXTURE);
    byte[] plain = decode(fixture, 8192);
    int last = 0;
    for (int at = 12; at < fixture.length; at += 53) {
      byte[] got = decodeCut(Arrays.copyOf(fixture, at), 8192);
      assertTrue(Arrays.equals(got, 0, got.length, plain, 0, got.length), "a prefix at " + at);
      assertTrue(got.length >= last, "no shorter than a shorter cut's: " + at);
      last = got.length;
    }
    assertTrue(last > plain.length - 100, "the last cut gives nearly all: " + last);
    assertThrows(EOFException.class, () -> new XzInputStream(new ByteArrayInputStream(Arrays.copyOf(fixture, 11))));
  }

  @Test
  void damageAnywhereIsAnIOExceptionAndNothingElse() throws IOException {
    byte[] fixture = Files.readAllBytes(FIXTURE);
    SplittableRandom r = new SplittableRandom(1918);
    for (int at = 0; at < fixture.length; at += 37) {
      byte[] bad = fixture.clone();
      bad[at] ^= (byte) (1 + r.nextInt(255));
      try {
        decode(bad, 8192);
        fail("damage at " + at + " went unnoticed");
      } catch (IOException e) {
        // what damage is; anything else (a RuntimeException, an Error) fails the test
      }
    }
    for (byte[] notXz : List.of(new byte[0], "not xz at all".getBytes(java.nio.charset.StandardCharsets.US_ASCII))) {
      assertThrows(IOException.class, () -> decode(notXz, 100));
    }
  }
}
