package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.github.luben.zstd.ZstdException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.lucene.util.BytesRef;

/**
 * The embedded store's framing of a report's JSON ({@link JsonCodec}: codec byte, varint length,
 * zstd with a dictionary or plain UTF-8) on any stored bytes: what it decodes has exactly the length
 * the framing claims, what it cannot decode is an {@link IllegalStateException} (bad framing) or a
 * {@link ZstdException} (a damaged frame), which the store reports as a damaged store; nothing else
 * (no index out of bounds, no huge allocation failing). What it encodes decodes to the same bytes. Saved
 * inputs in {@code src/test/resources/.../JsonCodecFuzzTestInputs/}; {@code bench/fuzz/run.sh} fuzzes.
 */
class JsonCodecFuzzTest {

  /** Any bytes as a stored value. */
  @FuzzTest(maxDuration = "1h")
  void anyStoredBytes(byte[] stored) {
    decodesOrRefuses(stored);
  }

  /** A real report's stored form (or fuzzer-chosen text's) with fuzzer-chosen edits to its bytes. */
  @FuzzTest(maxDuration = "1h")
  void editedStoredForms(FuzzedDataProvider data) {
    byte[] json = data.consumeBoolean() && !REPORTS.isEmpty()
        ? REPORTS.get(data.consumeInt(0, REPORTS.size() - 1))
        : data.consumeString(4096).getBytes(StandardCharsets.UTF_8);
    BytesRef enc = JsonCodec.encode(json);
    assertArrayEquals(json, JsonCodec.decodeUtf8(enc), "its own stored form");
    assertEquals(enc, JsonCodec.encode(new String(json, StandardCharsets.UTF_8)), "from the String as from its bytes");
    byte[] stored = BytesRef.deepCopyOf(enc).bytes;
    int edits = data.consumeInt(1, 4);
    for (int i = 0; i < edits && stored.length > 0; i++) {
      int at = data.consumeInt(0, stored.length - 1);
      switch (data.consumeInt(0, 3)) {
        case 0 -> stored[at] = data.consumeByte();
        case 1 -> stored = java.util.Arrays.copyOf(stored, at); // cut short
        case 2 -> { // bytes inserted
          byte[] ins = data.consumeBytes(8);
          byte[] s = new byte[stored.length + ins.length];
          System.arraycopy(stored, 0, s, 0, at);
          System.arraycopy(ins, 0, s, at, ins.length);
          System.arraycopy(stored, at, s, at + ins.length, stored.length - at);
          stored = s;
        }
        default -> { // bytes removed
          int n = data.consumeInt(0, Math.min(8, stored.length - at));
          byte[] s = new byte[stored.length - n];
          System.arraycopy(stored, 0, s, 0, at);
          System.arraycopy(stored, at + n, s, at, stored.length - at - n);
          stored = s;
        }
      }
    }
    decodesOrRefuses(stored);
  }

  private static void decodesOrRefuses(byte[] stored) {
    byte[] json;
    try {
      // at an offset inside a larger array, as doc values hand values out
      byte[] around = new byte[stored.length + 3];
      System.arraycopy(stored, 0, around, 2, stored.length);
      json = JsonCodec.decodeUtf8(new BytesRef(around, 2, stored.length));
    } catch (IllegalStateException | ZstdException e) {
      return; // refused, as the store expects
    }
    assertEquals(claimedLength(stored), json.length, "the length the framing claims");
  }

  /** The varint after the codec byte (decodeUtf8 returned, so it is well formed). */
  private static int claimedLength(byte[] stored) {
    int len = 0;
    for (int p = 1, shift = 0; ; p++, shift += 7) {
      len |= (stored[p] & 0x7F) << shift;
      if (stored[p] >= 0) {
        return len;
      }
    }
  }

  /** The report JSON of the testdata logs' goldens, so that edits start from real stored forms. */
  private static final List<byte[]> REPORTS = reports();

  private static List<byte[]> reports() {
    String r = System.getProperty("ktriage.root");
    Path root = (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize().resolve("testdata/logs/kasan");
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(root)) {
      return s.filter(p -> p.toString().endsWith(".json")).sorted().limit(8).map(p -> {
        try {
          return Files.readAllBytes(p);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
