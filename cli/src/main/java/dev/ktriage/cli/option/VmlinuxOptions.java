package dev.ktriage.cli.option;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.symbolize.ModuleDirectoryGuess;
import dev.ktriage.cli.symbolize.VmlinuxLocations;
import dev.ktriage.symbolizer.Diagnostics;
import dev.ktriage.symbolizer.SymbolizerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every symbolizing command shares ({@code symbolize}, {@code addr2line},
 * {@code parse --vmlinux}): where the kernel and its modules are, where the index cache lives and
 * how paths are printed. A picocli mixin.
 */
public final class VmlinuxOptions {

  @Option(names = "--vmlinux", paramLabel = "FILE", order = 10,
      description = "The kernel ELF with DWARF that produced the log (e.g. /usr/lib/debug/boot/vmlinux-$(uname -r)).")
  public Path vmlinux;

  @Option(names = {"-r", "--release"}, paramLabel = "RELEASE", order = 10,
      description = "Instead of --vmlinux: the kernel release whose vmlinux to use, found where debug packages and"
          + " kbuild install it (/usr/lib/debug/boot/vmlinux-RELEASE, /usr/lib/debug/lib/modules/RELEASE/vmlinux, ...).")
  public String release;

  // Where --release looks; tests point it at a directory of their own.
  public VmlinuxLocations locations = VmlinuxLocations.system();

  @Option(names = "--modules", paramLabel = "DIR", order = 11,
      description = "Where [module] frames' .ko files are searched (recursively; .ko, .ko.debug, .ko.xz, .ko.zst, .ko.gz)."
          + " Default: the modules that belong with --vmlinux in a distribution's debug layout or a kernel build tree.")
  public Path modules;

  @Option(names = "--cache", paramLabel = "DIR", order = 12,
      description = "Keep the symbol index here (default: $XDG_CACHE_HOME/ktriage, else ~/.cache/ktriage).")
  public Path cache;

  @Option(names = "--no-cache", order = 13, description = "Neither read nor write an index: decode DWARF on demand.")
  public boolean noCache;

  @Option(names = "--strip-prefix", paramLabel = "PREFIX", order = 14,
      description = "Also remove this prefix from source paths (for units that record absolute paths).")
  public String stripPrefix;

  @Option(names = "--raw-paths", order = 15,
      description = "Print source paths as addr2line does (compilation directory joined in), not relative to the source tree.")
  public boolean rawPaths;

  public boolean given() {
    return vmlinux != null || release != null;
  }

  /** The vmlinux, or a usage error naming the command that needs it. */
  public Path requireVmlinux(String command) throws InputException {
    if (!given()) {
      throw new InputException(command + ": --vmlinux FILE is required (the kernel image with debug info)");
    }
    return image();
  }

  /**
   * The vmlinux named by {@code --vmlinux}, or found for {@code --release}; only when {@link #given}.
   * Sets {@link #vmlinux}, so that the module tree is guessed from the file found.
   */
  public Path image() throws InputException {
    if (release != null) {
      if (vmlinux != null) {
        throw new InputException("--vmlinux and --release exclude each other");
      }
      vmlinux = locations.find(release).orElseThrow(() -> new InputException("--release " + release
          + ": no vmlinux found (looked for " + locations.candidates(release).get(0) + " and "
          + (locations.candidates(release).size() - 1) + " other places); install the kernel's debug package"
          + " or give --vmlinux FILE"));
      release = null;
    }
    return vmlinux;
  }

  /**
   * These flags for another kernel image ({@code ingest --vmlinux-dir} opens each vmlinux of a directory
   * with the same cache, module and path options); its modules are guessed beside it.
   */
  public VmlinuxOptions forImage(Path image) {
    VmlinuxOptions o = new VmlinuxOptions();
    o.vmlinux = image;
    o.locations = locations;
    o.modules = modules;
    o.cache = cache;
    o.noCache = noCache;
    o.stripPrefix = stripPrefix;
    o.rawPaths = rawPaths;
    return o;
  }

  /** The symbolizer options these flags ask for; checks the directories first. */
  public SymbolizerOptions toOptions(Diagnostics sink) throws InputException {
    if (cache != null && noCache) {
      throw new InputException("--cache and --no-cache exclude each other");
    }
    SymbolizerOptions o = SymbolizerOptions.defaults().withDiagnostics(sink).withRawPaths(rawPaths);
    if (modules != null) {
      if (!Files.isDirectory(modules)) {
        throw new InputException(modules + ": " + (Files.exists(modules) ? "not a directory" : "no such directory")
            + " (--modules takes the directory that holds the .ko files)");
      }
      o = o.withModulesDirectory(modules);
    } else {
      Optional<Path> guessed = guessedModules();
      if (guessed.isPresent()) {
        o = o.withModulesDirectory(guessed.get());
      }
    }
    Optional<Path> dir = cacheDirectory();
    if (dir.isPresent()) {
      if (Files.exists(dir.get()) && !Files.isDirectory(dir.get())) {
        throw new InputException(dir.get() + ": not a directory (--cache takes a directory)");
      }
      o = o.withCacheDirectory(dir.get());
    }
    if (stripPrefix != null && !stripPrefix.isEmpty()) {
      o = o.withStripPrefix(stripPrefix);
    }
    return o;
  }

  /** Where {@code [module]} frames are looked up: {@code --modules}, else the tree guessed beside the vmlinux. */
  public Optional<Path> modulesDirectory() {
    return modules != null ? Optional.of(modules) : guessedModules();
  }

  /** The module tree found beside the vmlinux when {@code --modules} is not given. */
  public Optional<Path> guessedModules() {
    return modules == null && vmlinux != null ? ModuleDirectoryGuess.forVmlinux(vmlinux) : Optional.empty();
  }

  /** The index directory in use, empty with {@code --no-cache}. */
  Optional<Path> cacheDirectory() {
    if (noCache) {
      return Optional.empty();
    }
    return Optional.of(cache != null ? cache : SymbolizerOptions.defaultCacheDirectory());
  }
}
