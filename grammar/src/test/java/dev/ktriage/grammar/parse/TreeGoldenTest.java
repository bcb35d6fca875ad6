package dev.ktriage.grammar.parse;

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
 * The grammar's goldens (grammars-v4's {@code examples/*.tree}): {@code testdata/trees/<kind>/<name>.tree}
 * is the parse tree of every report island of {@code testdata/logs/<kind>/<name>.log} (kept apart so
 * that the logs directory holds only logs and their JSON), one rule or token per line, so a
 * change in what the grammar makes of a line (an exact alternative becoming loose, a frame becoming
 * text) shows as a diff to review. {@code ./mvnw verify -Dktriage.update=true} rewrites them.
 */
class TreeGoldenTest {

  private static final boolean UPDATE = Boolean.getBoolean("ktriage.update");

  @TestFactory
  List<DynamicTest> everyLogMatchesItsTree() {
    List<DynamicTest> tests = new ArrayList<>();
    for (String rel : TestLogs.all()) {
      tests.add(DynamicTest.dynamicTest(rel, () -> check(rel)));
    }
    assertFalse(tests.isEmpty());
    return tests;
  }

  @Test
  void everyTreeHasItsLog() throws IOException {
    List<String> orphans = new ArrayList<>();
    Path trees = Corpora.testdata().resolve("trees");
    try (var s = Files.walk(trees)) {
      for (Path p : s.filter(p -> p.toString().endsWith(".tree")).toList()) {
        String rel = trees.relativize(p).toString();
        if (!Files.exists(TestLogs.dir().resolve(rel.substring(0, rel.length() - ".tree".length()) + ".log"))) {
          orphans.add(p.toString());
        }
      }
    }
    assertTrue(orphans.isEmpty(), "trees without a log: " + orphans);
  }

  private static void check(String rel) throws IOException {
    String text = new String(TestLogs.bytes(rel), StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    new KernelLogParser().trees(text, (firstLine, tree) -> {
      out.append("# island at line ").append(firstLine).append('\n').append(tree);
    });
    String logs = "testdata/logs/";
    Path golden = Corpora.testdata().resolve("trees")
        .resolve(rel.substring(logs.length(), rel.length() - ".log".length()) + ".tree");
    Files.createDirectories(golden.getParent());
    if (UPDATE) {
      Files.writeString(golden, out.toString(), StandardCharsets.UTF_8);
      return;
    }
    assertTrue(Files.exists(golden), rel + " has no tree golden; run ./mvnw verify -Dktriage.update=true and review it");
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), out.toString(), rel);
  }
}
