package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;

/**
 * Walks the DIEs of one unit (DWARF 5 §7.5): reads abbreviation codes, decodes the attributes kept
 * by {@link DieAttrs} and skips everything else by form, with a precomputed fixed size per
 * abbreviation when all its forms have one.
 *
 * <p>Not thread-safe; one per walk.
 */
public final class DieReader {
  private final SectionReader r;
  private final DwarfUnit unit;
  private final AbbrevTable abbrevs;
  private final int addrSize;
  private final int offsetSize;
  private final int refAddrSize;
  private final long shapeKey;

  public DieReader(DwarfUnit unit) throws DwarfFormatException {
    this(unit, unit.infoReader());
  }

  /**
   * A walker reading through {@code bytes}: a reader over {@code .debug_info} or a {@link
   * DwarfUnit#window() window} that covers the unit.
   */
  public DieReader(DwarfUnit unit, SectionReader bytes) throws DwarfFormatException {
    this(unit, bytes, unit.header().dieOffset(), unit.header().end());
  }

  /** A walker over the DIEs in {@code [from, to)} of the unit, read through {@code bytes}. */
  public DieReader(DwarfUnit unit, SectionReader bytes, long from, long to) throws DwarfFormatException {
    this.unit = unit;
    UnitHeader h = unit.header();
    if (from < h.dieOffset() || to > h.end() || from > to) {
      throw new DwarfFormatException(Kind.BAD_REFERENCE, bytes.section(), from, "die range outside its unit");
    }
    this.r = new SectionReader(bytes, (int) from, (int) to);
    this.abbrevs = unit.abbrevs();
    this.addrSize = h.addressSize();
    this.offsetSize = h.offsetSize();
    // DWARF 2 sized DW_FORM_ref_addr like an address; DWARF 3 and later like an offset (§7.5.4).
    this.refAddrSize = h.version() <= 2 ? addrSize : offsetSize;
    this.shapeKey = addrSize | offsetSize << 4 | (long) h.version() << 8;
  }

  public DwarfUnit unit() {
    return unit;
  }

  public int position() {
    return r.position();
  }

  public boolean hasRemaining() {
    return r.hasRemaining();
  }

  public void seek(long offset) throws DwarfFormatException {
    if (offset < unit.header().dieOffset() || offset >= unit.header().end()) {
      throw new DwarfFormatException(Kind.BAD_REFERENCE, r.section(), offset, "die reference outside its unit");
    }
    r.seek(offset);
  }

  /** Moves to {@code offset}, which may be the end of the unit (a sibling reference past the last DIE). */
  void seekAny(long offset) throws DwarfFormatException {
    if (offset < unit.header().dieOffset() || offset > unit.header().end()) {
      throw new DwarfFormatException(Kind.BAD_REFERENCE, r.section(), offset, "die reference outside its unit");
    }
    r.seek(offset);
  }

  /**
   * Reads the DIE at the current position into {@code out}.
   *
   * @return its abbreviation, or null for a null entry (end of a sibling chain)
   */
  public Abbrev read(DieAttrs out) throws DwarfFormatException {
    Abbrev a = readCode();
    if (a != null) {
      readAttributes(a, out);
    }
    return a;
  }

  /** Offset of the DIE whose code {@link #readCode} read last. */
  private int codeAt;

  /**
   * Reads only the abbreviation code of the DIE at the current position; the caller then either
   * {@link #readAttributes reads} or {@link #skipAttributes skips} its attributes.
   *
   * @return its abbreviation, or null for a null entry
   */
  public Abbrev readCode() throws DwarfFormatException {
    int at = r.position();
    int code = r.ulebInt();
    if (code == 0) {
      return null;
    }
    Abbrev a = abbrevs.get(code);
    if (a == null) {
      throw new DwarfFormatException(Kind.MALFORMED, r.section(), at, "unknown abbreviation code " + code);
    }
    codeAt = at;
    return a;
  }

