package dev.ktriage.symbolizer.dwarf;

import java.util.Arrays;

/**
 * The file names of one line table, indexed by file register value, in two renderings: the raw
 * path exactly as addr2line and llvm-symbolizer print it, and the path relative to the source tree.
 * Names are decoded on first use and then kept.
 *
 * <p>Thread-safe: the lazily filled caches hold immutable strings, so a race only decodes twice.
 */
public final class FileTable {
  /** Path form marker: no path ("" for directories). */
  static final int EMPTY = -1;
  /** Path form marker: no such file (file 0 of DWARF 2-4 tables). */
  static final int NONE = -2;

  static final FileTable EMPTY_TABLE = new FileTable(null, "", new Refs(), new Refs());

  /** Growable (form, value, directory index) triples. */
  static final class Refs {
    int[] form = new int[16];
    long[] value = new long[16];
    int[] dir = new int[16];
    int n;

    void add(int f, long v, int d) {
      if (n == form.length) {
        form = Arrays.copyOf(form, n * 2);
        value = Arrays.copyOf(value, n * 2);
        dir = Arrays.copyOf(dir, n * 2);
      }
      form[n] = f;
      value[n] = v;
      dir[n] = d;
      n++;
    }
  }

  private final DwarfUnit unit;
  private final String compDir;
  private final Refs dirs;
  private final Refs names;
  private final String[] raw;
  private final String[] tree;

  FileTable(DwarfUnit unit, String compDir, Refs dirs, Refs names) {
    this.unit = unit;
    this.compDir = compDir;
    this.dirs = dirs;
    this.names = names;
    this.raw = new String[names.n];
    this.tree = new String[names.n];
  }

  public int size() {
    return names.n;
  }

  private String decode(Refs refs, int i) {
    int form = refs.form[i];
    if (form == EMPTY) {
      return "";
    }
    try {
      if (form == Dw.FORM_STRING) {
        return SectionReader.cStringAt(unit.sections().line(), refs.value[i], ".debug_line");
      }
      return unit.string(form, refs.value[i]);
    } catch (DwarfFormatException e) {
      return "";
    }
  }

  /** The tool-compatible path of file {@code index}, or null when there is no such file. */
  public String raw(int index) {
    if (index < 0 || index >= names.n || names.form[index] == NONE) {
      return null;
    }
    String p = raw[index];
    if (p == null) {
      p = rawPath(compDir, dir(index), decode(names, index));
      raw[index] = p;
    }
    return p;
  }

  /** The source-tree-relative path of file {@code index}, or null. */
  public String tree(int index) {
    if (index < 0 || index >= names.n || names.form[index] == NONE) {
      return null;
    }
    String p = tree[index];
    if (p == null) {
      p = treePath(compDir, dir(index), decode(names, index));
      tree[index] = p;
    }
    return p;
  }

  private String dir(int file) {
    int d = names.dir[file];
    return d >= 0 && d < dirs.n ? decode(dirs, d) : "";
  }

  private static boolean isAbsolute(String p) {
    return p.startsWith("/");
  }

  private static String join(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return a.endsWith("/") ? a + b : a + "/" + b;
  }

  /**
   * The path as binutils and LLVM build it: the name if absolute, else directory/name, with the
   * comp_dir in front while the result is relative. With GCC's DWARF 5 tables, whose directory 0
   * repeats the comp_dir, a relative comp_dir therefore appears twice; both tools print that.
   */
  static String rawPath(String compDir, String dir, String name) {
    if (isAbsolute(name)) {
      return name;
    }
    String p = dir.isEmpty() ? name : join(dir, name);
    if (!isAbsolute(p) && !compDir.isEmpty()) {
      p = join(compDir, p);
    }
    return p;
  }

  /**
   * The path relative to the directory the compiler ran in (the kernel's build tree): directory/name
   * without the comp_dir, lexically normalized ({@code ./} and {@code dir/..} removed).
   */
  static String treePath(String compDir, String dir, String name) {
    String p = isAbsolute(name) || dir.isEmpty() ? name : join(dir, name);
    if (!compDir.isEmpty()) {
      String prefix = compDir.endsWith("/") ? compDir : compDir + "/";
      if (p.startsWith(prefix)) {
        p = p.substring(prefix.length());
      }
    }
    return normalize(p);
  }

  static String normalize(String p) {
    if (!p.contains("./") && !p.contains("//")) {
      return p;
    }
    boolean abs = isAbsolute(p);
    String[] parts = p.split("/");
    java.util.ArrayDeque<String> out = new java.util.ArrayDeque<>();
    for (String s : parts) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..") && !out.isEmpty() && !out.peekLast().equals("..")) {
        out.removeLast();
      } else {
        out.addLast(s);
      }
    }
    String joined = String.join("/", out);
    return abs ? "/" + joined : joined;
  }
}
