package dev.ktriage.symbolizer.cache;

import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.symbolize.DebugInfo;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.zip.CRC32;

/**
 * {@link DebugInfo} served from a persistent index copied onto the heap when opened: every lookup is
 * a few binary searches over sorted primitive arrays, with no DWARF decoding, so a warm start costs
 * only reading the file once for its CRC and once into the arrays.
 *
 * <p>The file is validated completely when opened (magic, version, build-id, object size, CRC32 of
 * every byte, array bounds); any mismatch is a {@link CorruptIndexException}. Immutable and
 * thread-safe.
 */
public final class IndexedDebugInfo implements DebugInfo {
  private final PathStyle paths;
  private final SymbolTable symbols;
  /** The string bytes (names and paths), copied out of the file. */
  private final byte[] blob;
  private final int units;
  private final int intervals;
  private final int entries;
  private final int files;
  private final int rows;
  private final int strings;
  private final int blobLength;
  // The arrays lookups read, copied out of the file's bytes once (bulk copies): C1-compiled code
  // reads a long[] element with one load, a little-endian long from a byte[] with eight loads, shifts
  // and a call (~1/3 of a warm 100k run's samples were in those reads).
  private final long[] unitLo;
  private final long[] unitHi;
  private final long[] ivLo;
  private final int[] ivEntry;
  private final int[] parent;
  private final int[] name;
  private final int[] linkage;
  private final int[] callFile;
  private final int[] callLine;
  private final int[] callColumn;
  private final int[] fileRaw;
  private final int[] fileTree;
  private final long[] lineAddr;
  private final int[] lineFile;
  private final int[] lineLine;
  private final int[] lineColumn;
  private final int[] stringOffsets;
  /** Decoded strings; racy but benign (every thread decodes the same value). */
  private final String[] stringCache;
  /** Rendered paths by file index, likewise. */
  private final Optional<String>[] pathCache;

