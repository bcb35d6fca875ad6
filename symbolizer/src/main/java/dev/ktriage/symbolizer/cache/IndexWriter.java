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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Decodes every unit of an object once (on several threads) and writes the persistent index:
 * symbols, unit ranges, function ranges, inline entries with resolved names, and one merged,
 * sorted line table. Written to a temporary file in the target directory, then renamed over the
 * target, so readers see either the old file or the complete new one.
 *
 * <p>Stateless.
 */
public final class IndexWriter {
  private IndexWriter() {
    // no instance
  }

  /** What one unit contributes, with file indexes local to the unit. */
  private record UnitData(String[] rawFiles, String[] treeFiles, LineTable lines, List<FunctionData> functions,
      long[] fnLo, long[] fnHi, long[] fnDie) {}

  private record FunctionData(long dieOffset, InlineTree tree, String[] names, String[] linkages) {}

  public static void write(Path target, String buildId, long objectSize, SymbolTable symbols, LiveDebugInfo live,
      int threads, Consumer<String> problems) throws IOException {
    long[] unitOffsets = live.index().unitOffsets();
    UnitData[] data = new UnitData[unitOffsets.length];
    AtomicInteger ids = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads), r -> {
      Thread t = new Thread(r, "ktriage-index-" + ids.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> futures = new ArrayList<>();
      int step = Math.max(1, threads);
      for (int w = 0; w < step; w++) {
        int first = w;
        futures.add(pool.submit(() -> {
          for (int u = first; u < unitOffsets.length; u += step) {
            data[u] = collect(live, unitOffsets[u], problems);
          }
        }));
      }
      for (Future<?> f : futures) {
        f.get();
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
        writeAll(new LeWriter(os), buildId, objectSize, symbols, live.index().ranges(), data);
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

  private static UnitData collect(LiveDebugInfo live, long unitOffset, Consumer<String> problems) {
    LiveDebugInfo.UnitState st = live.state(unitOffset);
    LineTable lines;
    try {
      lines = st.lines();
    } catch (DwarfFormatException e) {
      problems.accept("unit at 0x" + Long.toHexString(unitOffset) + ": line table skipped: " + e.getMessage());
      lines = LineTable.empty();
    }
    FileTable ft = lines.files();
    String[] raw = new String[ft.size()];
    String[] tree = new String[ft.size()];
    for (int i = 0; i < raw.length; i++) {
      raw[i] = ft.raw(i);
      tree[i] = ft.tree(i);
    }
    List<FunctionData> fns = new ArrayList<>();
    long[] lo = new long[0];
    long[] hi = new long[0];
    long[] die = new long[0];
    try {
      FunctionList fl = st.functions();
      lo = new long[fl.size()];
      hi = new long[fl.size()];
      die = new long[fl.size()];
      Map<Long, Boolean> seen = new HashMap<>();
      for (int i = 0; i < fl.size(); i++) {
        lo[i] = fl.lo(i);
        hi[i] = fl.hi(i);
        die[i] = fl.dieOffset(i);
        if (seen.putIfAbsent(die[i], Boolean.TRUE) != null) {
          continue;
        }
        try {
          InlineTree t = st.tree(die[i]);
          String[] names = new String[t.size()];
          String[] linkages = new String[t.size()];
          for (int e = 0; e < t.size(); e++) {
            DieNames.Name n = st.name(t.origin(e));
            names[e] = n.name();
            linkages[e] = n.linkageName();
          }
          fns.add(new FunctionData(die[i], t, names, linkages));
        } catch (DwarfFormatException e) {
          problems.accept("function at 0x" + Long.toHexString(die[i]) + " skipped: " + e.getMessage());
        }
      }
    } catch (DwarfFormatException e) {
      problems.accept("unit at 0x" + Long.toHexString(unitOffset) + ": functions skipped: " + e.getMessage());
    }
    return new UnitData(raw, tree, lines, fns, lo, hi, die);
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

  private static void writeAll(LeWriter w, String buildId, long objectSize, SymbolTable symbols, long[][] unitRanges,
      UnitData[] units) throws IOException {
    Strings strings = new Strings();
    // Files: global table of (raw, tree) string pairs.
    Map<String, Integer> fileIds = new LinkedHashMap<>();
    List<int[]> files = new ArrayList<>();
    int[][] fileMap = new int[units.length][];
    for (int u = 0; u < units.length; u++) {
      UnitData d = units[u];
      fileMap[u] = new int[d.rawFiles.length];
      for (int i = 0; i < d.rawFiles.length; i++) {
        if (d.rawFiles[i] == null) {
          fileMap[u][i] = -1;
          continue;
        }
        String key = d.rawFiles[i] + "\u0000" + d.treeFiles[i];
        Integer id = fileIds.get(key);
        if (id == null) {
          id = files.size();
          fileIds.put(key, id);
          files.add(new int[] {strings.id(d.rawFiles[i]), strings.id(d.treeFiles[i])});
        }
        fileMap[u][i] = id;
      }
    }
    // Functions and inline entries.
    List<long[]> fnRanges = new ArrayList<>();
    int fnCount = 0;
    int entryCount = 0;
    int rangeWords = 0;
    for (UnitData d : units) {
      fnCount += d.functions.size();
      for (FunctionData f : d.functions) {
        entryCount += f.tree.size();
        for (int e = 0; e < f.tree.size(); e++) {
          rangeWords += 2 * f.tree.rangeCount(e);
        }
      }
    }
    int[] entryStart = new int[fnCount + 1];
    int[] next = new int[entryCount];
    int[] name = new int[entryCount];
    int[] linkage = new int[entryCount];
    int[] callFile = new int[entryCount];
    int[] callLine = new int[entryCount];
    int[] callColumn = new int[entryCount];
    int[] rangeStart = new int[entryCount + 1];
    long[] ranges = new long[rangeWords];
    int fi = 0;
    int ei = 0;
    int ri = 0;
    for (int u = 0; u < units.length; u++) {
      UnitData d = units[u];
      Map<Long, Integer> fnIndex = new HashMap<>();
      for (FunctionData f : d.functions) {
        fnIndex.put(f.dieOffset, fi);
        entryStart[fi] = ei;
        InlineTree t = f.tree;
        for (int e = 0; e < t.size(); e++) {
          next[ei] = t.next(e);
          name[ei] = strings.id(f.names[e]);
          linkage[ei] = strings.id(f.linkages[e]);
          int cf = t.callFile(e);
          callFile[ei] = cf >= 0 && cf < fileMap[u].length ? fileMap[u][cf] : -1;
          callLine[ei] = t.callLine(e);
          callColumn[ei] = t.callColumn(e);
          rangeStart[ei] = ri;
          for (int k = 0; k < t.rangeCount(e); k++) {
            ranges[ri++] = t.rangeLo(e, k);
            ranges[ri++] = t.rangeHi(e, k);
          }
          ei++;
        }
        fi++;
      }
      for (int i = 0; i < d.fnLo.length; i++) {
        Integer idx = fnIndex.get(d.fnDie[i]);
        if (idx != null) {
          fnRanges.add(new long[] {d.fnLo[i], d.fnHi[i], idx});
        }
      }
    }
    entryStart[fi] = ei;
    rangeStart[ei] = ri;
    fnRanges.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
    // Lines: every unit's sequences, remapped to global files, sorted, overlaps dropped.
    List<long[]> seqs = new ArrayList<>(); // {unit, firstRow, rowCount, startAddress}
    for (int u = 0; u < units.length; u++) {
      LineTable t = units[u].lines;
      int start = 0;
      for (int r = 0; r < t.rowCount(); r++) {
        if (t.file(r) < 0) {
          seqs.add(new long[] {u, start, r - start + 1, t.address(start)});
          start = r + 1;
        }
      }
    }
    seqs.sort((a, b) -> Long.compareUnsigned(a[3], b[3]));
    int totalRows = 0;
    for (long[] s : seqs) {
      totalRows += (int) s[2];
    }
    long[] lAddr = new long[totalRows];
    int[] lFile = new int[totalRows];
    int[] lLine = new int[totalRows];
    int[] lCol = new int[totalRows];
    int m = 0;
    for (long[] s : seqs) {
      LineTable t = units[(int) s[0]].lines;
      int first = (int) s[1];
      if (m > 0 && Long.compareUnsigned(t.address(first), lAddr[m - 1]) < 0) {
        continue;
      }
      if (m > 0 && t.address(first) == lAddr[m - 1]) {
        m--;
      }
      for (int r = first; r < first + s[2]; r++) {
        lAddr[m] = t.address(r);
        int f = t.file(r);
        lFile[m] = f < 0 ? -1 : (f < fileMap[(int) s[0]].length ? fileMap[(int) s[0]][f] : -2);
        lLine[m] = t.line(r);
        lCol[m] = t.column(r);
        m++;
      }
    }
    // Header.
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
    w.longs(unitRanges[0]);
    w.longs(unitRanges[1]);
    dir.add(new long[] {IndexFormat.S_UNITS, at, w.position() - at});
    at = w.position();
    long[] frLo = new long[fnRanges.size()];
    long[] frHi = new long[fnRanges.size()];
    int[] frFn = new int[fnRanges.size()];
    for (int i = 0; i < frLo.length; i++) {
      frLo[i] = fnRanges.get(i)[0];
      frHi[i] = fnRanges.get(i)[1];
      frFn[i] = (int) fnRanges.get(i)[2];
    }
    w.longs(frLo);
    w.longs(frHi);
    w.ints(frFn);
    dir.add(new long[] {IndexFormat.S_FUNCTION_RANGES, at, w.position() - at});
    at = w.position();
    w.ints(entryStart);
    dir.add(new long[] {IndexFormat.S_FUNCTIONS, at, w.position() - at});
    at = w.position();
    w.ints(next);
    w.ints(name);
    w.ints(linkage);
    w.ints(callFile);
    w.ints(callLine);
    w.ints(callColumn);
    w.ints(rangeStart);
    w.longs(ranges);
    dir.add(new long[] {IndexFormat.S_ENTRIES, at, w.position() - at});
    at = w.position();
    int[] fRaw = new int[files.size()];
    int[] fTree = new int[files.size()];
    for (int i = 0; i < fRaw.length; i++) {
      fRaw[i] = files.get(i)[0];
      fTree[i] = files.get(i)[1];
    }
    w.ints(fRaw);
    w.ints(fTree);
    dir.add(new long[] {IndexFormat.S_FILES, at, w.position() - at});
    at = w.position();
    w.longs(Arrays.copyOf(lAddr, m));
    w.ints(Arrays.copyOf(lFile, m));
    w.ints(Arrays.copyOf(lLine, m));
    w.ints(Arrays.copyOf(lCol, m));
    dir.add(new long[] {IndexFormat.S_LINES, at, w.position() - at});
    // Strings last: everything above has interned its strings by now.
    at = w.position();
    int[] offsets = new int[strings.list.size() + 1];
    java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream();
    for (int i = 0; i < strings.list.size(); i++) {
      offsets[i] = blob.size();
      byte[] b = strings.list.get(i).getBytes(StandardCharsets.UTF_8);
      blob.write(b, 0, b.length);
    }
    offsets[strings.list.size()] = blob.size();
    w.ints(offsets);
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
