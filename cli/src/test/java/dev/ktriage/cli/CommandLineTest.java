package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every command answers the same way: {@code --version}, {@code --help} with the exit codes.
 * "Every command" is read from the command line itself (the top-level list and the commands each
 * one's help lists), so a command added later is walked too.
 */
class CommandLineTest {

  /** Every command, nested ones as "depot stats"; {@code help} aside (it takes a command name). */
  static List<String> commands() {
    List<String> all = new ArrayList<>();
    for (String c : Ktriage.commandNames()) {
      if (c.equals("help")) {
        continue;
      }
      all.add(c);
      TestLogs.Run r = TestLogs.run(c, "--help");
      assertEquals(0, r.code(), c + " --help: " + r.err());
      List<String> help = r.out().lines().toList();
      int at = help.indexOf("Commands:");
      for (int i = at + 1; at >= 0 && i < help.size() && help.get(i).startsWith("  "); i++) {
        String sub = help.get(i).strip().split("\\s+")[0];
        if (!sub.equals("help") && !sub.isEmpty()) {
          all.add(c + " " + sub);
        }
      }
    }
    return all;
  }

  @Test
  void theWalkSeesNestedCommands() {
    List<String> all = commands();
    assertTrue(all.containsAll(List.of("parse", "index", "depot stats", "store check", "completion")), all.toString());
  }

  @Test
  void everyCommandAnswersVersion() {
    for (String c : commands()) {
      for (String flag : List.of("--version", "-V")) {
        TestLogs.Run r = TestLogs.run((c + " " + flag).split(" "));
        assertEquals(0, r.code(), c + " " + flag + ": " + r.err());
        assertTrue(r.out().startsWith("ktriage "), c + " " + flag + " printed: " + r.out());
      }
    }
  }

  @Test
  void everyCommandListsTheExitCodesInItsHelp() {
    for (String c : commands()) {
      TestLogs.Run r = TestLogs.run((c + " --help").split(" "));
      assertEquals(0, r.code(), c + ": " + r.err());
      assertTrue(r.out().contains("Exit codes:") && r.out().contains("130"), c + " --help:\n" + r.out());
    }
  }
}
