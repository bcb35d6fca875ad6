package dev.ktriage.cli;

import dev.ktriage.model.SourceLocation;
import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.SourceFrame;
import java.util.Locale;
import java.util.Optional;

/** How symbolizer results are spelled in ktriage's output. Stateless. */
final class SourceText {
  private SourceText() {} // no instance

  /** {@code mm/slub.c:123}; a line the line table does not know is 0, as the kernel prints it. */
  static Optional<String> location(SourceFrame f) {
    return f.file().map(file -> file + ":" + f.line().orElse(0));
  }

  /** The frame's position for the report model. */
  static Optional<SourceLocation> model(SourceFrame f) {
    return f.file().map(file -> new SourceLocation(file, f.line().orElse(0)));
  }

  /** {@code symbol+0xoff/0xsize}: what a candidate's address is, as the kernel prints a frame. */
  static String symbolOffset(Candidate c) {
    return String.format(Locale.ROOT, "%s+0x%x/0x%x", c.symbol(), c.address() - c.symbolAddress(), c.symbolSize());
  }
}
