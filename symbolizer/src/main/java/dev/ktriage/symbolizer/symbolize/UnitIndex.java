package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.dwarf.AbbrevCache;
import dev.ktriage.symbolizer.dwarf.AddressSearch;
import dev.ktriage.symbolizer.dwarf.Aranges;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.dwarf.DwarfSections;
import dev.ktriage.symbolizer.dwarf.DwarfUnit;
import dev.ktriage.symbolizer.dwarf.SectionReader;
import dev.ktriage.symbolizer.dwarf.UnitHeader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Maps addresses to units and {@code .debug_info} offsets to units.
 *
 * <p>Address ranges come from {@code .debug_aranges} when it covers a unit (one small section read,
 * no DIE decoded: the cheap path for a vmlinux with 2,000+ units); units it does not mention fall
 * back to their root DIE's DW_AT_low_pc/high_pc/ranges. Only units of type compile (and partial,
 * whose ranges are recorded too) carry code. Immutable and thread-safe.
 */
public final class UnitIndex {
  // Longer than any unit header (64-bit DWARF 5 type unit: 12 + 2 + 1 + 1 + 8 + 8 + 8 bytes).
  private static final int HEADER_WINDOW = 48;
  private final long[] unitOffsets;
  private final long[] lo;
  private final long[] hi;
  private final long[] unit;

  private UnitIndex(long[] unitOffsets, long[] lo, long[] hi, long[] unit) {
    this.unitOffsets = unitOffsets;
    this.lo = lo;
    this.hi = hi;
    this.unit = unit;
  }

  /**
   * Builds the index. Units whose headers or root DIEs are damaged are reported and left out.
   */
  public static UnitIndex build(DwarfSections sections, AbbrevCache abbrevs, Consumer<String> problems) {
    List<Long> offsets = new ArrayList<>();
    // Each header through a small positioned read rather than the mapping: a fault in a mapping
    // brings in the pages around it too, and 2,000+ headers spread over a kernel's .debug_info made
    // ~100 MB of it resident for a run that decodes a few units.
    long limit = sections.info().limit();
    long at = 0;
    while (at < limit) {
      try {
        SectionReader r = SectionReader.window(sections.info(), sections.windows(), ".debug_info", at,
            Math.min(limit, at + HEADER_WINDOW));
        UnitHeader h = UnitHeader.read(r, limit);
        offsets.add(h.offset());
        if (h.end() <= at) {
          break;
        }
        at = h.end();
      } catch (DwarfFormatException e) {
        problems.accept("unit headers end early: " + e.getMessage());
        break;
      }
    }
    long[] unitOffsets = offsets.stream().mapToLong(Long::longValue).toArray();
    long[] triples = new long[0];
    if (sections.aranges().limit() > 0) {
      try {
        triples = Aranges.read(new SectionReader(sections.aranges(), ".debug_aranges"));
      } catch (DwarfFormatException e) {
        problems.accept("ignoring .debug_aranges: " + e.getMessage());
        triples = new long[0];
      }
    }
    Set<Long> covered = new HashSet<>();
    List<long[]> ranges = new ArrayList<>();
    Set<Long> valid = new HashSet<>(offsets);
    for (int i = 0; i + 2 < triples.length; i += 3) {
      if (valid.contains(triples[i + 2])) {
        covered.add(triples[i + 2]);
        ranges.add(new long[] {triples[i], triples[i + 1], triples[i + 2]});
      }
    }
    for (long off : unitOffsets) {
      if (covered.contains(off)) {
        continue;
      }
      try {
        DwarfUnit u = DwarfUnit.read(sections, off, abbrevs);
        long[] rs = u.ranges();
        for (int i = 0; i + 1 < rs.length; i += 2) {
          ranges.add(new long[] {rs[i], rs[i + 1], off});
        }
      } catch (DwarfFormatException e) {
        problems.accept("unit at 0x" + Long.toHexString(off) + " skipped: " + e.getMessage());
      }
    }
    ranges.sort((x, y) -> Long.compareUnsigned(x[0], y[0]));
    long[] lo = new long[ranges.size()];
    long[] hi = new long[ranges.size()];
    long[] un = new long[ranges.size()];
    for (int i = 0; i < lo.length; i++) {
      lo[i] = ranges.get(i)[0];
      hi[i] = ranges.get(i)[1];
      un[i] = ranges.get(i)[2];
    }
    return new UnitIndex(unitOffsets, lo, hi, un);
  }

  /** Unit code ranges sorted by start: {lo[], hi[], unitOffset[]} (copies). */
  public long[][] ranges() {
    return new long[][] {lo.clone(), hi.clone(), unit.clone()};
  }

  /** Offsets of every unit header, ascending. */
  public long[] unitOffsets() {
    return unitOffsets.clone();
  }

  public int unitCount() {
    return unitOffsets.length;
  }

  /** The unit whose code contains {@code pc}, or -1. */
  public long unitFor(long pc) {
    // Overlaps only come from discarded code left at low addresses; a short look-back finds the
    // containing range in those cases.
    int i = AddressSearch.containing(lo, hi, pc, 16);
    return i < 0 ? -1 : unit[i];
  }

  /** The unit header offset of the unit that contains {@code infoOffset}, or -1. */
  public long unitContaining(long infoOffset) {
    int i = Arrays.binarySearch(unitOffsets, infoOffset);
    if (i >= 0) {
      return unitOffsets[i];
    }
    int ins = -i - 1;
    return ins == 0 ? -1 : unitOffsets[ins - 1];
  }
}
