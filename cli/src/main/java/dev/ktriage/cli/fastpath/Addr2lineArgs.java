package dev.ktriage.cli.fastpath;

import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.command.Addr2lineCommand;
import dev.ktriage.cli.option.VmlinuxOptions;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The command line of {@code ktriage addr2line} read without picocli, for the common plain shapes
 * only: building picocli's command model (reflection over the annotations, picocli's own classes,
 * which class data sharing cannot archive) is a large part of a run that answers a thousand frames
 * (docs/performance.md#the-launcher). Anything this reader is not sure picocli reads the same way — help, version, an unknown or
 * repeated option, {@code --}, {@code @file}, a value glued to a short option, a value or input that
 * starts with {@code -} — returns null, and picocli parses the whole line as before (its usage errors
 * and help are then picocli's own). What it accepts, it accepts exactly as picocli does
 * ({@code Addr2lineArgsTest} compares the two).
 */
public final class Addr2lineArgs {
  private Addr2lineArgs() {
    // no instance
  }

  /**
   * The command that {@code args} ask for, with its options set as picocli would set them, or null
   * when picocli must read the line.
   *
   * @param top receives {@code --debug}
   */
  public static Addr2lineCommand parse(String[] args, Ktriage top) {
    int i = 0;
    boolean debug = false;
    if (i < args.length && args[i].equals("--debug")) {
      debug = true;
      i++;
    }
    if (i >= args.length || !args[i].equals("addr2line")) {
      return null;
    }
    i++;
    Addr2lineCommand c = new Addr2lineCommand();
    VmlinuxOptions v = new VmlinuxOptions();
    c.vmlinux = v;
    c.top = top;
    Set<String> seen = new HashSet<>();
    List<String> inputs = new ArrayList<>();
    while (i < args.length) {
      String a = args[i++];
      if (a.isEmpty() || a.charAt(0) == '@') {
        return null; // picocli reads @file arguments from the file
      }
      if (a.charAt(0) != '-') {
        inputs.add(a);
        continue;
      }
      if (a.equals("--debug")) {
        if (debug) {
          return null; // given twice
        }
        debug = true;
        continue;
      }
      String name = a;
      String value = null;
      int eq = a.indexOf('=');
      if (a.startsWith("--") && eq > 0) {
        name = a.substring(0, eq);
        value = a.substring(eq + 1);
      }
      switch (name) {
        case "--vmlinux", "--exe", "-e", "--modules", "--cache", "--strip-prefix" -> {
          if (value == null) {
            if (i >= args.length) {
              return null;
            }
            value = args[i++];
          }
          if (value.isEmpty() || value.charAt(0) == '-' || value.charAt(0) == '@') {
            return null;
          }
          String key = name.equals("-e") ? "--exe" : name;
          if (!seen.add(key)) {
            return null; // picocli: "should be specified only once"
          }
          if (!set(c, v, key, value)) {
            return null;
          }
        }
        default -> {
          if (value != null || !flags(a, c, v, seen)) {
            return null;
          }
        }
      }
    }
    c.inputs = inputs;
    top.debug = debug;
    return c;
  }

  // Sets a value option; false when picocli would not take the value (not a path).
  private static boolean set(Addr2lineCommand c, VmlinuxOptions v, String option, String value) {
    if (option.equals("--strip-prefix")) {
      v.stripPrefix = value;
      return true;
    }
    Path p;
    try {
      p = Path.of(value);
    } catch (InvalidPathException e) {
      return false;
    }
    switch (option) {
      case "--vmlinux" -> v.vmlinux = p;
      case "--exe" -> c.exe = p;
      case "--modules" -> v.modules = p;
      default -> v.cache = p; // --cache
    }
    return true;
  }

  // A flag (--exact), or a cluster of addr2line's one-letter flags (-afi); false for anything else.
  private static boolean flags(String a, Addr2lineCommand c, VmlinuxOptions v, Set<String> seen) {
    if (a.startsWith("--")) {
      if (!seen.add(a)) {
        return false;
      }
      switch (a) {
        case "--functions" -> c.functions = true;
        case "--inlines" -> c.inlines = true;
        case "--addresses" -> c.addresses = true;
        case "--exact" -> c.exact = true;
        case "--no-cache" -> v.noCache = true;
        case "--raw-paths" -> v.rawPaths = true;
        default -> {
          return false;
        }
      }
      return true;
    }
    if (a.length() < 2) {
      return false;
    }
    for (int k = 1; k < a.length(); k++) {
      switch (a.charAt(k)) {
        case 'f' -> {
          if (!seen.add("--functions")) {
            return false;
          }
          c.functions = true;
        }
        case 'i' -> {
          if (!seen.add("--inlines")) {
            return false;
          }
          c.inlines = true;
        }
        case 'a' -> {
          if (!seen.add("--addresses")) {
            return false;
          }
          c.addresses = true;
        }
        default -> {
          return false;
        }
      }
    }
    return true;
  }
}
