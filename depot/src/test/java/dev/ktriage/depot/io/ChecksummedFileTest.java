package dev.ktriage.depot.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChecksummedFileTest {
  private static final ChecksummedFile FORMAT = new ChecksummedFile("KTTEST\0\0", 3, "test file");

  /** Reads the one long the tests write, and nothing more. */
  private static long readLong(Path file) throws Exception {
    return FORMAT.read(file, (in, length) -> {
      long v = in.readLong();
      ChecksummedFile.requireEnd(in, file);
      return v;
    });
  }

  @Test
  void writesTheFrameAroundTheBodyAndReadsItBack(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f");
    FORMAT.write(file, out -> out.writeLong(42));
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(expected);
    d.write("KTTEST\0\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    d.writeInt(3);
    d.writeLong(42);
    CRC32 crc = new CRC32();
    crc.update(expected.toByteArray());
    d.writeLong(crc.getValue());
    assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
    assertFalse(Files.exists(dir.resolve("f.tmp")));
    assertEquals(42, readLong(file));
  }

  @Test
  void refusesWhatItCannotTrust(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f");
    assertThrows(NoSuchFileException.class, () -> readLong(file));

    new ChecksummedFile("KTOTHER\0", 3, "other").write(file, out -> out.writeLong(1));
    assertEquals("not a test file (bad magic)", assertThrows(CorruptStoreException.class, () -> readLong(file)).reason());

    new ChecksummedFile("KTTEST\0\0", 4, "test file").write(file, out -> out.writeLong(1));
    SchemaVersionException v = assertThrows(SchemaVersionException.class, () -> readLong(file));
    assertEquals(4, v.found());
    assertEquals(3, v.supported());

    FORMAT.write(file, out -> out.writeLong(1));
    byte[] b = Files.readAllBytes(file);
    b[13] ^= 1;
    Files.write(file, b);
    assertEquals("checksum mismatch", assertThrows(CorruptStoreException.class, () -> readLong(file)).reason());

    FORMAT.write(file, out -> out.writeInt(1)); // a body shorter than its reader expects
    assertEquals("truncated", assertThrows(CorruptStoreException.class, () -> FORMAT.read(file, (in, length) -> {
      in.readLong();
      return in.readLong();
    })).reason());

    FORMAT.write(file, out -> {
      out.writeLong(1);
      out.writeByte(0);
    });
    assertEquals("trailing bytes before the checksum",
        assertThrows(CorruptStoreException.class, () -> readLong(file)).reason());
  }

  @Test
  void aFailedWriteLeavesTheOldFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("f");
    FORMAT.write(file, out -> out.writeLong(7));
    assertThrows(IOException.class, () -> FORMAT.write(file, out -> {
      out.writeLong(8);
      throw new IOException("body failed");
    }));
    assertEquals(7, readLong(file));
  }
}
