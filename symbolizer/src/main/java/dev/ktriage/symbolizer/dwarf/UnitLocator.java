package dev.ktriage.symbolizer.dwarf;

/** Finds the unit that contains a {@code .debug_info} offset (for DW_FORM_ref_addr references). */
@FunctionalInterface
public interface UnitLocator {
  /**
   * @throws DwarfFormatException if no unit contains the offset or that unit cannot be read
   */
  DwarfUnit unitContaining(long infoOffset) throws DwarfFormatException;
}
