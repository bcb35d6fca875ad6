package dev.ktriage.depot.cluster;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import dev.ktriage.depot.io.ChecksummedFile;
import dev.ktriage.depot.signature.Evidence;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes and reads a {@link Clusterer}'s state, so that opening a big store does not re-cluster it.
 *
 * <p>Layout (big-endian, the same discipline as the depot snapshot):
 *
 * <pre>
 *   magic        8 bytes  "KTCLUST\0"
 *   version      int      {@link #VERSION}
 *   tag          long     caller's tag: the store writes the Lucene commit it belongs to
 *   config       double threshold, int maxExemplars, int maxPostings, int maxCandidates
 *   nextId       long
 *   strings      int n, then n strings (tools, bug classes, roles, guilty frames: the repeated ones)
 *   clusters     int n, then per cluster: long id, long size, titles (int n, strings), exact keys
 *                (int n, strings), exemplars (int n, then each: int tool, int bug class, int key index,
 *                int guilty (-1 = none), byte stacks, then per stack int role + int depot handle, then
 *                the evidence as a string, {@link dev.ktriage.depot.signature.Evidence#encode()})
 *   exemplar log int n, then n cluster indexes (the order exemplars were taken: the postings' order)
 *   crc32        long     CRC32 of every byte before it
 * </pre>
 *
 * <p>Exemplar stacks are stored as stack depot handles ({@link Stacks}): the depot snapshot of the
 * same tag holds their frames. Magic, version and checksum frame the body, and a state is replaced
 * atomically: {@link ChecksummedFile}. A state written with another clustering {@link Clusterer.Config}
 * is refused as stale: it decided with other rules. Stateless and thread-safe.
 */
public final class ClusterFile {
  private ClusterFile() {} // no instance

  /** The format this build writes and reads. */
  public static final int VERSION = 2;

  private static final ChecksummedFile FORMAT = new ChecksummedFile("KTCLUST\0", VERSION, "cluster state file");

  /** How exemplar stacks become depot handles and back. */
  public interface Stacks {
    /** The handle of a stored stack; 0 (no handle is) when the depot does not hold it. */
    int handleOf(List<String> frames);

    /** The frames of a handle; empty when the depot does not hold it. */
    List<String> framesOf(int handle);
  }

  /** A read state: the clusterer and the tag it was written with. */
  public record Loaded(Clusterer clusterer, long tag) {}

  /**
   * Writes a clusterer's state to {@code file} atomically.
   *
   * @throws IOException also when an exemplar's stack is not in the depot (the caller's state is broken)
   */
  public static void write(Clusterer clusterer, long tag, Stacks stacks, Path file) throws IOException {
    FORMAT.write(file, out -> writeBody(clusterer, tag, stacks, out));
  }

  private static void writeBody(Clusterer clusterer, long tag, Stacks stacks, DataOutputStream out)
      throws IOException {
    Clusterer.State state = clusterer.state();
    Clusterer.Config cfg = clusterer.config();
    out.writeLong(tag);
    out.writeDouble(cfg.threshold());
    out.writeInt(cfg.maxExemplars());
    out.writeInt(cfg.maxPostings());
    out.writeInt(cfg.maxCandidates());
    out.writeLong(state.nextId());
    // the repeated small strings first, as a table
    List<String> table = new ArrayList<>();
    Map<String, Integer> ids = new HashMap<>();
    java.util.function.ToIntFunction<String> id = s -> ids.computeIfAbsent(s, k -> {
      table.add(k);
      return table.size() - 1;
    });
    for (Clusterer.ClusterState c : state.clusters()) {
      for (Signature e : c.exemplars()) {
        id.applyAsInt(e.tool().name());
        id.applyAsInt(e.bugClass());
        e.guilty().ifPresent(id::applyAsInt);
        inRoleOrder(e.stacks()).keySet().forEach(r -> id.applyAsInt(r.name()));
      }
    }
    out.writeInt(table.size());
    for (String s : table) {
      writeString(out, s);
    }
    Map<Long, Integer> index = new HashMap<>();
    out.writeInt(state.clusters().size());
    for (Clusterer.ClusterState c : state.clusters()) {
      index.put(c.id(), index.size());
      out.writeLong(c.id());
      out.writeLong(c.size());
      writeStrings(out, c.titles());
      writeStrings(out, c.exactKeys());
      out.writeInt(c.exemplars().size());
      for (Signature e : c.exemplars()) {
        out.writeInt(ids.get(e.tool().name()));
        out.writeInt(ids.get(e.bugClass()));
        int key = c.exactKeys().indexOf(e.exactKey());
        if (key < 0) {
          throw new IOException("cluster " + c.id() + ": an exemplar's key is not among the cluster's keys");
        }
        out.writeInt(key);
        out.writeInt(e.guilty().map(ids::get).orElse(-1));
        out.writeByte(e.stacks().size());
        for (var s : inRoleOrder(e.stacks()).entrySet()) {
          int h = stacks.handleOf(s.getValue());
          if (h == 0) {
            throw new IOException("cluster " + c.id() + ": an exemplar's stack is not in the depot");
          }
          out.writeInt(ids.get(s.getKey().name()));
          out.writeInt(h);
        }
        writeString(out, e.evidence().encode());
      }
    }
    out.writeInt(state.exemplarLog().size());
    for (long c : state.exemplarLog()) {
      out.writeInt(index.get(c));
    }
  }

  /**
   * Reads a state.
   *
   * @throws NoSuchFileException if there is none
   * @throws CorruptStoreException naming {@code file} for a bad magic, checksum or structure, a stack
   *     the depot does not hold, or a state written with another configuration than {@code config}
   * @throws SchemaVersionException for another format version
   */
  public static Loaded read(Path file, Clusterer.Config config, Stacks stacks)
      throws IOException, CorruptStoreException, SchemaVersionException {
    return FORMAT.read(file, (in, fileLength) -> {
      try {
        return readBody(in, fileLength, file, config, stacks);
      } catch (IllegalArgumentException e) { // an unknown tool or role name, or a state the clusterer refuses
        throw new CorruptStoreException(file, e.getMessage(), e);
      }
    });
  }

  private static Loaded readBody(DataInputStream in, int fileLength, Path file, Clusterer.Config config, Stacks stacks)
      throws IOException, CorruptStoreException {
    long tag = in.readLong();
    Clusterer.Config written = new Clusterer.Config(in.readDouble(), in.readInt(), in.readInt(), in.readInt());
    if (!written.equals(config)) {
      throw new CorruptStoreException(file, "written with other clustering settings " + written);
    }
    long nextId = in.readLong();
    String[] table = new String[count(in, fileLength, file)];
    for (int i = 0; i < table.length; i++) {
      table[i] = readString(in, fileLength, file);
    }
    int n = count(in, fileLength, file);
    List<Clusterer.ClusterState> clusters = new ArrayList<>(n);
    List<Long> ids = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      long id = in.readLong();
      long size = in.readLong();
      List<String> titles = readStrings(in, fileLength, file);
      List<String> keys = readStrings(in, fileLength, file);
      int ne = count(in, fileLength, file);
      List<Signature> exemplars = new ArrayList<>(ne);
      for (int e = 0; e < ne; e++) {
        Tool tool = Tool.valueOf(entry(table, in.readInt(), file));
        String bugClass = entry(table, in.readInt(), file);
        int key = in.readInt();
        if (key < 0 || key >= keys.size()) {
          throw new CorruptStoreException(file, "key index out of range in cluster " + id);
        }
        int g = in.readInt();
        Optional<String> guilty = g < 0 ? Optional.empty() : Optional.of(entry(table, g, file));
        int ns = in.readUnsignedByte();
        Map<StackRole, List<String>> st = new EnumMap<>(StackRole.class);
        for (int s = 0; s < ns; s++) {
          StackRole role = StackRole.valueOf(entry(table, in.readInt(), file));
          List<String> frames = stacks.framesOf(in.readInt());
          if (frames.isEmpty()) {
            throw new CorruptStoreException(file, "cluster " + id + " names a stack the depot does not hold");
          }
          st.put(role, frames);
        }
        Evidence evidence = Evidence.decode(readString(in, fileLength, file));
        exemplars.add(new Signature(tool, bugClass, keys.get(key), guilty, st, evidence));
      }
      clusters.add(new Clusterer.ClusterState(id, size, titles, keys, exemplars));
      ids.add(id);
    }
    int nl = count(in, fileLength, file);
    List<Long> log = new ArrayList<>(nl);
    for (int i = 0; i < nl; i++) {
      int c = in.readInt();
      if (c < 0 || c >= ids.size()) {
        throw new CorruptStoreException(file, "exemplar log entry out of range");
      }
      log.add(ids.get(c));
    }
    ChecksummedFile.requireEnd(in, file);
    return new Loaded(Clusterer.fromState(config, new Clusterer.State(nextId, clusters, log)), tag);
  }

  private static int count(DataInputStream in, int fileLength, Path file) throws IOException, CorruptStoreException {
    int n = in.readInt();
    if (n < 0 || n > fileLength) {
      throw new CorruptStoreException(file, "bad count " + n);
    }
    return n;
  }

  private static String entry(String[] table, int i, Path file) throws CorruptStoreException {
    if (i < 0 || i >= table.length) {
      throw new CorruptStoreException(file, "string index out of range");
    }
    return table[i];
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(b.length);
    out.write(b);
  }

  private static void writeStrings(DataOutputStream out, List<String> list) throws IOException {
    out.writeInt(list.size());
    for (String s : list) {
      writeString(out, s);
    }
  }

  private static String readString(DataInputStream in, int fileLength, Path file) throws IOException, CorruptStoreException {
    int len = count(in, fileLength, file);
    return new String(in.readNBytes(len), StandardCharsets.UTF_8);
  }

  private static List<String> readStrings(DataInputStream in, int fileLength, Path file)
      throws IOException, CorruptStoreException {
    int n = count(in, fileLength, file);
    List<String> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(readString(in, fileLength, file));
    }
    return out;
  }

  // In role order, so that the file is the same from one JVM to the next (Map.copyOf's order is not);
  // EnumMap's copy constructor refuses an empty plain map, and an exemplar may have no stacks.
  private static <V> EnumMap<StackRole, V> inRoleOrder(Map<StackRole, V> stacks) {
    EnumMap<StackRole, V> m = new EnumMap<>(StackRole.class);
    m.putAll(stacks);
    return m;
  }
}
