package dev.ktriage.symbolizer.dwarf;

import java.util.ArrayList;
import java.util.List;

/**
 * The concrete functions of one unit: every DW_TAG_subprogram with code ranges among the unit's
 * top-level DIEs (and inside namespaces), found without entering function bodies.
 *
 * <p>Ranges are kept sorted by start so that {@link #find} is a binary search; a function split by
 * GCC into a hot part and a {@code .cold} part has two ranges. Immutable.
 */
public final class FunctionList {
  private final long[] lo;
  private final long[] hi;
  private final long[] dieOffset;
  private final long[] dieEnd;

  private FunctionList(long[] lo, long[] hi, long[] dieOffset, long[] dieEnd) {
    this.lo = lo;
    this.hi = hi;
    this.dieOffset = dieOffset;
    this.dieEnd = dieEnd;
  }

  /** Number of ranges. */
  public int size() {
    return lo.length;
  }

  public long lo(int i) {
    return lo[i];
  }

  public long hi(int i) {
    return hi[i];
  }

  /** The subprogram DIE that owns range {@code i}. */
  public long dieOffset(int i) {
    return dieOffset[i];
  }

  /** The offset just past the subtree of the subprogram that owns range {@code i}. */
  public long dieEnd(int i) {
    return dieEnd[i];
  }

  /** The DIE offset of the function whose range contains {@code pc}, or -1. */
  public long find(long pc) {
    int i = findIndex(pc);
    return i < 0 ? -1 : dieOffset[i];
  }

  /** The range containing {@code pc} (see {@link #dieOffset}, {@link #dieEnd}), or -1. */
  public int findIndex(long pc) {
    // Ranges of different functions do not overlap in valid DWARF, but a discarded function left at
    // address 0 can sit inside another range; look back a little for a containing one.
    return AddressSearch.containing(lo, hi, pc, 8);
  }

  /** Scans the unit's DIEs above function bodies (DWARF 5 §3.3). */
  public static FunctionList scan(DwarfUnit unit) throws DwarfFormatException {
    return scan(unit, unit.infoReader());
  }

  /** Like {@link #scan(DwarfUnit)}, reading through {@code bytes} (e.g. the unit's window). */
  public static FunctionList scan(DwarfUnit unit, SectionReader bytes) throws DwarfFormatException {
    DieReader r = new DieReader(unit, bytes);
    DieAttrs a = new DieAttrs();
    List<long[]> found = new ArrayList<>();
    Abbrev root = r.read(a);
    if (root != null && root.hasChildren) {
      scanChildren(r, a, found);
    }
    found.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
    long[] lo = new long[found.size()];
    long[] hi = new long[found.size()];
    long[] off = new long[found.size()];
    long[] end = new long[found.size()];
    for (int i = 0; i < lo.length; i++) {
      long[] f = found.get(i);
      lo[i] = f[0];
      hi[i] = f[1];
      off[i] = f[2];
      end[i] = f[3];
    }
    return new FunctionList(lo, hi, off, end);
  }

  private static void scanChildren(DieReader r, DieAttrs a, List<long[]> found) throws DwarfFormatException {
    int unitEnd = (int) r.unit().header().end();
    while (r.hasRemaining()) {
      Abbrev ab = r.readCode();
      if (ab == null) {
        return;
      }
      int tag = ab.tag;
      if ((tag != Dw.TAG_SUBPROGRAM || !ab.mayHaveCode) && tag != Dw.TAG_NAMESPACE && tag != Dw.TAG_MODULE) {
        // Types, variables, declarations and abstract instances of functions (no DW_AT_low_pc or
        // DW_AT_ranges, so no code): nothing to find. Jump over the subtree by DW_AT_sibling when possible.
        if (!ab.hasChildren) {
          r.skipAttributes(ab);
          continue;
        }
        if (r.skipSubtreeBySibling(ab)) {
          continue;
        }
      }
      r.readAttributes(ab, a);
      if (tag == Dw.TAG_SUBPROGRAM) {
        long[] ranges = r.unit().rangesOf(a);
        int first = found.size();
        for (int i = 0; i + 1 < ranges.length; i += 2) {
          found.add(new long[] {ranges[i], ranges[i + 1], a.dieOffset, 0});
        }
        skipSubtree(r, a, ab, unitEnd);
        for (int i = first; i < found.size(); i++) {
          found.get(i)[3] = r.position();
        }
      } else if (tag == Dw.TAG_NAMESPACE || tag == Dw.TAG_MODULE) {
        if (ab.hasChildren) {
          scanChildren(r, a, found);
        }
      } else {
        skipSubtree(r, a, ab, unitEnd);
      }
    }
  }

  /** Moves past the children of the DIE just read, by DW_AT_sibling when it has a usable one. */
  static void skipSubtree(DieReader r, DieAttrs a, Abbrev ab, int unitEnd) throws DwarfFormatException {
    if (!ab.hasChildren) {
      return;
    }
    if (a.has(DieAttrs.SIBLING)) {
      long sib = a.value(DieAttrs.SIBLING);
      int f = a.form(DieAttrs.SIBLING);
      if (f != Dw.FORM_REF_ADDR && f != Dw.FORM_REF_SIG8 && sib > r.position() && sib <= unitEnd) {
        r.seekAny(sib);
        return;
      }
    }
    r.skipChildren();
  }
}
