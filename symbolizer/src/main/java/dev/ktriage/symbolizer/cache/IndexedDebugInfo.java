package dev.ktriage.symbolizer.cache;

import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
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
  private final int strings;
  private final int blobLength;
  private final int units;
  private final int files;
  // The arrays lookups read, copied out of the file's bytes once (bulk copies): C1-compiled code
  // reads a long[] element with one load, a little-endian long from a byte[] with eight loads, shifts
  // and a call (~1/3 of a warm 100k run's samples were in those reads).
  /** Unit code ranges sorted by start, as {@code UnitIndex} holds them, and the unit of each. */
  private final long[] rangeLo;
  private final long[] rangeHi;
  private final int[] rangeUnit;
  /** Per unit: its error (or -1), and its slices of the rows and of the function ranges. */
  private final int[] unitError;
  private final int[] unitRow;
  private final int[] unitFn;
  /** Function ranges (per unit sorted by start, as {@code FunctionList}) and the function of each. */
  private final long[] fnLo;
  private final long[] fnHi;
  private final int[] fnId;
  /** Per function: its slice of the intervals, and its error (or -1). */
  private final int[] funcIv;
  private final int[] funcError;
  private final long[] ivLo;
  private final int[] ivEntry;
  private final int[] parent;
  /** String id, -1 for none, or {@code -2 - error} when naming the entry failed. */
  private final int[] name;
  private final int[] linkage;
  private final int[] callFile;
  private final int[] callLine;
  private final int[] callColumn;
  private final int[] fileRaw;
  private final int[] fileTree;
  private final long[] lineAddr;
  /** Global file id, -1 for an end-of-sequence marker, -2 for a file the unit's table lacks. */
  private final int[] lineFile;
  private final int[] lineLine;
  private final int[] lineColumn;
  private final int[] errKind;
  private final int[] errSection;
  private final long[] errOffset;
  private final int[] errDetail;
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
    rangeLo = c.longArray();
    rangeHi = c.longArray();
    rangeUnit = c.intArray();
    unitError = c.intArray();
    unitRow = c.intArray();
    unitFn = c.intArray();
    units = unitError.length;
    c.at(dir, IndexFormat.S_FUNCTIONS);
    fnLo = c.longArray();
    fnHi = c.longArray();
    fnId = c.intArray();
    funcIv = c.intArray();
    funcError = c.intArray();
    c.at(dir, IndexFormat.S_INTERVALS);
    ivLo = c.longArray();
    ivEntry = c.intArray();
    c.at(dir, IndexFormat.S_ENTRIES);
    parent = c.intArray();
    name = c.intArray();
    linkage = c.intArray();
    callFile = c.intArray();
    callLine = c.intArray();
    callColumn = c.intArray();
    c.at(dir, IndexFormat.S_FILES);
    fileRaw = c.intArray();
    fileTree = c.intArray();
    files = fileRaw.length;
    c.at(dir, IndexFormat.S_LINES);
    lineAddr = c.longArray();
    lineFile = c.intArray();
    lineLine = c.intArray();
    lineColumn = c.intArray();
    c.at(dir, IndexFormat.S_ERRORS);
    errKind = c.intArray();
    errSection = c.intArray();
    errOffset = c.longArray();
    errDetail = c.intArray();
    c.at(dir, IndexFormat.S_STRINGS);
    stringOffsets = c.intArray();
    blob = c.bytes();
    blobLength = blob.length;
    strings = stringOffsets.length - 1;
    checkShapes(file);
    stringCache = new String[Math.max(0, strings)];
    @SuppressWarnings("unchecked")
    Optional<String>[] pc = new Optional[files];
    pathCache = pc;
  }

  /**
   * Array lengths and the slices lookups search. The CRC already rules out accidental damage: these
   * checks guard against a writer bug, so that a lookup never indexes out of bounds. Links followed
   * per element (ranges to units, function ranges to functions, intervals to entries, entries to
   * parents, names and errors) are checked where a lookup follows them, not here: a pass over every
   * element would be a large share of a warm run (docs/performance.md, "What start-up avoids").
   */
  private void checkShapes(Path file) throws CorruptIndexException {
    int entries = parent.length;
    int functions = funcError.length;
    int rows = lineAddr.length;
    int errors = errKind.length;
    boolean ok = strings >= 0 && rangeHi.length == rangeLo.length && rangeUnit.length == rangeLo.length
        && unitRow.length == units + 1 && unitFn.length == units + 1 && fnHi.length == fnLo.length
        && fnId.length == fnLo.length && funcIv.length == functions + 1 && ivEntry.length == ivLo.length
        && name.length == entries && linkage.length == entries && callFile.length == entries
        && callLine.length == entries && callColumn.length == entries && fileTree.length == files
        && lineFile.length == rows && lineLine.length == rows && lineColumn.length == rows
        && errSection.length == errors && errOffset.length == errors && errDetail.length == errors
        && stringOffsets[strings] <= blobLength;
    ok &= slices(unitRow, rows) && slices(unitFn, fnLo.length) && slices(funcIv, ivLo.length);
    if (!ok) {
      throw new CorruptIndexException(file, "inconsistent index arrays");
    }
  }

  /** Whether {@code starts} are non-decreasing slice starts within {@code [0, total]}. */
  private static boolean slices(int[] starts, int total) {
    for (int i = 0; i < starts.length; i++) {
      if (starts[i] < 0 || starts[i] > total || i > 0 && starts[i] < starts[i - 1]) {
        return false;
      }
    }
    return starts.length == 0 || starts[starts.length - 1] == total;
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
    // instead cost more: populating the mapping's page tables outweighs reading the file twice from
    // the page cache. No heap copy of the whole file either: its fresh heap pages and a second copy
    // would dominate a warm start (figures: docs/performance.md, "What start-up avoids").
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
  public int unitCount() {
    return units;
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

  /** Index of the last element of {@code a[from, to)} at or below {@code key} (unsigned), or -1. */
  private static int floor(long[] a, int from, int to, long key) {
    int lo = from;
    int hi = to - 1;
    int found = -1;
    long k = key ^ Long.MIN_VALUE; // unsigned order as signed
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if ((a[mid] ^ Long.MIN_VALUE) <= k) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    return found;
  }

  /**
   * A range of {@code [lo[i], hi[i])}, {@code i} in {@code [from, to)}, containing {@code pc}, or -1:
   * {@link dev.ktriage.symbolizer.dwarf.AddressSearch#containing}, which the live decoder uses, on a slice.
   */
  private static int containing(long[] lo, long[] hi, int from, int to, long pc, int lookBack) {
    int found = floor(lo, from, to, pc);
    for (int i = found; i >= from && i > found - lookBack; i--) {
      if (Long.compareUnsigned(lo[i], pc) <= 0 && Long.compareUnsigned(pc, hi[i]) < 0) {
        return i;
      }
    }
    return -1;
  }

  /** The error the live decoder threw, rebuilt. */
  private DwarfFormatException error(int e) {
    if (e < 0 || e >= errKind.length || errKind[e] < 0 || errKind[e] >= DwarfFormatException.Kind.values().length) {
      return new DwarfFormatException(DwarfFormatException.Kind.MALFORMED, "?", 0, "damaged index entry");
    }
    String section = string(errSection[e]);
    String detail = string(errDetail[e]);
    return new DwarfFormatException(DwarfFormatException.Kind.values()[errKind[e]], section == null ? "?" : section,
        errOffset[e], detail == null ? "?" : detail);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Batch framesAll(long[] pcs, int threads) {
    List<SourceFrame>[] out = new List[pcs.length];
    DwarfFormatException[] errors = new DwarfFormatException[pcs.length];
    for (int i = 0; i < pcs.length; i++) {
      try {
        out[i] = frames(pcs[i]);
      } catch (DwarfFormatException e) {
        errors[i] = e;
      }
    }
    return new Batch(out, errors);
  }

  /**
   * The live decoder's steps, in its order, each a search in the unit's or function's slice: the
   * unit (as {@code UnitIndex.unitFor}), the line row (as {@code LineTable.find}), the function (as
   * {@code FunctionList.find}), the deepest inline entry (the painted {@code InlineTree.chain}),
   * then the entries' names innermost first; an error stored for a step is thrown where the live
   * decoder would throw it.
   */
  @Override
  public List<SourceFrame> frames(long pc) throws DwarfFormatException {
    int k = containing(rangeLo, rangeHi, 0, rangeLo.length, pc, 16);
    if (k < 0) {
      return List.of();
    }
    int u = rangeUnit[k];
    if (u < 0 || u >= units) {
      return List.of(); // a writer bug: no unit there
    }
    if (unitError[u] >= 0) {
      throw error(unitError[u]);
    }
    Optional<String> file = Optional.empty();
    OptionalInt line = OptionalInt.empty();
    OptionalInt column = OptionalInt.empty();
    int row = floor(lineAddr, unitRow[u], unitRow[u + 1], pc);
    // Line 0 is "no source line": no file either (as LiveDebugInfo).
    if (row >= 0 && lineFile[row] != -1 && lineLine[row] > 0) {
      file = path(lineFile[row]);
      line = positive(lineLine[row]);
      column = positive(lineColumn[row]);
    }
    int f = containing(fnLo, fnHi, unitFn[u], unitFn[u + 1], pc, 8);
    if (f < 0) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    int g = fnId[f];
    if (g < 0 || g >= funcError.length) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    if (funcError[g] >= 0) {
      throw error(funcError[g]);
    }
    int iv = floor(ivLo, funcIv[g], funcIv[g + 1], pc);
    int deepest = iv < 0 ? -1 : ivEntry[iv];
    if (deepest < 0 || deepest >= parent.length) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    SourceFrame[] out = new SourceFrame[4];
    int n = 0;
    for (int e = deepest; e >= 0; e = parent[e]) {
      if (parent[e] >= e) {
        break; // parents precede children; anything else is a writer bug
      }
      if (name[e] <= -2) {
        throw error(-2 - name[e]);
      }
      String nm = string(name[e]);
      String lk = string(linkage[e]);
      String fname = nm != null ? nm : lk != null ? lk : "";
      Optional<String> link = lk != null && !lk.equals(fname) ? Optional.of(lk) : Optional.empty();
      if (n == out.length) {
        out = Arrays.copyOf(out, n * 2);
      }
      out[n++] = new SourceFrame(fname, link, file, line, column, parent[e] >= 0);
      // The caller's position is where this entry was inlined (DW_AT_call_*); line 0: none.
      boolean known = callLine[e] > 0;
      file = known ? path(callFile[e]) : Optional.empty();
      line = positive(callLine[e]);
      column = known ? positive(callColumn[e]) : OptionalInt.empty();
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
