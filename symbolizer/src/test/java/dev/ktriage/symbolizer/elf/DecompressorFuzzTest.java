package dev.ktriage.symbolizer.elf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Compressed debug sections from the fuzzer: a gABI compression header ({@code Elf64_Chdr} or
 * {@code Elf32_Chdr}, zlib or zstd) or a legacy {@code .zdebug} one, then the payload. Input: mode
 * (1 byte: 0 Elf64 little-endian, 1 Elf32 little-endian, 2 Elf64 big-endian, 3 .zdebug), the section.
 * A damaged section is an {@link ElfFormatException}; nothing else may escape, and no allocation
 * beyond what the payload can hold.
 */
class DecompressorFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void compressedSection(byte[] data) {
    if (data.length < 1) {
      return;
    }
    ByteBuffer section = ByteBuffer.wrap(Arrays.copyOfRange(data, 1, data.length));
    try {
      switch (data[0] & 3) {
        case 0 -> SectionDecompressor.decompressChdr(section, true, ByteOrder.LITTLE_ENDIAN, ".debug_info");
        case 1 -> SectionDecompressor.decompressChdr(section, false, ByteOrder.LITTLE_ENDIAN, ".debug_info");
        case 2 -> SectionDecompressor.decompressChdr(section, true, ByteOrder.BIG_ENDIAN, ".debug_info");
        default -> SectionDecompressor.decompressZdebug(section, ".zdebug_info");
      }
    } catch (ElfFormatException e) {
      // rejected with one line
    }
  }
}
