package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfSection;
import dev.ktriage.symbolizer.elf.ElfSymbol;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The text symbols of one object as kallsyms sees them: sorted by address, each with its kallsyms
 * size (distance to the next symbol at a higher address in the same section, the size that
 * {@code func+0xoff/0xsize} prints; the last symbol of a section extends to the section end), its
 * ELF {@code st_size}, and a name index that keeps every duplicate of a name.
 *
 * <p>Kept: FUNC and NOTYPE symbols of executable sections. Dropped: ARM/AArch64 mapping symbols
 * ({@code $x}, {@code $d}, ...) and assembler local labels ({@code .L*}, {@code L0*}), which kallsyms
 * omits too (scripts/kallsyms.c and faddr2line skip them for sizes).
 *
 * <p>Stored as primitive arrays plus one name blob so that the persistent index can save and load it
 * without building objects. Immutable and thread-safe.
 */
public final class SymbolTable {
  final long[] address;
  final long[] size;
  final long[] elfSize;
  final int[] section;
  final int[] nameOffset;
  final byte[] names;
  /** Open-addressing table of (first symbol index + 1) by name hash; 0 = empty. */
  final int[] hashTable;
  /** Next symbol with the same name, or -1. */
  final int[] sameName;

  /** Rebuilds a table from the arrays of {@link #arrays()} (the persistent index). */
  public static SymbolTable fromArrays(long[] address, long[] size, long[] elfSize, int[] section, int[] nameOffset,
      byte[] names, int[] hashTable, int[] sameName) {
    return new SymbolTable(address, size, elfSize, section, nameOffset, names, hashTable, sameName);
  }

  /** The backing arrays, in {@link #fromArrays} order; callers must not modify them. */
  public Object[] arrays() {
    return new Object[] {address, size, elfSize, section, nameOffset, names, hashTable, sameName};
  }

  SymbolTable(long[] address, long[] size, long[] elfSize, int[] section, int[] nameOffset, byte[] names,
      int[] hashTable, int[] sameName) {
    this.address = address;
    this.size = size;
    this.elfSize = elfSize;
    this.section = section;
    this.nameOffset = nameOffset;
    this.names = names;
    this.hashTable = hashTable;
    this.sameName = sameName;
  }

  /** Builds the table from an ELF symbol table. */
  public static SymbolTable build(ElfFile elf) throws java.io.IOException, dev.ktriage.symbolizer.elf.ElfFormatException {
    List<ElfSection> sections = elf.sections();
    List<ElfSymbol> kept = new ArrayList<>();
    for (ElfSymbol s : elf.symbols()) {
      int t = s.type();
      if ((t != ElfSymbol.STT_FUNC && t != ElfSymbol.STT_NOTYPE) || s.name().isEmpty()) {
        continue;
      }
      int shndx = s.sectionIndex();
      if (shndx <= 0 || shndx >= sections.size() || shndx >= ElfSymbol.SHN_LORESERVE
          || !sections.get(shndx).isExecutable()) {
        continue;
      }
      if (isLocalLabel(s.name())) {
        continue;
      }
      kept.add(s);
    }
    // Stable order: address, then sized before unsized (linker-script markers such as _sinittext
    // share addresses with real code), FUNC before NOTYPE and globals before locals, so that an alias
    // group's first entry is the most telling name.
    kept.sort((a, b) -> {
      int c = Long.compareUnsigned(a.address(), b.address());
      if (c != 0) {
        return c;
      }
      c = Integer.compare(rank(a), rank(b));
      return c != 0 ? c : a.name().compareTo(b.name());
    });
    int n = kept.size();
    long[] address = new long[n];
    long[] size = new long[n];
    long[] elfSize = new long[n];
    int[] section = new int[n];
    int[] nameOffset = new int[n];
    java.io.ByteArrayOutputStream blob = new java.io.ByteArrayOutputStream(n * 24);
    for (int i = 0; i < n; i++) {
      ElfSymbol s = kept.get(i);
      address[i] = s.address();
      elfSize[i] = s.size();
      section[i] = s.sectionIndex();
      nameOffset[i] = blob.size();
      byte[] b = s.name().getBytes(StandardCharsets.UTF_8);
      blob.write(b, 0, b.length);
      blob.write(0);
    }
    // kallsyms size: next symbol at a strictly higher address in the same section.
    for (int i = 0; i < n; i++) {
      int j = i + 1;
      while (j < n && address[j] == address[i]) {
        j++;
      }
      ElfSection sec = sections.get(section[i]);
      long secEnd = sec.address() + sec.size();
      long end = j < n && section[j] == section[i] && Long.compareUnsigned(address[j], secEnd) <= 0 ? address[j]
          : secEnd;
      size[i] = Long.compareUnsigned(end, address[i]) > 0 ? end - address[i] : elfSize[i];
    }
    byte[] names = blob.toByteArray();
    int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    int[] table = new int[cap];
    int[] same = new int[n];
    Arrays.fill(same, -1);
    // Insert in reverse so that each chain lists symbols in address order.
    for (int i = n - 1; i >= 0; i--) {
      int h = hash(names, nameOffset[i]) & (cap - 1);
      while (true) {
        int e = table[h];
        if (e == 0) {
          table[h] = i + 1;
          break;
        }
        if (equalNames(names, nameOffset[e - 1], nameOffset[i])) {
          same[i] = e - 1;
          table[h] = i + 1;
          break;
        }
        h = (h + 1) & (cap - 1);
      }
    }
    return new SymbolTable(address, size, elfSize, section, nameOffset, names, table, same);
  }

