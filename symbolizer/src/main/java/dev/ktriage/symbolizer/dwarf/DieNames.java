package dev.ktriage.symbolizer.dwarf;

/**
 * Names a subprogram or inlined subroutine from its DIE: DW_AT_name and DW_AT_linkage_name, following
 * DW_AT_abstract_origin and DW_AT_specification (DWARF 5 §3.3.8.2, §2.13.2) for whichever is missing,
 * across units when the reference is a DW_FORM_ref_addr.
 *
 * <p>Stateless.
 */
public final class DieNames {
  private static final int MAX_HOPS = 16;

  private DieNames() {
    // no instance
  }

  /** The name pair of a DIE. */
  public record Name(String name, String linkageName) {}

  /**
   * @param dieOffset absolute {@code .debug_info} offset of the DIE
   * @return the name, or a name of null when no DIE on the chain has one
   */
  public static Name resolve(UnitLocator units, DwarfUnit start, long dieOffset) throws DwarfFormatException {
    return resolve(units, start, null, dieOffset);
  }

  /**
   * Like {@link #resolve(UnitLocator, DwarfUnit, long)}; DIEs of {@code start} are read through
   * {@code startBytes} when not null (the unit's window).
   */
  public static Name resolve(UnitLocator units, DwarfUnit start, SectionReader startBytes, long dieOffset)
      throws DwarfFormatException {
    String name = null;
    String linkage = null;
    DieAttrs a = new DieAttrs();
    DwarfUnit unit = start;
    long offset = dieOffset;
    for (int hop = 0; hop < MAX_HOPS; hop++) {
      if (offset < unit.header().dieOffset() || offset >= unit.header().end()) {
        unit = units.unitContaining(offset);
      }
      DieReader r = unit == start && startBytes != null ? new DieReader(unit, startBytes) : new DieReader(unit);
      r.seek(offset);
      if (r.read(a) == null) {
        break;
      }
      if (name == null && a.has(DieAttrs.NAME)) {
        name = unit.string(a.form(DieAttrs.NAME), a.value(DieAttrs.NAME));
      }
      if (linkage == null && a.has(DieAttrs.LINKAGE_NAME)) {
        linkage = unit.string(a.form(DieAttrs.LINKAGE_NAME), a.value(DieAttrs.LINKAGE_NAME));
      }
      if (name != null && linkage != null) {
        break;
      }
      int slot = a.has(DieAttrs.ABSTRACT_ORIGIN) ? DieAttrs.ABSTRACT_ORIGIN
          : a.has(DieAttrs.SPECIFICATION) ? DieAttrs.SPECIFICATION : -1;
      if (slot < 0) {
        break;
      }
      int form = a.form(slot);
      if (form == Dw.FORM_REF_SIG8 || form == Dw.FORM_GNU_REF_ALT || form == Dw.FORM_REF_SUP4
          || form == Dw.FORM_REF_SUP8) {
        break; // type units and supplementary files are not followed
      }
      offset = a.value(slot);
    }
    return new Name(name, linkage);
  }
}
