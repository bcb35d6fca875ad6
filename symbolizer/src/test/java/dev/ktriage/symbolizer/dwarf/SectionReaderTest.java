package dev.ktriage.symbolizer.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

class SectionReaderTest {
  private static SectionReader reader(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) bytes[i];
    }
    return new SectionReader(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN), ".test");
  }

  @Test
  void unsignedLeb128FromTheSpec() throws Exception {
    // DWARF 5 §7.6, table 7.7.
    assertEquals(2, reader(0x02).uleb());
    assertEquals(127, reader(0x7f).uleb());
    assertEquals(128, reader(0x80, 0x01).uleb());
    assertEquals(129, reader(0x81, 0x01).uleb());
    assertEquals(130, reader(0x82, 0x01).uleb());
    assertEquals(12857, reader(0xb9, 0x64).uleb());
    assertEquals(-1L, reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01).uleb());
  }

  @Test
  void signedLeb128FromTheSpec() throws Exception {
    // DWARF 5 §7.6, table 7.8.
    assertEquals(2, reader(0x02).sleb());
    assertEquals(-2, reader(0x7e).sleb());
    assertEquals(127, reader(0xff, 0x00).sleb());
    assertEquals(-127, reader(0x81, 0x7f).sleb());
    assertEquals(128, reader(0x80, 0x01).sleb());
    assertEquals(-128, reader(0x80, 0x7f).sleb());
    assertEquals(Long.MIN_VALUE, reader(0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f).sleb());
  }

  @Test
  void redundantPaddingIsAccepted() throws Exception {
    assertEquals(1, reader(0x81, 0x80, 0x80, 0x00).uleb());
  }

  @Test
  void overlongAndTruncatedLeb128AreErrors() {
    DwarfFormatException over = assertThrows(DwarfFormatException.class,
        () -> reader(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f).uleb());
    assertEquals(DwarfFormatException.Kind.LEB128_OVERFLOW, over.kind());
    DwarfFormatException cut = assertThrows(DwarfFormatException.class, () -> reader(0x80, 0x80).uleb());
    assertEquals(DwarfFormatException.Kind.TRUNCATED, cut.kind());
    assertEquals(".test", cut.section());
    assertThrows(DwarfFormatException.class, () -> reader(0x80).sleb());
  }

  @Test
  void fixedSizeReadsAreBounded() throws Exception {
    SectionReader r = reader(1, 2, 3);
    assertEquals(0x0201, r.u16());
    assertThrows(DwarfFormatException.class, r::u16);
    assertEquals(2, r.position(), "a failed read does not move the cursor");
    assertEquals(3, r.u8());
    assertThrows(DwarfFormatException.class, r::u8);
    assertThrows(DwarfFormatException.class, () -> reader(1, 2).skip(3));
    assertThrows(DwarfFormatException.class, () -> reader('a', 'b').cString());
  }

  @Test
  void initialLengthSelectsTheDwarfFormat() throws Exception {
    int[] os = new int[1];
    assertEquals(0x10, reader(0x10, 0, 0, 0).initialLength(os));
    assertEquals(4, os[0]);
    assertEquals(0x20, reader(0xff, 0xff, 0xff, 0xff, 0x20, 0, 0, 0, 0, 0, 0, 0).initialLength(os));
    assertEquals(8, os[0]);
    assertThrows(DwarfFormatException.class, () -> reader(0xf0, 0xff, 0xff, 0xff).initialLength(os));
  }

  @Test
  void bigEndianReads() throws Exception {
    SectionReader r = new SectionReader(ByteBuffer.wrap(new byte[] {0, 0, 1, 2, 0, 1, 2}).order(ByteOrder.BIG_ENDIAN),
        ".be");
    assertEquals(0x102, r.u32());
    assertEquals(0x000102, r.u24());
  }

  /**
   * The three ways a reader holds its bytes (a heap array, a direct buffer as a mapping gives, a
   * window copied out of a section) read the same values at the same section offsets, in both byte
   * orders, and fail at the same place.
   */
  @Test
  void arrayDirectAndWindowReadersAgree() throws Exception {
    java.util.Random rnd = new java.util.Random(5);
    for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
      for (int round = 0; round < 200; round++) {
        byte[] b = new byte[64 + rnd.nextInt(64)];
        rnd.nextBytes(b);
        for (int k = 0; k < b.length; k += 5) {
          b[k] = (byte) (b[k] & 0x7f); // some one-byte LEB128s and string ends
        }
        ByteBuffer direct = ByteBuffer.allocateDirect(b.length).order(order);
        direct.put(b).clear();
        int from = rnd.nextInt(16);
        SectionReader[] readers = {
          new SectionReader(ByteBuffer.wrap(b).order(order), ".t"),
          new SectionReader(direct, ".t"),
          SectionReader.window(direct, ".t", from, b.length),
        };
        for (SectionReader r : readers) {
          r.seek(from);
        }
        long seed = rnd.nextLong();
        List<String> expected = null;
        for (SectionReader r : readers) {
          List<String> got = readAll(r, new java.util.Random(seed));
          if (expected == null) {
            expected = got;
          } else {
            assertEquals(expected, got, order + " round " + round);
          }
        }
      }
    }
  }

  private static List<String> readAll(SectionReader r, java.util.Random ops) {
    List<String> out = new java.util.ArrayList<>();
    try {
      while (true) {
        int at = r.position();
        String v = switch (ops.nextInt(9)) {
          case 0 -> "u8 " + r.u8();
          case 1 -> "u16 " + r.u16();
          case 2 -> "u24 " + r.u24();
          case 3 -> "u32 " + r.u32();
          case 4 -> "u64 " + r.u64();
          case 5 -> "uleb " + r.uleb();
          case 6 -> "sleb " + r.sleb();
          case 7 -> "str " + r.cString();
          default -> {
            r.skipLeb();
            yield "skip";
          }
        };
        out.add(at + " " + v);
      }
    } catch (DwarfFormatException e) {
      out.add("end " + e.kind() + " at " + r.position());
    }
    return out;
  }
}
