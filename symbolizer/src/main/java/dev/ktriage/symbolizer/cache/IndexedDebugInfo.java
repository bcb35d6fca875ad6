package dev.ktriage.symbolizer.cache;

import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.symbolize.DebugInfo;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.CRC32;

/**
 * {@link DebugInfo} served from a memory-mapped persistent index: every lookup is a few binary
 * searches over sorted primitive arrays, with no DWARF decoding, so a warm start costs only the
 * mapping and the CRC check.
 *
 * <p>The file is validated completely when opened (magic, version, build-id, object size, CRC32 of
 * every byte, array bounds); any mismatch is a {@link CorruptIndexException}. Immutable and
 * thread-safe.
 */
public final class IndexedDebugInfo implements DebugInfo {
  private final PathStyle paths;
  private final SymbolTable symbols;
  private final LongBuffer unitLo;
  private final LongBuffer unitHi;
  private final LongBuffer ivLo;
  private final IntBuffer ivEntry;
  private final IntBuffer parent;
  private final IntBuffer name;
  private final IntBuffer linkage;
  private final IntBuffer callFile;
  private final IntBuffer callLine;
  private final IntBuffer callColumn;
  private final IntBuffer fileRaw;
  private final IntBuffer fileTree;
  private final LongBuffer lineAddr;
  private final IntBuffer lineFile;
  private final IntBuffer lineLine;
  private final IntBuffer lineColumn;
  private final IntBuffer stringOffsets;
  private final ByteBuffer stringBlob;
  /** Decoded strings; racy but benign (every thread decodes the same value). */
  private final String[] stringCache;

  private IndexedDebugInfo(Path file, ByteBuffer b, String buildId, long objectSize, PathStyle paths)
      throws CorruptIndexException {
    this.paths = paths;
    Cursor c = new Cursor(file, b);
    if (b.limit() < 64) {
      throw new CorruptIndexException(file, "too short");
    }
    if (b.getLong(0) != IndexFormat.MAGIC) {
      throw new CorruptIndexException(file, "bad magic");
    }
    if (b.getInt(8) != IndexFormat.VERSION) {
      throw new CorruptIndexException(file, "format version " + b.getInt(8) + ", expected " + IndexFormat.VERSION);
    }
    int end = b.limit();
    if (b.getInt(end - 4) != IndexFormat.END) {
      throw new CorruptIndexException(file, "bad footer (truncated?)");
    }
    CRC32 crc = new CRC32();
    crc.update(b.duplicate().position(0).limit(end - 8));
    if ((int) crc.getValue() != b.getInt(end - 8)) {
      throw new CorruptIndexException(file, "checksum mismatch");
    }
    if (b.getLong(16) != objectSize) {
      throw new CorruptIndexException(file, "built for an object of another size");
    }
    c.seek(24);
    byte[] id = c.bytes();
    if (!new String(id, StandardCharsets.US_ASCII).equals(buildId)) {
      throw new CorruptIndexException(file, "built for another build-id");
    }
    Map<Integer, long[]> dir = new HashMap<>();
    long dirOffset = b.getLong(end - 16);
    c.seek(dirOffset);
    int count = c.i32();
    for (int i = 0; i < count; i++) {
      int sid = c.i32();
      dir.put(sid, new long[] {c.i64(), c.i64()});
    }
    c.at(dir, IndexFormat.S_SYMBOLS);
    long[] sAddr = c.longArray();
    long[] sSize = c.longArray();
    long[] sElf = c.longArray();
    int[] sSec = c.intArray();
    int[] sName = c.intArray();
    byte[] sBlob = c.bytes();
    int[] sHash = c.intArray();
    int[] sSame = c.intArray();
    int n = sAddr.length;
    if (sSize.length != n || sElf.length != n || sSec.length != n || sName.length != n || sSame.length != n
        || Integer.bitCount(sHash.length) != 1) {
      throw new CorruptIndexException(file, "inconsistent symbol arrays");
    }
    for (int i = 0; i < n; i++) {
      if (sName[i] < 0 || sName[i] >= sBlob.length || sSame[i] < -1 || sSame[i] >= n) {
        throw new CorruptIndexException(file, "symbol references out of range");
      }
    }
    for (int h : sHash) {
      if (h < 0 || h > n) {
        throw new CorruptIndexException(file, "symbol hash out of range");
      }
    }
    if (sBlob.length > 0 && sBlob[sBlob.length - 1] != 0) {
      throw new CorruptIndexException(file, "symbol names unterminated");
    }
    symbols = SymbolTable.fromArrays(sAddr, sSize, sElf, sSec, sName, sBlob, sHash, sSame);
    c.at(dir, IndexFormat.S_UNITS);
    unitLo = c.longs();
    unitHi = c.longs();
    c.at(dir, IndexFormat.S_INTERVALS);
    ivLo = c.longs();
    ivEntry = c.ints();
    c.at(dir, IndexFormat.S_ENTRIES);
    parent = c.ints();
    name = c.ints();
    linkage = c.ints();
    callFile = c.ints();
    callLine = c.ints();
    callColumn = c.ints();
    c.at(dir, IndexFormat.S_FILES);
    fileRaw = c.ints();
    fileTree = c.ints();
    c.at(dir, IndexFormat.S_LINES);
    lineAddr = c.longs();
    lineFile = c.ints();
    lineLine = c.ints();
    lineColumn = c.ints();
    c.at(dir, IndexFormat.S_STRINGS);
    stringOffsets = c.ints();
    ByteBuffer blob = c.bytesView();
    stringBlob = blob;
    validate(file);
    stringCache = new String[stringOffsets.limit() - 1];
  }

