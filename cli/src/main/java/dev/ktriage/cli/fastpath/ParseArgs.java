package dev.ktriage.cli.fastpath;

import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.command.ParseCommand;
import dev.ktriage.cli.option.ColorMode;
import dev.ktriage.cli.option.OutputFormat;
import dev.ktriage.cli.option.VmlinuxOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The command line of {@code ktriage parse} read without picocli, for the everyday shapes only
 * ({@code dmesg | ktriage parse}, {@code ktriage parse --format jsonl crash.log}): building picocli's
 * model for {@code parse} took several times longer than parsing a crash log
 * (docs/performance.md#the-launcher). It takes
 * {@code --format}, {@code --check}, {@code --color}, {@code --debug} and file names; anything else
 * ({@code --vmlinux} and its options, help, version, a repeated option, {@code -}, {@code --},
 * {@code @file}, a value picocli would refuse) returns null, and picocli reads the whole line as
 * before. What it accepts, it reads exactly as picocli does ({@code ParseArgsTest} compares the two).
 */
public final class ParseArgs {
  private ParseArgs() {
    // no instance
  }

  /**
   * The command that {@code args} ask for, with its options set as picocli would set them, or null
   * when picocli must read the line.
   *
   * @param top receives {@code --debug}
   */
  public static ParseCommand parse(String[] args, Ktriage top) {
    int i = 0;
    Set<String> seen = new HashSet<>();
    if (i < args.length && args[i].equals("--debug")) {
      seen.add("--debug");
      i++;
    }
    if (i >= args.length || !args[i].equals("parse")) {
      return null;
    }
    i++;
    ParseCommand c = new ParseCommand();
    c.top = top;
    c.vmlinux = new VmlinuxOptions();
    List<String> files = new ArrayList<>();
    while (i < args.length) {
      String a = args[i++];
      if (a.isEmpty() || a.charAt(0) == '@') {
        return null; // picocli reads @file arguments from the file
      }
      if (a.charAt(0) != '-') {
        files.add(a);
        continue;
      }
      int eq = a.indexOf('=');
      String name = a.startsWith("--") && eq > 0 ? a.substring(0, eq) : a;
      if (!seen.add(name)) {
        return null; // picocli: "should be specified only once"
      }
      switch (name) {
        case "--check", "--debug" -> {
          if (eq > 0) {
            return null;
          }
          if (name.equals("--check")) {
            c.check = true;
          }
        }
        case "--format", "--color" -> {
          String value = eq > 0 ? a.substring(eq + 1) : i < args.length ? args[i++] : null;
          if (value == null || !set(c, name, value)) {
            return null;
          }
        }
        default -> {
          return null;
        }
      }
    }
    c.files = files;
    top.debug = seen.contains("--debug");
    return c;
  }

  // Sets an enum option as picocli does with case-insensitive enum values; false if it is not one.
  private static boolean set(ParseCommand c, String option, String value) {
    String v = value.toLowerCase(Locale.ROOT);
    try {
      if (option.equals("--format")) {
        c.output.format = OutputFormat.valueOf(v);
      } else {
        c.output.color = ColorMode.valueOf(v);
      }
      return true;
    } catch (IllegalArgumentException e) {
      return false; // picocli prints its "expected one of" message
    }
  }
}
