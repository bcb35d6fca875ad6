package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What every command answers the same way: {@code --version}, {@code --help} with the exit codes. */
class CommandLineTest {

  private static final List<String> COMMANDS = List.of("parse", "symbolize", "addr2line", "ingest", "clusters",
      "search", "show", "similar", "gc", "merge", "depot", "depot stats", "completion");

  @Test
  void everyCommandAnswersVersion() {
    for (String c : COMMANDS) {
      for (String flag : List.of("--version", "-V")) {
        TestLogs.Run r = TestLogs.run((c + " " + flag).split(" "));
        assertEquals(0, r.code(), c + " " + flag + ": " + r.err());
        assertTrue(r.out().startsWith("ktriage "), c + " " + flag + " printed: " + r.out());
      }
    }
  }

  @Test
  void everyCommandListsTheExitCodesInItsHelp() {
    for (String c : COMMANDS) {
      TestLogs.Run r = TestLogs.run((c + " --help").split(" "));
      assertEquals(0, r.code(), c + ": " + r.err());
      assertTrue(r.out().contains("Exit codes:") && r.out().contains("130"), c + " --help:\n" + r.out());
    }
  }
}