  private static int rank(ElfSymbol s) {
    int r = (s.size() > 0 ? 0 : 4) + (s.type() == ElfSymbol.STT_FUNC ? 0 : 2);
    return r + (s.bind() == ElfSymbol.STB_LOCAL ? 1 : 0);
  }

  static boolean isLocalLabel(String name) {
    return name.startsWith("$") || name.startsWith(".L") || name.startsWith("L0");
  }

  private static int hash(byte[] blob, int off) {
    int h = 0x811c9dc5;
    for (int p = off; blob[p] != 0; p++) {
      h = (h ^ (blob[p] & 0xff)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  private static int hash(byte[] key) {
    int h = 0x811c9dc5;
    for (byte b : key) {
      h = (h ^ (b & 0xff)) * 0x01000193;
    }
    return h ^ (h >>> 16);
  }

  private static boolean equalNames(byte[] blob, int a, int b) {
    while (true) {
      byte x = blob[a++];
      if (x != blob[b++]) {
        return false;
      }
      if (x == 0) {
        return true;
      }
    }
  }

  private boolean nameEquals(int i, byte[] key) {
    int p = nameOffset[i];
    for (byte b : key) {
      if (p >= names.length || names[p++] != b) {
        return false;
      }
    }
    return p < names.length && names[p] == 0;
  }

  public int size() {
    return address.length;
  }

  public long address(int i) {
    return address[i];
  }

  /** The kallsyms size of symbol {@code i}. */
  public long kallsymsSize(int i) {
    return size[i];
  }

  /** ELF {@code st_size} of symbol {@code i}. */
  public long elfSize(int i) {
    return elfSize[i];
  }

  public int section(int i) {
    return section[i];
  }

  public String name(int i) {
    int p = nameOffset[i];
    int e = p;
    while (names[e] != 0) {
      e++;
    }
    return new String(names, p, e - p, StandardCharsets.UTF_8);
  }

  /** Every symbol with this exact name, in address order. */
  public int[] byName(String name) {
    byte[] key = name.getBytes(StandardCharsets.UTF_8);
    int cap = hashTable.length;
    int h = hash(key) & (cap - 1);
    for (int probes = 0; probes < cap; probes++) {
      int e = hashTable[h];
      if (e == 0) {
        return new int[0];
      }
      if (nameEquals(e - 1, key)) {
        int[] out = new int[4];
        int k = 0;
        for (int i = e - 1; i >= 0; i = sameName[i]) {
          if (k == out.length) {
            out = Arrays.copyOf(out, k * 2);
          }
          out[k++] = i;
        }
        return Arrays.copyOf(out, k);
      }
      h = (h + 1) & (cap - 1);
    }
    return new int[0];
  }

  /**
   * The symbol that kallsyms would name for {@code addr}: the first of the last alias group at or below
   * it, when {@code addr} is inside its kallsyms size. Returns -1 otherwise.
   */
  public int symbolAt(long addr) {
    int lo = 0;
    int hi = address.length - 1;
    int found = -1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      if (Long.compareUnsigned(address[mid], addr) <= 0) {
        found = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    if (found < 0) {
      return -1;
    }
    while (found > 0 && address[found - 1] == address[found]) {
      found--;
    }
    return Long.compareUnsigned(addr - address[found], size[found]) < 0 ? found : -1;
  }
}
