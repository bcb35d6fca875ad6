package dev.ktriage.symbolizer.dwarf;

/**
 * The attribute values of one DIE that this reader uses, decoded into a reusable, allocation-free
 * holder: for each slot the form and a raw value (constants, addresses, section offsets, absolute
 * {@code .debug_info} offsets for references, indexes for {@code strx}/{@code addrx}/{@code rnglistx},
 * the {@code .debug_info} offset of inline {@code DW_FORM_string}s).
 *
 * <p>Not thread-safe; each walker owns one.
 */
public final class DieAttrs {
  public static final int SIBLING = 0;
  public static final int NAME = 1;
  public static final int LINKAGE_NAME = 2;
  public static final int LOW_PC = 3;
  public static final int HIGH_PC = 4;
  public static final int RANGES = 5;
  public static final int ABSTRACT_ORIGIN = 6;
  public static final int SPECIFICATION = 7;
  public static final int CALL_FILE = 8;
  public static final int CALL_LINE = 9;
  public static final int CALL_COLUMN = 10;
  public static final int DECLARATION = 11;
  public static final int STMT_LIST = 12;
  public static final int COMP_DIR = 13;
  public static final int STR_OFFSETS_BASE = 14;
  public static final int ADDR_BASE = 15;
  public static final int RNGLISTS_BASE = 16;
  public static final int ENTRY_PC = 17;
  static final int SLOTS = 18;

  final long[] value = new long[SLOTS];
  final int[] form = new int[SLOTS];
  int present;
  /** Offset of the DIE in {@code .debug_info}. */
  long dieOffset;
  int tag;
  boolean hasChildren;

  static int slotOf(int attr) {
    return switch (attr) {
      case Dw.AT_SIBLING -> SIBLING;
      case Dw.AT_NAME -> NAME;
      case Dw.AT_LINKAGE_NAME, Dw.AT_MIPS_LINKAGE_NAME -> LINKAGE_NAME;
      case Dw.AT_LOW_PC -> LOW_PC;
      case Dw.AT_HIGH_PC -> HIGH_PC;
      case Dw.AT_RANGES -> RANGES;
      case Dw.AT_ABSTRACT_ORIGIN -> ABSTRACT_ORIGIN;
      case Dw.AT_SPECIFICATION -> SPECIFICATION;
      case Dw.AT_CALL_FILE -> CALL_FILE;
      case Dw.AT_CALL_LINE -> CALL_LINE;
      case Dw.AT_CALL_COLUMN -> CALL_COLUMN;
      case Dw.AT_DECLARATION -> DECLARATION;
      case Dw.AT_STMT_LIST -> STMT_LIST;
      case Dw.AT_COMP_DIR -> COMP_DIR;
      case Dw.AT_STR_OFFSETS_BASE -> STR_OFFSETS_BASE;
      case Dw.AT_ADDR_BASE, Dw.AT_GNU_ADDR_BASE -> ADDR_BASE;
      case Dw.AT_RNGLISTS_BASE, Dw.AT_GNU_RANGES_BASE -> RNGLISTS_BASE;
      case Dw.AT_ENTRY_PC -> ENTRY_PC;
      default -> -1;
    };
  }

  public boolean has(int slot) {
    return (present & (1 << slot)) != 0;
  }

  public long value(int slot) {
    return value[slot];
  }

  public int form(int slot) {
    return form[slot];
  }

  public long dieOffset() {
    return dieOffset;
  }

  public int tag() {
    return tag;
  }

  public boolean hasChildren() {
    return hasChildren;
  }
}
