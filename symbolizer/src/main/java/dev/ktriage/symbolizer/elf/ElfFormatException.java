package dev.ktriage.symbolizer.elf;

import java.util.Objects;

/**
 * The bytes are not a usable ELF file: not ELF at all, truncated, or with inconsistent headers.
 *
 * <p>The message is a short lowercase fact; {@link #kind()}, {@link #section()} and {@link #offset()}
 * say where, so that the caller can render it for its user.
 */
public final class ElfFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** What is wrong, coarsely. */
  public enum Kind {
    /** The file does not start with the ELF magic. */
    NOT_ELF,
    /** A header, table or section points past the end of the file. */
    TRUNCATED,
    /** A class, encoding, machine or compression the reader does not handle. */
    UNSUPPORTED,
    /** Header fields contradict each other (entry sizes, indexes, links). */
    MALFORMED,
    /** A compressed section does not decompress to its declared size. */
    BAD_COMPRESSION,
    /** A relocation of an unsupported type or out of its section. */
    BAD_RELOCATION
  }

  private final Kind kind;
  private final String section;
  private final long offset;

  /**
   * @param kind what is wrong
   * @param section the section involved, or "" for file-level problems
   * @param offset byte offset in the file or section where the problem was found
   * @param detail short lowercase fact
   */
  public ElfFormatException(Kind kind, String section, long offset, String detail) {
    super(render(kind, section, offset, detail));
    this.kind = Objects.requireNonNull(kind);
    this.section = Objects.requireNonNull(section);
    this.offset = offset;
  }

  private static String render(Kind kind, String section, long offset, String detail) {
    StringBuilder b = new StringBuilder(detail);
    if (!section.isEmpty()) {
      b.append(" in ").append(section);
    }
    return b.append(" at offset 0x").append(Long.toHexString(offset)).toString();
  }

  public Kind kind() {
    return kind;
  }

  /** The section name, or "" when the problem is in the file headers. */
  public String section() {
    return section;
  }

  public long offset() {
    return offset;
  }
}
