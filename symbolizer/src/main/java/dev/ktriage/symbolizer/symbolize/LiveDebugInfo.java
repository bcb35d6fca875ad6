package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.dwarf.AbbrevCache;
import dev.ktriage.symbolizer.dwarf.DieNames;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.dwarf.DwarfSections;
import dev.ktriage.symbolizer.dwarf.DwarfUnit;
import dev.ktriage.symbolizer.dwarf.FileTable;
import dev.ktriage.symbolizer.dwarf.FunctionList;
import dev.ktriage.symbolizer.dwarf.InlineTree;
import dev.ktriage.symbolizer.dwarf.LineTable;
import dev.ktriage.symbolizer.dwarf.SectionReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * {@link DebugInfo} decoded from DWARF on demand: a lookup decodes only its unit's root DIE, line
 * program and top-level DIEs, and the body of the one function it lands in; each of these is
 * memoized per unit, errors included.
 *
 * <p>Thread-safe: units may be decoded on several threads at once.
 */
public final class LiveDebugInfo implements DebugInfo {
  private final DwarfSections sections;
  private final AbbrevCache abbrevs;
  private final UnitIndex index;
  private final PathStyle paths;
  private final Consumer<String> problems;
  private final ConcurrentHashMap<Long, UnitState> units = new ConcurrentHashMap<>();

  public LiveDebugInfo(DwarfSections sections, PathStyle paths, Consumer<String> problems) {
    this.sections = sections;
    this.abbrevs = new AbbrevCache(sections);
    this.paths = paths;
    this.problems = problems;
    this.index = UnitIndex.build(sections, abbrevs, problems);
  }

  public UnitIndex index() {
    return index;
  }

  /** Units decoded (or begun) so far, as a share of all units; 0 without units. */
  public double decodedShare() {
    int n = index.unitCount();
    return n == 0 ? 0 : Math.min(1.0, units.size() / (double) n);
  }

  @Override
  public int unitCount() {
    return index.unitCount();
  }

  /** Everything decoded about one unit, each part on first use. */
  public final class UnitState {
    final long offset;
    final Memo<DwarfUnit> unit;
    final Memo<LineTable> lines;
    final Memo<FunctionList> functions;
    final ConcurrentHashMap<Long, Memo<InlineTree>> trees = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, DieNames.Name> names = new ConcurrentHashMap<>();

    UnitState(long offset) {
      this(offset, true);
    }

    /** @param keepAbbrevs whether the unit's abbreviation table stays cached (see {@link #detached}) */
    UnitState(long offset, boolean keepAbbrevs) {
      this.offset = offset;
      this.unit = new Memo<>(() -> DwarfUnit.read(sections, offset, abbrevs, keepAbbrevs));
      this.lines = new Memo<>(() -> {
        DwarfUnit u = unit.get();
        if (u.stmtList() < 0) {
          return LineTable.empty();
        }
        LineTable t = LineTable.read(u, u.stmtList());
        if (t.droppedSequences() > 0) {
          problems.accept(t.droppedSequences() + " overlapping line sequences dropped in unit at 0x"
              + Long.toHexString(offset));
        }
        return t;
      });
      this.functions = new Memo<>(() -> FunctionList.scan(unit.get(), unit.get().window()));
    }

    public DwarfUnit unit() throws DwarfFormatException {
      return unit.get();
    }

    public LineTable lines() throws DwarfFormatException {
      return lines.get();
    }

    public FunctionList functions() throws DwarfFormatException {
      return functions.get();
    }

    public InlineTree tree(long dieOffset) throws DwarfFormatException {
      return trees.computeIfAbsent(dieOffset, d -> new Memo<>(() -> InlineTree.read(unit.get(), d))).get();
    }

    /**
     * The function's tree, decoded (on first use) from {@code unitBytes} when not null (a copy of the
     * unit), else from a copy of the function's own subtree as {@code functions} delimits it.
     */
    InlineTree tree(long dieOffset, SectionReader unitBytes, FunctionList functions) throws DwarfFormatException {
      Memo<InlineTree> m = trees.computeIfAbsent(dieOffset, d -> new Memo<>(() -> InlineTree.read(unit.get(), d)));
      if (m.isDone()) {
        return m.get();
      }
      return m.get(() -> {
        if (unitBytes != null) {
          return InlineTree.read(unit.get(), unitBytes, dieOffset);
        }
        long end = -1;
        for (int i = 0; i < functions.size(); i++) {
          if (functions.dieOffset(i) == dieOffset) {
            end = functions.dieEnd(i);
            break;
          }
        }
        if (end > dieOffset) {
          try {
            return InlineTree.readSubtree(unit.get(), dieOffset, end);
          } catch (DwarfFormatException e) {
            // The subtree's end comes from the function scan (a sibling pointer, on damaged input
            // wrong): what the whole unit says is the answer, as for every other path.
          }
        }
        return InlineTree.read(unit.get(), dieOffset);
      });
    }

