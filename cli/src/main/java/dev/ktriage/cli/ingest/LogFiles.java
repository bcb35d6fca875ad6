package dev.ktriage.cli.ingest;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which files {@code ingest} reads for the paths it is given: files as named, directories walked
 * (sorted, recursively), and in a syzkaller crash directory only the reports (or the logs). Stateless.
 */
public final class LogFiles {
  private LogFiles() {} // no instance

  /** The files named by {@code paths}, in order; directories expanded (sorted, recursively). */
  public static List<String> discover(List<String> paths) throws InputException, IOException {
    List<String> out = new ArrayList<>();
    for (String p : paths) {
      if (p.equals(LogSource.STDIN)) {
        out.add(p);
        continue;
      }
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        throw new InputException(p + ": no such file or directory");
      }
      if (!Files.isDirectory(path)) {
        if (!Files.isReadable(path)) {
          throw new InputException(p + ": permission denied");
        }
        out.add(p);
        continue;
      }
      try (Stream<Path> walk = Files.walk(path)) {
        for (Path d : walk.filter(Files::isDirectory).sorted().toList()) {
          out.addAll(logsIn(d));
        }
      }
    }
    if (out.isEmpty()) {
      throw new InputException("no log files in " + String.join(" ", paths));
    }
    return out;
  }

  /**
   * The logs directly in one directory: a syzkaller crash dir's reports (or logs), else every visible
   * file but JSON ones.
   */
  public static List<String> logsIn(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(Files::isRegularFile).filter(f -> isLogName(f.getFileName().toString())).sorted().toList();
    }
    boolean syzkaller = files.stream().anyMatch(f -> f.getFileName().toString().equals("description"));
    if (syzkaller) {
      // syz-manager keeps crashes/<hash>/{description,logN,reportN,...}; reportN is logN's report, extracted
      // and symbolized, so reading both would store every crash twice
      List<Path> rep = files.stream().filter(f -> f.getFileName().toString().matches("report\\d*")).toList();
      files = rep.isEmpty() ? files.stream().filter(f -> f.getFileName().toString().matches("log\\d*")).toList() : rep;
    }
    return files.stream().map(Path::toString).toList();
  }

  // Hidden files are not logs; nor is JSON: ktriage's own `--format json` output (and saved reports)
  // quote whole reports in strings, so parsing it would store each report again, titled with JSON junk.
  // A file named on the command line is read whatever its name.
  private static boolean isLogName(String name) {
    return !name.startsWith(".") && !name.endsWith(".json") && !name.endsWith(".jsonl");
  }
}
