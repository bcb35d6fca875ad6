package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;
import java.util.Arrays;

/**
 * Reads {@code .debug_aranges} (DWARF 5 §6.1.2) into (lo, hi, unit offset) triples.
 *
 * <p>Stateless.
 */
public final class Aranges {
  private Aranges() {
    // no instance
  }

  /**
   * @return [lo0, hi0, unit0, lo1, hi1, unit1, ...] in section order, empty ranges dropped
   */
  public static long[] read(SectionReader r) throws DwarfFormatException {
    long[] out = new long[48];
    int n = 0;
    int[] os = new int[1];
    while (r.remaining() > 0) {
      int setStart = r.position();
      long length = r.initialLength(os);
      long end = r.position() + length;
      if (end > r.limit()) {
        throw new DwarfFormatException(Kind.TRUNCATED, r.section(), setStart, "aranges set past end");
      }
      int version = r.u16();
      long unit = r.offset(os[0]);
      int addrSize = r.u8();
      int segSize = r.u8();
      if (version != 2 || (addrSize != 4 && addrSize != 8 && addrSize != 2)) {
        throw new DwarfFormatException(Kind.UNSUPPORTED, r.section(), setStart,
            "aranges version " + version + " address size " + addrSize);
      }
      // Tuples are aligned to twice the address size, counted from the set start (§6.1.2).
      int tuple = 2 * addrSize + segSize;
      int headerLen = r.position() - setStart;
      int pad = (tuple - headerLen % tuple) % tuple;
      r.skip(pad);
      while (r.position() + tuple <= end) {
        if (segSize > 0) {
          r.skip(segSize);
        }
        long lo = r.unsigned(addrSize);
        long len = r.unsigned(addrSize);
        if (lo == 0 && len == 0) {
          break;
        }
        if (len != 0) {
          if (n + 3 > out.length) {
            out = Arrays.copyOf(out, out.length * 2);
          }
          out[n++] = lo;
          out[n++] = lo + len;
          out[n++] = unit;
        }
      }
      r.seek(end);
    }
    return Arrays.copyOf(out, n);
  }
}
