package dev.ktriage.cli.render;

import dev.ktriage.model.SourceLocation;
import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.SourceFrame;
import java.util.List;
import java.util.Optional;

/**
 * How symbolizer results are spelled in ktriage's output.
 *
 * <p>The symbolizer makes paths relative to the build directory, but units that recorded an
 * absolute path (GNU as units of distribution kernels:
 * {@code /build/reproducible-path/linux-6.1.170/arch/x86/entry/entry_64.S}) stay absolute. With
 * {@code treeRelative}, such a path is cut where the kernel tree starts: at its last {@code /arch/}
 * (where assembler sources live), else at its first top-level kernel directory. A heuristic, hence
 * only when neither {@code --raw-paths} nor {@code --strip-prefix} says otherwise.
 *
 * @param treeRelative whether absolute paths are cut down to the kernel tree
 */
public record SourceText(boolean treeRelative) {

  // The top-level directories of the kernel source tree.
  private static final List<String> TOP = List.of("arch", "block", "certs", "crypto", "drivers", "fs", "include",
      "init", "io_uring", "ipc", "kernel", "lib", "mm", "net", "rust", "samples", "security", "sound", "virt");

  /** {@code mm/slub.c:123}; a line the line table does not know is 0, as the kernel prints it. */
  public Optional<String> location(SourceFrame f) {
    return f.file().map(file -> path(file) + ":" + f.line().orElse(0));
  }

  /** The frame's position for the report model. */
  public Optional<SourceLocation> model(SourceFrame f) {
    return f.file().map(file -> new SourceLocation(path(file), f.line().orElse(0)));
  }

  public String path(String file) {
    if (!treeRelative || !file.startsWith("/")) {
      return file;
    }
    int arch = file.lastIndexOf("/arch/");
    if (arch >= 0) {
      return file.substring(arch + 1);
    }
    int best = -1;
    for (String top : TOP) {
      int i = file.indexOf("/" + top + "/");
      if (i >= 0 && (best < 0 || i < best)) {
        best = i;
      }
    }
    return best < 0 ? file : file.substring(best + 1);
  }

  /** {@code symbol+0xoff/0xsize}: what a candidate's address is, as the kernel prints a frame. */
  public static String symbolOffset(Candidate c) {
    // No String.format: its first use in a run loads the formatter and locale data (addr2line prints
    // this for every frame it cannot locate).
    return new StringBuilder(c.symbol()).append("+0x").append(Long.toHexString(c.address() - c.symbolAddress()))
        .append("/0x").append(Long.toHexString(c.symbolSize())).toString();
  }
}
