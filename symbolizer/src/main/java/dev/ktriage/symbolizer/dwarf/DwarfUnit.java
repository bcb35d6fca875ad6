package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;
import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * One unit of {@code .debug_info} with the attributes of its root DIE that the rest of the unit
 * needs to be decoded: string/address/range-list bases (DWARF 5 §3.1.1), the base address for
 * range lists, the line program offset and the compilation directory.
 *
 * <p>Immutable and thread-safe (readers are created per call).
 */
public final class DwarfUnit {
  private final DwarfSections sections;
  private final UnitHeader header;
  private final AbbrevTable abbrevs;
  private final int rootTag;
  private final Optional<String> name;
  private final Optional<String> compDir;
  private final long stmtList;
  private final long baseAddress;
  private final long strOffsetsBase;
  private final long addrBase;
  private final long rnglistsBase;
  private final long[] ranges;

  private DwarfUnit(DwarfSections sections, UnitHeader header, AbbrevTable abbrevs, DieAttrs root)
      throws DwarfFormatException {
    this.sections = sections;
    this.header = header;
    this.abbrevs = abbrevs;
    this.rootTag = root.tag;
    // Bases first: the root's own strx/addrx/rnglistx values are relative to them.
    int os = header.offsetSize();
    this.strOffsetsBase = root.has(DieAttrs.STR_OFFSETS_BASE) ? root.value(DieAttrs.STR_OFFSETS_BASE)
        : (header.version() >= 5 ? 2L * os : 0);
    this.addrBase = root.has(DieAttrs.ADDR_BASE) ? root.value(DieAttrs.ADDR_BASE)
        : (header.version() >= 5 ? 2L * os : 0);
    this.rnglistsBase = root.has(DieAttrs.RNGLISTS_BASE) ? root.value(DieAttrs.RNGLISTS_BASE)
        : (header.version() >= 5 ? 2L * os + 4 : 0);
    long base = 0;
    if (root.has(DieAttrs.LOW_PC)) {
      base = address(root.form(DieAttrs.LOW_PC), root.value(DieAttrs.LOW_PC));
    } else if (root.has(DieAttrs.ENTRY_PC)) {
      base = address(root.form(DieAttrs.ENTRY_PC), root.value(DieAttrs.ENTRY_PC));
    }
    this.baseAddress = base;
    this.name = root.has(DieAttrs.NAME) ? Optional.of(string(root.form(DieAttrs.NAME), root.value(DieAttrs.NAME)))
        : Optional.empty();
    this.compDir = root.has(DieAttrs.COMP_DIR)
        ? Optional.of(string(root.form(DieAttrs.COMP_DIR), root.value(DieAttrs.COMP_DIR))) : Optional.empty();
    this.stmtList = root.has(DieAttrs.STMT_LIST) ? root.value(DieAttrs.STMT_LIST) : -1;
    this.ranges = rangesOf(root);
  }

  /**
   * Reads the unit at {@code offset}: its header, abbreviation table and root DIE.
   *
   * @param abbrevCache supplies parsed abbreviation tables by offset (units may share them)
   */
  public static DwarfUnit read(DwarfSections sections, long offset, AbbrevCache abbrevCache)
      throws DwarfFormatException {
    return read(sections, offset, abbrevCache, true);
  }

  /**
   * Like {@link #read(DwarfSections, long, AbbrevCache)}; with {@code keepAbbrevs} false a table not
   * yet cached is parsed for this unit only (a batch decodes each unit once; kernel units do not share
   * tables, and 2,000 kept tables would cost tens of MB).
   */
  public static DwarfUnit read(DwarfSections sections, long offset, AbbrevCache abbrevCache, boolean keepAbbrevs)
      throws DwarfFormatException {
    SectionReader r = new SectionReader(sections.info(), ".debug_info");
    r.seek(offset);
    UnitHeader h = UnitHeader.read(r);
    AbbrevTable abbrevs = keepAbbrevs ? abbrevCache.get(h.abbrevOffset()) : abbrevCache.parse(h.abbrevOffset());
    DwarfUnit shell = new DwarfUnit(sections, h, abbrevs);
    DieReader dies = new DieReader(shell);
    DieAttrs root = new DieAttrs();
    if (dies.read(root) == null) {
      throw new DwarfFormatException(Kind.MALFORMED, ".debug_info", h.dieOffset(), "unit without root die");
    }
    return new DwarfUnit(sections, h, abbrevs, root);
  }

  /** A unit with only header and abbreviations, used to read its root DIE. */
  private DwarfUnit(DwarfSections sections, UnitHeader header, AbbrevTable abbrevs) {
    this.sections = sections;
    this.header = header;
    this.abbrevs = abbrevs;
    this.rootTag = 0;
    this.name = Optional.empty();
    this.compDir = Optional.empty();
    this.stmtList = -1;
    this.baseAddress = 0;
    int os = header.offsetSize();
    this.strOffsetsBase = header.version() >= 5 ? 2L * os : 0;
    this.addrBase = header.version() >= 5 ? 2L * os : 0;
    this.rnglistsBase = 0;
    this.ranges = new long[0];
  }

  public UnitHeader header() {
    return header;
  }

