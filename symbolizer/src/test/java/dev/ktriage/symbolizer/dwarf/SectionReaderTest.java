package dev.ktriage.symbolizer.dwarf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
}
