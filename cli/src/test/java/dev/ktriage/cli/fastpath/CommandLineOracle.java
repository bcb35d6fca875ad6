package dev.ktriage.cli.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Ktriage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine;

/** picocli's reading of a command line, as the truth the fast paths ({@link Addr2lineArgs}, {@link ParseArgs}) must match. */
public final class CommandLineOracle {
  private CommandLineOracle() {
    // no instance
  }

  /**
   * What picocli makes of {@code args} with {@code command} registered as {@code name} under
   * {@code top}, configured as {@link Ktriage} configures it: {@code describe}'s account of the
   * options it set, or null when it refuses the line or the line asks for help or the version.
   */
  public static String picocli(String[] args, Ktriage top, String name, Object command, Supplier<String> describe) {
    CommandLine cl = new CommandLine(top).addSubcommand(name, command);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    try {
      CommandLine.ParseResult r = cl.parseArgs(args);
      if (r.subcommand() == null || cl.isUsageHelpRequested() || cl.isVersionHelpRequested()
          || r.subcommand().isUsageHelpRequested() || r.subcommand().isVersionHelpRequested()) {
        return null;
      }
    } catch (CommandLine.ParameterException e) {
      return null;
    }
    return describe.get();
  }

  /**
   * Builds 20,000 random command lines ({@code --debug} now and then, {@code name}, then up to
   * {@code maxWords - 1} of {@code words}); wherever {@code fast} takes one, it must read it as
   * {@code picocli} does, and it must take more than 1,000 of them.
   */
  public static void agreeOnRandomLines(String name, String[] words, int maxWords, Function<String[], String> fast,
      Function<String[], String> picocli) {
    Random rnd = new Random(42);
    int taken = 0;
    for (int n = 0; n < 20_000; n++) {
      List<String> args = new ArrayList<>();
      if (rnd.nextInt(4) == 0) {
        args.add("--debug");
      }
      args.add(name);
      int k = rnd.nextInt(maxWords);
      for (int j = 0; j < k; j++) {
        args.add(words[rnd.nextInt(words.length)]);
      }
      String[] a = args.toArray(String[]::new);
      String f = fast.apply(a);
      if (f != null) {
        taken++;
        assertEquals(picocli.apply(a), f, Arrays.toString(a));
      }
    }
    assertTrue(taken > 1_000, "the fast path took " + taken + " lines");
  }
}
