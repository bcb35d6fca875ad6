package dev.ktriage.parse;

import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** Locates the repository's testdata and the shared corpora (which are never copied into the repo). */
final class Corpora {
  private Corpora() {}

  static Path root() {
    String r = System.getProperty("ktriage.root");
    return r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
  }

  static Path testdata() {
    return root().resolve("testdata");
  }

  /** The JSON Lines file at {@code ../shared/corpus/<name>/reports.jsonl}, or an aborted test. */
  static List<JsonNode> shared(String name) {
    Path p = root().resolve("../shared/corpus").resolve(name).resolve("reports.jsonl").normalize();
    if (!Files.isRegularFile(p)) {
      abort("shared corpus not found at " + p + " (tests that need it are skipped)");
    }
    ObjectMapper mapper = new ObjectMapper();
    List<JsonNode> out = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(p)) {
        if (!line.isBlank()) {
          out.add(mapper.readTree(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
