package dev.ktriage.symbolizer;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One source-level frame at an address: a function and where execution is in it. Frames of one
 * address come innermost first; all but the last are {@code inlined}.
 *
 * @param function the DWARF name (DW_AT_name, as the kernel source spells it); when DWARF has no
 *     function at the address, the name of the ELF symbol there; "" when neither knows
 * @param linkageName DW_AT_linkage_name when it differs from {@code function}
 * @param file source path (relative to the build directory unless the options ask for raw paths);
 *     empty when the line is unknown
 * @param line 1-based line; empty when the line table has no row, or the row (or call site) says
 *     line 0, DWARF's "no source line", whose file means nothing either
 * @param column 1-based column; empty when unknown
 * @param inlined whether this frame was inlined into the next one
 */
public record SourceFrame(String function, Optional<String> linkageName, Optional<String> file,
    OptionalInt line, OptionalInt column, boolean inlined) {

  public SourceFrame {
    Objects.requireNonNull(function);
    Objects.requireNonNull(linkageName);
    Objects.requireNonNull(file);
    Objects.requireNonNull(line);
    Objects.requireNonNull(column);
  }

  // equals and hashCode as the record's own, written out: the generated ones bootstrap through
  // java.lang.runtime.ObjectMethods on first use, method-handle spinning that a short run notices
  // (FrameResolver compares the frames of duplicate symbols).
  @Override
  public boolean equals(Object o) {
    return this == o || o instanceof SourceFrame f && inlined == f.inlined && function.equals(f.function)
        && linkageName.equals(f.linkageName) && file.equals(f.file) && line.equals(f.line)
        && column.equals(f.column);
  }

  @Override
  public int hashCode() {
    int h = function.hashCode();
    h = 31 * h + linkageName.hashCode();
    h = 31 * h + file.hashCode();
    h = 31 * h + line.hashCode();
    h = 31 * h + column.hashCode();
    return 31 * h + Boolean.hashCode(inlined);
  }
}