  public DwarfSections sections() {
    return sections;
  }

  AbbrevTable abbrevs() {
    return abbrevs;
  }

  SectionReader infoReader() {
    return new SectionReader(sections.info(), ".debug_info");
  }

  /**
   * A copy of this unit's bytes of {@code .debug_info}, for walks that read many of its DIEs (see
   * {@link DieReader#DieReader(DwarfUnit, SectionReader)}); offsets stay section offsets.
   */
  public SectionReader window() throws DwarfFormatException {
    return SectionReader.window(sections.info(), sections.windows(), ".debug_info", header.offset(), header.end());
  }

  /** Tag of the root DIE (compile, partial, type or skeleton unit). */
  public int rootTag() {
    return rootTag;
  }

  /** DW_AT_name of the root DIE: the primary source file. */
  public Optional<String> name() {
    return name;
  }

  /** DW_AT_comp_dir: the directory relative paths in this unit are relative to. */
  public Optional<String> compDir() {
    return compDir;
  }

  /** DW_AT_stmt_list: offset of the line program in {@code .debug_line}, or -1. */
  public long stmtList() {
    return stmtList;
  }

  /** The unit's own code ranges as [lo0, hi0, lo1, hi1, ...] (may be empty). */
  public long[] ranges() {
    return ranges.clone();
  }

  /** Decodes a string attribute value of any string form. */
  public String string(int form, long value) throws DwarfFormatException {
    return switch (form) {
      case Dw.FORM_STRING -> SectionReader.cStringAt(sections.info(), value, ".debug_info");
      case Dw.FORM_STRP -> SectionReader.cStringAt(sections.str(), value, ".debug_str");
      case Dw.FORM_LINE_STRP -> SectionReader.cStringAt(sections.lineStr(), value, ".debug_line_str");
      case Dw.FORM_STRX, Dw.FORM_STRX1, Dw.FORM_STRX2, Dw.FORM_STRX3, Dw.FORM_STRX4, Dw.FORM_GNU_STR_INDEX -> {
        long at = strOffsetsBase + value * header.offsetSize();
        SectionReader r = new SectionReader(sections.strOffsets(), ".debug_str_offsets");
        r.seek(at);
        yield SectionReader.cStringAt(sections.str(), r.offset(header.offsetSize()), ".debug_str");
      }
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, ".debug_info", header.offset(),
          "string form 0x" + Integer.toHexString(form) + " (supplementary or alternate file)");
    };
  }

  /** Decodes an address attribute value: DW_FORM_addr, or an index into {@code .debug_addr}. */
  public long address(int form, long value) throws DwarfFormatException {
    return switch (form) {
      case Dw.FORM_ADDR -> value;
      case Dw.FORM_ADDRX, Dw.FORM_ADDRX1, Dw.FORM_ADDRX2, Dw.FORM_ADDRX3, Dw.FORM_ADDRX4,
          Dw.FORM_GNU_ADDR_INDEX -> indexedAddress(value);
      default -> throw new DwarfFormatException(Kind.MALFORMED, ".debug_info", header.offset(),
          "address form 0x" + Integer.toHexString(form));
    };
  }

  long indexedAddress(long index) throws DwarfFormatException {
    SectionReader r = new SectionReader(sections.addr(), ".debug_addr");
    r.seek(addrBase + index * header.addressSize());
    return r.unsigned(header.addressSize());
  }

  private static boolean isConstantForm(int form) {
    return switch (form) {
      case Dw.FORM_DATA1, Dw.FORM_DATA2, Dw.FORM_DATA4, Dw.FORM_DATA8, Dw.FORM_UDATA, Dw.FORM_SDATA,
          Dw.FORM_IMPLICIT_CONST -> true;
      default -> false;
    };
  }

  /**
   * The code ranges of a DIE as [lo0, hi0, ...]: DW_AT_low_pc with DW_AT_high_pc (an address, or a
   * length when of constant class, §2.17.2), or DW_AT_ranges (§2.17.3). Empty ranges are dropped.
   */
  public long[] rangesOf(DieAttrs a) throws DwarfFormatException {
    if (a.has(DieAttrs.RANGES)) {
      return RangeLists.read(this, a.form(DieAttrs.RANGES), a.value(DieAttrs.RANGES));
    }
    if (a.has(DieAttrs.LOW_PC) && a.has(DieAttrs.HIGH_PC)) {
      long lo = address(a.form(DieAttrs.LOW_PC), a.value(DieAttrs.LOW_PC));
      int hf = a.form(DieAttrs.HIGH_PC);
      long hi = isConstantForm(hf) ? lo + a.value(DieAttrs.HIGH_PC) : address(hf, a.value(DieAttrs.HIGH_PC));
      if (Long.compareUnsigned(lo, hi) < 0) {
        return new long[] {lo, hi};
      }
    }
    return new long[0];
  }

  long baseAddress() {
    return baseAddress;
  }

  long rnglistsBase() {
    return rnglistsBase;
  }

  /** Buffer access for the range list decoder. */
  ByteBuffer rangesSection() {
    return header.version() >= 5 ? sections.rnglists() : sections.ranges();
  }
}
