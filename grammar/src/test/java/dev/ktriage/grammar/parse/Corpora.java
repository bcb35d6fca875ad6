package dev.ktriage.grammar.parse;

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
public final class Corpora {
  private Corpora() {}

  static Path root() {
    String r = System.getProperty("ktriage.root");
    return r != null ? Path.of(r) : Path.of("..").toAbsolutePath().normalize();
  }

  static Path testdata() {
    return root().resolve("testdata");
  }

  /**
   * The file at {@code ../shared/corpus/<relative>}, or an aborted (skipped) test. The reason also goes
   * to stderr: {@code ./mvnw -q verify}, the CI command, shows no skip reasons.
   */
  public static Path sharedFile(String relative) {
    Path p = root().resolve("../shared/corpus").resolve(relative).normalize();
    if (!Files.isRegularFile(p)) {
      String why = "shared corpus not found at " + p + " (tests that need it are skipped)";
      System.err.println("SKIPPED: " + why);
      abort(why);
    }
    return p;
  }

  /** The JSON Lines file at {@code ../shared/corpus/<name>/reports.jsonl}, or an aborted test. */
  static List<JsonNode> shared(String name) {
    Path p = sharedFile(name + "/reports.jsonl");
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
