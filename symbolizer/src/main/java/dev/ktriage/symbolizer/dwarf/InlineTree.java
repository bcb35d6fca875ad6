package dev.ktriage.symbolizer.dwarf;

import java.util.Arrays;

/**
 * One concrete function and the DW_TAG_inlined_subroutine DIEs inside it (DWARF 5 §3.3.8), in
 * depth-first order: entry 0 is the function itself; the children of entry {@code i} follow it, and
 * {@link #next(int)} is the index just past its subtree. Inlined subroutines inside lexical, try and
 * catch blocks are included (the blocks themselves are not: they do not make frames).
 *
 * <p>{@link #chain(long)} gives the entries containing an address, outermost first, which is how
 * addr2line and llvm-symbolizer build the inline stack. Immutable.
 */
public final class InlineTree {
  private final int n;
  private final int[] next;
  private final long[] origin;
  private final int[] callFile;
  private final int[] callLine;
  private final int[] callColumn;
  private final int[] rangeStart;
  private final long[] ranges;

  InlineTree(int n, int[] next, long[] origin, int[] callFile, int[] callLine, int[] callColumn,
      int[] rangeStart, long[] ranges) {
    this.n = n;
    this.next = next;
    this.origin = origin;
    this.callFile = callFile;
    this.callLine = callLine;
    this.callColumn = callColumn;
    this.rangeStart = rangeStart;
    this.ranges = ranges;
  }

  public int size() {
    return n;
  }

  public int next(int i) {
    return next[i];
  }

  /**
   * The DIE that names entry {@code i}: the function's own DIE for entry 0, DW_AT_abstract_origin for
   * inlined subroutines (an absolute {@code .debug_info} offset, possibly in another unit).
   */
  public long origin(int i) {
    return origin[i];
  }

  /** DW_AT_call_file (a file register value of the unit's line table), or -1. */
  public int callFile(int i) {
    return callFile[i];
  }

  /** DW_AT_call_line, or 0. */
  public int callLine(int i) {
    return callLine[i];
  }

  /** DW_AT_call_column, or 0. */
  public int callColumn(int i) {
    return callColumn[i];
  }

  /** Number of ranges of entry {@code i}. */
  public int rangeCount(int i) {
    return (rangeStart[i + 1] - rangeStart[i]) / 2;
  }

  public long rangeLo(int i, int k) {
    return ranges[rangeStart[i] + 2 * k];
  }

  public long rangeHi(int i, int k) {
    return ranges[rangeStart[i] + 2 * k + 1];
  }

