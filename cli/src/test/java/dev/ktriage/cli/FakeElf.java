package dev.ktriage.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Files that pass for a vmlinux or module by their first bytes, laid out as distributions lay them out. */
public final class FakeElf {
  private FakeElf() {} // no instance

  /** Creates {@code root/path} (and its directories) holding just the ELF magic. */
  public static Path at(Path root, String path) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    Files.write(p, new byte[] {0x7f, 'E', 'L', 'F'});
    return p;
  }
}