  /**
   * Cross-checks array sizes. Per-element indexes are checked where they are used ({@link #frames}),
   * which keeps a warm start from touching every page of the file twice; the CRC already rules out
   * accidental damage, so those checks only guard against a writer bug.
   */
  private void validate(Path file) throws CorruptIndexException {
    int strings = stringOffsets.limit() - 1;
    int files = fileRaw.limit();
    int entries = parent.limit();
    boolean ok = strings >= 0 && unitLo.limit() == unitHi.limit() && ivLo.limit() == ivEntry.limit()
        && fileTree.limit() == files && name.limit() == entries && linkage.limit() == entries
        && callFile.limit() == entries && callLine.limit() == entries && callColumn.limit() == entries
        && lineFile.limit() == lineAddr.limit() && lineLine.limit() == lineAddr.limit()
        && lineColumn.limit() == lineAddr.limit() && stringOffsets.get(strings) <= stringBlob.limit();
    if (!ok) {
      throw new CorruptIndexException(file, "inconsistent index arrays");
    }
  }

  /**
   * Maps and validates an index file.
   *
   * @throws CorruptIndexException if it is damaged or belongs to another object
   * @throws IOException if it cannot be read
   */
  public static IndexedDebugInfo open(Path file, String buildId, long objectSize, PathStyle paths)
      throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE) {
        throw new CorruptIndexException(file, "larger than 2 gib");
      }
      ByteBuffer b = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      return new IndexedDebugInfo(file, b, buildId, objectSize, paths);
    }
  }

  public SymbolTable symbols() {
    return symbols;
  }

  @Override
  public boolean decodesOnDemand() {
    return false;
  }

  @Override
  public int unitCount() {
    return unitLo.limit();
  }

  @Override
  public long unitKey(long pc) {
    int i = floor(unitLo, pc);
    for (int k = i; k >= 0 && k > i - 16; k--) {
      if (Long.compareUnsigned(unitLo.get(k), pc) <= 0 && Long.compareUnsigned(pc, unitHi.get(k)) < 0) {
        return k;
      }
    }
    return -1;
  }

  /** Index of the last element {@code <= key} (unsigned), or -1. */
  private static int floor(LongBuffer a, long key) {
    int lo = 0;
    int hi = a.limit() - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(a.get(mid), key) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  @Override
  public List<SourceFrame> frames(long pc) {
    if (unitKey(pc) < 0) {
      return List.of();
    }
    Optional<String> file = Optional.empty();
    OptionalInt line = OptionalInt.empty();
    OptionalInt column = OptionalInt.empty();
    int row = floor(lineAddr, pc);
    if (row >= 0 && lineFile.get(row) != -1) {
      file = path(lineFile.get(row));
      line = positive(lineLine.get(row));
      column = positive(lineColumn.get(row));
    }
    int iv = floor(ivLo, pc);
    int deepest = iv < 0 ? -1 : ivEntry.get(iv);
    if (deepest < 0 || deepest >= parent.limit()) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    List<SourceFrame> out = new ArrayList<>(4);
    for (int e = deepest; e >= 0; e = parent.get(e)) {
      int p = parent.get(e);
      if (p >= e) {
        break; // parents precede children; anything else is a damaged file
      }
      String nm = string(name.get(e));
      String lk = string(linkage.get(e));
      String fname = nm != null ? nm : lk != null ? lk : "";
      Optional<String> link = lk != null && !lk.equals(fname) ? Optional.of(lk) : Optional.empty();
      out.add(new SourceFrame(fname, link, file, line, column, p >= 0));
      // The caller's position is where this entry was inlined (DW_AT_call_*).
      file = path(callFile.get(e));
      line = positive(callLine.get(e));
      column = positive(callColumn.get(e));
    }
    return out;
  }

  private Optional<String> path(int fileIndex) {
    if (fileIndex < 0 || fileIndex >= fileRaw.limit()) {
      return Optional.empty();
    }
    String p = string(paths.raw() ? fileRaw.get(fileIndex) : fileTree.get(fileIndex));
    return Optional.ofNullable(paths.apply(p));
  }

  private String string(int i) {
    if (i < 0 || i >= stringCache.length) {
      return null;
    }
    String cached = stringCache[i];
    if (cached != null) {
      return cached;
    }
    int s = stringOffsets.get(i);
    int e = stringOffsets.get(i + 1);
    if (s < 0 || e < s || e > stringBlob.limit()) {
      return null;
    }
    byte[] b = new byte[e - s];
    stringBlob.get(s, b);
    String str = new String(b, StandardCharsets.UTF_8);
    stringCache[i] = str;
    return str;
  }

  private static OptionalInt positive(int v) {
    return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
  }

  /** Bounds-checked reader over the mapped file. */
  private static final class Cursor {
    private final Path file;
    private final ByteBuffer b;
    private long pos;
    private long sectionEnd;

    Cursor(Path file, ByteBuffer b) {
      this.file = file;
      this.b = b;
      this.sectionEnd = b.limit();
    }

    void seek(long p) throws CorruptIndexException {
      if (p < 0 || p > b.limit()) {
        throw new CorruptIndexException(file, "offset out of range");
      }
      pos = p;
      sectionEnd = b.limit();
    }

    void at(Map<Integer, long[]> dir, int id) throws CorruptIndexException {
      long[] e = dir.get(id);
      if (e == null || e[0] < 0 || e[1] < 0 || e[0] + e[1] > b.limit() - IndexFormat.FOOTER_SIZE) {
        throw new CorruptIndexException(file, "missing or bad section " + id);
      }
      pos = e[0];
      sectionEnd = e[0] + e[1];
    }

    private void need(long n) throws CorruptIndexException {
      if (n < 0 || pos + n > sectionEnd) {
        throw new CorruptIndexException(file, "array past end of section");
      }
    }

    int i32() throws CorruptIndexException {
      need(4);
      int v = b.getInt((int) pos);
      pos += 4;
      return v;
    }

    long i64() throws CorruptIndexException {
      need(8);
      long v = b.getLong((int) pos);
      pos += 8;
      return v;
    }

    private int count() throws CorruptIndexException {
      int n = i32();
      pos = (pos + 7) & ~7L;
      if (n < 0) {
        throw new CorruptIndexException(file, "negative array length");
      }
      return n;
    }

    IntBuffer ints() throws CorruptIndexException {
      int n = count();
      need(4L * n);
      IntBuffer v = b.slice((int) pos, 4 * n).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
      pos = (pos + 4L * n + 7) & ~7L;
      return v;
    }

    LongBuffer longs() throws CorruptIndexException {
      int n = count();
      need(8L * n);
      LongBuffer v = b.slice((int) pos, 8 * n).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer();
      pos += 8L * n;
      return v;
    }

    int[] intArray() throws CorruptIndexException {
      IntBuffer v = ints();
      int[] a = new int[v.limit()];
      v.get(a);
      return a;
    }

    long[] longArray() throws CorruptIndexException {
      LongBuffer v = longs();
      long[] a = new long[v.limit()];
      v.get(a);
      return a;
    }

    ByteBuffer bytesView() throws CorruptIndexException {
      int n = count();
      need(n);
      ByteBuffer v = b.slice((int) pos, n);
      pos = (pos + n + 7) & ~7L;
      return v;
    }

    byte[] bytes() throws CorruptIndexException {
      ByteBuffer v = bytesView();
      byte[] a = new byte[v.limit()];
      v.get(a);
      return a;
    }
  }
}
