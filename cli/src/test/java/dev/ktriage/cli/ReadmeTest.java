package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Runs the README's examples as shown: every {@code ```console} block, each {@code $ } line through
 * bash in the repository root, and compares stdout with the lines under it. {@code ./ktriage} is the
 * jar's main class on the test class path (the launcher itself is {@link LauncherTest}'s); each block
 * gets a fresh store and symbol cache. A line {@code ...} stands for any number of lines. What
 * changes from run to run is not compared: durations ({@code in 3.8 s}), dates, cluster ids and the
 * number of clusters an ingest made ({@code ingest} parses files in parallel, so clusters are numbered,
 * and a few reports decided, in the order reports arrive).
 */
class ReadmeTest {
  /** The most lines the README may have (issue 18: a front page of at most ~150 lines). */
  private static final int MAX_LINES = 150;


  private static final List<Map.Entry<Pattern, String>> VOLATILE = List.of(
      Map.entry(Pattern.compile("\\b\\d+\\.\\d+ s\\b"), "<seconds> s"),
      Map.entry(Pattern.compile("\\b\\d{4}-\\d{2}-\\d{2}\\b"), "<date>"),
      Map.entry(Pattern.compile("\\bcluster +\\d+ +"), "cluster <id> "),
      // online clustering is not transitive: with parallel workers, arrival order can move a report or two
      // (eval/ measures how many); the report counts before it are compared
      Map.entry(Pattern.compile("; \\d+ new clusters, \\d+ known clusters hit"), "; <n> new clusters, <n> known clusters hit"));

  /** One {@code $} command and the stdout lines shown under it. */
  record Example(String command, List<String> expected) {}

  @TestFactory
  Stream<DynamicTest> readmeExamplesRunAsShown() throws IOException {
    Path root = TestLogs.root();
    List<String> lines = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
    List<List<Example>> blocks = blocks(lines);
    assertFalse(blocks.isEmpty(), "the README shows no console examples");
    List<DynamicTest> tests = new ArrayList<>();
    for (List<Example> block : blocks) {
      tests.add(DynamicTest.dynamicTest(block.get(0).command(), () -> run(root, block)));
    }
    return tests.stream();
  }

  /**
   * Issue 18's front page: at most 150 lines, and a link to each page of docs/ that holds what the
   * README leaves out (a link to a page that does not exist fails too).
   */
  @Test
  void theFrontPageIsShortAndLinksEveryDocsPage() throws IOException {
    Path root = TestLogs.root();
    List<String> lines = Files.readAllLines(root.resolve("README.md"), StandardCharsets.UTF_8);
    assertTrue(lines.size() <= MAX_LINES, "README.md has " + lines.size() + " lines; the front page keeps to "
        + MAX_LINES + " (details go to docs/)");
    String readme = String.join("\n", lines);
    for (String page : List.of("cli", "json-schema", "store", "symbolizer", "performance", "architecture")) {
      String link = "(docs/" + page + ".md";
      assertTrue(readme.contains(link), "README.md does not link docs/" + page + ".md");
      assertTrue(Files.isRegularFile(root.resolve("docs/" + page + ".md")), "docs/" + page + ".md is missing");
    }
  }

  static List<List<Example>> blocks(List<String> lines) {
    List<List<Example>> blocks = new ArrayList<>();
    List<Example> block = null;
    for (String l : lines) {
      if (block == null) {
        if (l.equals("```console")) {
          block = new ArrayList<>();
        }
      } else if (l.equals("```")) {
        blocks.add(block);
        block = null;
      } else if (l.startsWith("$ ")) {
        block.add(new Example(l.substring(2), new ArrayList<>()));
      } else {
        assertFalse(block.isEmpty(), "output before the first command: " + l);
        block.get(block.size() - 1).expected().add(l);
      }
    }
    return blocks;
  }

  private static void run(Path root, List<Example> block) throws Exception {
    for (Example e : block) {
      for (String tool : List.of("jq")) {
        if (e.command().contains("| " + tool)) {
          Assumptions.assumeTrue(onPath(tool), tool + " is not installed: README example not run");
        }
      }
    }
    Path tmp = Files.createTempDirectory("ktriage-readme");
    try {
      for (Example e : block) {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c",
            "ktriage() { \"$KT_JAVA\" -cp \"$KT_CP\" dev.ktriage.cli.Main \"$@\"; }\n"
                + e.command().replace("./ktriage ", "ktriage "));
        pb.directory(root.toFile());
        Map<String, String> env = pb.environment();
        env.put("KT_JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        env.put("KT_CP", System.getProperty("java.class.path"));
        env.put("KTRIAGE_STORE", tmp.resolve("store").toString());
        env.put("XDG_CACHE_HOME", tmp.resolve("cache").toString());
        env.put("NO_COLOR", "1");
        pb.redirectError(tmp.resolve("stderr").toFile());
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "timed out: " + e.command());
        String err = Files.readString(tmp.resolve("stderr"));
        assertFalse(err.contains("Exception") || err.contains("internal error"), e.command() + "\n" + err);
        List<String> actual = new String(out, StandardCharsets.UTF_8).lines().toList();
        if (!matches(e.expected(), 0, actual, 0)) {
          fail("README example differs from what it prints: $ " + e.command() + "\n--- README:\n"
              + String.join("\n", e.expected()) + "\n--- printed:\n" + String.join("\n", actual) + "\n--- stderr:\n" + err);
        }
      }
    } finally {
      try (Stream<Path> s = Files.walk(tmp)) {
        s.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
      }
    }
  }

  /** Whether {@code actual} from {@code j} is what {@code expected} from {@code i} shows ({@code ...} = any lines). */
  static boolean matches(List<String> expected, int i, List<String> actual, int j) {
    if (i == expected.size()) {
      return j == actual.size();
    }
    if (expected.get(i).equals("...")) {
      for (int k = j; k <= actual.size(); k++) {
        if (matches(expected, i + 1, actual, k)) {
          return true;
        }
      }
      return false;
    }
    return j < actual.size() && stable(expected.get(i)).equals(stable(actual.get(j)))
        && matches(expected, i + 1, actual, j + 1);
  }

  private static String stable(String line) {
    String s = line;
    for (Map.Entry<Pattern, String> v : VOLATILE) {
      s = v.getKey().matcher(s).replaceAll(v.getValue());
    }
    return s;
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
