package dev.ktriage.symbolizer.elf;

/**
 * One section header (ELF gABI "Sections"), with {@code address} already moved to a distinct
 * synthetic base for relocatable files.
 *
 * @param index section header index
 * @param name name from the section header string table
 * @param type {@code sh_type}
 * @param flags {@code sh_flags}
 * @param address where the section's bytes are at run time: {@code sh_addr} for ET_EXEC/ET_DYN; for
 *     ET_REL a base chosen by {@link ElfFile} so that sections do not overlap (0 for sections that
 *     are not SHF_ALLOC)
 * @param offset {@code sh_offset} in the file
 * @param size {@code sh_size} (the compressed size for SHF_COMPRESSED sections)
 * @param link {@code sh_link}
 * @param info {@code sh_info}
 * @param addralign {@code sh_addralign}
 * @param entsize {@code sh_entsize}
 */
public record ElfSection(
    int index,
    String name,
    int type,
    long flags,
    long address,
    long offset,
    long size,
    int link,
    int info,
    long addralign,
    long entsize) {

  public static final int SHT_NULL = 0;
  public static final int SHT_PROGBITS = 1;
  public static final int SHT_SYMTAB = 2;
  public static final int SHT_STRTAB = 3;
  public static final int SHT_RELA = 4;
  public static final int SHT_NOTE = 7;
  public static final int SHT_NOBITS = 8;
  public static final int SHT_REL = 9;
  public static final int SHT_DYNSYM = 11;
  public static final int SHT_SYMTAB_SHNDX = 18;

  public static final long SHF_WRITE = 0x1;
  public static final long SHF_ALLOC = 0x2;
  public static final long SHF_EXECINSTR = 0x4;
  public static final long SHF_COMPRESSED = 0x800;

  /** Whether the section holds code that runs (where kernel text symbols live). */
  public boolean isExecutable() {
    return (flags & SHF_EXECINSTR) != 0 && (flags & SHF_ALLOC) != 0;
  }

  /** Whether {@code address} lies in {@code [this.address, this.address + size)} (unsigned). */
  public boolean contains(long address) {
    return Long.compareUnsigned(address, this.address) >= 0
        && Long.compareUnsigned(address - this.address, size) < 0;
  }
}
