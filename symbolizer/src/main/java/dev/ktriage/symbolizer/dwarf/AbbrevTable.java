package dev.ktriage.symbolizer.dwarf;

import dev.ktriage.symbolizer.dwarf.DwarfFormatException.Kind;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The abbreviation table at one offset of {@code .debug_abbrev} (DWARF 5 §7.5.3). Codes are usually
 * dense from 1, so they index an array; sparse codes fall back to a map. Immutable.
 */
public final class AbbrevTable {
  private final Abbrev[] dense;
  private final Map<Integer, Abbrev> sparse;
  private final int size;

  private AbbrevTable(Abbrev[] dense, Map<Integer, Abbrev> sparse, int size) {
    this.dense = dense;
    this.sparse = sparse;
    this.size = size;
  }

  /** Parses the table at {@code offset}. */
  public static AbbrevTable read(SectionReader r, long offset) throws DwarfFormatException {
    r.seek(offset);
    List<Abbrev> list = new ArrayList<>();
    int maxCode = 0;
    int[] attrs = new int[16];
    int[] forms = new int[16];
    long[] consts = new long[16];
    while (true) {
      int codeAt = r.position();
      int code = r.ulebInt();
      if (code == 0) {
        break;
      }
      int tag = r.ulebInt();
      int children = r.u8();
      int n = 0;
      while (true) {
        int attr = r.ulebInt();
        int form = r.ulebInt();
        if (attr == 0 && form == 0) {
          break;
        }
        long c = 0;
        if (form == Dw.FORM_IMPLICIT_CONST) {
          c = r.sleb();
        }
        if (n == attrs.length) {
          attrs = java.util.Arrays.copyOf(attrs, n * 2);
          forms = java.util.Arrays.copyOf(forms, n * 2);
          consts = java.util.Arrays.copyOf(consts, n * 2);
        }
        attrs[n] = attr;
        forms[n] = form;
        consts[n] = c;
        n++;
      }
      if (children > 1) {
        throw new DwarfFormatException(Kind.MALFORMED, r.section(), codeAt, "bad children flag " + children);
      }
      list.add(new Abbrev(code, tag, children == 1, java.util.Arrays.copyOf(attrs, n),
          java.util.Arrays.copyOf(forms, n), java.util.Arrays.copyOf(consts, n)));
      maxCode = Math.max(maxCode, code);
    }
    if (maxCode <= Math.max(64, list.size() * 4)) {
      Abbrev[] dense = new Abbrev[maxCode + 1];
      for (Abbrev a : list) {
        dense[a.code] = a;
      }
      return new AbbrevTable(dense, null, list.size());
    }
    Map<Integer, Abbrev> map = new HashMap<>();
    for (Abbrev a : list) {
      map.put(a.code, a);
    }
    return new AbbrevTable(null, map, list.size());
  }

  /** The abbreviation with this code, or null. */
  public Abbrev get(int code) {
    if (dense != null) {
      return code >= 0 && code < dense.length ? dense[code] : null;
    }
    return sparse.get(code);
  }

  public int size() {
    return size;
  }
}