    public DieNames.Name name(long dieOffset) throws DwarfFormatException {
      return name(dieOffset, null);
    }

    /** Like {@link #name(long)}, reading this unit's DIEs through {@code unitBytes} when not null. */
    DieNames.Name name(long dieOffset, SectionReader unitBytes) throws DwarfFormatException {
      DieNames.Name n = names.get(dieOffset);
      if (n == null) {
        n = DieNames.resolve(LiveDebugInfo.this::unitContaining, unit.get(), unitBytes, dieOffset);
        names.putIfAbsent(dieOffset, n);
      }
      return n;
    }
  }

  public UnitState state(long unitOffset) {
    return units.computeIfAbsent(unitOffset, UnitState::new);
  }

  /**
   * A state for one pass over a unit that is not kept (nor its abbreviation table): the index
   * builder decodes every unit once, and keeping them all would hold the whole DWARF decoded.
   */
  public UnitState detached(long unitOffset) {
    return new UnitState(unitOffset, false);
  }

  private DwarfUnit unitContaining(long infoOffset) throws DwarfFormatException {
    long u = index.unitContaining(infoOffset);
    if (u < 0) {
      throw new DwarfFormatException(DwarfFormatException.Kind.BAD_REFERENCE, ".debug_info", infoOffset,
          "reference outside every unit");
    }
    return state(u).unit.get();
  }

  @Override
  public List<SourceFrame> frames(long pc) throws DwarfFormatException {
    long u = index.unitFor(pc);
    if (u < 0) {
      return List.of();
    }
    UnitState st = state(u);
    LineTable lines = st.lines.get();
    int row = lines.find(pc);
    boolean hasRow = row >= 0;
    return assemble(lines.files(), hasRow ? lines.file(row) : 0, hasRow ? lines.line(row) : 0,
        hasRow ? lines.column(row) : 0, hasRow, pc, st.functions.get(), st::tree, st::name);
  }

  /** Decodes a function's inline tree. */
  @FunctionalInterface
  private interface Trees {
    InlineTree tree(long dieOffset) throws DwarfFormatException;
  }

  /** Names a DIE. */
  @FunctionalInterface
  private interface Names {
    DieNames.Name name(long dieOffset) throws DwarfFormatException;
  }

  /** The frames at pc from its line row (if any), its function and the function's inline tree. */
  private List<SourceFrame> assemble(FileTable files, int fileIndex, int lineNo, int col, boolean hasRow, long pc,
      FunctionList functions, Trees trees, Names names) throws DwarfFormatException {
    Optional<String> file = Optional.empty();
    OptionalInt line = OptionalInt.empty();
    OptionalInt column = OptionalInt.empty();
    // Line 0 is DWARF's "no source line" (clang gives it to code that belongs to no one line, e.g.
    // the jump back after a sanitizer report call): its file register means nothing either.
    if (hasRow && lineNo > 0) {
      file = path(files, fileIndex);
      line = positive(lineNo);
      column = positive(col);
    }
    long fn = functions.find(pc);
    if (fn < 0) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    InlineTree tree = trees.tree(fn);
    int[] chain = tree.chain(pc);
    if (chain.length == 0) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    List<SourceFrame> out = new ArrayList<>(chain.length);
    for (int k = chain.length - 1; k >= 0; k--) {
      int e = chain[k];
      DieNames.Name n = names.name(tree.origin(e));
      String name = n.name() != null ? n.name() : n.linkageName() != null ? n.linkageName() : "";
      Optional<String> linkage = n.linkageName() != null && !n.linkageName().equals(name)
          ? Optional.of(n.linkageName()) : Optional.empty();
      out.add(new SourceFrame(name, linkage, file, line, column, k > 0));
      // The caller's position is where this entry was inlined (DW_AT_call_*); line 0: none.
      boolean known = tree.callLine(e) > 0;
      file = known ? path(files, tree.callFile(e)) : Optional.empty();
      line = positive(tree.callLine(e));
      column = known ? positive(tree.callColumn(e)) : OptionalInt.empty();
    }
    return out;
  }