  /**
   * @param b the whole file, little-endian, positioned at 0: mapped, and only read here for the
   *     header, the directory and the array lengths (a few pages)
   * @param r the same file read through a window: the CRC pass and one bulk copy per array into the
   *     heap arrays lookups use
   */
  private IndexedDebugInfo(Path file, ByteBuffer b, Reads r, String buildId, long objectSize, PathStyle paths)
      throws IOException {
    this.paths = paths;
    Cursor c = new Cursor(file, b, r);
    if (b.limit() < 64) {
      throw new CorruptIndexException(file, "too short");
    }
    if (i64(b, 0) != IndexFormat.MAGIC) {
      throw new CorruptIndexException(file, "bad magic");
    }
    if (i32(b, 8) != IndexFormat.VERSION) {
      throw new CorruptIndexException(file, "format version " + i32(b, 8) + ", expected " + IndexFormat.VERSION);
    }
    int end = b.limit();
    if (i32(b, end - 4) != IndexFormat.END) {
      throw new CorruptIndexException(file, "bad footer (truncated?)");
    }
    if (r.crc(end - 8) != i32(b, end - 8)) {
      throw new CorruptIndexException(file, "checksum mismatch");
    }
    if (i64(b, 16) != objectSize) {
      throw new CorruptIndexException(file, "built for an object of another size");
    }
    c.seek(24);
    byte[] id = c.bytes();
    if (!new String(id, StandardCharsets.US_ASCII).equals(buildId)) {
      throw new CorruptIndexException(file, "built for another build-id");
    }
    Map<Integer, long[]> dir = new HashMap<>();
    long dirOffset = i64(b, end - 16);
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
    units = c.count(8);
    int unitLoAt = c.skipArray(8, units);
    int unitHiAt = c.skipArray(8, c.count(8));
    int unitHiCount = i32(b, unitHiAt - 8);
    c.at(dir, IndexFormat.S_INTERVALS);
    intervals = c.count(8);
    int ivLoAt = c.skipArray(8, intervals);
    int ivEntries = c.count(4);
    int ivEntryAt = c.skipArray(4, ivEntries);
    c.at(dir, IndexFormat.S_ENTRIES);
    entries = c.count(4);
    int parentAt = c.skipArray(4, entries);
    int[] counts = new int[5];
    counts[0] = c.count(4);
    int nameAt = c.skipArray(4, counts[0]);
    counts[1] = c.count(4);
    int linkageAt = c.skipArray(4, counts[1]);
    counts[2] = c.count(4);
    int callFileAt = c.skipArray(4, counts[2]);
    counts[3] = c.count(4);
    int callLineAt = c.skipArray(4, counts[3]);
    counts[4] = c.count(4);
    int callColumnAt = c.skipArray(4, counts[4]);
    c.at(dir, IndexFormat.S_FILES);
    files = c.count(4);
    int fileRawAt = c.skipArray(4, files);
    int treeCount = c.count(4);
    int fileTreeAt = c.skipArray(4, treeCount);
    c.at(dir, IndexFormat.S_LINES);
    rows = c.count(8);
    int lineAddrAt = c.skipArray(8, rows);
    int[] lc = new int[3];
    lc[0] = c.count(4);
    int lineFileAt = c.skipArray(4, lc[0]);
    lc[1] = c.count(4);
    int lineLineAt = c.skipArray(4, lc[1]);
    lc[2] = c.count(4);
    int lineColumnAt = c.skipArray(4, lc[2]);
    c.at(dir, IndexFormat.S_STRINGS);
    int offsetCount = c.count(4);
    int stringOffsetsAt = c.skipArray(4, offsetCount);
    blobLength = c.count(1);
    int blobAt = c.skipArray(1, blobLength);
    strings = offsetCount - 1;
    // Cross-checks array sizes. Per-element indexes are checked where they are used (frames); the
    // CRC already rules out accidental damage, so those checks only guard against a writer bug.
    boolean ok = strings >= 0 && unitHiCount == units && ivEntries == intervals && treeCount == files
        && counts[0] == entries && counts[1] == entries && counts[2] == entries && counts[3] == entries
        && counts[4] == entries && lc[0] == rows && lc[1] == rows && lc[2] == rows
        && i32(b, stringOffsetsAt + 4 * strings) <= blobLength;
    if (!ok) {
      throw new CorruptIndexException(file, "inconsistent index arrays");
    }
    unitLo = r.longs(unitLoAt, units);
    unitHi = r.longs(unitHiAt, units);
    ivLo = r.longs(ivLoAt, intervals);
    ivEntry = r.ints(ivEntryAt, intervals);
    parent = r.ints(parentAt, entries);
    name = r.ints(nameAt, entries);
    linkage = r.ints(linkageAt, entries);
    callFile = r.ints(callFileAt, entries);
    callLine = r.ints(callLineAt, entries);
    callColumn = r.ints(callColumnAt, entries);
    fileRaw = r.ints(fileRawAt, files);
    fileTree = r.ints(fileTreeAt, files);
    lineAddr = r.longs(lineAddrAt, rows);
    lineFile = r.ints(lineFileAt, rows);
    lineLine = r.ints(lineLineAt, rows);
    lineColumn = r.ints(lineColumnAt, rows);
    stringOffsets = r.ints(stringOffsetsAt, strings + 1);
    blob = r.bytes(blobAt, blobLength);
    stringCache = new String[strings];
    @SuppressWarnings("unchecked")
    Optional<String>[] pc = new Optional[files];
    pathCache = pc;
  }

