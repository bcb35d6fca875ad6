package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.input.InputException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** What a failed command says: one line and an exit code, whatever was thrown and from which thread. */
class ErrorReporterTest {

  private static List<String> report(Exception ex, boolean debug, int expectedCode) {
    StringWriter s = new StringWriter();
    assertEquals(expectedCode, ErrorReporter.report(ex, new PrintWriter(s), debug));
    return s.toString().lines().toList();
  }

  @Test
  void outOfMemoryInAWorkerSaysHowToRaiseTheHeap() {
    // ingest's workers run in a pool: their errors arrive wrapped in an ExecutionException.
    List<String> lines = report(new ExecutionException(new OutOfMemoryError("Java heap space")), false,
        ExitCodes.INTERNAL);
    assertEquals(1, lines.size(), lines.toString());
    String line = lines.get(0);
    assertTrue(line.startsWith("ktriage: out of memory (Java heap space, heap limit "), line);
    assertTrue(line.endsWith(" MB); rerun with a larger heap, e.g. KTRIAGE_JAVA_OPTS=-Xmx4g"), line);
    assertTrue(line.contains(" " + (Runtime.getRuntime().maxMemory() >> 20) + " MB"), line);
  }

  @Test
  void outOfMemoryIsFoundDeepInTheCauseChain() {
    OutOfMemoryError oom = new OutOfMemoryError("Direct buffer memory");
    Exception wrapped = new RuntimeException("add failed", new IllegalStateException("tragic", oom));
    assertEquals(oom, ErrorReporter.outOfMemory(wrapped));
    assertEquals(null, ErrorReporter.outOfMemory(new RuntimeException(new IllegalStateException())));
  }

  @Test
  void otherFailuresKeepTheirMessages() {
    assertEquals(List.of("ktriage: no such thing"), report(new InputException("no such thing"), false,
        ExitCodes.USAGE_OR_INPUT));
    List<String> bug = report(new IllegalStateException("boom"), false, ExitCodes.INTERNAL);
    assertEquals(List.of("ktriage: internal error: java.lang.IllegalStateException: boom (rerun with --debug for details)"),
        bug);
    // --debug adds the stack trace after the line.
    List<String> debug = report(new IllegalStateException("boom"), true, ExitCodes.INTERNAL);
    assertTrue(debug.size() > 1 && debug.get(1).startsWith("java.lang.IllegalStateException: boom"), debug.toString());
  }

  @Test
  void storeProblemsAreExit3AndBadQueriesExit2() {
    // a read-only store (issue 18): the message says so
    List<String> ro = report(new dev.ktriage.depot.StoreAccessException("/data/store/index",
        dev.ktriage.depot.StoreAccessException.Problem.READ_ONLY, true, "Read-only file system", null), false,
        ExitCodes.STORE);
    assertEquals(List.of("ktriage: /data/store/index: cannot write: read-only file system"), ro);
    List<String> corrupt = report(new dev.ktriage.depot.CorruptStoreException(java.nio.file.Path.of("/s/index"),
        "bad checksum"), false, ExitCodes.STORE);
    assertTrue(corrupt.size() == 1 && corrupt.get(0).contains("; the store is left as it is"), corrupt.toString());
    assertEquals(List.of("ktriage: bad query: x"), report(new dev.ktriage.depot.store.QuerySyntaxException(
        "bad query: x", null), false, ExitCodes.USAGE_OR_INPUT));
  }

  @Test
  void theDocumentedExitCodesAreTheOnesThereAre() throws java.io.IOException {
    // docs/cli.md's table and --help's list are the same codes as ExitCodes
    List<String> documented = java.nio.file.Files.readAllLines(TestLogs.root().resolve("docs/cli.md")).stream()
        .dropWhile(l -> !l.equals("## Exit codes")).takeWhile(l -> !l.startsWith("## Shell"))
        .filter(l -> l.matches("\\| \\d+ \\|.*")).map(l -> l.split("\\|")[1].strip()).toList();
    assertEquals(List.copyOf(ExitCodes.helpList().keySet()), documented);
  }
}
