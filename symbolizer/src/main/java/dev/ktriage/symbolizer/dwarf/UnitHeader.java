package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;

/**
 * The header of one unit in {@code .debug_info} (DWARF 5 §7.5.1; DWARF 2-4 have no unit type and put
 * the abbreviation offset before the address size).
 *
 * @param offset offset of the unit's initial length
 * @param end offset just past the unit
 * @param offsetSize 4 for 32-bit DWARF, 8 for 64-bit DWARF
 * @param version 2 to 5
 * @param unitType a {@code DW_UT_*} value; {@link Dw#UT_COMPILE} for DWARF 2-4 compile units
 * @param addressSize size of a target address
 * @param abbrevOffset offset of the unit's abbreviation table in {@code .debug_abbrev}
 * @param dieOffset offset of the unit's first DIE
 */
public record UnitHeader(long offset, long end, int offsetSize, int version, int unitType,
    int addressSize, long abbrevOffset, long dieOffset) {

  /** Reads the header at the reader's position and leaves the reader at the first DIE. */
  public static UnitHeader read(SectionReader r) throws DwarfFormatException {
    return read(r, r.limit());
  }

  /**
   * Like {@link #read(SectionReader)}, through a reader that may hold only the header's bytes (a
   * small window): the unit's length is checked against {@code sectionLimit}.
   */
  public static UnitHeader read(SectionReader r, long sectionLimit) throws DwarfFormatException {
    long offset = r.position();
    int[] os = new int[1];
    long length = r.initialLength(os);
    long end = r.position() + length;
    if (end > sectionLimit || end < r.position()) {
      throw new DwarfFormatException(Kind.TRUNCATED, r.section(), offset, "unit length past end of section");
    }
    int version = r.u16();
    if (version < 2 || version > 5) {
      throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), offset, "unit version " + version);
    }
    int unitType = Dw.UT_COMPILE;
    int addressSize;
    long abbrevOffset;
    if (version >= 5) {
      unitType = r.u8();
      addressSize = r.u8();
      abbrevOffset = r.offset(os[0]);
      switch (unitType) {
        case Dw.UT_COMPILE, Dw.UT_PARTIAL -> { }
        case Dw.UT_SKELETON, Dw.UT_SPLIT_COMPILE -> r.skip(8); // dwo_id
        case Dw.UT_TYPE, Dw.UT_SPLIT_TYPE -> r.skip(8 + os[0]); // type_signature, type_offset
        default -> throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), offset, "unit type " + unitType);
      }
    } else {
      abbrevOffset = r.offset(os[0]);
      addressSize = r.u8();
    }
    if (addressSize != 1 && addressSize != 2 && addressSize != 4 && addressSize != 8) {
      throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), offset, "address size " + addressSize);
    }
    if (r.position() > end) {
      throw new DwarfFormatException(Kind.TRUNCATED, r.section(), offset, "unit header longer than unit");
    }
    return new UnitHeader(offset, end, os[0], version, unitType, addressSize, abbrevOffset, r.position());
  }
}
