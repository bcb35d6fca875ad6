package dev.ktriage.symbolizer.symbolize;

import dev.ktriage.symbolizer.dwarf.AddressSearch;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfSection;
import dev.ktriage.symbolizer.elf.ElfSymbol;
import java.nio.charset.StandardCharsets;
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

  /**
   * Builds the table from an ELF symbol table. Works on the raw entry bytes (no object per symbol: a
   * vmlinux has over 100,000 and this runs before every cold lookup).
   */
  public static SymbolTable build(ElfFile elf) throws java.io.IOException, dev.ktriage.symbolizer.elf.ElfFormatException {
    List<ElfSection> sections = elf.sections();
    java.util.Optional<ElfFile.RawSymbols> rawOpt = elf.rawSymbols();
    if (rawOpt.isEmpty()) {
      return fromKept(sections, new long[0], new long[0], new int[0], new int[0], new byte[0], new int[0], 0);
    }
    ElfFile.RawSymbols raw = rawOpt.get();
    int ns = sections.size();
    boolean[] exec = new boolean[ns];
    for (int i = 0; i < ns; i++) {
      exec[i] = sections.get(i).isExecutable();
    }
    boolean rel = elf.isRelocatable();
    byte[] e = raw.entries();
    byte[] str = raw.strtab();
    boolean le = raw.littleEndian();
    int count = raw.count();
    long[] kAddr = new long[count];
    long[] kSize = new long[count];
    int[] kSec = new int[count];
    int[] kName = new int[count];
    int[] kRank = new int[count];
    // Each kept name's length and hash, from one pass over its bytes (the names are walked once here,
    // not again for the blob's size, the copy and the name index: on 6.12's 100,000 symbols those
    // byte loops were most of the table's build, which every cold run waits for).
    int[] kLen = new int[count];
    int[] kHash = new int[count];
    int k = 0;
    boolean is64 = raw.is64();
    int stride = raw.stride();
    // Type and section first: most entries (data, files, sections) are dropped before the rest of
    // the entry is read.
    int infoAt = is64 ? 4 : 12;
    int shndxAt = is64 ? 6 : 14;
    for (int i = 0; i < count; i++) {
      int p = i * stride;
      int info = e[p + infoAt] & 0xff;
      int type = info & 0xf;
      if (type != ElfSymbol.STT_FUNC && type != ElfSymbol.STT_NOTYPE) {
        continue;
      }
      int shndx = u16(e, p + shndxAt, le);
      if (shndx == ElfSymbol.SHN_XINDEX && raw.shndx() != null && 4L * i + 4 <= raw.shndx().length) {
        shndx = (int) u32(raw.shndx(), 4 * i, le);
      }
      if (shndx <= 0 || shndx >= ns || shndx >= ElfSymbol.SHN_LORESERVE || !exec[shndx]) {
        continue;
      }
      long nameOff = u32(e, p, le);
      long value = is64 ? u64(e, p + 8, le) : u32(e, p + 4, le);
      long size = is64 ? u64(e, p + 16, le) : u32(e, p + 8, le);
      if (nameOff >= str.length || str[(int) nameOff] == 0 || isLocalLabel(str, (int) nameOff)) {
        continue; // empty (or out-of-range, which decodes as empty) names and assembler labels
      }
      kAddr[k] = rel ? sections.get(shndx).address() + value : value;
      kSize[k] = size;
      kSec[k] = shndx;
      kName[k] = (int) nameOff;
      int h = 0x811c9dc5;
      int q = (int) nameOff;
      while (q < str.length && str[q] != 0) {
        h = (h ^ (str[q] & 0xff)) * 0x01000193;
        q++;
      }
      kLen[k] = q - (int) nameOff;
      kHash[k] = h ^ (h >>> 16); // as hash(byte[])
      kRank[k] = (size > 0 ? 0 : 4) + (type == ElfSymbol.STT_FUNC ? 0 : 2)
          + ((info >>> 4) == ElfSymbol.STB_LOCAL ? 1 : 0);
      k++;
    }
    // Stable order: address, then sized before unsized (linker-script markers such as _sinittext
    // share addresses with real code), FUNC before NOTYPE and globals before locals, so that an alias
    // group's first entry is the most telling name; then by name.
    int[] order = packedSort(k, kAddr, kRank, kName, str);
    if (order == null) {
      order = new int[k];
      for (int i = 0; i < k; i++) {
        order[i] = i;
      }
      mergeSort(order, new int[k], 0, k, kAddr, kRank, kName, str);
    }
    int n = k;
    long[] address = new long[n];
    long[] elfSize = new long[n];
    int[] section = new int[n];
    int[] nameOffset = new int[n];
    int[] hashes = new int[n];
    int blobLen = 0;
    for (int i = 0; i < n; i++) {
      blobLen += kLen[i] + 1;
    }
    byte[] names = new byte[blobLen];
    int at = 0;
    for (int i = 0; i < n; i++) {
      int o = order[i];
      address[i] = kAddr[o];
      elfSize[i] = kSize[o];
      section[i] = kSec[o];
      hashes[i] = kHash[o];
      nameOffset[i] = at;
      int len = kLen[o];
      System.arraycopy(str, kName[o], names, at, len);
      at += len + 1;
    }
    return fromKept(sections, address, elfSize, section, nameOffset, names, hashes, n);
  }

  /** @param hashes each name's {@link #hash(byte[])} */
  private static SymbolTable fromKept(List<ElfSection> sections, long[] address, long[] elfSize, int[] section,
      int[] nameOffset, byte[] names, int[] hashes, int n) {
    long[] size = new long[n];
    long[] sectionEnd = new long[sections.size()];
    for (int s = 0; s < sectionEnd.length; s++) {
      sectionEnd[s] = sections.get(s).address() + sections.get(s).size();
    }
    // kallsyms size: next symbol at a strictly higher address in the same section.
    for (int i = 0; i < n; i++) {
      int j = i + 1;
      while (j < n && address[j] == address[i]) {
        j++;
      }
      long secEnd = sectionEnd[section[i]];
      long end = j < n && section[j] == section[i] && Long.compareUnsigned(address[j], secEnd) <= 0 ? address[j]
          : secEnd;
      size[i] = Long.compareUnsigned(end, address[i]) > 0 ? end - address[i] : elfSize[i];
    }
    int cap = Integer.highestOneBit(Math.max(4, n * 2 - 1)) << 1;
    int[] table = new int[cap];
    int[] same = new int[n];
    Arrays.fill(same, -1);
    // Insert in reverse so that each chain lists symbols in address order.
    for (int i = n - 1; i >= 0; i--) {
      int full = hashes[i];
      int h = full & (cap - 1);
      while (true) {
        int e = table[h];
        if (e == 0) {
          table[h] = i + 1;
          break;
        }
        // Names that hash apart differ: most collisions are settled without comparing bytes.
        if (hashes[e - 1] == full && equalNames(names, nameOffset[e - 1], nameOffset[i])) {
          same[i] = e - 1;
          table[h] = i + 1;
          break;
        }
        h = (h + 1) & (cap - 1);
      }
    }
    return new SymbolTable(address, size, elfSize, section, nameOffset, names, table, same);
  }

  private static boolean isLocalLabel(byte[] b, int off) {
    byte c0 = b[off];
    byte c1 = off + 1 < b.length ? b[off + 1] : 0;
    return c0 == '$' || (c0 == '.' && c1 == 'L') || (c0 == 'L' && c1 == '0');
  }

  private static int compareKept(int x, int y, long[] addr, int[] rank, int[] name, byte[] str) {
    int c = Long.compareUnsigned(addr[x], addr[y]);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(rank[x], rank[y]);
    if (c != 0) {
      return c;
    }
    int a = name[x];
    int b = name[y];
    while (true) {
      int ca = a < str.length ? str[a] & 0xff : 0;
      int cb = b < str.length ? str[b] & 0xff : 0;
      if (ca != cb) {
        return ca - cb;
      }
      if (ca == 0) {
        return 0;
      }
      a++;
      b++;
    }
  }

  /**
   * The {@link #compareKept} order through one primitive sort, when addresses span under 2^40 bytes
   * and there are under 2^20 symbols (a kernel: 32 MB of text, 50,000 symbols): keys pack (address -
   * lowest, rank, index); runs equal in address and rank are then ordered by name. Null when the
   * symbols do not fit.
   */
  static int[] packedSort(int k, long[] addr, int[] rank, int[] name, byte[] str) {
    if (k == 0 || k >= 1 << 20) {
      return null;
    }
    long min = addr[0];
    long max = addr[0];
    for (int i = 1; i < k; i++) {
      if (Long.compareUnsigned(addr[i], min) < 0) {
        min = addr[i];
      }
      if (Long.compareUnsigned(addr[i], max) > 0) {
        max = addr[i];
      }
    }
    if (Long.compareUnsigned(max - min, 1L << 40) >= 0) {
      return null;
    }
    long[] keys = new long[k];
    for (int i = 0; i < k; i++) {
      keys[i] = (addr[i] - min) << 23 | (long) (rank[i] & 7) << 20 | i;
    }
    java.util.Arrays.sort(keys);
    int[] order = new int[k];
    for (int i = 0; i < k; i++) {
      order[i] = (int) (keys[i] & ((1 << 20) - 1));
    }
    // Equal address and rank: by name (and by index for equal names, as the stable sort did).
    for (int i = 0; i < k; ) {
      int j = i + 1;
      while (j < k && keys[j] >>> 20 == keys[i] >>> 20) {
        j++;
      }
      for (int a = i + 1; a < j; a++) {
        int v = order[a];
        int b = a - 1;
        while (b >= i && compareKept(order[b], v, addr, rank, name, str) > 0) {
          order[b + 1] = order[b];
          b--;
        }
        order[b + 1] = v;
      }
      i = j;
    }
    return order;
  }

  /** Stable merge sort of {@code a[from, to)} by {@link #compareKept}. */
  static void mergeSort(int[] a, int[] tmp, int from, int to, long[] addr, int[] rank, int[] name,
      byte[] str) {
    if (to - from < 16) {
      for (int i = from + 1; i < to; i++) {
        int v = a[i];
        int j = i - 1;
        while (j >= from && compareKept(a[j], v, addr, rank, name, str) > 0) {
          a[j + 1] = a[j];
          j--;
        }
        a[j + 1] = v;
      }
      return;
    }
    int mid = (from + to) >>> 1;
    mergeSort(a, tmp, from, mid, addr, rank, name, str);
    mergeSort(a, tmp, mid, to, addr, rank, name, str);
    if (compareKept(a[mid - 1], a[mid], addr, rank, name, str) <= 0) {
      return;
    }
    System.arraycopy(a, from, tmp, from, to - from);
    int i = from;
    int j = mid;
    for (int o = from; o < to; o++) {
      if (j >= to || (i < mid && compareKept(tmp[i], tmp[j], addr, rank, name, str) <= 0)) {
        a[o] = tmp[i++];
      } else {
        a[o] = tmp[j++];
      }
    }
  }

  private static int u16(byte[] b, int p, boolean le) {
    return le ? (b[p] & 0xff) | (b[p + 1] & 0xff) << 8 : (b[p + 1] & 0xff) | (b[p] & 0xff) << 8;
  }

  private static long u32(byte[] b, int p, boolean le) {
    return le ? (b[p] & 0xffL) | (b[p + 1] & 0xffL) << 8 | (b[p + 2] & 0xffL) << 16 | (b[p + 3] & 0xffL) << 24
        : (b[p + 3] & 0xffL) | (b[p + 2] & 0xffL) << 8 | (b[p + 1] & 0xffL) << 16 | (b[p] & 0xffL) << 24;
  }

  private static long u64(byte[] b, int p, boolean le) {
    return le ? u32(b, p, true) | u32(b, p + 4, true) << 32 : u32(b, p, false) << 32 | u32(b, p + 4, false);
  }

  static boolean isLocalLabel(String name) {
    return name.startsWith("$") || name.startsWith(".L") || name.startsWith("L0");
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

  /** Decoded names by symbol, filled on use (racily, with equal strings). */
  private String[] nameCache;

  public String name(int i) {
    String[] cache = nameCache;
    if (cache == null) {
      cache = new String[address.length];
      nameCache = cache;
    }
    String s = cache[i];
    if (s == null) {
      int p = nameOffset[i];
      int e = p;
      while (names[e] != 0) {
        e++;
      }
      s = new String(names, p, e - p, StandardCharsets.UTF_8);
      cache[i] = s;
    }
    return s;
  }

  /** Every symbol with this exact name, in address order. */
  public int[] byName(String name) {
    // ASCII names (all kernel symbols) hash and compare straight from the chars, with no byte copy.
    int len = name.length();
    int h = 0x811c9dc5;
    for (int i = 0; i < len; i++) {
      char c = name.charAt(i);
      if (c >= 0x80 || c == 0) {
        return byName(name.getBytes(StandardCharsets.UTF_8));
      }
      h = (h ^ c) * 0x01000193;
    }
    h ^= h >>> 16;
    int cap = hashTable.length;
    int slot = h & (cap - 1);
    for (int probes = 0; probes < cap; probes++) {
      int e = hashTable[slot];
      if (e == 0) {
        return new int[0];
      }
      if (nameEquals(e - 1, name)) {
        return chain(e - 1);
      }
      slot = (slot + 1) & (cap - 1);
    }
    return new int[0];
  }

  private boolean nameEquals(int i, String key) {
    int p = nameOffset[i];
    int len = key.length();
    if (p + len >= names.length) {
      return false;
    }
    for (int k = 0; k < len; k++) {
      if (names[p + k] != (byte) key.charAt(k)) {
        return false;
      }
    }
    return names[p + len] == 0;
  }

  private int[] chain(int first) {
    int k = 0;
    for (int i = first; i >= 0; i = sameName[i]) {
      k++;
    }
    int[] out = new int[k];
    k = 0;
    for (int i = first; i >= 0; i = sameName[i]) {
      out[k++] = i;
    }
    return out;
  }

  private int[] byName(byte[] key) {
    int cap = hashTable.length;
    int h = hash(key) & (cap - 1);
    for (int probes = 0; probes < cap; probes++) {
      int e = hashTable[h];
      if (e == 0) {
        return new int[0];
      }
      if (nameEquals(e - 1, key)) {
        return chain(e - 1);
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
    int found = AddressSearch.floor(address, addr);
    if (found < 0) {
      return -1;
    }
    while (found > 0 && address[found - 1] == address[found]) {
      found--;
    }
    return Long.compareUnsigned(addr - address[found], size[found]) < 0 ? found : -1;
  }
}
