package dev.ktriage.cli.symbolize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a kernel's modules are, worked out from where its vmlinux is, for runs without
 * {@code --modules}. Distributions install a kernel's debug image and its modules' debug files in
 * fixed places relative to each other, and a kernel build tree keeps its {@code .ko} files beside its
 * vmlinux, so a user who names the vmlinux has already said where the modules are.
 *
 * <p>Only layouts that cannot be mistaken for anything else are recognized; anything else leaves the
 * frames of modules unsymbolized with the usual notice that suggests {@code --modules}.
 */
public final class ModuleDirectoryGuess {

  private ModuleDirectoryGuess() {}

  /** The module tree that belongs with {@code vmlinux}, if it sits in a known layout. */
  public static Optional<Path> forVmlinux(Path vmlinux) {
    Optional<Path> guess = guess(vmlinux.toAbsolutePath().normalize());
    if (guess.isEmpty() && Files.isSymbolicLink(vmlinux)) {
      try {
        // Debian's /usr/lib/debug/vmlinux-<release> is a link into boot/: follow it once.
        guess = guess(vmlinux.toRealPath());
      } catch (java.io.IOException e) {
        return Optional.empty();
      }
    }
    return guess;
  }

  private static Optional<Path> guess(Path vmlinux) {
    Path dir = vmlinux.getParent();
    if (dir == null) {
      return Optional.empty();
    }
    String name = vmlinux.getFileName().toString();
    if (name.startsWith("vmlinux-") && name.length() > "vmlinux-".length()) {
      String release = name.substring("vmlinux-".length());
      // Debian and Ubuntu debug packages: <root>/boot/vmlinux-<release> beside
      // <root>/lib/modules/<release>/ (root /usr/lib/debug), and Debian's link
      // <root>/vmlinux-<release>.
      Path root = "boot".equals(String.valueOf(dir.getFileName())) ? dir.getParent() : dir;
      if (root != null) {
        Path modules = root.resolve("lib").resolve("modules").resolve(release);
        if (Files.isDirectory(modules)) {
          return Optional.of(modules);
        }
      }
      return Optional.empty();
    }
    if (name.equals("vmlinux")) {
      // Fedora and RHEL kernel-debuginfo: <root>/lib/modules/<release>/vmlinux inside the tree it names.
      Path parent = dir.getParent();
      if (parent != null && "modules".equals(String.valueOf(parent.getFileName()))) {
        return Optional.of(dir);
      }
      // A kernel build tree (or its O= output): make leaves modules.order and Module.symvers beside
      // vmlinux, and the .ko files below it.
      if (Files.isRegularFile(dir.resolve("modules.order")) || Files.isRegularFile(dir.resolve("Module.symvers"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }
}
