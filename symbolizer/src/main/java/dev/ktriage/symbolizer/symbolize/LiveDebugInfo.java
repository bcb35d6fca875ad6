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
import java.util.ArrayList;
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

  @Override
  public boolean decodesOnDemand() {
    return true;
  }

  @Override
  public int unitCount() {
    return index.unitCount();
  }

  @Override
  public long unitKey(long pc) {
    return index.unitFor(pc);
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
      this.offset = offset;
      this.unit = new Memo<>(() -> DwarfUnit.read(sections, offset, abbrevs));
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
      this.functions = new Memo<>(() -> FunctionList.scan(unit.get()));
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

    public DieNames.Name name(long dieOffset) throws DwarfFormatException {
      DieNames.Name n = names.get(dieOffset);
      if (n == null) {
        n = DieNames.resolve(LiveDebugInfo.this::unitContaining, unit.get(), dieOffset);
        names.putIfAbsent(dieOffset, n);
      }
      return n;
    }
  }

  public UnitState state(long unitOffset) {
    return units.computeIfAbsent(unitOffset, UnitState::new);
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
    FileTable files = lines.files();
    int row = lines.find(pc);
    Optional<String> file = Optional.empty();
    OptionalInt line = OptionalInt.empty();
    OptionalInt column = OptionalInt.empty();
    if (row >= 0) {
      file = path(files, lines.file(row));
      line = positive(lines.line(row));
      column = positive(lines.column(row));
    }
    long fn = st.functions.get().find(pc);
    if (fn < 0) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    InlineTree tree = st.tree(fn);
    int[] chain = tree.chain(pc);
    if (chain.length == 0) {
      return List.of(new SourceFrame("", Optional.empty(), file, line, column, false));
    }
    List<SourceFrame> out = new ArrayList<>(chain.length);
    for (int k = chain.length - 1; k >= 0; k--) {
      int e = chain[k];
      DieNames.Name n = st.name(tree.origin(e));
      String name = n.name() != null ? n.name() : n.linkageName() != null ? n.linkageName() : "";
      Optional<String> linkage = n.linkageName() != null && !n.linkageName().equals(name)
          ? Optional.of(n.linkageName()) : Optional.empty();
      out.add(new SourceFrame(name, linkage, file, line, column, k > 0));
      // The caller's position is where this entry was inlined (DW_AT_call_*).
      file = path(files, tree.callFile(e));
      line = positive(tree.callLine(e));
      column = positive(tree.callColumn(e));
    }
    return out;
  }

  private Optional<String> path(FileTable files, int index) {
    String p = paths.raw() ? files.raw(index) : files.tree(index);
    return Optional.ofNullable(paths.apply(p));
  }

  private static OptionalInt positive(int v) {
    return v > 0 ? OptionalInt.of(v) : OptionalInt.empty();
  }
}
