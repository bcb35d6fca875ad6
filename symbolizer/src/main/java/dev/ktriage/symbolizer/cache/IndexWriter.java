package dev.ktriage.symbolizer.cache;

import dev.ktriage.symbolizer.dwarf.DieNames;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.dwarf.FileTable;
import dev.ktriage.symbolizer.dwarf.FunctionList;
import dev.ktriage.symbolizer.dwarf.InlineTree;
import dev.ktriage.symbolizer.dwarf.LineTable;
import dev.ktriage.symbolizer.symbolize.LiveDebugInfo;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Decodes every unit of an object once (on several threads) and writes the persistent index (see
 * {@link IndexFormat}): symbols, the unit ranges, and per unit its line rows, its function ranges,
 * each function's painted inline intervals and entries with resolved names, and every decoding
 * error, so that a lookup through the index fails where and as the live decoder fails. Units are
 * decoded into short-lived records and appended in unit order to flat arrays; nothing decoded is
 * kept per unit. Written to a temporary file in the target directory, then renamed over the target,
 * so readers see either the old file or the complete new one.
 *
 * <p>Stateless.
 */
public final class IndexWriter {
  private IndexWriter() {
    // no instance
  }

  // Units decoded ahead of the appender at most (bounds the records in flight).
  private static final int WINDOW = 64;

  /** A function's tree with its entries' names, or the error that stops a lookup in it. */
  private record FunctionData(InlineTree tree, DieNames.Name[] names, DwarfFormatException[] nameErrors,
      DwarfFormatException error) {}

  /**
   * What one unit contributes: an error that fails every lookup in it, or its line table, file
   * paths (raw and tree, by file register value), function ranges, and per distinct function DIE
   * (in order of first range) its data.
   */
  private record UnitData(DwarfFormatException error, LineTable lines, String[] rawFiles, String[] treeFiles,
      FunctionList functions, long[] dies, FunctionData[] data) {}

