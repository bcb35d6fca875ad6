package dev.ktriage.cli.symbolize;

import dev.ktriage.symbolizer.Symbolizer;
import dev.ktriage.symbolizer.SymbolizerOptions;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.load.ModuleLocator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The build ids of the module files under a {@code --modules} directory, for comparing with the ones a
 * log's {@code [module buildid]} frames print. The Symbolizer does not say which file it loaded for a
 * module nor its build id, so a module is looked up the same way ({@link ModuleLocator}) and its file
 * opened on its own, once.
 *
 * <p>Not thread-safe.
 */
public final class ModuleBuildIds {

  /**
   * A module file and its build id.
   *
   * @param file the file the symbolizer would load for the module
   * @param buildId its GNU build id, lower case
   */
  public record Found(Path file, String buildId) {}

  private final Optional<Path> dir;
  private final Optional<ModuleLocator> locator;
  private final Map<String, Optional<Found>> found = new HashMap<>();

  public ModuleBuildIds(Optional<Path> dir) {
    this.dir = dir.filter(Files::isDirectory);
    this.locator = this.dir.map(ModuleLocator::new);
  }

  /** The directory searched, if any. */
  public Optional<Path> directory() {
    return dir;
  }

  /** The file and build id of {@code module}; empty when it is not found or has no build id. */
  public Optional<Found> of(String module) {
    return found.computeIfAbsent(ModuleLocator.canonical(module), this::read);
  }

  private Optional<Found> read(String module) {
    if (locator.isEmpty()) {
      return Optional.empty();
    }
    try {
      Optional<Path> p = locator.get().find(module);
      if (p.isEmpty()) {
        return Optional.empty();
      }
      try (Symbolizer m = Symbolizer.open(p.get(), SymbolizerOptions.defaults().withoutCache())) {
        return m.buildId().map(id -> new Found(p.get(), id));
      }
    } catch (IOException | ElfFormatException e) {
      return Optional.empty(); // the symbolizer reports the unusable module itself
    }
  }
}
