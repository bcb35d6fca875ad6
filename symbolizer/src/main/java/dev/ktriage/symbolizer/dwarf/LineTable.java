package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The decoded line number program of one unit (DWARF 5 §6.2, versions 2 to 5) as compact sorted
 * rows, and its file table.
 *
 * <p>Row {@code i} covers {@code [address(i), address(i + 1))} unless it is an end-of-sequence
 * marker ({@link #file(int)} = -1). Rows that a lookup can never return are dropped while decoding:
 * of rows with equal addresses only the last is kept (as llvm-symbolizer and addr2line pick it), and
 * a row equal in file, line and column to its predecessor is merged into it. Sequences are sorted by
 * address; a sequence overlapping an earlier one (code discarded by the linker, left at address 0)
 * is dropped and counted in {@link #droppedSequences()}.
 *
 * <p>Immutable and thread-safe.
 */
public final class LineTable {
  private final FileTable files;
  private final long[] address;
  private final int[] file;
  private final int[] line;
  private final int[] column;
  private final int droppedSequences;

  LineTable(FileTable files, long[] address, int[] file, int[] line, int[] column, int droppedSequences) {
    this.files = files;
    this.address = address;
    this.file = file;
    this.line = line;
    this.column = column;
    this.droppedSequences = droppedSequences;
  }

  /** An empty table (a unit without DW_AT_stmt_list). */
  public static LineTable empty() {
    return new LineTable(FileTable.EMPTY_TABLE, new long[0], new int[0], new int[0], new int[0], 0);
  }

  public FileTable files() {
    return files;
  }

  public int rowCount() {
    return address.length;
  }

  public long address(int row) {
    return address[row];
  }

  /** The file register value of a row (index into {@link #files()}), or -1 for an end marker. */
  public int file(int row) {
    return file[row];
  }

  public int line(int row) {
    return line[row];
  }

  public int column(int row) {
    return column[row];
  }

  public int droppedSequences() {
    return droppedSequences;
  }

  /** The row whose range contains {@code pc}, or -1. */
  public int find(long pc) {
    int found = AddressSearch.floor(address, pc);
    if (found < 0 || file[found] < 0) {
      return -1;
    }
    return found;
  }

  /**
   * Decodes the line program at {@code offset} of {@code .debug_line}.
   *
   * @param unit the unit that owns the program: its comp_dir and name are directory and file 0 for
   *     DWARF 2-4 tables, and its string bases decode DWARF 5 strx forms
   */
  public static LineTable read(DwarfUnit unit, long offset) throws DwarfFormatException {
    Builder b = new Builder();
    FileTable files = decode(unit, offset, b);
    return b.build(files);
  }

  private static FileTable decode(DwarfUnit unit, long offset, Rows b) throws DwarfFormatException {
    SectionReader r;
    int[] os = new int[1];
    {
      SectionReader head = new SectionReader(unit.sections().line(), ".debug_line");
      head.seek(offset);
      long length = head.initialLength(os);
      long end = head.position() + length;
      head.limit(end); // checks the length against the section
      // One copy of the program, then array reads.
      r = SectionReader.window(unit.sections().line(), unit.sections().windows(), ".debug_line", offset, end);
      r.seek(head.position());
    }
    int version = r.u16();
    if (version < 2 || version > 5) {
      throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), offset, "line table version " + version);
    }
    int addressSize = unit.header().addressSize();
    if (version >= 5) {
      addressSize = r.u8();
      r.u8(); // segment_selector_size
    }
    long headerLength = r.offset(os[0]);
    long programStart = r.position() + headerLength;
    int minInst = r.u8();
    if (version >= 4) {
      r.u8(); // maximum_operations_per_instruction: VLIW only; op_index is not tracked
    }
    r.u8(); // default_is_stmt: lookups use every row, as both reference tools do
    int lineBase = (byte) r.u8();
    int lineRange = r.u8();
    int opcodeBase = r.u8();
    int[] stdLengths = new int[Math.max(opcodeBase, 1)];
    for (int i = 1; i < opcodeBase; i++) {
      stdLengths[i] = r.u8();
    }
    String compDir = unit.compDir().orElse("");
    // Paths are kept as references (form, value) and decoded only when a lookup needs them: a
    // kernel unit lists ~160 files and a lookup uses one or two.
    FileTable.Refs dirs = new FileTable.Refs();
    FileTable.Refs names = new FileTable.Refs();
    if (version >= 5) {
      readEntries5(r, os[0], dirs, false);
      readEntries5(r, os[0], names, true);
    } else {
      // DWARF 2-4: directory 0 is the comp_dir ("" here: joined in by FileTable) and file 0 does not
      // exist; register values are 1-based.
      dirs.add(FileTable.EMPTY, 0, 0);
      while (true) {
        int at = r.position();
        r.skipCString();
        if (r.position() == at + 1) {
          break;
        }
        dirs.add(Dw.FORM_STRING, at, 0);
      }
      names.add(FileTable.NONE, 0, 0);
      while (true) {
        int at = r.position();
        r.skipCString();
        if (r.position() == at + 1) {
          break;
        }
        int d = r.ulebInt();
        r.skipLeb();
        r.skipLeb();
        names.add(Dw.FORM_STRING, at, d);
      }
    }
    r.seek(programStart);
    long addr = 0;
    int fileReg = 1;
    int lineReg = 1;
    int col = 0;
    byte[] arr = r.array();
    int off = r.arrayOffset();
    while (r.hasRemaining()) {
      if (arr != null && lineRange != 0) {
        // Fast path over the window's array for the common opcodes and one-byte operands (most rows
        // of a kernel line program); anything else falls through to the general decoder below.
        int p = r.position();
        int lim = r.limit();
        while (p < lim) {
          int op = arr[off + p] & 0xff;
          if (op >= opcodeBase) {
            int adj = op - opcodeBase;
            addr += (long) (adj / lineRange) * minInst;
            lineReg += lineBase + adj % lineRange;
            b.row(addr, fileReg, lineReg, col);
            p++;
          } else if (op == Dw.LNS_COPY) {
            b.row(addr, fileReg, lineReg, col);
            p++;
          } else if (op == Dw.LNS_NEGATE_STMT || op == Dw.LNS_SET_BASIC_BLOCK || op == Dw.LNS_SET_PROLOGUE_END
              || op == Dw.LNS_SET_EPILOGUE_BEGIN) {
            p++;
          } else if (op == Dw.LNS_CONST_ADD_PC) {
            addr += (long) ((255 - opcodeBase) / lineRange) * minInst;
            p++;
          } else if (p + 1 < lim && arr[off + p + 1] >= 0 && (op == Dw.LNS_ADVANCE_LINE || op == Dw.LNS_ADVANCE_PC
              || op == Dw.LNS_SET_COLUMN || op == Dw.LNS_SET_FILE)) {
            int v = arr[off + p + 1];
            switch (op) {
              case Dw.LNS_ADVANCE_LINE -> lineReg += (v << 25) >> 25; // one-byte SLEB128
              case Dw.LNS_ADVANCE_PC -> addr += (long) v * minInst;
              case Dw.LNS_SET_COLUMN -> col = v;
              default -> fileReg = v;
            }
            p += 2;
          } else {
            break;
          }
        }
        r.seek(p);
        if (!r.hasRemaining()) {
          break;
        }
      }
      int op = r.u8();
      if (op >= opcodeBase) {
        if (lineRange == 0) {
          throw new DwarfFormatException(Kind.MALFORMED, r.section(), offset, "line_range is 0");
        }
        int adj = op - opcodeBase;
        addr += (long) (adj / lineRange) * minInst;
        lineReg += lineBase + adj % lineRange;
        b.row(addr, fileReg, lineReg, col);
        continue;
      }
      switch (op) {
        case 0 -> {
          long len = r.uleb();
          int at = r.position();
          if (len == 0 || len > r.remaining()) {
            throw new DwarfFormatException(Kind.MALFORMED, r.section(), at, "bad extended opcode length " + len);
          }
          int sub = r.u8();
          switch (sub) {
            case Dw.LNE_END_SEQUENCE -> {
              b.endSequence(addr);
              addr = 0;
              fileReg = 1;
              lineReg = 1;
              col = 0;
            }
            case Dw.LNE_SET_ADDRESS -> addr = r.unsigned((int) len - 1);
            case Dw.LNE_DEFINE_FILE -> {
              int nameAt = r.position();
              r.skipCString();
              names.add(Dw.FORM_STRING, nameAt, r.ulebInt());
              r.skipLeb();
              r.skipLeb();
            }
            default -> { }
          }
          r.seek(at + len);
        }
        case Dw.LNS_COPY -> b.row(addr, fileReg, lineReg, col);
        case Dw.LNS_ADVANCE_PC -> addr += r.uleb() * minInst;
        case Dw.LNS_ADVANCE_LINE -> lineReg += (int) r.sleb();
        case Dw.LNS_SET_FILE -> fileReg = r.ulebInt();
        case Dw.LNS_SET_COLUMN -> col = r.ulebInt();
        case Dw.LNS_NEGATE_STMT, Dw.LNS_SET_BASIC_BLOCK, Dw.LNS_SET_PROLOGUE_END, Dw.LNS_SET_EPILOGUE_BEGIN -> { }
        case Dw.LNS_CONST_ADD_PC -> {
          if (lineRange == 0) {
            throw new DwarfFormatException(Kind.MALFORMED, r.section(), offset, "line_range is 0");
          }
          addr += (long) ((255 - opcodeBase) / lineRange) * minInst;
        }
        case Dw.LNS_FIXED_ADVANCE_PC -> addr += r.u16();
        default -> {
          // Standard opcodes this reader does not know (and DW_LNS_set_isa) take ULEB operands.
          for (int i = 0; i < stdLengths[op]; i++) {
            r.skipLeb();
          }
        }
      }
    }
    return new FileTable(unit, compDir, dirs, names);
  }

  /** DWARF 5 §6.2.4.1: directory or file name entries described by (content type, form) pairs. */
  private static void readEntries5(SectionReader r, int offsetSize, FileTable.Refs out, boolean files)
      throws DwarfFormatException {
    int formatCount = r.u8();
    int[] types = new int[formatCount];
    int[] forms = new int[formatCount];
    for (int i = 0; i < formatCount; i++) {
      types[i] = r.ulebInt();
      forms[i] = r.ulebInt();
    }
    long count = r.uleb();
    // Every real entry takes at least a byte (a path); a count past the bytes left is damage, and with
    // formats that read nothing it would loop (and grow the table) for up to 2^64 entries.
    if (count > r.remaining()) {
      throw new DwarfFormatException(Kind.MALFORMED, r.section(), r.position(),
          (files ? "file" : "directory") + " count " + Long.toUnsignedString(count) + " exceeds the "
              + r.remaining() + " bytes left");
    }
    for (long e = 0; e < count; e++) {
      int pathForm = FileTable.EMPTY;
      long pathValue = 0;
      int dirIndex = 0;
      for (int i = 0; i < formatCount; i++) {
        int form = forms[i];
        switch (types[i]) {
          case Dw.LNCT_PATH -> {
            pathForm = form;
            pathValue = readStringRef(r, form, offsetSize);
          }
          case Dw.LNCT_DIRECTORY_INDEX -> dirIndex = (int) readUnsigned(r, form);
          default -> skip(r, form, offsetSize);
        }
      }
      out.add(pathForm, pathValue, files ? dirIndex : 0);
    }
  }

  /** Reads a path attribute's raw value: an offset or index, or the position of an inline string. */
  private static long readStringRef(SectionReader r, int form, int offsetSize) throws DwarfFormatException {
    return switch (form) {
      case Dw.FORM_STRING -> {
        int at = r.position();
        r.skipCString();
        yield at;
      }
      case Dw.FORM_LINE_STRP, Dw.FORM_STRP, Dw.FORM_STRP_SUP, Dw.FORM_GNU_STRP_ALT -> r.offset(offsetSize);
      case Dw.FORM_STRX, Dw.FORM_GNU_STR_INDEX -> r.uleb();
      case Dw.FORM_STRX1 -> r.u8();
      case Dw.FORM_STRX2 -> r.u16();
      case Dw.FORM_STRX3 -> r.u24();
      case Dw.FORM_STRX4 -> r.u32();
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), r.position(),
          "path form 0x" + Integer.toHexString(form));
    };
  }

  private static long readUnsigned(SectionReader r, int form) throws DwarfFormatException {
    return switch (form) {
      case Dw.FORM_DATA1 -> r.u8();
      case Dw.FORM_DATA2 -> r.u16();
      case Dw.FORM_DATA4 -> r.u32();
      case Dw.FORM_DATA8 -> r.u64();
      case Dw.FORM_UDATA -> r.uleb();
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), r.position(),
          "directory index form 0x" + Integer.toHexString(form));
    };
  }

  private static void skip(SectionReader r, int form, int offsetSize) throws DwarfFormatException {
    switch (form) {
      case Dw.FORM_DATA1, Dw.FORM_STRX1 -> r.skip(1);
      case Dw.FORM_DATA2, Dw.FORM_STRX2 -> r.skip(2);
      case Dw.FORM_STRX3 -> r.skip(3);
      case Dw.FORM_DATA4, Dw.FORM_STRX4 -> r.skip(4);
      case Dw.FORM_DATA8 -> r.skip(8);
      case Dw.FORM_DATA16 -> r.skip(16);
      case Dw.FORM_UDATA, Dw.FORM_SDATA, Dw.FORM_STRX -> r.skipLeb();
      case Dw.FORM_STRING -> r.skipCString();
      case Dw.FORM_LINE_STRP, Dw.FORM_STRP, Dw.FORM_SEC_OFFSET -> r.skip(offsetSize);
      case Dw.FORM_BLOCK -> r.skip(r.uleb());
      case Dw.FORM_BLOCK1 -> r.skip(r.u8());
      case Dw.FORM_BLOCK2 -> r.skip(r.u16());
      case Dw.FORM_BLOCK4 -> r.skip(r.u32());
      default -> throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), r.position(),
          "line table entry form 0x" + Integer.toHexString(form));
    }
  }

  /**
   * The rows of one sequence as a lookup sees them: of rows with equal addresses only the last is
   * kept, a row equal in position to its predecessor is merged into it, and rows whose address goes
   * backwards are dropped. Each finished sequence goes to {@link #sequence}.
   */
  private abstract static class Rows {
    long[] a = new long[64];
    int[] d = new int[192];
    int n;

    final void row(long addr, int file, int line, int col) {
      if (n > 0 && a[n - 1] == addr) {
        n--; // a later row at the same address supersedes the earlier one
      }
      if (n > 0 && d[3 * (n - 1)] == file && d[3 * (n - 1) + 1] == line && d[3 * (n - 1) + 2] == col
          && Long.compareUnsigned(a[n - 1], addr) <= 0) {
        return; // same position as the previous row: a lookup gives the same answer
      }
      if (n > 0 && Long.compareUnsigned(addr, a[n - 1]) < 0) {
        // Addresses must not decrease within a sequence (§6.2.5.1); keep the table searchable.
        return;
      }
      ensure();
      a[n] = addr;
      d[3 * n] = file;
      d[3 * n + 1] = line;
      d[3 * n + 2] = col;
      n++;
    }

    final void endSequence(long addr) {
      if (n > 0 && a[n - 1] == addr) {
        n--;
      }
      if (n > 0 && Long.compareUnsigned(addr, a[n - 1]) > 0) {
        ensure();
        a[n] = addr;
        d[3 * n] = -1;
        d[3 * n + 1] = 0;
        d[3 * n + 2] = 0;
        n++;
        sequence(a, d, n);
      }
      n = 0;
    }

    private void ensure() {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
        d = Arrays.copyOf(d, n * 6);
      }
    }

    /** A finished sequence: rows {@code [0, n)} with strictly increasing addresses, the last an end marker. */
    abstract void sequence(long[] addr, int[] data, int n);
  }

  /** Collects rows per sequence, then sorts and compacts them. */
  private static final class Builder extends Rows {
    private final List<long[]> seqAddr = new ArrayList<>();
    private final List<int[]> seqData = new ArrayList<>();

    @Override
    void sequence(long[] addr, int[] data, int count) {
      seqAddr.add(Arrays.copyOf(addr, count));
      seqData.add(Arrays.copyOf(data, 3 * count));
    }

    LineTable build(FileTable files) {
      Integer[] order = new Integer[seqAddr.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      Arrays.sort(order, (x, y) -> Long.compareUnsigned(seqAddr.get(x)[0], seqAddr.get(y)[0]));
      int total = 0;
      for (long[] s : seqAddr) {
        total += s.length;
      }
      long[] addr = new long[total];
      int[] file = new int[total];
      int[] line = new int[total];
      int[] col = new int[total];
      int m = 0;
      int dropped = 0;
      for (int idx : order) {
        long[] sa = seqAddr.get(idx);
        int[] sd = seqData.get(idx);
        if (m > 0 && Long.compareUnsigned(sa[0], addr[m - 1]) < 0) {
          dropped++;
          continue;
        }
        if (m > 0 && sa[0] == addr[m - 1]) {
          m--; // the previous sequence's end marker coincides with this start
        }
        for (int i = 0; i < sa.length; i++) {
          addr[m] = sa[i];
          file[m] = sd[3 * i];
          line[m] = sd[3 * i + 1];
          col[m] = sd[3 * i + 2];
          m++;
        }
      }
      return new LineTable(files, Arrays.copyOf(addr, m), Arrays.copyOf(file, m), Arrays.copyOf(line, m),
          Arrays.copyOf(col, m), dropped);
    }
  }
}
