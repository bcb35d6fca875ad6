package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;
import java.util.Arrays;

/**
 * Decodes DW_AT_ranges: DWARF 5 range lists in {@code .debug_rnglists} (§2.17.3, §7.25, every
 * DW_RLE_* kind, DW_FORM_rnglistx through the offsets table at DW_AT_rnglists_base) and DWARF 2-4
 * address pairs in {@code .debug_ranges} (§2.17.3 of DWARF 4, with base address selection entries).
 *
 * <p>Stateless.
 */
public final class RangeLists {
  private RangeLists() {
    // no instance
  }

  /** Returns [lo0, hi0, lo1, hi1, ...] with empty ranges dropped. */
  public static long[] read(DwarfUnit unit, int form, long value) throws DwarfFormatException {
    UnitHeader h = unit.header();
    if (h.version() >= 5) {
      SectionReader r = new SectionReader(unit.sections().rnglists(), ".debug_rnglists");
      long offset = value;
      if (form == Dw.FORM_RNGLISTX) {
        // §7.28: the offsets table entries are relative to the base itself.
        r.seek(unit.rnglistsBase() + value * h.offsetSize());
        offset = unit.rnglistsBase() + r.offset(h.offsetSize());
      }
      return readRnglist(unit, r, offset);
    }
    return readRanges(unit, new SectionReader(unit.sections().ranges(), ".debug_ranges"), value);
  }

  private static long[] readRnglist(DwarfUnit unit, SectionReader r, long offset) throws DwarfFormatException {
    r.seek(offset);
    int as = unit.header().addressSize();
    long base = unit.baseAddress();
    long[] out = new long[8];
    int n = 0;
    for (int guard = 0; ; guard++) {
      int kind = r.u8();
      long lo;
      long hi;
      switch (kind) {
        case Dw.RLE_END_OF_LIST -> {
          return Arrays.copyOf(out, n);
        }
        case Dw.RLE_BASE_ADDRESSX -> {
          base = unit.indexedAddress(r.uleb());
          continue;
        }
        case Dw.RLE_BASE_ADDRESS -> {
          base = r.unsigned(as);
          continue;
        }
        case Dw.RLE_STARTX_ENDX -> {
          lo = unit.indexedAddress(r.uleb());
          hi = unit.indexedAddress(r.uleb());
        }
        case Dw.RLE_STARTX_LENGTH -> {
          lo = unit.indexedAddress(r.uleb());
          hi = lo + r.uleb();
        }
        case Dw.RLE_OFFSET_PAIR -> {
          lo = base + r.uleb();
          hi = base + r.uleb();
        }
        case Dw.RLE_START_END -> {
          lo = r.unsigned(as);
          hi = r.unsigned(as);
        }
        case Dw.RLE_START_LENGTH -> {
          lo = r.unsigned(as);
          hi = lo + r.uleb();
        }
        default -> throw new DwarfFormatException(Kind.MALFORMED, r.section(), r.position() - 1,
            "unknown range list entry kind " + kind);
      }
      if (Long.compareUnsigned(lo, hi) < 0) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = lo;
        out[n++] = hi;
      }
    }
  }

  private static long[] readRanges(DwarfUnit unit, SectionReader r, long offset) throws DwarfFormatException {
    r.seek(offset);
    int as = unit.header().addressSize();
    long maxAddr = as == 8 ? -1L : (1L << (8 * as)) - 1;
    long base = unit.baseAddress();
    long[] out = new long[8];
    int n = 0;
    while (true) {
      long a = r.unsigned(as);
      long b = r.unsigned(as);
      if (a == 0 && b == 0) {
        return Arrays.copyOf(out, n);
      }
      if (a == maxAddr) {
        base = b;
        continue;
      }
      long lo = base + a;
      long hi = base + b;
      if (Long.compareUnsigned(lo, hi) < 0) {
        if (n == out.length) {
          out = Arrays.copyOf(out, n * 2);
        }
        out[n++] = lo;
        out[n++] = hi;
      }
    }
  }
}
