package dev.ktriage.symbolizer.dwarf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * The DWARF sections of one object, already decompressed and relocated; absent sections are empty
 * buffers. Buffers are shared: readers take {@link ByteBuffer#duplicate()}s and never move these.
 *
 * @param order byte order of the object
 * @param info {@code .debug_info}
 * @param abbrev {@code .debug_abbrev}
 * @param str {@code .debug_str}
 * @param lineStr {@code .debug_line_str} (DWARF 5)
 * @param strOffsets {@code .debug_str_offsets} (DWARF 5)
 * @param addr {@code .debug_addr} (DWARF 5)
 * @param ranges {@code .debug_ranges} (DWARF 2-4)
 * @param rnglists {@code .debug_rnglists} (DWARF 5)
 * @param aranges {@code .debug_aranges}
 * @param line {@code .debug_line}
 * @param windows reads ranges of {@code .debug_info} and {@code .debug_line} onto the heap without
 *     going through their mappings (null: copy from the buffers)
 */
public record DwarfSections(
    ByteOrder order,
    ByteBuffer info,
    ByteBuffer abbrev,
    ByteBuffer str,
    ByteBuffer lineStr,
    ByteBuffer strOffsets,
    ByteBuffer addr,
    ByteBuffer ranges,
    ByteBuffer rnglists,
    ByteBuffer aranges,
    ByteBuffer line,
    Windows windows) {

  /**
   * Reads {@code length} bytes at {@code from} of a section stored plainly in the file (positioned
   * reads: the bytes never enter the process's mapped, resident pages); returns null when the section
   * is not plain (compressed, relocated, or too large a range), and the caller copies from the buffer.
   */
  @FunctionalInterface
  public interface Windows {
    byte[] read(String section, long from, int length);
  }

  /** Sections without a {@link Windows} reader. */
  public DwarfSections(ByteOrder order, ByteBuffer info, ByteBuffer abbrev, ByteBuffer str, ByteBuffer lineStr,
      ByteBuffer strOffsets, ByteBuffer addr, ByteBuffer ranges, ByteBuffer rnglists, ByteBuffer aranges,
      ByteBuffer line) {
    this(order, info, abbrev, str, lineStr, strOffsets, addr, ranges, rnglists, aranges, line, null);
  }

  public DwarfSections {
    Objects.requireNonNull(order);
    info = norm(info, order);
    abbrev = norm(abbrev, order);
    str = norm(str, order);
    lineStr = norm(lineStr, order);
    strOffsets = norm(strOffsets, order);
    addr = norm(addr, order);
    ranges = norm(ranges, order);
    rnglists = norm(rnglists, order);
    aranges = norm(aranges, order);
    line = norm(line, order);
  }

  private static ByteBuffer norm(ByteBuffer b, ByteOrder order) {
    return b == null ? ByteBuffer.allocate(0).order(order) : b.duplicate().order(order);
  }

  /** Whether there is any unit to read. */
  public boolean hasInfo() {
    return info.limit() > 0;
  }

  /** A fresh reader over a section. */
  public static SectionReader reader(ByteBuffer section, String name) {
    return new SectionReader(section.duplicate().order(section.order()), name);
  }
}
