package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.dwarf.DwarfSections;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * One ELF object (vmlinux or a module): its kallsyms-style symbol table and its debug information,
 * joined so that every address gets at least a symbol name.
 *
 * <p>Thread-safe.
 */
public final class ObjectSymbols {
  private final String name;
  private final ElfFile elf;
  private final SymbolTable symbols;
  private final DebugInfo debug;

  public ObjectSymbols(String name, ElfFile elf, SymbolTable symbols, DebugInfo debug) {
    this.name = name;
    this.elf = elf;
    this.symbols = symbols;
    this.debug = debug;
  }

  /** Reads the DWARF sections of an ELF file (decompressed, and relocated for ET_REL). */
  public static DwarfSections dwarfSections(ElfFile elf) throws IOException, ElfFormatException {
    return new DwarfSections(elf.byteOrder(), sec(elf, ".debug_info"), sec(elf, ".debug_abbrev"),
        sec(elf, ".debug_str"), sec(elf, ".debug_line_str"), sec(elf, ".debug_str_offsets"),
        sec(elf, ".debug_addr"), sec(elf, ".debug_ranges"), sec(elf, ".debug_rnglists"),
        sec(elf, ".debug_aranges"), sec(elf, ".debug_line"), elf::readPlain);
  }

  private static ByteBuffer sec(ElfFile elf, String name) throws IOException, ElfFormatException {
    return elf.debugSection(name).orElse(null);
  }

  /**
   * Opens an object with live (lazily decoded) DWARF. The symbol table is built on a helper thread
   * while this one indexes the units: the two are independent, and on a kernel each is tens of ms of
   * a run that may answer a few frames.
   */
  public static ObjectSymbols live(String name, ElfFile elf, PathStyle paths, Consumer<String> problems)
      throws IOException, ElfFormatException {
    SymbolTable[] built = new SymbolTable[1];
    Exception[] failed = new Exception[1];
    Thread t = Thread.ofPlatform().daemon().name("ktriage-symbols").start(() -> {
      try {
        built[0] = SymbolTable.build(elf);
      } catch (IOException | ElfFormatException | RuntimeException e) {
        failed[0] = e;
      }
    });
    LiveDebugInfo debug;
    try {
      DwarfSections sections = dwarfSections(elf);
      debug = new LiveDebugInfo(sections, paths, problems);
    } finally {
      join(t);
    }
    if (failed[0] instanceof IOException e) {
      throw e;
    } else if (failed[0] instanceof ElfFormatException e) {
      throw e;
    } else if (failed[0] instanceof RuntimeException e) {
      throw e;
    }
    return new ObjectSymbols(name, elf, built[0], debug);
  }

  private static void join(Thread t) {
    boolean interrupted = false;
    while (true) {
      try {
        t.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true; // the helper is short: finish it, then say so
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  public String name() {
    return name;
  }

  public ElfFile elf() {
    return elf;
  }

  public SymbolTable symbols() {
    return symbols;
  }

  public DebugInfo debugInfo() {
    return debug;
  }

  public boolean hasDebugInfo() {
    return debug.unitCount() > 0;
  }

  /** Section name of symbol {@code i}. */
  public String sectionName(int i) {
    int s = symbols.section(i);
    return s >= 0 && s < elf.sections().size() ? elf.sections().get(s).name() : "";
  }

  /**
   * Frames at {@code pc}, innermost first, never empty: DWARF frames when available, with an
   * assembler unit's nameless frame named from the symbol table; otherwise one frame holding the
   * symbol name only.
   *
   * @throws DwarfFormatException when the unit at pc is damaged (callers fall back to
   *     {@link #symbolFrame})
   */
  public List<SourceFrame> frames(long pc) throws DwarfFormatException {
    return complete(pc, debug.frames(pc));
  }

  /** What {@link #frames} returns for {@code fs}, the debug information's frames at {@code pc}. */
  public List<SourceFrame> complete(long pc, List<SourceFrame> fs) {
    if (fs.isEmpty()) {
      return List.of(symbolFrame(pc));
    }
    if (fs.size() == 1 && fs.get(0).function().isEmpty()) {
      SourceFrame f = fs.get(0);
      List<SourceFrame> out = new ArrayList<>(1);
      out.add(new SourceFrame(symbolName(pc), Optional.empty(), f.file(), f.line(), f.column(), false));
      return out;
    }
    return fs;
  }

  /** A frame with only the symbol's name at {@code pc} ("" when no symbol covers it). */
  public SourceFrame symbolFrame(long pc) {
    return new SourceFrame(symbolName(pc), Optional.empty(), Optional.empty(), OptionalInt.empty(),
        OptionalInt.empty(), false);
  }

  private String symbolName(long pc) {
    int s = symbols.symbolAt(pc);
    return s < 0 ? "" : symbols.name(s);
  }
}
