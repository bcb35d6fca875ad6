package dev.ktriage.symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Locates the kfix fixtures under {@code testdata/elf/kfix}. */
final class KfixFixtures {
  private KfixFixtures() {}

  static Path root() {
    String root = System.getProperty("ktriage.root");
    Path base = root == null ? Path.of("..") : Path.of(root);
    return base.resolve("testdata/elf/kfix");
  }

  static List<Path> variants() throws IOException {
    try (Stream<Path> s = Files.list(root())) {
      return s.filter(p -> Files.isRegularFile(p.resolve("kfix.elf"))).sorted().toList();
    }
  }
}