  /** Decodes the attributes of the DIE whose code was just read (abbreviation {@code a}) into {@code out}. */
  public void readAttributes(Abbrev a, DieAttrs out) throws DwarfFormatException {
    out.dieOffset = codeAt;
    out.tag = a.tag;
    out.hasChildren = a.hasChildren;
    out.present = 0;
    int[] forms = a.forms;
    int[] slots = a.slots;
    for (int i = 0; i < forms.length; i++) {
      int slot = slots[i];
      if (slot < 0) {
        skipForm(forms[i]);
      } else {
        int form = forms[i];
        out.value[slot] = readForm(form, a.implicitConsts[i]);
        out.form[slot] = lastForm;
        out.present |= 1 << slot;
      }
    }
  }

  /**
   * Reads only the abbreviation of the DIE at the current position and skips its attributes.
   *
   * @return its abbreviation, or null for a null entry
   */
  public Abbrev skip() throws DwarfFormatException {
    Abbrev a = readCode();
    if (a != null) {
      skipAttributes(a);
    }
    return a;
  }

  /** Skips the attributes of the DIE whose code was just read (abbreviation {@code a}). */
  public void skipAttributes(Abbrev a) throws DwarfFormatException {
    long packed = a.fixedSize;
    if ((packed >>> 32) != shapeKey) {
      packed = shapeKey << 32 | (computeFixedSize(a) & 0xffffffffL);
      a.fixedSize = packed;
    }
    int fixed = (int) packed;
    if (fixed >= 0) {
      r.skip(fixed);
      return;
    }
    for (int form : a.forms) {
      skipForm(form);
    }
  }

  /**
   * For a DIE with children whose code was just read (abbreviation {@code a}): when DW_AT_sibling
   * can be read without decoding the attributes before it (GCC puts it first), jumps past the DIE and
   * its subtree and returns true; otherwise returns false and leaves the position alone (the caller
   * then reads the attributes and skips the subtree itself).
   */
  public boolean skipSubtreeBySibling(Abbrev a) throws DwarfFormatException {
    if (!a.hasSibling) {
      return false;
    }
    long packed = a.siblingAt;
    if ((packed >>> 32) != shapeKey) {
      packed = shapeKey << 32 | (computeSiblingAt(a) & 0xffffffffL);
      a.siblingAt = packed;
    }
    int at = (int) packed & 0xffff;
    if (at == 0xffff) {
      return false;
    }
    int form = (int) (packed >>> 16) & 0xffff;
    int size = fixedSize(form);
    int start = r.position();
    if (size <= 0 || r.remaining() < at + size) {
      return false;
    }
    r.skip(at);
    long sib = unit.header().offset() + r.unsigned(size);
    long unitEnd = unit.header().end();
    // A sibling inside or before this DIE's own attributes is damage: take the slow path.
    if (sib > r.position() && sib <= unitEnd) {
      r.seek(sib);
      return true;
    }
    r.seek(start);
    return false;
  }

  private int computeSiblingAt(Abbrev a) {
    int off = 0;
    for (int i = 0; i < a.attrs.length; i++) {
      int form = a.forms[i];
      if (a.attrs[i] == Dw.AT_SIBLING) {
        boolean unitRef = form == Dw.FORM_REF1 || form == Dw.FORM_REF2 || form == Dw.FORM_REF4 || form == Dw.FORM_REF8;
        return unitRef && off < 0xffff ? form << 16 | off : 0xffff;
      }
      int s = fixedSize(form);
      if (s < 0) {
        return 0xffff;
      }
      off += s;
    }
    return 0xffff;
  }

  /** Skips the DIEs from the current position to the end of the current sibling chain. */
  public void skipChildren() throws DwarfFormatException {
    int depth = 1;
    while (depth > 0) {
      Abbrev a = skip();
      if (a == null) {
        depth--;
      } else if (a.hasChildren) {
        depth++;
      }
    }
  }

