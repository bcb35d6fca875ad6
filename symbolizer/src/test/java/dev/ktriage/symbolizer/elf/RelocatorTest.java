package dev.ktriage.symbolizer.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import java.nio.charset.StandardCharsets;

/**
 * Relocations of debug sections in hand-built ET_REL files: AArch64 RELA (ABS64, ABS32, PREL32)
 * and i386 REL (implicit addends), resolved against the synthetic section layout.
 */
class RelocatorTest {
  /** Builds an ET_REL with .text, .debug_info and its relocation section, symbols null/.text/foo. */
  private static ByteBuffer build(boolean is64, int machine, boolean rela, ByteOrder order, byte[] debugInfo,
      long[][] relocs) {
    int ehsize = is64 ? 64 : 52;
    int shentsize = is64 ? 64 : 40;
    int symsize = is64 ? 24 : 16;
    int relsize = is64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
    byte[] strtab = "\0foo\0".getBytes(StandardCharsets.US_ASCII);
    byte[] shstr = "\0.text\0.debug_info\0.rel\0.symtab\0.strtab\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
    int textOff = ehsize;
    int infoOff = textOff + 16;
    int relOff = infoOff + debugInfo.length;
    int symOff = relOff + relocs.length * relsize;
    int strOff = symOff + 3 * symsize;
    int shstrOff = strOff + strtab.length;
    int shoff = (shstrOff + shstr.length + 7) & ~7;
    int total = shoff + 7 * shentsize;
    ByteBuffer b = ByteBuffer.allocate(total).order(order);
    b.put(0, (byte) 0x7f).put(1, (byte) 'E').put(2, (byte) 'L').put(3, (byte) 'F');
    b.put(4, (byte) (is64 ? 2 : 1)).put(5, (byte) (order == ByteOrder.LITTLE_ENDIAN ? 1 : 2)).put(6, (byte) 1);
    b.putShort(16, (short) ElfFile.ET_REL).putShort(18, (short) machine);
    if (is64) {
      b.putLong(40, shoff).putShort(58, (short) shentsize).putShort(60, (short) 7).putShort(62, (short) 6);
    } else {
      b.putInt(32, shoff).putShort(46, (short) shentsize).putShort(48, (short) 7).putShort(50, (short) 6);
    }
    b.put(infoOff, debugInfo);
    for (int i = 0; i < relocs.length; i++) {
      int p = relOff + i * relsize;
      long off = relocs[i][0];
      long sym = relocs[i][1];
      long type = relocs[i][2];
      if (is64) {
        b.putLong(p, off).putLong(p + 8, sym << 32 | type);
        if (rela) {
          b.putLong(p + 16, relocs[i][3]);
        }
      } else {
        b.putInt(p, (int) off).putInt(p + 4, (int) (sym << 8 | type));
        if (rela) {
          b.putInt(p + 8, (int) relocs[i][3]);
        }
      }
    }
    // symbols: 0 null, 1 section .text, 2 foo (FUNC, value 4 in .text)
    int[][] syms = {{0, 0, 0, 0}, {0, 3, 1, 0}, {1, 0x12, 1, 4}};
    for (int i = 0; i < 3; i++) {
      int p = symOff + i * symsize;
      b.putInt(p, syms[i][0]);
      if (is64) {
        b.put(p + 4, (byte) syms[i][1]).putShort(p + 6, (short) syms[i][2]).putLong(p + 8, syms[i][3]);
      } else {
        b.putInt(p + 4, syms[i][3]).put(p + 12, (byte) syms[i][1]).putShort(p + 14, (short) syms[i][2]);
      }
    }
    b.put(strOff, strtab).put(shstrOff, shstr);
    // name offsets in shstr: .text=1 .debug_info=7 .rel=19 .symtab=24 .strtab=32 .shstrtab=40
    long[][] sh = {
      {0, 0, 0, 0, 0, 0, 0, 0},
      {1, 1, 6, textOff, 16, 0, 0, 16},
      {7, 1, 0, infoOff, debugInfo.length, 0, 0, 1},
      {19, rela ? 4 : 9, 0, relOff, (long) relocs.length * relsize, 4, 2, 8},
      {24, 2, 0, symOff, 3L * symsize, 5, 2, 8},
      {32, 3, 0, strOff, strtab.length, 0, 0, 1},
      {40, 3, 0, shstrOff, shstr.length, 0, 0, 1}};
    for (int i = 0; i < 7; i++) {
      int p = shoff + i * shentsize;
      long[] s = sh[i];
      b.putInt(p, (int) s[0]).putInt(p + 4, (int) s[1]);
      if (is64) {
        b.putLong(p + 8, s[2]).putLong(p + 24, s[3]).putLong(p + 32, s[4]).putInt(p + 40, (int) s[5])
            .putInt(p + 44, (int) s[6]).putLong(p + 48, s[7]).putLong(p + 56, i == 3 ? relsize : i == 4 ? symsize : 0);
      } else {
        b.putInt(p + 8, (int) s[2]).putInt(p + 16, (int) s[3]).putInt(p + 20, (int) s[4]).putInt(p + 24, (int) s[5])
            .putInt(p + 28, (int) s[6]).putInt(p + 32, (int) s[7]).putInt(p + 36, i == 3 ? relsize : i == 4 ? symsize : 0);
      }
    }
    return b;
  }

  @Test
  void aarch64RelaAbsoluteAndPcRelative() throws Exception {
    for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
      long[][] relocs = {{0, 2, 257, 1}, {8, 1, 258, 8}, {12, 1, 261, 0}};
      List<String> warnings = new ArrayList<>();
      ElfFile elf = ElfFile.parse(ByteSource.of(build(true, ElfFile.EM_AARCH64, true, order, new byte[16], relocs)),
          warnings::add);
      long text = elf.section(".text").orElseThrow().address();
      assertTrue(text != 0, "allocated sections get distinct synthetic addresses");
      ByteBuffer info = elf.debugSection(".debug_info").orElseThrow();
      assertEquals(text + 4 + 1, info.getLong(0), "ABS64: foo + 1");
      assertEquals((int) (text + 8), info.getInt(8), "ABS32: .text + 8");
      assertEquals((int) (text - 12), info.getInt(12), "PREL32: .text - place (debug sections sit at 0)");
      assertTrue(warnings.isEmpty(), warnings.toString());
      assertEquals(0, elf.rawData(elf.section(".debug_info").orElseThrow()).getLong(0), "file bytes untouched");
    }
  }

  @Test
  void i386RelUsesImplicitAddendsAndSkipsUnknownTypes() throws Exception {
    byte[] data = new byte[12];
    ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 5).putInt(4, 7);
    long[][] relocs = {{0, 2, 1, 0}, {4, 1, 1, 0}, {8, 2, 99, 0}};
    List<String> warnings = new ArrayList<>();
    ElfFile elf = ElfFile.parse(ByteSource.of(build(false, ElfFile.EM_386, false, ByteOrder.LITTLE_ENDIAN, data,
        relocs)), warnings::add);
    long text = elf.section(".text").orElseThrow().address();
    ByteBuffer info = elf.debugSection(".debug_info").orElseThrow();
    assertEquals((int) (text + 4 + 5), info.getInt(0), "R_386_32: foo + stored 5");
    assertEquals((int) (text + 7), info.getInt(4), "R_386_32: .text + stored 7");
    assertEquals(0, info.getInt(8), "unknown type left alone");
    assertEquals(1, warnings.size(), warnings.toString());
    assertEquals("foo", elf.symbols().get(2).name());
    assertEquals(text + 4, elf.symbols().get(2).address());
  }
}
