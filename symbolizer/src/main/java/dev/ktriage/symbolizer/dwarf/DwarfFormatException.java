package dev.ktriage.symbolizer.dwarf;

import java.util.Objects;

/**
 * DWARF data that cannot be decoded: truncated, malformed, or of a version or form this reader does
 * not know.
 *
 * <p>The message is a short lowercase fact; {@link #section()} and {@link #offset()} (an offset in
 * that section) locate it.
 */
public final class DwarfFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong, coarsely. */
  public enum Kind {
    /** A read runs past the end of a section or unit. */
    TRUNCATED,
    /** An LEB128 value longer than 64 bits. */
    LEB128_OVERFLOW,
    /** A version, form, opcode or unit type this reader does not know. */
    UNSUPPORTED,
    /** A value that contradicts the format (abbreviation code 0, bad length, bad index). */
    MALFORMED,
    /** A reference to a section that the file does not have, or outside it. */
    BAD_REFERENCE
  }

  private final Kind kind;
  private final String section;
  private final long offset;
  private final String detail;

  public DwarfFormatException(Kind kind, String section, long offset, String detail) {
    // No String.format: its first use loads locale data (tens of ms in a short run).
    super(new StringBuilder(detail.length() + 40).append(detail).append(" in ").append(section)
        .append(" at offset 0x").append(Long.toHexString(offset)).toString());
    this.kind = Objects.requireNonNull(kind);
    this.section = Objects.requireNonNull(section);
    this.offset = offset;
    this.detail = detail;
  }

  public Kind kind() {
    return kind;
  }

  /** The section, such as {@code .debug_info}. */
  public String section() {
    return section;
  }

  /** The fact without its location, as given to the constructor (the index stores it to rethrow). */
  public String detail() {
    return detail;
  }

  /** Offset within {@link #section()}. */
  public long offset() {
    return offset;
  }
}