  public boolean contains(int i, long pc) {
    for (int p = rangeStart[i]; p < rangeStart[i + 1]; p += 2) {
      if (Long.compareUnsigned(pc, ranges[p]) >= 0 && Long.compareUnsigned(pc, ranges[p + 1]) < 0) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entries whose ranges contain {@code pc}, outermost (the function, when it contains pc)
   * first. Each step searches only inside the subtree of the previous match.
   */
  public int[] chain(long pc) {
    int[] out = new int[4];
    int k = 0;
    int i = 0;
    int end = n;
    while (i < end) {
      if (contains(i, pc)) {
        if (k == out.length) {
          out = Arrays.copyOf(out, k * 2);
        }
        out[k++] = i;
        end = next[i];
        i++;
      } else {
        i = next[i];
      }
    }
    return Arrays.copyOf(out, k);
  }

  /** Reads the function whose DW_TAG_subprogram DIE is at {@code dieOffset} of {@code unit}. */
  public static InlineTree read(DwarfUnit unit, long dieOffset) throws DwarfFormatException {
    return read(unit, unit.infoReader(), dieOffset);
  }

  /** Like {@link #read(DwarfUnit, long)}, reading through {@code bytes} (e.g. the unit's window). */
  public static InlineTree read(DwarfUnit unit, SectionReader bytes, long dieOffset) throws DwarfFormatException {
    return read(new DieReader(unit, bytes), unit, dieOffset);
  }

  /**
   * Like {@link #read(DwarfUnit, long)}, reading only the function's own subtree {@code [dieOffset,
   * end)} (one small copy instead of the unit's bytes).
   */
  public static InlineTree readSubtree(DwarfUnit unit, long dieOffset, long end) throws DwarfFormatException {
    SectionReader bytes = SectionReader.window(unit.sections().info(), unit.sections().windows(), ".debug_info",
        dieOffset, end);
    DieReader r = new DieReader(unit, bytes, dieOffset, end);
    InlineTree t = read(r, unit, dieOffset, true);
    if (r.position() != end) {
      // The scan's end and this walk disagree: damage, which the caller reads the whole unit for.
      throw new DwarfFormatException(DwarfFormatException.Kind.MALFORMED, ".debug_info", dieOffset,
          "function subtree ends at 0x" + Long.toHexString(r.position()) + ", not 0x" + Long.toHexString(end));
    }
    return t;
  }

  private static InlineTree read(DieReader r, DwarfUnit unit, long dieOffset) throws DwarfFormatException {
    return read(r, unit, dieOffset, false);
  }

  /** @param strict whether the children must end with their null entry (not by running out of bytes) */
  private static InlineTree read(DieReader r, DwarfUnit unit, long dieOffset, boolean strict)
      throws DwarfFormatException {
    r.seek(dieOffset);
    DieAttrs a = new DieAttrs();
    Builder b = new Builder();
    Abbrev ab = r.read(a);
    if (ab == null) {
      throw new DwarfFormatException(DwarfFormatException.Kind.BAD_REFERENCE, ".debug_info", dieOffset,
          "function reference to a null entry");
    }
    int self = b.add(a.dieOffset, -1, 0, 0, unit.rangesOf(a));
    if (ab.hasChildren && !walk(r, a, b, (int) unit.header().end()) && strict) {
      throw new DwarfFormatException(DwarfFormatException.Kind.TRUNCATED, ".debug_info", dieOffset,
          "function subtree without its end");
    }
    b.close(self);
    return b.build();
  }

  /** Reads children up to their null entry; returns false when the bytes ran out first. */
  private static boolean walk(DieReader r, DieAttrs a, Builder b, int unitEnd) throws DwarfFormatException {
    DwarfUnit unit = r.unit();
    while (r.hasRemaining()) {
      Abbrev ab = r.readCode();
      if (ab == null) {
        return true;
      }
      int tag = ab.tag;
      if (!ab.hasChildren && tag != Dw.TAG_INLINED_SUBROUTINE) {
        r.skipAttributes(ab); // parameters, variables, empty blocks: no frames
        continue;
      }
      if (tag != Dw.TAG_INLINED_SUBROUTINE && tag != Dw.TAG_LEXICAL_BLOCK && tag != Dw.TAG_TRY_BLOCK
          && tag != Dw.TAG_CATCH_BLOCK && r.skipSubtreeBySibling(ab)) {
        continue; // call sites and the like: no frames inside
      }
      r.readAttributes(ab, a);
      switch (tag) {
        case Dw.TAG_INLINED_SUBROUTINE -> {
          long origin = a.has(DieAttrs.ABSTRACT_ORIGIN) ? a.value(DieAttrs.ABSTRACT_ORIGIN) : a.dieOffset;
          int file = a.has(DieAttrs.CALL_FILE) ? (int) a.value(DieAttrs.CALL_FILE) : -1;
          int line = a.has(DieAttrs.CALL_LINE) ? (int) a.value(DieAttrs.CALL_LINE) : 0;
          int col = a.has(DieAttrs.CALL_COLUMN) ? (int) a.value(DieAttrs.CALL_COLUMN) : 0;
          int idx = b.add(origin, file, line, col, unit.rangesOf(a));
          boolean ended = !ab.hasChildren || walk(r, a, b, unitEnd);
          b.close(idx);
          if (!ended) {
            return false;
          }
        }
        case Dw.TAG_LEXICAL_BLOCK, Dw.TAG_TRY_BLOCK, Dw.TAG_CATCH_BLOCK -> {
          if (ab.hasChildren && !walk(r, a, b, unitEnd)) {
            return false;
          }
        }
        default -> FunctionList.skipSubtree(r, a, ab, unitEnd);
      }
    }
    return false;
  }

  /** Accumulates entries in DFS order. */
  private static final class Builder {
    private int n;
    private int[] next = new int[8];
    private long[] origin = new long[8];
    private int[] callFile = new int[8];
    private int[] callLine = new int[8];
    private int[] callColumn = new int[8];
    private int[] rangeStart = new int[9];
    private long[] ranges = new long[16];
    private int nr;

    int add(long org, int file, int line, int col, long[] rs) {
      if (n + 1 >= next.length) {
        int c = next.length * 2;
        next = Arrays.copyOf(next, c);
        origin = Arrays.copyOf(origin, c);
        callFile = Arrays.copyOf(callFile, c);
        callLine = Arrays.copyOf(callLine, c);
        callColumn = Arrays.copyOf(callColumn, c);
        rangeStart = Arrays.copyOf(rangeStart, c + 1);
      }
      if (nr + rs.length > ranges.length) {
        ranges = Arrays.copyOf(ranges, Math.max(ranges.length * 2, nr + rs.length));
      }
      origin[n] = org;
      callFile[n] = file;
      callLine[n] = line;
      callColumn[n] = col;
      rangeStart[n] = nr;
      System.arraycopy(rs, 0, ranges, nr, rs.length);
      nr += rs.length;
      rangeStart[n + 1] = nr;
      return n++;
    }

    void close(int idx) {
      next[idx] = n;
    }

    InlineTree build() {
      rangeStart[n] = nr;
      return new InlineTree(n, Arrays.copyOf(next, n), Arrays.copyOf(origin, n), Arrays.copyOf(callFile, n),
          Arrays.copyOf(callLine, n), Arrays.copyOf(callColumn, n), Arrays.copyOf(rangeStart, n + 1),
          Arrays.copyOf(ranges, nr));
    }
  }
}