  /**
   * {@link #frames} for many addresses at once, for batches: each unit the addresses fall in is
   * decoded once, on up to {@code threads} threads, reading only what the addresses need (the line
   * program is run without keeping its rows; DIEs are read from one copy of the unit), and nothing
   * decoded is kept afterwards, so memory stays bounded by the units in flight.
   */
  @Override
  @SuppressWarnings("unchecked")
  public Batch framesAll(long[] pcs, int threads) {
    int n = pcs.length;
    List<SourceFrame>[] frames = new List[n];
    DwarfFormatException[] errors = new DwarfFormatException[n];
    // Group by unit, pcs ascending within it: sort (unit offset << 32 | pc index) keys, then order
    // each group's pcs (unsigned).
    long[] unitOf = new long[n];
    long[] keys = new long[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      unitOf[i] = index.unitFor(pcs[i]);
      if (unitOf[i] < 0) {
        frames[i] = List.of();
      } else {
        keys[m++] = unitOf[i] << 32 | i;
      }
    }
    keys = Arrays.copyOf(keys, m);
    Arrays.sort(keys);
    int[] sorted = new int[m];
    for (int i = 0; i < m; i++) {
      sorted[i] = (int) keys[i];
    }
    List<int[]> groups = new ArrayList<>(); // {from, to} into sorted
    for (int i = 0; i < m; ) {
      int j = i + 1;
      while (j < m && unitOf[sorted[j]] == unitOf[sorted[i]]) {
        j++;
      }
      sortByPc(sorted, i, j, pcs);
      groups.add(new int[] {i, j});
      i = j;
    }
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    Runnable worker = () -> {
      for (int g; (g = next.getAndIncrement()) < groups.size(); ) {
        int[] range = groups.get(g);
        decodeGroup(unitOf[sorted[range[0]]], pcs, sorted, range[0], range[1], frames, errors);
      }
    };
    int extra = Math.min(threads, groups.size()) - 1;
    Thread[] helpers = new Thread[Math.max(0, extra)];
    for (int t = 0; t < helpers.length; t++) {
      helpers[t] = new Thread(worker, "ktriage-symbolizer-" + (t + 1));
      helpers[t].setDaemon(true);
      helpers[t].start();
    }
    worker.run();
    for (Thread t : helpers) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return new Batch(frames, errors);
  }

  /** Orders {@code idx[from, to)} (indexes into pcs) by pc, unsigned. */
  private static void sortByPc(int[] idx, int from, int to, long[] pcs) {
    for (int i = from + 1; i < to; i++) {
      int v = idx[i];
      int j = i - 1;
      while (j >= from && Long.compareUnsigned(pcs[idx[j]], pcs[v]) > 0) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = v;
    }
  }

  /** Answers the pcs {@code sorted[from, to)} (indexes into pcs) of one unit. */
  private void decodeGroup(long unitOffset, long[] pcs, int[] sorted, int from, int to,
      List<SourceFrame>[] frames, DwarfFormatException[] errors) {
    // Distinct pcs of the unit, ascending.
    long[] upcs = new long[to - from];
    int[] slot = new int[to - from];
    int k = 0;
    for (int i = from; i < to; i++) {
      long pc = pcs[sorted[i]];
      if (k == 0 || upcs[k - 1] != pc) {
        upcs[k++] = pc;
      }
      slot[i - from] = k - 1;
    }
    upcs = Arrays.copyOf(upcs, k);
    @SuppressWarnings("unchecked")
    List<SourceFrame>[] answer = new List[k];
    DwarfFormatException[] failed = new DwarfFormatException[k];
    decodeUnit(unitOffset, upcs, answer, failed);
    for (int i = from; i < to; i++) {
      int at = sorted[i];
      int s = slot[i - from];
      if (failed[s] != null) {
        errors[at] = failed[s];
      } else {
        frames[at] = answer[s];
      }
    }
  }

  /**
   * Answers one unit's distinct sorted pcs through its memoized state, so that later batches reuse
   * what earlier ones decoded (a caller answering a long input in batches touches most units in
   * every batch). When the unit's functions are not yet known, its bytes are copied once and the
   * scan, the inline trees and the names of this batch read that copy; later, a function's tree
   * reads a copy of just its own subtree. Failures are what {@link #frames} would throw for the same
   * pc: a damaged unit, line program or function list fails every pc of the unit; a damaged function
   * or name only the pcs that need it.
   */
  private void decodeUnit(long unitOffset, long[] upcs, List<SourceFrame>[] answer, DwarfFormatException[] failed) {
    try {
      UnitState st = state(unitOffset);
      DwarfUnit u = st.unit.get();
      LineTable lines = st.lines.get();
      SectionReader[] window = {null};
      FunctionList functions;
      if (st.functions.isDone()) {
        functions = st.functions.get();
      } else {
        functions = st.functions.get(() -> {
          window[0] = u.window();
          return FunctionList.scan(u, window[0]);
        });
      }
      Trees treeOf = die -> st.tree(die, window[0], functions);
      Names nameOf = die -> st.name(die, window[0]);
      for (int i = 0; i < upcs.length; i++) {
        int row = lines.find(upcs[i]);
        boolean hasRow = row >= 0;
        try {
          answer[i] = assemble(lines.files(), hasRow ? lines.file(row) : 0, hasRow ? lines.line(row) : 0,
              hasRow ? lines.column(row) : 0, hasRow, upcs[i], functions, treeOf, nameOf);
        } catch (DwarfFormatException e) {
          failed[i] = e;
        }
      }
    } catch (DwarfFormatException e) {
      Arrays.fill(failed, e);
    }
  }

  private Optional<String> path(FileTable files, int index) {
    String p = paths.raw() ? files.raw(index) : files.tree(index);
    return Optional.ofNullable(paths.apply(p));
  }

  private static OptionalInt positive(int v) {
    return dev.ktriage.symbolizer.symbolize.Positive.of(v);
  }
}
