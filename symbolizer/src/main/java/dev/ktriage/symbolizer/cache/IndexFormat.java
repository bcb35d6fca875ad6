package dev.ktriage.symbolizer.cache;

/**
 * Layout of the persistent index file ({@code <build-id>.ktidx}), all little-endian.
 *
 * <pre>
 * header   : MAGIC (8 bytes) | VERSION (int) | reserved (int) | object size (long) |
 *            build-id length (int) | build-id bytes | pad to 8
 * sections : one per {@code S_*} id, each 8-aligned, arrays as [count (int), pad, elements]
 * directory: section count (int) | for each: id (int), offset (long), length (long)
 * footer   : directory offset (long) | CRC32 of every byte before the footer (int) | END (int)
 * </pre>
 *
 * Version 3 mirrors the live decoder's structure, so that both answer alike even on damaged DWARF:
 * unit ranges as {@code UnitIndex} has them, and per unit its own line rows and function ranges
 * (slices of global arrays); per function its painted inline intervals; and the decoding errors
 * of units, functions and names, rethrown by the lookups that meet them.
 *
 * Bump {@link #VERSION} on any change: older files are then rebuilt, never read.
 */
final class IndexFormat {
  private IndexFormat() {
    // no instance
  }

  static final long MAGIC = 0x5844495a4b54524bL; // "KRTKZIDX" little-endian
  static final int VERSION = 3;
  static final int END = 0x444e454b; // "KEND"
  static final int FOOTER_SIZE = 16;

  static final int S_SYMBOLS = 1;
  static final int S_STRINGS = 2;
  static final int S_UNITS = 3;
  static final int S_INTERVALS = 4;
  static final int S_ENTRIES = 6;
  static final int S_FILES = 7;
  static final int S_LINES = 8;
  static final int S_FUNCTIONS = 9;
  static final int S_ERRORS = 10;
}
