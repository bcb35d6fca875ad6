package dev.ktriage.depot.stack;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.io.ChecksummedFile;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
 * <p>Magic, version and checksum frame the body, and a snapshot is replaced atomically: {@link
 * ChecksummedFile}. Stateless and thread-safe.
 */
public final class DepotFile {
  private DepotFile() {} // no instance

  /** The snapshot format this build writes and reads. */
  public static final int VERSION = 1;

  private static final ChecksummedFile FORMAT = new ChecksummedFile("KTDEPOT\0", VERSION, "stack depot snapshot");

  /** A read snapshot: the depot and the tag it was written with. */
  public record Snapshot(StackDepot depot, long tag) {}

  /** Writes {@code depot} to {@code file} atomically. */
  public static void write(StackDepot depot, long tag, Path file) throws IOException {
    FORMAT.write(file, out -> writeBody(depot, tag, out));
  }

  private static void writeBody(StackDepot depot, long tag, DataOutputStream out) throws IOException {
    synchronized (depot) {
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
  }

  /**
   * Reads a snapshot.
   *
   * @throws NoSuchFileException if there is none
   * @throws CorruptStoreException naming {@code file} for a bad magic, checksum or structure
   * @throws SchemaVersionException for another format version
   */
  public static Snapshot read(Path file) throws IOException, CorruptStoreException, SchemaVersionException {
    return FORMAT.read(file, (in, fileLength) -> readBody(in, fileLength, file));
  }

  private static Snapshot readBody(DataInputStream in, int fileLength, Path file)
      throws IOException, CorruptStoreException {
    long tag = in.readLong();
    long allocations = in.readLong();
    long frees = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > fileLength) {
      throw new CorruptStoreException(file, "bad frame count " + n);
    }
    String[] table = new String[n];
    for (int i = 0; i < n; i++) {
      table[i] = in.readUTF();
    }
    int highWater = in.readInt();
    if (highWater < 0 || highWater > StackHandle.MAX_SLOTS || highWater > fileLength) {
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
    ChecksummedFile.requireEnd(in, file);
    if (allocations - frees != depot.size() || frees < 0) {
      throw new CorruptStoreException(file, "counters do not match the stacks stored");
    }
    depot.finishRestore(allocations, frees, gens);
    return new Snapshot(depot, tag);
  }
}
