package dev.ktriage.cli.symbolize;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a kernel release's vmlinux with debug info is installed, for {@code --release}: the places
 * decode_stacktrace.sh's {@code -r} looks, debug packages first because an image under
 * {@code /boot} is usually stripped.
 */
public final class VmlinuxLocations {

  /** Candidate paths, relative to the file system root, with {@code %s} for the release. */
  private static final List<String> CANDIDATES = List.of(
      "usr/lib/debug/boot/vmlinux-%s",          // Debian and Ubuntu: linux-image-*-dbg(sym)
      "usr/lib/debug/boot/vmlinux-%s.debug",    // split debug file beside a stripped image
      "usr/lib/debug/lib/modules/%s/vmlinux",   // Fedora, RHEL, SUSE: kernel-debuginfo
      "lib/modules/%s/build/vmlinux",           // a kernel built from source and installed
      "lib/modules/%s/vmlinux",
      "boot/vmlinux-%s");                       // an unstripped image installed by hand

  private final Path root;

  VmlinuxLocations(Path root) {
    this.root = root;
  }

  /** The system's own locations. */
  public static VmlinuxLocations system() {
    return new VmlinuxLocations(Path.of("/"));
  }

  /** The first candidate that exists for {@code release}. */
  public Optional<Path> find(String release) {
    for (Path p : candidates(release)) {
      if (Files.isRegularFile(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** Every place looked at, in order. */
  public List<Path> candidates(String release) {
    List<Path> out = new ArrayList<>(CANDIDATES.size());
    for (String c : CANDIDATES) {
      out.add(root.resolve(c.replace("%s", release)));
    }
    return out;
  }
}
