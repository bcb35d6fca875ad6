package dev.ktriage.symbolizer.cache;

import dev.ktriage.symbolizer.dwarf.AddressSearch;
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

  /**
   * Splits a function's address space at every range boundary of its entries and records, for each
   * piece, the deepest entry covering it (-1 for gaps, e.g. between a function and its .cold part).
   * Adds one block per contiguous run: interval starts ascending, the last one a closing gap.
   */
  private static void paint(InlineTree t, int base, List<long[]> blockLo, List<int[]> blockEntry) {
    int nb = 0;
    for (int e = 0; e < t.size(); e++) {
      nb += 2 * t.rangeCount(e);
    }
    if (t.size() == 0 || t.rangeCount(0) == 0) {
      return;
    }
    long[] bounds = new long[nb];
    int k = 0;
    for (int e = 0; e < t.size(); e++) {
      for (int r = 0; r < t.rangeCount(e); r++) {
        bounds[k++] = t.rangeLo(e, r);
        bounds[k++] = t.rangeHi(e, r);
      }
    }
    long[] sorted = Arrays.stream(bounds).boxed().sorted(Long::compareUnsigned).distinct()
        .mapToLong(Long::longValue).toArray();
    int[] owner = new int[sorted.length];
    Arrays.fill(owner, -1);
    // Entries in DFS order: a child is painted after its parent; only entries whose parent chain
    // contains them are reachable in the live walk, which valid DWARF (nested ranges) guarantees.
    for (int e = 0; e < t.size(); e++) {
      for (int r = 0; r < t.rangeCount(e); r++) {
        int from = indexOf(sorted, t.rangeLo(e, r));
        int to = indexOf(sorted, t.rangeHi(e, r));
        for (int i = from; i < to; i++) {
          if (e == 0 || owner[i] >= 0) {
            owner[i] = base + e;
          }
        }
      }
    }
    // Merge neighbours with the same owner; the final boundary closes the block with a gap.
    long[] lo = new long[sorted.length];
    int[] en = new int[sorted.length];
    int m = 0;
    for (int i = 0; i < sorted.length; i++) {
      int o = i == sorted.length - 1 ? -1 : owner[i];
      if (m > 0 && en[m - 1] == o) {
        continue;
      }
      lo[m] = sorted[i];
      en[m] = o;
      m++;
    }
    // One block per contiguous run: a function split into hot and .cold parts has two runs, and
    // other functions may lie between them.
    int start = -1;
    for (int i = 0; i < m; i++) {
      if (en[i] >= 0 && start < 0) {
        start = i;
      } else if (en[i] < 0 && start >= 0) {
        blockLo.add(Arrays.copyOfRange(lo, start, i + 1));
        blockEntry.add(Arrays.copyOfRange(en, start, i + 1));
        start = -1;
      }
    }
  }

  /** Index of {@code v} in {@code sorted}, or where it would be inserted. */
  private static int indexOf(long[] sorted, long v) {
    int i = AddressSearch.indexOf(sorted, v);
    return i >= 0 ? i : -i - 1;
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
    // Inline entries with parent links, and one global table of address intervals, each naming the
    // deepest entry that contains it (painted in DFS order, so inner entries overwrite outer ones).
    // A lookup is then one binary search plus a walk up the parents, whatever the function's size.
    int entryCount = 0;
    for (UnitData d : units) {
      for (FunctionData f : d.functions) {
        entryCount += f.tree.size();
      }
    }
    int[] parent = new int[entryCount];
    int[] name = new int[entryCount];
    int[] linkage = new int[entryCount];
    int[] callFile = new int[entryCount];
    int[] callLine = new int[entryCount];
    int[] callColumn = new int[entryCount];
    List<long[]> blockLo = new ArrayList<>();
    List<int[]> blockEntry = new ArrayList<>();
    int ei = 0;
    for (int u = 0; u < units.length; u++) {
      UnitData d = units[u];
      for (FunctionData f : d.functions) {
        InlineTree t = f.tree;
        int base = ei;
        int[] stack = new int[t.size() + 1];
        int depth = 0;
        for (int e = 0; e < t.size(); e++) {
          while (depth > 0 && t.next(stack[depth - 1]) <= e) {
            depth--;
          }
          parent[ei] = depth == 0 ? -1 : base + stack[depth - 1];
          stack[depth++] = e;
          name[ei] = strings.id(f.names[e]);
          linkage[ei] = strings.id(f.linkages[e]);
          int cf = t.callFile(e);
          callFile[ei] = cf >= 0 && cf < fileMap[u].length ? fileMap[u][cf] : -1;
          callLine[ei] = t.callLine(e);
          callColumn[ei] = t.callColumn(e);
          ei++;
        }
        paint(t, base, blockLo, blockEntry);
      }
    }
    Integer[] order = new Integer[blockLo.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Long.compareUnsigned(blockLo.get(a)[0], blockLo.get(b)[0]));
    int ivTotal = 0;
    for (long[] b : blockLo) {
      ivTotal += b.length;
    }
    long[] ivLo = new long[ivTotal];
    int[] ivEntry = new int[ivTotal];
    int iv = 0;
    int lastStart = -1;
    for (int bi : order) {
      long[] lo = blockLo.get(bi);
      int[] en = blockEntry.get(bi);
      if (lastStart >= 0 && lo[0] == ivLo[lastStart]) {
        // Aliases with identical ranges (GNU as emits a subprogram for both memmove and __memmove):
        // the later DIE wins, as in FunctionList.find and addr2line.
        iv = lastStart;
      } else if (iv > 0 && Long.compareUnsigned(lo[0], ivLo[iv - 1]) < 0) {
        continue; // overlaps an earlier function (discarded code at a low address)
      }
      lastStart = iv;
      if (iv > 0 && lo[0] == ivLo[iv - 1]) {
        iv--; // the previous block's closing gap starts where this block starts
      }
      for (int i = 0; i < lo.length; i++) {
        ivLo[iv] = lo[i];
        ivEntry[iv] = en[i];
        iv++;
      }
    }
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
    w.longs(Arrays.copyOf(ivLo, iv));
    w.ints(Arrays.copyOf(ivEntry, iv));
    dir.add(new long[] {IndexFormat.S_INTERVALS, at, w.position() - at});
    at = w.position();
    w.ints(parent);
    w.ints(name);
    w.ints(linkage);
    w.ints(callFile);
    w.ints(callLine);
    w.ints(callColumn);
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
