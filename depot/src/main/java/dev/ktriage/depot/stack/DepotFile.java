package dev.ktriage.depot.stack;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes and reads a {@link StackDepot} snapshot file.
 *
 * <p>Layout (big-endian, after Lucene's {@code CodecUtil} header/footer discipline):
 *
 * <pre>
 *   magic        8 bytes  "KTDEPOT\0"
 *   version      int      {@link #VERSION}
 *   tag          long     caller's tag: the store writes the Lucene commit generation it belongs to
 *   allocations  long, frees long
 *   frames       int n, then n modified-UTF-8 strings (the frame table, ids 0..n-1, compacted)
 *   slots        int highWater, then per slot: byte generation, int refCount (0 = free),
 *                and for a used slot int length + length frame ids
 *   crc32        long     CRC32 of every byte before it
 * </pre>
 *
 * <p>Written to a temporary file, forced to disk and renamed over the old one, so a crash leaves either
 * the old or the new snapshot, never a mix. Stateless and thread-safe.
 */
public final class DepotFile {
  private DepotFile() {} // no instance

  /** The snapshot format this build writes and reads. */
  public static final int VERSION = 1;

  private static final byte[] MAGIC = "KTDEPOT\0".getBytes(StandardCharsets.US_ASCII);

  /** A read snapshot: the depot and the tag it was written with. */
  public record Snapshot(StackDepot depot, long tag) {}

  /** Writes {@code depot} to {@code file} atomically. */
  public static void write(StackDepot depot, long tag, Path file) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    CRC32 crc = new CRC32();
    try (OutputStream os = Files.newOutputStream(tmp);
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new CrcOutputStream(os, crc), 1 << 16))) {
      synchronized (depot) {
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeLong(tag);
        out.writeLong(depot.allocationsCount());
        out.writeLong(depot.freesCount());
        // Compact the frame table: ids are renumbered densely in first-use order.
        List<String> table = new ArrayList<>();
        java.util.Map<String, Integer> ids = new java.util.HashMap<>();
        List<int[]> slots = new ArrayList<>();
        byte[] gens = depot.generationsSnapshot();
        int[] refCounts = new int[gens.length];
        for (int s = 0; s < gens.length; s++) {
          slots.add(null);
        }
        depot.forEach((handle, refCount, frames) -> {
          int slot = StackHandle.slot(handle);
          int[] f = new int[frames.size()];
          for (int i = 0; i < f.length; i++) {
            f[i] = ids.computeIfAbsent(frames.get(i), k -> {
              table.add(k);
              return table.size() - 1;
            });
          }
          slots.set(slot, f);
          refCounts[slot] = refCount;
        });
        out.writeInt(table.size());
        for (String t : table) {
          out.writeUTF(t);
        }
        out.writeInt(gens.length);
        for (int s = 0; s < gens.length; s++) {
          out.writeByte(gens[s]);
          out.writeInt(refCounts[s]);
          int[] f = slots.get(s);
          if (refCounts[s] > 0) {
            out.writeInt(f.length);
            for (int id : f) {
              out.writeInt(id);
            }
          }
        }
      }
      out.flush();
      out.writeLong(crc.getValue());
    }
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Reads a snapshot.
   *
   * @throws NoSuchFileException if there is none
   * @throws CorruptStoreException naming {@code file} for a bad magic, checksum or structure
   * @throws SchemaVersionException for another format version
   */
  public static Snapshot read(Path file) throws IOException, CorruptStoreException, SchemaVersionException {
    byte[] bytes = Files.readAllBytes(file);
    if (bytes.length < MAGIC.length + 4 + 8 || !Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new CorruptStoreException(file, "not a stack depot snapshot (bad magic)");
    }
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      in.skipNBytes(MAGIC.length);
      int version = in.readInt();
      if (version != VERSION) {
        throw new SchemaVersionException(file, version, VERSION);
      }
      CRC32 crc = new CRC32();
      crc.update(bytes, 0, bytes.length - 8);
      long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
      if (stored != crc.getValue()) {
        throw new CorruptStoreException(file, "checksum mismatch");
      }
      long tag = in.readLong();
      long allocations = in.readLong();
      long frees = in.readLong();
      int n = in.readInt();
      if (n < 0 || n > bytes.length) {
        throw new CorruptStoreException(file, "bad frame count " + n);
      }
      String[] table = new String[n];
      for (int i = 0; i < n; i++) {
        table[i] = in.readUTF();
      }
      int highWater = in.readInt();
      if (highWater < 0 || highWater > StackHandle.MAX_SLOTS || highWater > bytes.length) {
        throw new CorruptStoreException(file, "bad slot count " + highWater);
      }
      StackDepot depot = new StackDepot();
      byte[] gens = new byte[highWater];
      for (int s = 0; s < highWater; s++) {
        gens[s] = in.readByte();
        int refCount = in.readInt();
        if (refCount < 0) {
          throw new CorruptStoreException(file, "negative reference count in slot " + s);
        }
        if (refCount == 0) {
          continue;
        }
        int len = in.readInt();
        if (len <= 0 || len > StackNormalizer.MAX_FRAMES * 4) {
          throw new CorruptStoreException(file, "bad stack length " + len + " in slot " + s);
        }
        String[] frames = new String[len];
        for (int i = 0; i < len; i++) {
          int id = in.readInt();
          if (id < 0 || id >= n) {
            throw new CorruptStoreException(file, "frame id " + id + " out of range in slot " + s);
          }
          frames[i] = table[id];
        }
        try {
          depot.restore(StackHandle.pack(s, gens[s]), refCount, List.of(frames));
        } catch (IllegalStateException e) {
          throw new CorruptStoreException(file, e.getMessage(), e);
        }
      }
      if (in.available() != 8) {
        throw new CorruptStoreException(file, "trailing bytes before the checksum");
      }
      if (allocations - frees != depot.size() || frees < 0) {
        throw new CorruptStoreException(file, "counters do not match the stacks stored");
      }
      depot.finishRestore(allocations, frees, gens);
      return new Snapshot(depot, tag);
    } catch (EOFException e) {
      throw new CorruptStoreException(file, "truncated", e);
    }
  }

  /** Counts every byte written through it into a CRC32. */
  private static final class CrcOutputStream extends java.io.FilterOutputStream {
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
