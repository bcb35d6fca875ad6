package dev.ktriage.symbolizer.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Applies the REL/RELA sections that target one debug section of an ET_REL file (a kernel module),
 * on a private heap copy.
 *
 * <p>Only the data relocations that compilers put into DWARF are handled: absolute 32/64-bit and
 * PC-relative 32/64-bit on x86-64, i386, AArch64, ppc64 and s390x (each psABI's relocation table).
 * Symbols resolve to {@link ElfSymbol#address()}, i.e. to the synthetic section layout chosen by
 * {@link ElfFile}, so relocated DWARF addresses keep their section identity. Other relocation types
 * are skipped and reported once per type through the warning sink.
 *
 * <p>Stateless; safe to call from any thread.
 */
final class Relocator {
  private Relocator() {
    // no instance
  }

  /** How one relocation type writes its value. */
  private record Kind(int width, boolean pcRelative) {}

  private static Kind kindOf(int machine, int type) {
    return switch (machine) {
      case ElfFile.EM_X86_64 -> switch (type) {
        case 1 -> new Kind(8, false);  // R_X86_64_64
        case 2 -> new Kind(4, true);   // R_X86_64_PC32
        case 10, 11 -> new Kind(4, false); // R_X86_64_32, R_X86_64_32S
        case 24 -> new Kind(8, true);  // R_X86_64_PC64
        default -> null;
      };
      case ElfFile.EM_386 -> switch (type) {
        case 1 -> new Kind(4, false);  // R_386_32
        case 2 -> new Kind(4, true);   // R_386_PC32
        default -> null;
      };
      case ElfFile.EM_AARCH64 -> switch (type) {
        case 257 -> new Kind(8, false); // R_AARCH64_ABS64
        case 258 -> new Kind(4, false); // R_AARCH64_ABS32
        case 260 -> new Kind(8, true);  // R_AARCH64_PREL64
        case 261 -> new Kind(4, true);  // R_AARCH64_PREL32
        default -> null;
      };
      case ElfFile.EM_PPC64 -> switch (type) {
        case 38 -> new Kind(8, false); // R_PPC64_ADDR64
        case 1 -> new Kind(4, false);  // R_PPC64_ADDR32
        case 26 -> new Kind(4, true);  // R_PPC64_REL32
        case 44 -> new Kind(8, true);  // R_PPC64_REL64
        default -> null;
      };
      case ElfFile.EM_S390 -> switch (type) {
        case 22 -> new Kind(8, false); // R_390_64
        case 4 -> new Kind(4, false);  // R_390_32
        case 5 -> new Kind(4, true);   // R_390_PC32
        case 23 -> new Kind(8, true);  // R_390_PC64
        default -> null;
      };
      default -> null;
    };
  }

  /** Whether relocation type 0 (R_*_NONE on every supported machine) — nothing to do. */
  private static boolean isNone(int type) {
    return type == 0;
  }

  static ByteBuffer apply(ElfFile elf, ElfSection target, ByteBuffer data, Consumer<String> warnings)
      throws IOException, ElfFormatException {
    List<ElfSection> sections = elf.sections();
    ByteBuffer out = null;
    Map<Integer, Integer> unsupported = new HashMap<>();
    for (ElfSection rs : sections) {
      boolean rela = rs.type() == ElfSection.SHT_RELA;
      if (!(rela || rs.type() == ElfSection.SHT_REL) || rs.info() != target.index()) {
        continue;
      }
      if (out == null) {
        byte[] copy = new byte[data.remaining()];
        data.duplicate().get(copy);
        out = ByteBuffer.wrap(copy).order(elf.byteOrder());
      }
      if (rs.link() != symbolTableIndex(elf)) {
        warnings.accept("relocations in " + rs.name() + " use a symbol table other than the main one; skipped");
        continue;
      }
      ByteBuffer r = elf.rawData(rs);
      boolean is64 = elf.is64Bit();
      int entSize = is64 ? (rela ? 24 : 16) : (rela ? 12 : 8);
      // sh_entsize from the file: a damaged one (0, huge, past 2^31) must neither stall nor overflow the walk
      long stride = Math.max(entSize, rs.entsize());
      List<ElfSymbol> symbols = elf.symbols();
      for (long q = 0; q + entSize <= r.limit(); q += stride) {
        int p = (int) q;
        long offset;
        long info;
        long addend = 0;
        int symIndex;
        int type;
        if (is64) {
          offset = r.getLong(p);
          info = r.getLong(p + 8);
          if (rela) {
            addend = r.getLong(p + 16);
          }
          symIndex = (int) (info >>> 32);
          type = (int) (info & 0xffffffffL);
        } else {
          offset = Integer.toUnsignedLong(r.getInt(p));
          info = Integer.toUnsignedLong(r.getInt(p + 4));
          if (rela) {
            addend = r.getInt(p + 8);
          }
          symIndex = (int) (info >>> 8);
          type = (int) (info & 0xff);
        }
        if (isNone(type)) {
          continue;
        }
        Kind kind = kindOf(elf.machine(), type);
        if (kind == null) {
          unsupported.merge(type, 1, Integer::sum);
          continue;
        }
        if (offset < 0 || offset > out.limit() - kind.width()) {
          throw new ElfFormatException(ElfFormatException.Kind.BAD_RELOCATION, rs.name(), p,
              "relocation target past end of " + target.name());
        }
        if (symIndex < 0 || symIndex >= symbols.size()) {
          throw new ElfFormatException(ElfFormatException.Kind.BAD_RELOCATION, rs.name(), p,
              "relocation symbol index " + symIndex + " out of range");
        }
        int at = (int) offset;
        if (!rela) {
          // REL: the addend is the value already stored at the place (i386 psABI).
          addend = kind.width() == 8 ? out.getLong(at) : (long) out.getInt(at);
        }
        ElfSymbol sym = symbols.get(symIndex);
        long s = sym.sectionIndex() == ElfSymbol.SHN_UNDEF ? 0 : sym.address();
        long value = s + addend;
        if (kind.pcRelative()) {
          value -= target.address() + offset;
        }
        if (kind.width() == 8) {
          out.putLong(at, value);
        } else {
          out.putInt(at, (int) value);
        }
      }
    }
    for (Map.Entry<Integer, Integer> e : unsupported.entrySet()) {
      warnings.accept(String.format(Locale.ROOT, "%d relocations of unsupported type %d (machine %d) in %s skipped",
          e.getValue(), e.getKey(), elf.machine(), target.name()));
    }
    return out == null ? data : out;
  }

  private static int symbolTableIndex(ElfFile elf) {
    for (ElfSection s : elf.sections()) {
      if (s.type() == ElfSection.SHT_SYMTAB) {
        return s.index();
      }
    }
    for (ElfSection s : elf.sections()) {
      if (s.type() == ElfSection.SHT_DYNSYM) {
        return s.index();
      }
    }
    return -1;
  }
}