  /**
   * Builds the index of {@code live} into {@code target}.
   *
   * @param threads decoding threads besides the caller's (which appends)
   */
  public static void write(Path target, String buildId, long objectSize, SymbolTable symbols, LiveDebugInfo live,
      int threads) throws IOException {
    long[] unitOffsets = live.index().unitOffsets();
    Appender app = new Appender(unitOffsets);
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "ktriage-index-" + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      ArrayDeque<Future<UnitData>> window = new ArrayDeque<>();
      for (long off : unitOffsets) {
        if (window.size() >= WINDOW) {
          app.add(window.poll().get());
        }
        window.add(pool.submit(() -> collect(live, off)));
      }
      while (!window.isEmpty()) {
        app.add(window.poll().get());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while building index");
    } catch (ExecutionException e) {
      throw new IllegalStateException("index worker failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
        app.writeAll(new LeWriter(os), buildId, objectSize, symbols, live.index().ranges());
      } catch (java.io.UncheckedIOException e) {
        throw e.getCause();
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  /**
   * Decodes one unit in the order a live lookup does (line table, then function list; then per
   * function its tree, then its entries' names), keeping the first failure of each step.
   */
  private static UnitData collect(LiveDebugInfo live, long unitOffset) {
    LiveDebugInfo.UnitState st = live.detached(unitOffset);
    LineTable lines;
    FunctionList fl;
    try {
      lines = st.lines();
      fl = st.functions();
    } catch (DwarfFormatException e) {
      return new UnitData(e, null, null, null, null, null, null);
    }
    FileTable ft = lines.files();
    String[] raw = new String[ft.size()];
    String[] tree = new String[ft.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = ft.raw(i);
      tree[i] = ft.tree(i);
    }
    Map<Long, Integer> seen = new HashMap<>();
    List<Long> dies = new ArrayList<>();
    List<FunctionData> data = new ArrayList<>();
    for (int i = 0; i < fl.size(); i++) {
      long die = fl.dieOffset(i);
      if (seen.putIfAbsent(die, dies.size()) != null) {
        continue;
      }
      dies.add(die);
      InlineTree t;
      try {
        t = st.tree(die);
      } catch (DwarfFormatException e) {
        data.add(new FunctionData(null, null, null, e));
        continue;
      }
      DieNames.Name[] names = new DieNames.Name[t.size()];
      DwarfFormatException[] errors = new DwarfFormatException[t.size()];
      for (int e = 0; e < t.size(); e++) {
        try {
          names[e] = st.name(t.origin(e));
        } catch (DwarfFormatException x) {
          errors[e] = x;
        }
      }
      data.add(new FunctionData(t, names, errors, null));
    }
    long[] d = new long[dies.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = dies.get(i);
    }
    return new UnitData(null, lines, raw, tree, fl, d, data.toArray(FunctionData[]::new));
  }

  /** Growable primitive arrays. */
  private static final class Longs {
    long[] a = new long[1024];
    int n;

    void add(long v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    long[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  private static final class Ints {
    int[] a = new int[1024];
    int n;

    void add(int v) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = v;
    }

    int[] toArray() {
      return Arrays.copyOf(a, n);
    }
  }

  /** Interns strings into one table. */
  private static final class Strings {
    final Map<String, Integer> ids = new HashMap<>();
    final List<String> list = new ArrayList<>();

    int id(String s) {
      if (s == null) {
        return -1;
      }
      Integer i = ids.get(s);
      if (i == null) {
        i = list.size();
        ids.put(s, i);
        list.add(s);
      }
      return i;
    }
  }

  /** Appends units in order to the flat arrays of the index. */
  private static final class Appender {
    private final Strings strings = new Strings();
    private final Map<String, Integer> fileIds = new HashMap<>();
    private final Ints fileRaw = new Ints();
    private final Ints fileTree = new Ints();
    // per unit
    private final Ints unitError = new Ints();
    private final Ints unitRow = new Ints();
    private final Ints unitFn = new Ints();
    // line rows
    private final Longs lineAddr = new Longs();
    private final Ints lineFile = new Ints();
    private final Ints lineLine = new Ints();
    private final Ints lineColumn = new Ints();
    // function ranges, and per function
    private final Longs fnLo = new Longs();
    private final Longs fnHi = new Longs();
    private final Ints fnId = new Ints();
    private final Ints funcIv = new Ints();
    private final Ints funcError = new Ints();
    // intervals and entries
    private final Longs ivLo = new Longs();
    private final Ints ivEntry = new Ints();
    private final Ints parent = new Ints();
    private final Ints name = new Ints();
    private final Ints linkage = new Ints();
    private final Ints callFile = new Ints();
    private final Ints callLine = new Ints();
    private final Ints callColumn = new Ints();
    // errors
    private final Ints errKind = new Ints();
    private final Ints errSection = new Ints();
    private final Longs errOffset = new Longs();
    private final Ints errDetail = new Ints();

    /** Unit id (position in unit order) by the unit's {@code .debug_info} offset. */
    private final Map<Long, Integer> unitIds = new HashMap<>();

    Appender(long[] unitOffsets) {
      for (int i = 0; i < unitOffsets.length; i++) {
        unitIds.put(unitOffsets[i], i);
      }
    }

    private int error(DwarfFormatException e) {
      errKind.add(e.kind().ordinal());
      errSection.add(strings.id(e.section()));
      errOffset.add(e.offset());
      errDetail.add(strings.id(e.detail()));
      return errKind.n - 1;
    }

    void add(UnitData d) {
      unitRow.add(lineAddr.n);
      unitFn.add(fnLo.n);
      if (d.error() != null) {
        unitError.add(error(d.error()));
        return;
      }
      unitError.add(-1);
      // File register value -> global file id; -2 for "no such file" (a row or call site may name
      // one: a lookup then has a line without a file), -1 stays the end-of-sequence marker.
      int[] fileMap = new int[d.rawFiles().length];
      for (int i = 0; i < fileMap.length; i++) {
        if (d.rawFiles()[i] == null) {
          fileMap[i] = -2;
          continue;
        }
        String key = d.rawFiles()[i] + "\u0000" + d.treeFiles()[i];
        Integer id = fileIds.get(key);
        if (id == null) {
          id = fileRaw.n;
          fileIds.put(key, id);
          fileRaw.add(strings.id(d.rawFiles()[i]));
          fileTree.add(strings.id(d.treeFiles()[i]));
        }
        fileMap[i] = id;
      }
      LineTable t = d.lines();
      for (int r = 0; r < t.rowCount(); r++) {
        lineAddr.add(t.address(r));
        int f = t.file(r);
        lineFile.add(f == -1 ? -1 : f >= 0 && f < fileMap.length ? fileMap[f] : -2);
        lineLine.add(t.line(r));
        lineColumn.add(t.column(r));
      }
      int firstFunction = funcIv.n;
      FunctionList fl = d.functions();
      for (int i = 0; i < fl.size(); i++) {
        fnLo.add(fl.lo(i));
        fnHi.add(fl.hi(i));
        fnId.add(firstFunction + indexOf(d.dies(), fl.dieOffset(i)));
      }
      for (FunctionData f : d.data()) {
        funcIv.add(ivLo.n);
        if (f.error() != null) {
          funcError.add(error(f.error()));
          continue;
        }
        funcError.add(-1);
        addFunction(f, fileMap);
      }
    }

    private static int indexOf(long[] a, long v) {
      for (int i = 0; i < a.length; i++) {
        if (a[i] == v) {
          return i;
        }
      }
      throw new IllegalStateException("function die not collected");
    }

    /** Entries with parent links and names, then the function's painted intervals. */
    private void addFunction(FunctionData f, int[] fileMap) {
      InlineTree t = f.tree();
      int base = parent.n;
      int[] parentLocal = new int[t.size()];
      int[] stack = new int[t.size() + 1];
      int depth = 0;
      for (int e = 0; e < t.size(); e++) {
        while (depth > 0 && t.next(stack[depth - 1]) <= e) {
          depth--;
        }
        parentLocal[e] = depth == 0 ? -1 : stack[depth - 1];
        parent.add(depth == 0 ? -1 : base + stack[depth - 1]);
        stack[depth++] = e;
        if (f.nameErrors()[e] != null) {
          name.add(-2 - error(f.nameErrors()[e]));
          linkage.add(-1);
        } else {
          name.add(strings.id(f.names()[e].name()));
          linkage.add(strings.id(f.names()[e].linkageName()));
        }
        int cf = t.callFile(e);
        callFile.add(cf >= 0 && cf < fileMap.length ? fileMap[cf] : -2);
        callLine.add(t.callLine(e));
        callColumn.add(t.callColumn(e));
      }
      paint(t, parentLocal, base);
    }

    /**
     * Splits the function's addresses at every range boundary of its entries and records, for each
     * piece, the entry {@link InlineTree#chain} ends with there: an entry takes a piece only where
     * its parent holds it (entry 0: where nothing does), in depth-first order, so an earlier sibling
     * keeps what it took, as the chain walk tries siblings in order. Gaps (between a function and its
     * {@code .cold} part, or before its first range) are -1; the last boundary closes with -1.
     */
    private void paint(InlineTree t, int[] parentLocal, int base) {
      int nb = 0;
      for (int e = 0; e < t.size(); e++) {
        nb += 2 * t.rangeCount(e);
      }
      if (nb == 0) {
        return;
      }
      long[] bounds = new long[nb];
      int k = 0;
      for (int e = 0; e < t.size(); e++) {
        for (int r = 0; r < t.rangeCount(e); r++) {
          bounds[k++] = t.rangeLo(e, r) ^ Long.MIN_VALUE;
          bounds[k++] = t.rangeHi(e, r) ^ Long.MIN_VALUE;
        }
      }
      Arrays.sort(bounds);
      int m = 0;
      for (int i = 0; i < bounds.length; i++) {
        if (m == 0 || bounds[m - 1] != bounds[i]) {
          bounds[m++] = bounds[i];
        }
      }
      long[] sorted = new long[m];
      for (int i = 0; i < m; i++) {
        sorted[i] = bounds[i] ^ Long.MIN_VALUE;
      }
      int[] owner = new int[m];
      Arrays.fill(owner, -1);
      for (int e = 0; e < t.size(); e++) {
        int want = parentLocal[e];
        for (int r = 0; r < t.rangeCount(e); r++) {
          long lo = t.rangeLo(e, r);
          long hi = t.rangeHi(e, r);
          if (Long.compareUnsigned(lo, hi) >= 0) {
            continue;
          }
          int from = Arrays.binarySearch(bounds, 0, m, lo ^ Long.MIN_VALUE);
          int to = Arrays.binarySearch(bounds, 0, m, hi ^ Long.MIN_VALUE);
          for (int i = from; i < to; i++) {
            if (owner[i] == want) {
              owner[i] = e;
            }
          }
        }
      }
      int last = Integer.MIN_VALUE;
      for (int i = 0; i < m; i++) {
        int o = i == m - 1 ? -1 : owner[i];
        if (o == last) {
          continue;
        }
        ivLo.add(sorted[i]);
        ivEntry.add(o < 0 ? -1 : base + o);
        last = o;
      }
    }

    void writeAll(LeWriter w, String buildId, long objectSize, SymbolTable symbols, long[][] unitRanges)
        throws IOException {
      unitRow.add(lineAddr.n);
      unitFn.add(fnLo.n);
      funcIv.add(ivLo.n);
      // Unit ranges name units by .debug_info offset; the index by position in unit order.
      int[] rangeUnit = new int[unitRanges[2].length];
      w.i64(IndexFormat.MAGIC);
      w.i32(IndexFormat.VERSION);
      w.i32(0);
      w.i64(objectSize);
      w.byteArray(buildId.getBytes(StandardCharsets.US_ASCII));
      List<long[]> dir = new ArrayList<>();
      Object[] sa = symbols.arrays();
      long at = w.position();
      w.longs((long[]) sa[0]);
      w.longs((long[]) sa[1]);
      w.longs((long[]) sa[2]);
      w.ints((int[]) sa[3]);
      w.ints((int[]) sa[4]);
      w.byteArray((byte[]) sa[5]);
      w.ints((int[]) sa[6]);
      w.ints((int[]) sa[7]);
      dir.add(new long[] {IndexFormat.S_SYMBOLS, at, w.position() - at});
      at = w.position();
      for (int i = 0; i < rangeUnit.length; i++) {
        rangeUnit[i] = unitIds.get(unitRanges[2][i]);
      }
      w.longs(unitRanges[0]);
      w.longs(unitRanges[1]);
      w.ints(rangeUnit);
      w.ints(unitError.toArray());
      w.ints(unitRow.toArray());
      w.ints(unitFn.toArray());
      dir.add(new long[] {IndexFormat.S_UNITS, at, w.position() - at});
      at = w.position();
      w.longs(fnLo.toArray());
      w.longs(fnHi.toArray());
      w.ints(fnId.toArray());
      w.ints(funcIv.toArray());
      w.ints(funcError.toArray());
      dir.add(new long[] {IndexFormat.S_FUNCTIONS, at, w.position() - at});
      at = w.position();
      w.longs(ivLo.toArray());
      w.ints(ivEntry.toArray());
      dir.add(new long[] {IndexFormat.S_INTERVALS, at, w.position() - at});
      at = w.position();
      w.ints(parent.toArray());
      w.ints(name.toArray());
      w.ints(linkage.toArray());
      w.ints(callFile.toArray());
      w.ints(callLine.toArray());
      w.ints(callColumn.toArray());
      dir.add(new long[] {IndexFormat.S_ENTRIES, at, w.position() - at});
      at = w.position();
      w.ints(fileRaw.toArray());
      w.ints(fileTree.toArray());
      dir.add(new long[] {IndexFormat.S_FILES, at, w.position() - at});
      at = w.position();
      w.longs(lineAddr.toArray());
      w.ints(lineFile.toArray());
      w.ints(lineLine.toArray());
      w.ints(lineColumn.toArray());
      dir.add(new long[] {IndexFormat.S_LINES, at, w.position() - at});
      at = w.position();
      w.ints(errKind.toArray());
      w.ints(errSection.toArray());
      w.longs(errOffset.toArray());
      w.ints(errDetail.toArray());
      dir.add(new long[] {IndexFormat.S_ERRORS, at, w.position() - at});
      // Strings last: everything above has interned its strings by now.
      at = w.position();
      int[] stringOffsets = new int[strings.list.size() + 1];
      java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream();
      for (int i = 0; i < strings.list.size(); i++) {
        stringOffsets[i] = blob.size();
        byte[] b = strings.list.get(i).getBytes(StandardCharsets.UTF_8);
        blob.write(b, 0, b.length);
      }
      stringOffsets[strings.list.size()] = blob.size();
      w.ints(stringOffsets);
      w.byteArray(blob.toByteArray());
      dir.add(new long[] {IndexFormat.S_STRINGS, at, w.position() - at});
      long dirOffset = w.position();
      w.i32(dir.size());
      for (long[] e : dir) {
        w.i32((int) e[0]);
        w.i64(e[1]);
        w.i64(e[2]);
      }
      w.align8();
      w.i64(dirOffset);
      int crc = (int) w.crc();
      w.i32(crc);
      w.i32(IndexFormat.END);
      w.flush();
    }
  }
}
