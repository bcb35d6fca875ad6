package dev.ktriage.symbolizer.load;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Finds a module's object file under a directory tree, the way decode_stacktrace.sh looks for
 * {@code mod.ko*}: names compare with {@code -} and {@code _} equivalent (the kernel prints
 * {@code [snd_hda_intel]} for {@code snd-hda-intel.ko}), and {@code .ko.debug} (split debug file),
 * {@code .ko}, {@code .ko.zst}, {@code .ko.xz}, {@code .ko.gz} are accepted in that order of
 * preference (files with DWARF first).
 *
 * <p>The tree is walked once, on the first lookup. Thread-safe.
 */
public final class ModuleLocator {
  private static final List<String> SUFFIXES = List.of(".ko.debug", ".ko", ".ko.zst", ".ko.xz", ".ko.gz");

  private final Path root;
  private Map<String, Path> byName;

  public ModuleLocator(Path root) {
    this.root = root;
  }

  /** The canonical form of a module name: {@code -} folded to {@code _}. */
  public static String canonical(String module) {
    return module.replace('-', '_');
  }

  public synchronized Optional<Path> find(String module) throws IOException {
    if (byName == null) {
      byName = scan();
    }
    return Optional.ofNullable(byName.get(canonical(module)));
  }

  private Map<String, Path> scan() throws IOException {
    Map<String, Path> best = new HashMap<>();
    Map<String, Integer> rank = new HashMap<>();
    if (!Files.isDirectory(root)) {
      throw new IOException(root + ": not a directory");
    }
    try (Stream<Path> files = Files.walk(root, Integer.MAX_VALUE, EnumSet.noneOf(FileVisitOption.class)
        .toArray(new FileVisitOption[0]))) {
      files.filter(Files::isRegularFile).forEach(p -> {
        String f = p.getFileName().toString();
        for (int i = 0; i < SUFFIXES.size(); i++) {
          String suffix = SUFFIXES.get(i);
          if (f.toLowerCase(Locale.ROOT).endsWith(suffix)) {
            String name = canonical(f.substring(0, f.length() - suffix.length()));
            Integer r = rank.get(name);
            if (r == null || i < r) {
              rank.put(name, i);
              best.put(name, p);
            }
            break;
          }
        }
      });
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
    return best;
  }
}
