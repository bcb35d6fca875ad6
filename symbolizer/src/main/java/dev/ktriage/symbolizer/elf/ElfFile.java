package dev.ktriage.symbolizer.elf;

import dev.ktriage.symbolizer.elf.ElfFormatException.Kind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A parsed ELF32 or ELF64 image of either byte order: headers, sections, symbols, build-id, and the
 * bytes of its debug sections, decompressed and (for ET_REL) relocated on first use.
 *
 * <p>Section headers follow the ELF gABI, including the extended numbering of "Section Header Table"
 * (e_shnum = 0 and e_shstrndx = SHN_XINDEX take their values from section 0).
 *
 * <p>Thread-safe: the parsed tables are immutable and {@link #debugSection} memoizes under a lock.
 */
public final class ElfFile {
  public static final int ET_REL = 1;
  public static final int ET_EXEC = 2;
  public static final int ET_DYN = 3;

  public static final int EM_386 = 3;
  public static final int EM_PPC64 = 21;
  public static final int EM_S390 = 22;
  public static final int EM_X86_64 = 62;
  public static final int EM_AARCH64 = 183;

  private static final int NT_GNU_BUILD_ID = 3;

  private final ByteSource source;
  private final boolean is64;
  private final ByteOrder order;
  private final int type;
  private final int machine;
  private final List<ElfSection> sections;
  private final Map<String, ElfSection> byName;
  private volatile List<ElfSymbol> symbols;
  private final Optional<String> buildId;
  private final Consumer<String> warnings;
  private final Map<String, Optional<ByteBuffer>> debugCache = new HashMap<>();

  private ElfFile(ByteSource source, Consumer<String> warnings) throws IOException, ElfFormatException {
    this.source = source;
    this.warnings = warnings;
    long size = source.size();
    if (size < 16) {
      throw new ElfFormatException(size >= 4 && hasMagic(source) ? Kind.TRUNCATED : Kind.NOT_ELF, "", 0,
          size >= 4 && hasMagic(source) ? "truncated elf header" : "not an elf file (bad magic)");
    }
    ByteBuffer ident = source.slice(0, 16);
    if (!hasMagic(source)) {
      throw new ElfFormatException(Kind.NOT_ELF, "", 0, "not an elf file (bad magic)");
    }
    int cls = ident.get(4);
    int data = ident.get(5);
    if (cls != 1 && cls != 2) {
      throw new ElfFormatException(Kind.UNSUPPORTED, "", 4, "unknown elf class " + cls);
    }
    if (data != 1 && data != 2) {
      throw new ElfFormatException(Kind.UNSUPPORTED, "", 5, "unknown elf data encoding " + data);
    }
    is64 = cls == 2;
    order = data == 1 ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
    int ehsize = is64 ? 64 : 52;
    if (size < ehsize) {
      throw new ElfFormatException(Kind.TRUNCATED, "", size, "truncated elf header");
    }
    ByteBuffer eh = source.slice(0, ehsize).order(order);
    type = Short.toUnsignedInt(eh.getShort(16));
    machine = Short.toUnsignedInt(eh.getShort(18));
    long shoff = is64 ? eh.getLong(40) : Integer.toUnsignedLong(eh.getInt(32));
    int shentsize = Short.toUnsignedInt(eh.getShort(is64 ? 58 : 46));
    int shnum = Short.toUnsignedInt(eh.getShort(is64 ? 60 : 48));
    int shstrndx = Short.toUnsignedInt(eh.getShort(is64 ? 62 : 50));
    sections = readSections(shoff, shentsize, shnum, shstrndx);
    Map<String, ElfSection> names = new HashMap<>();
    for (ElfSection s : sections) {
      names.putIfAbsent(s.name(), s);
    }
    byName = Collections.unmodifiableMap(names);
    buildId = readBuildId();
  }

  /**
   * Parses the headers, section table, symbol table and build-id note.
   *
   * @param warnings receives short lowercase facts about skipped, damaged parts (unsupported
   *     relocation types, undecodable notes); never null
   * @throws ElfFormatException if the bytes are not ELF or the headers are damaged
   * @throws IOException if reading the source fails
   */
  public static ElfFile parse(ByteSource source, Consumer<String> warnings)
      throws IOException, ElfFormatException {
    return new ElfFile(source, warnings);
  }

  private static boolean hasMagic(ByteSource source) throws IOException {
    ByteBuffer m = source.slice(0, 4);
    return m.get(0) == 0x7f && m.get(1) == 'E' && m.get(2) == 'L' && m.get(3) == 'F';
  }

  private ByteBuffer bytes(long offset, long length, String section) throws IOException, ElfFormatException {
    if (offset < 0 || length < 0 || offset > source.size() || length > source.size() - offset) {
      throw new ElfFormatException(Kind.TRUNCATED, section, offset, "data past end of file");
    }
    if (length > Integer.MAX_VALUE) {
      throw new ElfFormatException(Kind.UNSUPPORTED, section, offset, "section larger than 2 gib");
    }
    return source.slice(offset, length).order(order);
  }

  private List<ElfSection> readSections(long shoff, int shentsize, int shnum, int shstrndx)
      throws IOException, ElfFormatException {
    if (shoff == 0) {
      return List.of();
    }
    int minEnt = is64 ? 64 : 40;
    if (shentsize < minEnt) {
      throw new ElfFormatException(Kind.MALFORMED, "", shoff, "section header entry size " + shentsize);
    }
    ByteBuffer first = bytes(shoff, shentsize, "");
    long count = shnum;
    if (count == 0) {
      // gABI: e_shnum == 0 means the real count is in section 0's sh_size.
      count = is64 ? first.getLong(32) : Integer.toUnsignedLong(first.getInt(20));
    }
    if (shstrndx == ElfSymbol.SHN_XINDEX) {
      shstrndx = first.getInt(is64 ? 40 : 24);
    }
    if (count > (source.size() - shoff) / shentsize) {
      throw new ElfFormatException(Kind.TRUNCATED, "", shoff, "section header table past end of file");
    }
    ByteBuffer table = bytes(shoff, count * shentsize, "");
    long[][] raw = new long[(int) count][];
    for (int i = 0; i < count; i++) {
      int p = i * shentsize;
      if (is64) {
        raw[i] = new long[] {
          Integer.toUnsignedLong(table.getInt(p)), Integer.toUnsignedLong(table.getInt(p + 4)),
          table.getLong(p + 8), table.getLong(p + 16), table.getLong(p + 24), table.getLong(p + 32),
          Integer.toUnsignedLong(table.getInt(p + 40)), Integer.toUnsignedLong(table.getInt(p + 44)),
          table.getLong(p + 48), table.getLong(p + 56)};
      } else {
        raw[i] = new long[10];
        for (int f = 0; f < 10; f++) {
          raw[i][f] = Integer.toUnsignedLong(table.getInt(p + 4 * f));
        }
      }
    }
    ByteBuffer shstr = null;
    if (shstrndx > 0 && shstrndx < count && raw[shstrndx][1] != ElfSection.SHT_NOBITS) {
      shstr = bytes(raw[shstrndx][4], raw[shstrndx][5], ".shstrtab");
    }
    // ET_REL: every section says address 0. Lay allocated sections out one after another, as a
    // loader would, so that an address names exactly one section (modules are ET_REL).
    long next = 0x10000;
    List<ElfSection> out = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      long[] r = raw[i];
      String name = shstr == null ? "" : cString(shstr, r[0]);
      long address = r[3];
      if (type == ET_REL) {
        if ((r[2] & ElfSection.SHF_ALLOC) != 0 && i != 0) {
          long align = Math.max(1, r[8]);
          next = (next + align - 1) / align * align;
          address = next;
          next += r[5];
        } else {
          address = 0;
        }
      }
      out.add(new ElfSection(i, name, (int) r[1], r[2], address, r[4], r[5], (int) r[6], (int) r[7],
          r[8], r[9]));
    }
    return List.copyOf(out);
  }

  private static String cString(ByteBuffer buf, long offset) {
    if (offset < 0 || offset >= buf.limit()) {
      return "";
    }
    int start = (int) offset;
    int end = start;
    while (end < buf.limit() && buf.get(end) != 0) {
      end++;
    }
    byte[] b = new byte[end - start];
    buf.get(start, b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * The symbol table ({@code .symtab}, else {@code .dynsym}) as slices of the file: entries, their
   * stride, the linked string table and its SHT_SYMTAB_SHNDX extension (or null).
   */
  private record SymbolTableBytes(ByteBuffer entries, long stride, int count, ByteBuffer strtab,
      ByteBuffer shndx) {}

  private Optional<SymbolTableBytes> symbolTableBytes() throws IOException, ElfFormatException {
    ElfSection symtab = null;
    for (ElfSection s : sections) {
      if (s.type() == ElfSection.SHT_SYMTAB) {
        symtab = s;
        break;
      }
    }
    if (symtab == null) {
      for (ElfSection s : sections) {
        if (s.type() == ElfSection.SHT_DYNSYM) {
          symtab = s;
          break;
        }
      }
    }
    if (symtab == null) {
      return Optional.empty();
    }
    int entSize = is64 ? 24 : 16;
    if (symtab.entsize() != 0 && symtab.entsize() < entSize) {
      throw new ElfFormatException(Kind.MALFORMED, symtab.name(), symtab.offset(), "symbol entry size "
          + symtab.entsize());
    }
    long stride = symtab.entsize() == 0 ? entSize : symtab.entsize();
    if (symtab.link() <= 0 || symtab.link() >= sections.size()) {
      throw new ElfFormatException(Kind.MALFORMED, symtab.name(), symtab.offset(), "symbol table without string table");
    }
    ElfSection strSec = sections.get(symtab.link());
    ByteBuffer strtab = bytes(strSec.offset(), strSec.size(), strSec.name());
    ByteBuffer tab = bytes(symtab.offset(), symtab.size(), symtab.name());
    ByteBuffer shndx = null;
    for (ElfSection s : sections) {
      if (s.type() == ElfSection.SHT_SYMTAB_SHNDX && s.link() == symtab.index()) {
        shndx = bytes(s.offset(), s.size(), s.name());
      }
    }
    return Optional.of(new SymbolTableBytes(tab, stride, (int) (symtab.size() / stride), strtab, shndx));
  }

  private List<ElfSymbol> readSymbols() throws IOException, ElfFormatException {
    Optional<SymbolTableBytes> found = symbolTableBytes();
    if (found.isEmpty()) {
      return List.of();
    }
    SymbolTableBytes t = found.get();
    ByteBuffer tab = t.entries();
    long stride = t.stride();
    ByteBuffer strtab = t.strtab();
    ByteBuffer shndxTab = t.shndx();
    int n = t.count();
    List<ElfSymbol> out = new ArrayList<>(n);
    Map<Integer, String> nameCache = new HashMap<>();
    for (int i = 0; i < n; i++) {
      int p = (int) (i * stride);
      long nameOff;
      long value;
      long size;
      int info;
      int shndx;
      if (is64) {
        nameOff = Integer.toUnsignedLong(tab.getInt(p));
        info = tab.get(p + 4) & 0xff;
        shndx = Short.toUnsignedInt(tab.getShort(p + 6));
        value = tab.getLong(p + 8);
        size = tab.getLong(p + 16);
      } else {
        nameOff = Integer.toUnsignedLong(tab.getInt(p));
        value = Integer.toUnsignedLong(tab.getInt(p + 4));
        size = Integer.toUnsignedLong(tab.getInt(p + 8));
        info = tab.get(p + 12) & 0xff;
        shndx = Short.toUnsignedInt(tab.getShort(p + 14));
      }
      if (shndx == ElfSymbol.SHN_XINDEX && shndxTab != null && 4L * i + 4 <= shndxTab.limit()) {
        shndx = shndxTab.getInt(4 * i);
      }
      String name = nameCache.computeIfAbsent((int) nameOff, o -> cString(strtab, o));
      long address = value;
      if (type == ET_REL && shndx > 0 && shndx < ElfSymbol.SHN_LORESERVE && shndx < sections.size()) {
        address = sections.get(shndx).address() + value;
      }
      out.add(new ElfSymbol(name, value, address, size, info & 0xf, info >>> 4, shndx));
    }
    return Collections.unmodifiableList(out);
  }

  /**
   * The raw symbol table ({@code .symtab}, else {@code .dynsym}) for decoders that want no objects per
   * symbol: entry bytes, string table bytes and extended section indexes, copied once.
   *
   * @param entries the symbol entries ({@code count * stride} bytes)
   * @param stride bytes per entry
   * @param count number of entries
   * @param strtab the linked string table
   * @param shndx SHT_SYMTAB_SHNDX contents (4 bytes per symbol), or null
   * @param is64 ELFCLASS64 layout
   * @param littleEndian byte order of the entries
   */
  public record RawSymbols(byte[] entries, int stride, int count, byte[] strtab, byte[] shndx, boolean is64,
      boolean littleEndian) {}

  /** See {@link RawSymbols}; empty when the file has no symbol table. */
  public Optional<RawSymbols> rawSymbols() throws IOException, ElfFormatException {
    Optional<SymbolTableBytes> found = symbolTableBytes();
    if (found.isEmpty()) {
      return Optional.empty();
    }
    SymbolTableBytes t = found.get();
    return Optional.of(new RawSymbols(copy(t.entries()), (int) t.stride(), t.count(), copy(t.strtab()),
        t.shndx() == null ? null : copy(t.shndx()), is64, order == ByteOrder.LITTLE_ENDIAN));
  }

  private static byte[] copy(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.duplicate().get(a);
    return a;
  }

  private Optional<String> readBuildId() throws IOException, ElfFormatException {
    for (ElfSection s : sections) {
      if (s.type() != ElfSection.SHT_NOTE || s.size() < 12) {
        continue;
      }
      ByteBuffer b = bytes(s.offset(), s.size(), s.name());
      int p = 0;
      while (p + 12 <= b.limit()) {
        long namesz = Integer.toUnsignedLong(b.getInt(p));
        long descsz = Integer.toUnsignedLong(b.getInt(p + 4));
        int ntype = b.getInt(p + 8);
        long nameEnd = p + 12 + ((namesz + 3) & ~3L);
        long descEnd = nameEnd + ((descsz + 3) & ~3L);
        if (nameEnd > b.limit() || nameEnd + descsz > b.limit()) {
          warnings.accept("truncated note in " + s.name());
          break;
        }
        if (ntype == NT_GNU_BUILD_ID && namesz == 4 && b.get(p + 12) == 'G' && b.get(p + 13) == 'N'
            && b.get(p + 14) == 'U' && b.get(p + 15) == 0 && descsz > 0) {
          byte[] id = new byte[(int) descsz];
          b.get((int) nameEnd, id);
          return Optional.of(HexFormat.of().formatHex(id));
        }
        p = (int) Math.min(descEnd, Integer.MAX_VALUE);
      }
    }
    return Optional.empty();
  }

  /** Size of the image in bytes. */
  public long size() {
    return source.size();
  }

  /** ELFCLASS64 (true) or ELFCLASS32. */
  public boolean is64Bit() {
    return is64;
  }

  public ByteOrder byteOrder() {
    return order;
  }

  /** {@code e_type}: {@link #ET_REL}, {@link #ET_EXEC}, {@link #ET_DYN}, ... */
  public int type() {
    return type;
  }

  public boolean isRelocatable() {
    return type == ET_REL;
  }

  /** {@code e_machine}. */
  public int machine() {
    return machine;
  }

  public List<ElfSection> sections() {
    return sections;
  }

  /** The first section with this name. */
  public Optional<ElfSection> section(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * {@code .symtab}, else {@code .dynsym}, else empty; in file order. Decoded on first use (a vmlinux
   * has over 100,000 symbols, and a warm start from the persistent index never needs them).
   *
   * @throws ElfFormatException if the symbol table is damaged
   */
  public List<ElfSymbol> symbols() throws IOException, ElfFormatException {
    List<ElfSymbol> s = symbols;
    if (s == null) {
      synchronized (this) {
        s = symbols;
        if (s == null) {
          s = readSymbols();
          symbols = s;
        }
      }
    }
    return s;
  }

  /** The GNU build-id as lowercase hex, if the file has an NT_GNU_BUILD_ID note. */
  public Optional<String> buildId() {
    return buildId;
  }

  /** The raw bytes of a section as stored in the file (empty for SHT_NOBITS), in the file's byte order. */
  public ByteBuffer rawData(ElfSection s) throws IOException, ElfFormatException {
    if (s.type() == ElfSection.SHT_NOBITS || s.type() == ElfSection.SHT_NULL) {
      return ByteBuffer.allocate(0).order(order);
    }
    return bytes(s.offset(), s.size(), s.name());
  }

  /**
   * The contents of debug section {@code name} (such as {@code .debug_info}), looked up under that
   * name or its legacy {@code .zdebug_} form, decompressed, and with its relocations applied when the
   * file is ET_REL. Computed once per section.
   *
   * <p>ET_EXEC and ET_DYN files keep their {@code .rela.debug_*} sections unapplied: a vmlinux
   * linked with {@code --emit-relocs} carries them, but its debug sections are already final.
   *
   * @return empty if the file has no such section
   */
  public Optional<ByteBuffer> debugSection(String name) throws IOException, ElfFormatException {
    synchronized (debugCache) {
      Optional<ByteBuffer> cached = debugCache.get(name);
      if (cached != null) {
        return cached.map(ByteBuffer::duplicate).map(b -> b.order(order));
      }
    }
    Optional<ByteBuffer> computed = loadDebugSection(name);
    synchronized (debugCache) {
      debugCache.putIfAbsent(name, computed);
      return debugCache.get(name).map(ByteBuffer::duplicate).map(b -> b.order(order));
    }
  }

  /**
   * {@code length} bytes at offset {@code from} of debug section {@code name}, read from the file
   * onto the heap, when the section is stored plainly (not compressed, and not relocated: not
   * ET_REL); null otherwise, or when the range is too large to read rather than map.
   */
  public byte[] readPlain(String name, long from, int length) {
    ElfSection s = byName.get(name);
    if (s == null || type == ET_REL || (s.flags() & ElfSection.SHF_COMPRESSED) != 0
        || s.type() == ElfSection.SHT_NOBITS || from < 0 || length < 0 || from + length > s.size()) {
      return null;
    }
    try {
      ByteBuffer b = source.slice(s.offset() + from, length);
      if (!b.hasArray() || b.arrayOffset() != 0 || b.array().length != length) {
        return null;
      }
      return b.array();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private Optional<ByteBuffer> loadDebugSection(String name) throws IOException, ElfFormatException {
    ElfSection s = byName.get(name);
    ByteBuffer data;
    if (s != null && s.type() != ElfSection.SHT_NOBITS) {
      data = rawData(s);
      if ((s.flags() & ElfSection.SHF_COMPRESSED) != 0) {
        data = SectionDecompressor.decompressChdr(data, is64, order, s.name());
      }
    } else if (name.startsWith(".debug_") && byName.containsKey(".zdebug_" + name.substring(7))) {
      s = byName.get(".zdebug_" + name.substring(7));
      data = SectionDecompressor.decompressZdebug(rawData(s), s.name());
    } else {
      return Optional.empty();
    }
    if (type == ET_REL) {
      data = Relocator.apply(this, s, data, warnings);
    }
    return Optional.of(data.order(order));
  }
}
