package dev.ktriage.cli.ingest;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogSource;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which files {@code ingest} reads for the paths it is given: files as named, directories walked
 * (sorted, recursively), and in a syzkaller crash directory only the reports (or the logs). Stateless.
 */
public final class LogFiles {
  private LogFiles() {} // no instance

  /**
   * What a command line names.
   *
   * @param files the log files to read, in order
   * @param problems one line for each path that cannot be read (missing, an unreadable directory)
   */
  public record Found(List<String> files, List<String> problems) {}

  /**
   * The files named by {@code paths}, in order; directories expanded (sorted, recursively). A path that
   * cannot be read is a problem, not a failure: the others are still found.
   *
   * @throws InputException when the paths hold no log file and nothing went wrong
   */
  public static Found discover(List<String> paths) throws InputException, IOException {
    List<String> out = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (String p : paths) {
      if (p.equals(LogSource.STDIN)) {
        out.add(p);
        continue;
      }
      Path path = Path.of(p);
      if (!Files.exists(path)) {
        problems.add(p + ": no such file or directory");
        continue;
      }
      if (!Files.isDirectory(path)) {
        out.add(p); // an unreadable file is said when it is read
        continue;
      }
      List<Path> dirs = new ArrayList<>();
      Files.walkFileTree(path, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
          dirs.add(dir);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) {
          problems.add(file + ": " + (e instanceof AccessDeniedException ? "permission denied" : "cannot read: "
              + e.getMessage()));
          return FileVisitResult.CONTINUE;
        }
      });
      for (Path d : dirs.stream().sorted().toList()) {
        try {
          out.addAll(logsIn(d));
        } catch (AccessDeniedException e) {
          problems.add(d + ": permission denied");
        }
      }
    }
    if (out.isEmpty() && problems.isEmpty()) {
      throw new InputException("no log files in " + String.join(" ", paths));
    }
    return new Found(out, problems);
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
