package dev.ktriage.symbolizer.cache;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * A persistent index file from the fuzzer, read as the symbolizer reads one, then every lookup a
 * caller makes. The input's checksum is set right first (and its build-id and object size are what
 * the reader is told to expect), so that the fuzzer reaches the structure past the checksum, which a
 * writer bug or a forged file would present. A rejection is a {@link CorruptIndexException}; a
 * lookup may rethrow a stored {@link DwarfFormatException}; nothing else may escape.
 */
class IndexReaderFuzzTest {
  private static final Path FILE;

  static {
    try {
      FILE = Files.createTempFile("ktriage-fuzz", ".ktidx");
      FILE.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  @FuzzTest(maxDuration = "10m")
  void indexFile(byte[] data) throws IOException {
    byte[] b = data.clone();
    String buildId = "";
    long size = 0;
    if (b.length >= 64) {
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      CRC32 crc = new CRC32();
      crc.update(b, 0, b.length - 8);
      bb.putInt(b.length - 8, (int) crc.getValue());
      size = bb.getLong(16);
      int n = bb.getInt(24);
      if (n > 0 && n <= 64 && 32 + n <= b.length) {
        buildId = new String(b, 32, n, StandardCharsets.US_ASCII);
      }
    }
    Files.write(FILE, b);
    IndexedDebugInfo idx;
    try {
      idx = IndexedDebugInfo.open(FILE, buildId, size, PathStyle.TREE);
    } catch (CorruptIndexException e) {
      return;
    }
    SymbolTable symbols = idx.symbols();
    for (int i = 0; i < Math.min(symbols.size(), 256); i++) {
      long a = symbols.address(i);
      symbols.byName(symbols.name(i));
      symbols.symbolAt(a);
      for (long off = 0; off < Math.min(symbols.kallsymsSize(i), 64); off += 3) {
        try {
          idx.frames(a + off);
        } catch (DwarfFormatException e) {
          // an error the index stored for this address: what the live decoder threw
        }
      }
    }
  }
}
