package dev.ktriage.symbolizer.dwarf;

/**
 * One abbreviation declaration (DWARF 5 §7.5.3): the tag, whether DIEs using it have children, and
 * the (attribute, form) pairs in order, with the values of {@code DW_FORM_implicit_const} specs.
 *
 * <p>{@link #slots} maps each attribute position to the {@link DieAttrs} slot this reader keeps, or
 * -1 when the attribute is only skipped. Immutable.
 */
public final class Abbrev {
  final int code;
  final int tag;
  final boolean hasChildren;
  final int[] attrs;
  final int[] forms;
  final long[] implicitConsts;
  final int[] slots;
  /** Whether a DW_AT_sibling is among the attributes (lets a walker jump over the children). */
  final boolean hasSibling;
  /** Whether DW_AT_low_pc or DW_AT_ranges is among the attributes (else a DIE has no code ranges). */
  final boolean mayHaveCode;
  /** (unit shape key << 32) | fixed attribute size or -1; set by {@link DieReader}, racy but whole. */
  volatile long fixedSize;
  /**
   * (unit shape key << 32) | (form << 16) | byte offset of the DW_AT_sibling value when every
   * attribute before it has a fixed size, else 0xffff in the low half; set by {@link DieReader}.
   */
  volatile long siblingAt;

  Abbrev(int code, int tag, boolean hasChildren, int[] attrs, int[] forms, long[] implicitConsts) {
    this.code = code;
    this.tag = tag;
    this.hasChildren = hasChildren;
    this.attrs = attrs;
    this.forms = forms;
    this.implicitConsts = implicitConsts;
    this.slots = new int[attrs.length];
    boolean sib = false;
    boolean hasCode = false;
    for (int i = 0; i < attrs.length; i++) {
      slots[i] = DieAttrs.slotOf(attrs[i]);
      sib |= attrs[i] == Dw.AT_SIBLING;
      hasCode |= attrs[i] == Dw.AT_LOW_PC || attrs[i] == Dw.AT_RANGES;
    }
    this.hasSibling = sib;
    this.mayHaveCode = hasCode;
  }

  public int code() {
    return code;
  }

  public int tag() {
    return tag;
  }

  public boolean hasChildren() {
    return hasChildren;
  }

  public int attributeCount() {
    return attrs.length;
  }
}
