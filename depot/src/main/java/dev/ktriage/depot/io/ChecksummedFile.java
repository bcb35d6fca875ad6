package dev.ktriage.depot.io;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.StoreAccessException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * One binary file format of the depot (the stack depot snapshot, the cluster state): the frame around
 * its body, and how it is replaced on disk.
 *
 * <p>Frame (big-endian, after Lucene's {@code CodecUtil} header/footer discipline):
 *
 * <pre>
 *   magic        8 bytes  the format's magic
 *   version      int      the format's version
 *   body         ...      the format's own
 *   crc32        long     CRC32 of every byte before it
 * </pre>
 *
 * <p>Written to a temporary file beside the target ({@code 0600}, see {@link PrivateFiles}), forced to disk
 * and renamed over the old one, so a crash leaves either the old or the new file, never a mix.
 * Immutable and thread-safe.
 */
public final class ChecksummedFile {
  private static final int CRC_BYTES = 8;

  private final byte[] magic;
  private final int version;
  private final String kind;

  /**
   * @param magic the format's 8 ASCII bytes
   * @param version the one version this build writes and reads
   * @param kind what such a file is, for the bad-magic message ("stack depot snapshot")
   */
  public ChecksummedFile(String magic, int version, String kind) {
    this.magic = magic.getBytes(StandardCharsets.US_ASCII);
    if (this.magic.length != 8) {
      throw new IllegalArgumentException("a magic is 8 bytes: " + magic);
    }
    this.version = version;
    this.kind = kind;
  }

  /** Writes a body between the header and the checksum. */
  @FunctionalInterface
  public interface BodyWriter {
    void write(DataOutputStream out) throws IOException;
  }

  /** Reads a body whose frame has been checked; {@code fileLength} bounds the counts it reads. */
  @FunctionalInterface
  public interface BodyReader<T> {
    T read(DataInputStream in, int fileLength) throws IOException, CorruptStoreException;
  }

  /** Writes {@code file} atomically: header, {@code body}, checksum. */
  public void write(Path file, BodyWriter body) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 crc = new CRC32();
    boolean moved = false;
    try {
      // a temporary file left by a crash is replaced: nothing reads it
      Files.deleteIfExists(tmp);
      try (OutputStream os = PrivateFiles.createNew(tmp);
          DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CrcOutputStream(os, crc), 1 << 16))) {
        out.write(magic);
        out.writeInt(version);
        body.write(out);
        out.flush();
        out.writeLong(crc.getValue());
      }
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      moved = true;
    } catch (IOException e) {
      StoreAccessException a = IoFailures.classify(file, e, true);
      throw a != null ? a : e;
    } finally {
      if (!moved) {
        try {
          Files.deleteIfExists(tmp); // a failed write leaves the old file, and nothing else, behind
        } catch (IOException ignored) {
          // the failure that got here says more (a read-only or full file system fails this too)
        }
      }
    }
  }

  /**
   * Reads {@code file}: checks the magic, the version and the checksum, then hands the body to
   * {@code body}, which ends with {@link #requireEnd}.
   *
   * @throws NoSuchFileException if there is none
   * @throws CorruptStoreException naming {@code file} for a bad magic or checksum, a truncated body, or
   *     whatever {@code body} finds wrong
   * @throws SchemaVersionException for another format version
   */
  public <T> T read(Path file, BodyReader<T> body) throws IOException, CorruptStoreException, SchemaVersionException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      StoreAccessException a = IoFailures.classify(file, e, false);
      throw a != null ? a : e;
    }
    if (bytes.length < magic.length + 4 + CRC_BYTES || !Arrays.equals(bytes, 0, magic.length, magic, 0, magic.length)) {
      throw new CorruptStoreException(file, "not a " + kind + " (bad magic)");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      in.skipNBytes(magic.length);
      int found = in.readInt();
      if (found != version) {
        throw new SchemaVersionException(file, found, version);
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - CRC_BYTES);
      long stored = ByteBuffer.wrap(bytes, bytes.length - CRC_BYTES, CRC_BYTES).getLong();
      if (stored != crc.getValue()) {
        throw new CorruptStoreException(file, "checksum mismatch");
      }
      return body.read(in, bytes.length);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "truncated", e);
    }
  }

  /**
   * Checks that a body read all it holds: only the checksum is left. A body reader calls it before its
   * last consistency checks, so that a file with stray bytes is named for them first.
   */
  public static void requireEnd(DataInputStream in, Path file) throws IOException, CorruptStoreException {
    if (in.available() != CRC_BYTES) {
      throw new CorruptStoreException(file, "trailing bytes before the checksum");
    }
  }

  /** Counts every byte written through it into a CRC32. */
  private static final class CrcOutputStream extends FilterOutputStream {
    private final CRC32 crc;

    CrcOutputStream(OutputStream out, CRC32 crc) {
      super(out);
      this.crc = crc;
    }

    @Override
    public void write(int b) throws IOException {
      crc.update(b);
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      crc.update(b, off, len);
      out.write(b, off, len);
    }
  }
}
