package dev.ktriage.symbolizer.dwarf;

/**
 * The file names of one line table, indexed by file register value, in two renderings: the raw
 * path exactly as addr2line and llvm-symbolizer print it, and the path relative to the source tree.
 *
 * <p>Immutable.
 */
public final class FileTable {
  private final String[] raw;
  private final String[] tree;

  public FileTable(String[] raw, String[] tree) {
    this.raw = raw;
    this.tree = tree;
  }

  public int size() {
    return raw.length;
  }

  /** The tool-compatible path of file {@code index}, or null when there is no such file. */
  public String raw(int index) {
    return index >= 0 && index < raw.length ? raw[index] : null;
  }

  /** The source-tree-relative path of file {@code index}, or null. */
  public String tree(int index) {
    return index >= 0 && index < tree.length ? tree[index] : null;
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