  private int computeFixedSize(Abbrev a) {
    int total = 0;
    for (int form : a.forms) {
      int s = fixedSize(form);
      if (s < 0) {
        return -1;
      }
      total += s;
    }
    return total;
  }

  private int fixedSize(int form) {
    return switch (form) {
      case Dw.FORM_ADDR -> addrSize;
      case Dw.FORM_DATA1, Dw.FORM_REF1, Dw.FORM_FLAG, Dw.FORM_STRX1, Dw.FORM_ADDRX1 -> 1;
      case Dw.FORM_DATA2, Dw.FORM_REF2, Dw.FORM_STRX2, Dw.FORM_ADDRX2 -> 2;
      case Dw.FORM_STRX3, Dw.FORM_ADDRX3 -> 3;
      case Dw.FORM_DATA4, Dw.FORM_REF4, Dw.FORM_STRX4, Dw.FORM_ADDRX4, Dw.FORM_REF_SUP4 -> 4;
      case Dw.FORM_DATA8, Dw.FORM_REF8, Dw.FORM_REF_SIG8, Dw.FORM_REF_SUP8 -> 8;
      case Dw.FORM_DATA16 -> 16;
      case Dw.FORM_STRP, Dw.FORM_LINE_STRP, Dw.FORM_SEC_OFFSET, Dw.FORM_STRP_SUP, Dw.FORM_GNU_REF_ALT,
          Dw.FORM_GNU_STRP_ALT -> offsetSize;
      case Dw.FORM_REF_ADDR -> refAddrSize;
      case Dw.FORM_FLAG_PRESENT, Dw.FORM_IMPLICIT_CONST -> 0;
      default -> -1;
    };
  }

