package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden JSON for every hand-written log: {@code testdata/logs/<kind>/<name>.json} is what
 * {@code ktriage parse --format json testdata/logs/<kind>/<name>.log} prints, run from the repository
 * root. Any change in what the parser finds shows up here as a diff to review.
 *
 * <p>{@code ./mvnw verify -Dktriage.update=true} rewrites the goldens; review the diff as code.
 */
class GoldenJsonTest {

  private static final boolean UPDATE = Boolean.getBoolean("ktriage.update");

  @TestFactory
  List<DynamicTest> everyLogMatchesItsGolden() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path log : TestLogs.files(".log")) {
      String rel = relative(log);
      tests.add(DynamicTest.dynamicTest(rel, () -> check(log, rel)));
    }
    assertFalse(tests.isEmpty(), "no logs under " + TestLogs.logs());
    return tests;
  }

  @Test
  void everyGoldenHasItsLog() {
    List<String> orphans = new ArrayList<>();
    for (Path json : TestLogs.files(".json")) {
      String name = json.getFileName().toString();
      Path log = json.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".log");
      if (!Files.exists(log)) {
        orphans.add(relative(json));
      }
    }
    assertTrue(orphans.isEmpty(), "golden JSON without a log (delete it or restore the log): " + orphans);
  }

  private static void check(Path log, String rel) throws IOException {
    String json = parse(log, rel);
    String name = log.getFileName().toString();
    Path golden = log.resolveSibling(name.substring(0, name.length() - ".log".length()) + ".json");
    if (UPDATE) {
      Files.writeString(golden, json, StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.exists(golden), rel + " has no golden " + golden.getFileName()
        + "; run ./mvnw verify -Dktriage.update=true and review it");
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), json, rel);
  }

  // The CLI runs in the cli module's directory; it is given the absolute path, and the golden keeps
  // the repository-relative one that a user running from the root would see.
  static String parse(Path log, String rel) {
    TestLogs.Run r = TestLogs.run("parse", "--format", "json", log.toString());
    assertEquals(0, r.code(), r.err());
    return r.out().replace("\"" + log + "\"", "\"" + rel + "\"");
  }

  static String relative(Path p) {
    return TestLogs.root().relativize(p).toString().replace('\\', '/');
  }
}
