package dev.ktriage.symbolizer.elf;

/**
 * One symbol table entry.
 *
 * @param name the name from the linked string table
 * @param value {@code st_value} as stored (section-relative in ET_REL files)
 * @param address where the symbol is: {@code st_value} for ET_EXEC/ET_DYN, and the section's synthetic
 *     base plus {@code st_value} for ET_REL (see {@link ElfSection#address()})
 * @param size {@code st_size}
 * @param type {@code ELF_ST_TYPE(st_info)}
 * @param bind {@code ELF_ST_BIND(st_info)}
 * @param sectionIndex the section, with SHN_XINDEX already resolved through {@code .symtab_shndx}
 */
public record ElfSymbol(String name, long value, long address, long size, int type, int bind,
    int sectionIndex) {

  public static final int STT_NOTYPE = 0;
  public static final int STT_OBJECT = 1;
  public static final int STT_FUNC = 2;
  public static final int STT_SECTION = 3;
  public static final int STT_FILE = 4;

  public static final int STB_LOCAL = 0;
  public static final int STB_GLOBAL = 1;
  public static final int STB_WEAK = 2;

  public static final int SHN_UNDEF = 0;
  public static final int SHN_LORESERVE = 0xff00;
  public static final int SHN_ABS = 0xfff1;
  public static final int SHN_COMMON = 0xfff2;
  public static final int SHN_XINDEX = 0xffff;
}
