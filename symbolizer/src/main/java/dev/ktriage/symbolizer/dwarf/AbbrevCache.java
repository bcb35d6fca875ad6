package dev.ktriage.symbolizer.dwarf;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Parsed abbreviation tables by {@code .debug_abbrev} offset. Thread-safe; a table may be parsed
 * twice under a race, which is harmless.
 */
public final class AbbrevCache {
  private final DwarfSections sections;
  private final ConcurrentHashMap<Long, AbbrevTable> tables = new ConcurrentHashMap<>();

  public AbbrevCache(DwarfSections sections) {
    this.sections = sections;
  }

  /** Parses the table at {@code offset} without keeping it (for a unit decoded once, in a batch). */
  public AbbrevTable parse(long offset) throws DwarfFormatException {
    AbbrevTable t = tables.get(offset);
    return t != null ? t : AbbrevTable.read(new SectionReader(sections.abbrev(), ".debug_abbrev"), offset);
  }

  public AbbrevTable get(long offset) throws DwarfFormatException {
    AbbrevTable t = tables.get(offset);
    if (t == null) {
      t = AbbrevTable.read(new SectionReader(sections.abbrev(), ".debug_abbrev"), offset);
      tables.putIfAbsent(offset, t);
    }
    return t;
  }
}