  /**
   * Reads and validates an index file.
   *
   * @throws CorruptIndexException if it is damaged or belongs to another object
   * @throws IOException if it cannot be read
   */
  public static IndexedDebugInfo open(Path file, String buildId, long objectSize, PathStyle paths)
      throws IOException {
    // The file is only read while opening, never kept: its small scattered parts (header, directory,
    // array lengths) through a mapping, which faults in only the pages read; the CRC pass and the
    // array copies through positioned reads into one 1 MiB window. Both passes over the whole mapping
    // instead cost ~30 ms more on a 45 MB index: populating the mapping's page tables (the CRC itself
    // is ~2 ms), against ~10 ms for reading it twice from the page cache. No heap copy of the whole
    // file either (45 MB of fresh heap pages and a second copy cost ~0.1-0.3 s of a warm start).
    // Index files are replaced by rename, never rewritten in place, so the file cannot shrink.
    // A FIFO or device here would block the open (see Loading): refused, as a damaged file is.
    if (!java.nio.file.Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class).isRegularFile()) {
      throw new CorruptIndexException(file, "not a regular file");
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size > Integer.MAX_VALUE - 8) {
        throw new CorruptIndexException(file, "larger than 2 gib");
      }
      ByteBuffer bytes = ch.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.LITTLE_ENDIAN);
      return new IndexedDebugInfo(file, bytes, new Reads(file, ch, size), buildId, objectSize, paths);
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
    return units;
  }

  @Override
  public long unitKey(long pc) {
    return unitKey(pc, null);
  }

  private long unitKey(long pc, int[] hints) {
    int i = floor(unitLo, pc, hints, 0);
    for (int k = i; k >= 0 && k > i - 16; k--) {
      if (Long.compareUnsigned(unitLo[k], pc) <= 0 && Long.compareUnsigned(pc, unitHi[k]) < 0) {
        return k;
      }
    }
    return -1;
  }

  private static int i32(ByteBuffer a, long p) {
    return a.getInt((int) p);
  }

  private static long i64(ByteBuffer a, long p) {
    return a.getLong((int) p);
  }

  /**
   * Positioned reads of the index file through one direct window: a CRC pass, and arrays copied out
   * with one intrinsic bulk copy per window (through buffer views, not a per-element loop).
   */
  private static final class Reads {
    private static final int WINDOW = 1 << 20;
    private final Path file;
    private final FileChannel ch;
    private final long size;
    private final ByteBuffer w = ByteBuffer.allocateDirect(WINDOW).order(ByteOrder.LITTLE_ENDIAN);

    Reads(Path file, FileChannel ch, long size) {
      this.file = file;
      this.ch = ch;
      this.size = size;
    }

    /** Puts bytes {@code [at, at + len)} of the file in the window, {@code len <= WINDOW}. */
    private ByteBuffer fill(long at, int len) throws IOException {
      if (at < 0 || len < 0 || at + len > size) {
        throw new CorruptIndexException(file, "array past end of file");
      }
      w.clear().limit(len);
      while (w.hasRemaining()) {
        if (ch.read(w, at + w.position()) < 0) {
          throw new CorruptIndexException(file, "truncated while reading");
        }
      }
      return w.flip();
    }

    /** CRC32 of bytes {@code [0, end)}. */
    int crc(long end) throws IOException {
      CRC32 crc = new CRC32();
      for (long p = 0; p < end; p += WINDOW) {
        crc.update(fill(p, (int) Math.min(WINDOW, end - p)));
      }
      return (int) crc.getValue();
    }

    long[] longs(long at, int n) throws IOException {
      long[] a = new long[n];
      for (int done = 0; done < n; ) {
        int k = Math.min(n - done, WINDOW / 8);
        fill(at + 8L * done, 8 * k).asLongBuffer().get(a, done, k);
        done += k;
      }
      return a;
    }

    int[] ints(long at, int n) throws IOException {
      int[] a = new int[n];
      for (int done = 0; done < n; ) {
        int k = Math.min(n - done, WINDOW / 4);
        fill(at + 4L * done, 4 * k).asIntBuffer().get(a, done, k);
        done += k;
      }
      return a;
    }

    byte[] bytes(long at, int n) throws IOException {
      byte[] a = new byte[n];
      for (int done = 0; done < n; ) {
        int k = Math.min(n - done, WINDOW);
        fill(at + done, k).get(a, done, k);
        done += k;
      }
      return a;
    }
  }

  /**
   * Index of the last element {@code <= key} (unsigned) of {@code a}, or -1. With
   * hints, {@code hints[h]} is the result for a smaller key: the search gallops forwards from it, and
   * the result is stored back.
   */
  private static int floor(long[] a, long key, int[] hints, int h) {
    int count = a.length;
    int lo = 0;
    int hi = count - 1;
    int found = -1;
    long k = key ^ Long.MIN_VALUE; // unsigned order as signed
    if (hints != null && hints[h] >= 0 && hints[h] < count) {
      // a[start] <= previous key <= key: gallop to bracket the answer in [lo, hi].
      int start = hints[h];
      found = start;
      lo = start + 1;
      int step = 1;
      while (lo + step - 1 <= hi && (a[lo + step - 1] ^ Long.MIN_VALUE) <= k) {
        found = lo + step - 1;
        lo += step;
        step <<= 1;
      }
      hi = Math.min(hi, lo + step - 2);
    }
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if ((a[mid] ^ Long.MIN_VALUE) <= k) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (hints != null) {
      hints[h] = found;
    }
    return found;
  }

  @Override
  public List<SourceFrame> frames(long pc) {
    return frames(pc, null);
  }

  /**
   * One search per array, each starting from where the previous (smaller) address's search ended:
   * sorted addresses walk the arrays forwards, touching neighbouring memory instead of binary
   * searching from the top each time.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Batch framesAll(long[] pcs, int threads) {
    List<SourceFrame>[] out = new List[pcs.length];
    int[] hints = {-1, -1, -1};
    for (int i = 0; i < pcs.length; i++) {
      out[i] = frames(pcs[i], hints);
    }
    return new Batch(out, new dev.ktriage.symbolizer.dwarf.DwarfFormatException[pcs.length]);
  }

  /** Hints: floor results of the previous, smaller pc in units, lines and intervals (or null). */
  private List<SourceFrame> frames(long pc, int[] hints) {
    if (unitKey(pc, hints) < 0) {
      return List.of();
    }
    Optional<String> file = Optional.empty();
    OptionalInt line = OptionalInt.empty();
    OptionalInt column = OptionalInt.empty();
    int row = floor(lineAddr, pc, hints, 1);
    if (row >= 0 && lineFile[row] != -1) {
      file = path(lineFile[row]);
      line = positive(lineLine[row]);
      column = positive(lineColumn[row]);
    }
    int iv = floor(ivLo, pc, hints, 2);
    int deepest = iv < 0 ? -1 : ivEntry[iv];
    if (deepest < 0 || deepest >= entries) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    SourceFrame[] out = new SourceFrame[4];
    int n = 0;
    for (int e = deepest; e >= 0; e = parent[e]) {
      int p = parent[e];
      if (p >= e) {
        break; // parents precede children; anything else is a damaged file
      }
      String nm = string(name[e]);
      String lk = string(linkage[e]);
      String fname = nm != null ? nm : lk != null ? lk : "";
      Optional<String> link = lk != null && !lk.equals(fname) ? Optional.of(lk) : Optional.empty();
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = new SourceFrame(fname, link, file, line, column, p >= 0);
      // The caller's position is where this entry was inlined (DW_AT_call_*).
      file = path(callFile[e]);
      line = positive(callLine[e]);
      column = positive(callColumn[e]);
    }
    // An immutable list, so that the records holding it need not copy it.
    return n == out.length ? List.of(out) : List.of(Arrays.copyOf(out, n));
  }

  private Optional<String> path(int fileIndex) {
    if (fileIndex < 0 || fileIndex >= files) {
      return Optional.empty();
    }
    Optional<String> cached = pathCache[fileIndex];
    if (cached == null) {
      String p = string(paths.raw() ? fileRaw[fileIndex] : fileTree[fileIndex]);
      cached = Optional.ofNullable(paths.apply(p));
      pathCache[fileIndex] = cached;
    }
    return cached;
  }

  private String string(int i) {
    if (i < 0 || i >= strings) {
      return null;
    }
    String cached = stringCache[i];
    if (cached != null) {
      return cached;
    }
    int s = stringOffsets[i];
    int e = stringOffsets[i + 1];
    if (s < 0 || e < s || e > blobLength) {
      return null;
    }
    String str = new String(blob, s, e - s, StandardCharsets.UTF_8);
    stringCache[i] = str;
    return str;
  }

  private static OptionalInt positive(int v) {
    return dev.ktriage.symbolizer.symbolize.Positive.of(v);
  }

  /** Bounds-checked reader over the file's bytes. */
  private static final class Cursor {
    private final Path file;
    private final ByteBuffer b;
    private final Reads r;
    private long pos;
    private long sectionEnd;

    Cursor(Path file, ByteBuffer b, Reads r) {
      this.file = file;
      this.b = b;
      this.r = r;
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
      int v = IndexedDebugInfo.i32(b, pos);
      pos += 4;
      return v;
    }

    long i64() throws CorruptIndexException {
      need(8);
      long v = IndexedDebugInfo.i64(b, pos);
      pos += 8;
      return v;
    }

    /** Reads an array's element count and moves to its first element; checks it fits. */
    int count(int elementSize) throws CorruptIndexException {
      int n = i32();
      pos = (pos + 7) & ~7L;
      if (n < 0) {
        throw new CorruptIndexException(file, "negative array length");
      }
      need((long) elementSize * n);
      return n;
    }

    /** Returns the offset of the array's first element and moves past it (and its padding). */
    int skipArray(int elementSize, int n) {
      int at = (int) pos;
      pos = (pos + (long) elementSize * n + 7) & ~7L;
      return at;
    }

    // Copied through the window (Reads), not read element by element from the mapping.
    int[] intArray() throws IOException {
      int n = count(4);
      return r.ints(skipArray(4, n), n);
    }

    long[] longArray() throws IOException {
      int n = count(8);
      return r.longs(skipArray(8, n), n);
    }

    byte[] bytes() throws IOException {
      int n = count(1);
      return r.bytes(skipArray(1, n), n);
    }
  }
}
