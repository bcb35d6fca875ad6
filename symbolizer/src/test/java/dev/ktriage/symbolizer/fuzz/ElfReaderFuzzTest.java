package dev.ktriage.symbolizer.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.elf.ByteSource;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.elf.ElfSection;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * A whole object file from the fuzzer: ELF headers (32/64-bit, either byte order, SHN_XINDEX),
 * section and symbol tables, notes, compressed sections, relocations of ET_REL files, and then the
 * symbol table and DWARF built over it, with a lookup at each symbol. Rejections are
 * {@link ElfFormatException}s, {@link IOException}s or {@link DwarfFormatException}s.
 */
class ElfReaderFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void objectFile(byte[] data) throws IOException {
    ElfFile elf;
    try {
      elf = ElfFile.parse(ByteSource.of(ByteBuffer.wrap(data)), w -> { });
    } catch (ElfFormatException e) {
      return;
    }
    elf.buildId();
    try {
      for (ElfSection s : elf.sections()) {
        if (s.name().startsWith(".debug") || s.name().startsWith(".zdebug")) {
          elf.debugSection(s.name());
          elf.readPlain(s.name(), 0, (int) Math.min(s.size(), 64));
        }
      }
      elf.symbols();
      SymbolTable symbols = SymbolTable.build(elf);
      ObjectSymbols o = ObjectSymbols.live("fuzz", elf, PathStyle.TREE, problem -> { });
      for (int i = 0; i < Math.min(symbols.size(), 64); i++) {
        symbols.byName(symbols.name(i));
        try {
          o.frames(symbols.address(i) + symbols.kallsymsSize(i) / 2);
        } catch (DwarfFormatException e) {
          FuzzFixtures.checked(e);
        }
      }
    } catch (ElfFormatException e) {
      // a damaged section, table or compression header
    }
  }
}
