package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.SourceFrame;
import java.util.List;

/**
 * Address to source frames for one object, from live DWARF or from a persisted index.
 *
 * <p>Implementations are thread-safe.
 */
public interface DebugInfo {
  /**
   * The frames at {@code pc}, innermost first. Empty when no unit covers {@code pc}. When a unit
   * covers it but has no function there (assembler units), there is one frame whose function is ""
   * and whose file/line come from the line table; the caller names it from the symbol table.
   *
   * @throws dev.ktriage.symbolizer.dwarf.DwarfFormatException when the unit's DWARF is damaged
   */
  List<SourceFrame> frames(long pc) throws dev.ktriage.symbolizer.dwarf.DwarfFormatException;

  /** Number of units; 0 means there is no DWARF. */
  int unitCount();

  /**
   * The outcome of {@link #framesAll}: for pc {@code i}, either {@code frames[i]} (as {@link #frames}
   * returns) or {@code errors[i]} (as {@link #frames} throws).
   */
  record Batch(List<SourceFrame>[] frames, dev.ktriage.symbolizer.dwarf.DwarfFormatException[] errors) {}

  /**
   * {@link #frames} of many addresses at once.
   *
   * @param pcs addresses in ascending unsigned order, distinct
   * @param threads how many threads the implementation may use
   */
  Batch framesAll(long[] pcs, int threads);
}
