package dev.ktriage.symbolizer.symbolize;

import java.util.Optional;

/**
 * How source paths are rendered.
 *
 * @param raw true for the paths exactly as addr2line/llvm-symbolizer print them (comp_dir joined
 *     in), false for paths relative to the build directory (comp_dir stripped, {@code ./} and
 *     {@code dir/..} folded), as the kernel and syzkaller print them
 * @param stripPrefix a further prefix to remove when present (e.g. {@code /build/linux-6.1/} for
 *     assembler units that record absolute paths)
 */
public record PathStyle(boolean raw, Optional<String> stripPrefix) {
  public static final PathStyle TREE = new PathStyle(false, Optional.empty());
  public static final PathStyle RAW = new PathStyle(true, Optional.empty());

  /** Applies {@link #stripPrefix}; null stays null. */
  public String apply(String path) {
    if (path == null) {
      return null;
    }
    if (stripPrefix.isPresent() && path.startsWith(stripPrefix.get())) {
      return path.substring(stripPrefix.get().length());
    }
    return path;
  }
}