  private void skipForm(int form) throws DwarfFormatException {
    switch (form) {
      case Dw.FORM_ADDR -> r.skip(addrSize);
      case Dw.FORM_DATA1, Dw.FORM_REF1, Dw.FORM_FLAG, Dw.FORM_STRX1, Dw.FORM_ADDRX1 -> r.skip(1);
      case Dw.FORM_DATA2, Dw.FORM_REF2, Dw.FORM_STRX2, Dw.FORM_ADDRX2 -> r.skip(2);
      case Dw.FORM_STRX3, Dw.FORM_ADDRX3 -> r.skip(3);
      case Dw.FORM_DATA4, Dw.FORM_REF4, Dw.FORM_STRX4, Dw.FORM_ADDRX4, Dw.FORM_REF_SUP4 -> r.skip(4);
      case Dw.FORM_DATA8, Dw.FORM_REF8, Dw.FORM_REF_SIG8, Dw.FORM_REF_SUP8 -> r.skip(8);
      case Dw.FORM_DATA16 -> r.skip(16);
      case Dw.FORM_STRP, Dw.FORM_LINE_STRP, Dw.FORM_SEC_OFFSET, Dw.FORM_STRP_SUP, Dw.FORM_GNU_REF_ALT,
          Dw.FORM_GNU_STRP_ALT -> r.skip(offsetSize);
      case Dw.FORM_REF_ADDR -> r.skip(refAddrSize);
      case Dw.FORM_FLAG_PRESENT, Dw.FORM_IMPLICIT_CONST -> { }
      case Dw.FORM_SDATA, Dw.FORM_UDATA, Dw.FORM_REF_UDATA, Dw.FORM_STRX, Dw.FORM_ADDRX, Dw.FORM_LOCLISTX,
          Dw.FORM_RNGLISTX, Dw.FORM_GNU_ADDR_INDEX, Dw.FORM_GNU_STR_INDEX -> r.skipLeb();
      case Dw.FORM_STRING -> r.skipCString();
      case Dw.FORM_BLOCK1 -> r.skip(r.u8());
      case Dw.FORM_BLOCK2 -> r.skip(r.u16());
      case Dw.FORM_BLOCK4 -> r.skip(r.u32());
      case Dw.FORM_BLOCK, Dw.FORM_EXPRLOC -> r.skip(r.uleb());
      case Dw.FORM_INDIRECT -> {
        int at = r.position();
        int actual = r.ulebInt();
        if (actual == Dw.FORM_INDIRECT || actual == Dw.FORM_IMPLICIT_CONST) {
          throw new DwarfFormatException(Kind.MALFORMED, r.section(), at, "indirect form " + actual);
        }
        skipForm(actual);
      }
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), r.position(),
          "unknown form 0x" + Integer.toHexString(form));
    }
  }

  /** The form of the last value {@link #readForm} returned, after resolving DW_FORM_indirect. */
  private int lastForm;

  private long readForm(int form, long implicitConst) throws DwarfFormatException {
    lastForm = form;
    long unitOffset = unit.header().offset();
    return switch (form) {
      case Dw.FORM_ADDR -> r.unsigned(addrSize);
      case Dw.FORM_DATA1, Dw.FORM_FLAG, Dw.FORM_STRX1, Dw.FORM_ADDRX1 -> r.u8();
      case Dw.FORM_DATA2, Dw.FORM_STRX2, Dw.FORM_ADDRX2 -> r.u16();
      case Dw.FORM_STRX3, Dw.FORM_ADDRX3 -> r.u24();
      case Dw.FORM_DATA4, Dw.FORM_STRX4, Dw.FORM_ADDRX4, Dw.FORM_REF_SUP4 -> r.u32();
      case Dw.FORM_DATA8, Dw.FORM_REF_SIG8, Dw.FORM_REF_SUP8 -> r.u64();
      case Dw.FORM_REF1 -> unitOffset + r.u8();
      case Dw.FORM_REF2 -> unitOffset + r.u16();
      case Dw.FORM_REF4 -> unitOffset + r.u32();
      case Dw.FORM_REF8 -> unitOffset + r.u64();
      case Dw.FORM_REF_UDATA -> unitOffset + r.uleb();
      case Dw.FORM_DATA16 -> {
        long at = r.position();
        r.skip(16);
        yield at;
      }
      case Dw.FORM_STRP, Dw.FORM_LINE_STRP, Dw.FORM_SEC_OFFSET, Dw.FORM_STRP_SUP, Dw.FORM_GNU_REF_ALT,
          Dw.FORM_GNU_STRP_ALT -> r.offset(offsetSize);
      case Dw.FORM_REF_ADDR -> r.unsigned(refAddrSize);
      case Dw.FORM_FLAG_PRESENT -> 1;
      case Dw.FORM_IMPLICIT_CONST -> implicitConst;
      case Dw.FORM_SDATA -> r.sleb();
      case Dw.FORM_UDATA, Dw.FORM_STRX, Dw.FORM_ADDRX, Dw.FORM_LOCLISTX, Dw.FORM_RNGLISTX,
          Dw.FORM_GNU_ADDR_INDEX, Dw.FORM_GNU_STR_INDEX -> r.uleb();
      case Dw.FORM_STRING -> {
        long at = r.position();
        r.skipCString();
        yield at;
      }
      case Dw.FORM_BLOCK1, Dw.FORM_BLOCK2, Dw.FORM_BLOCK4, Dw.FORM_BLOCK, Dw.FORM_EXPRLOC -> {
        long at = r.position();
        skipForm(form);
        lastForm = form;
        yield at;
      }
      case Dw.FORM_INDIRECT -> {
        int at = r.position();
        int actual = r.ulebInt();
        if (actual == Dw.FORM_INDIRECT || actual == Dw.FORM_IMPLICIT_CONST) {
          throw new DwarfFormatException(Kind.MALFORMED, r.section(), at, "indirect form " + actual);
        }
        yield readForm(actual, 0);
      }
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), r.position(),
          "unknown form 0x" + Integer.toHexString(form));
    };
  }
}
