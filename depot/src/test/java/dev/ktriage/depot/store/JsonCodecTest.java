package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.Test;

class JsonCodecTest {
  @Test
  void roundTripsAndCompresses() {
    StringBuilder sb = new StringBuilder("{\"schema\":\"ktriage.report.v1\",\"frames\":[");
    for (int i = 0; i < 40; i++) {
      sb.append("{\"function\":\"ext4_xattr_set_entry_").append(i).append("\",\"offset\":").append(i * 17)
          .append(",\"module\":null,\"file\":\"fs/ext4/xattr.c\",\"line\":").append(1000 + i).append("},");
    }
    sb.append("{\"task\":\"kworker/0:1 \u00e9\u4e2d\ud83d\ude00\"}]}");
    String json = sb.toString();
    BytesRef enc = JsonCodec.encode(json);
    assertEquals(JsonCodec.ZSTD_DICT_1, enc.bytes[enc.offset]);
    assertTrue(enc.length < json.length() / 4, "compressed to " + enc.length + " of " + json.length());
    assertEquals(json, JsonCodec.decode(enc));
    // at an offset inside a bigger array, as doc values hand it out
    byte[] big = new byte[enc.length + 10];
    System.arraycopy(enc.bytes, enc.offset, big, 7, enc.length);
    assertEquals(json, JsonCodec.decode(new BytesRef(big, 7, enc.length)));
    assertEquals("", JsonCodec.decode(JsonCodec.encode("")));
  }

  @Test
  void bytesAndStringGiveTheSameStoredForm() {
    StringBuilder sb = new StringBuilder("{\"rows\":[");
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    // past the 16 KiB scratch buffer, with text zstd cannot shrink much (the scratch must grow)
    while (sb.length() < 100_000) {
      sb.append('"').append(Long.toHexString(r.nextLong())).append("\u00e9\",");
    }
    sb.append("\"end\"]}");
    for (String json : new String[] {sb.toString(), "{}", ""}) {
      BytesRef fromString = JsonCodec.encode(json);
      BytesRef fromBytes = JsonCodec.encode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      assertEquals(fromString, fromBytes);
      assertEquals(fromBytes.length, fromBytes.bytes.length, "exactly sized");
      assertEquals(json, JsonCodec.decode(fromBytes));
    }
  }

  @Test
  void framingThatDisagreesWithItselfIsRefused() {
    byte[] raw = {JsonCodec.RAW, 3, '{', '}'}; // claims 3 bytes, has 2
    org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> JsonCodec.decodeUtf8(new BytesRef(raw)));
    assertEquals("{}", JsonCodec.decode(new BytesRef(new byte[] {JsonCodec.RAW, 2, '{', '}'})));
  }

  @Test
  void aCompressedValueWhoseLengthFieldDisagreesWithItsFrameIsRefusedBeforeAllocating() {
    String json = "{\"title\":\"KASAN: slab-use-after-free Read in ext4_xattr_set_entry\",\"frames\":[]}";
    BytesRef enc = JsonCodec.encode(json);
    assertEquals(JsonCodec.ZSTD_DICT_1, enc.bytes[enc.offset]);
    byte[] stored = java.util.Arrays.copyOfRange(enc.bytes, enc.offset, enc.offset + enc.length);
    int varint = 1;
    while (stored[varint] < 0) {
      varint++;
    }
    // the same frame behind a length field that claims 2^27 bytes (four varint bytes)
    byte[] damaged = new byte[1 + 4 + stored.length - varint - 1];
    damaged[0] = stored[0];
    damaged[1] = (byte) 0x80;
    damaged[2] = (byte) 0x80;
    damaged[3] = (byte) 0x80;
    damaged[4] = 0x40;
    System.arraycopy(stored, varint + 1, damaged, 5, stored.length - varint - 1);
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> JsonCodec.decodeUtf8(new BytesRef(damaged)));
    assertTrue(e.getMessage().contains("claims 134217728 bytes, its zstd frame " + json.length()), e.getMessage());
  }
}
