package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.TestLogs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage completion}: a script bash loads and that completes commands and options. */
class CompletionCommandTest {

  @TempDir Path dir;

  private String complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    ProcessBuilder pb = new ProcessBuilder("bash", "-c", "source \"$1\"; COMP_WORDS=(" + line + "); "
        + "COMP_CWORD=" + (words.length - 1) + "; COMP_LINE='" + line + "'; COMP_POINT=${#COMP_LINE}; "
        + "_complete_ktriage; printf '%s\\n' \"${COMPREPLY[@]}\"", "bash", script.toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return out;
  }

  @Test
  void bashCompletesCommandsAndTheirOptions() throws Exception {
    for (String shell : new String[] {"bash", "zsh"}) {
      TestLogs.Run r = TestLogs.run("completion", shell);
      assertEquals(0, r.code(), r.err());
      Path script = dir.resolve(shell);
      Files.writeString(script, r.out());
      assertTrue(r.out().contains("bashcompinit"), shell + ": the script also sets zsh up");
      String commands = complete(script, "ktriage", "s");
      for (String c : new String[] {"search", "show", "similar", "symbolize"}) {
        assertTrue(commands.lines().anyMatch(c::equals), shell + ": 'ktriage s<TAB>' offers " + c + ":\n" + commands);
      }
      String options = complete(script, "ktriage", "parse", "--f");
      assertTrue(options.lines().anyMatch("--format"::equals), options);
      String formats = complete(script, "ktriage", "parse", "--format", "");
      assertTrue(formats.lines().toList().containsAll(java.util.List.of("text", "json", "jsonl")), formats);
    }
  }
}
