package dev.ktriage.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Finds the repository's testdata and runs the CLI in-process, as a user would call it. */
public final class TestLogs {
  private TestLogs() {}

  /** The repository root (surefire passes it; from an IDE the module's parent). */
  public static Path root() {
    String r = System.getProperty("ktriage.root");
    return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
  }

  public static Path logs() {
    return root().resolve("testdata/logs");
  }

  /** Every file under {@code testdata/logs} with the given ending, sorted. */
  public static List<Path> files(String ending) {
    try (Stream<Path> s = Files.walk(logs())) {
      return s.filter(p -> p.getFileName().toString().endsWith(ending)).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Writes {@code files} logs of {@code copies} demo reports each into {@code dir}, every copy with a
   * pid of its own (so each is a new report to a store); returns their paths.
   */
  public static List<String> manyReports(Path dir, int files, int copies) throws IOException {
    String demo = Files.readString(root().resolve("testdata/demo/syzkaller-console.log"));
    List<String> out = new java.util.ArrayList<>();
    for (int f = 0; f < files; f++) {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < copies; i++) {
        b.append(demo.replace("5131", Integer.toString(10_000 + f * copies + i)));
      }
      Path p = dir.resolve(String.format(java.util.Locale.ROOT, "log%03d.log", f));
      Files.writeString(p, b);
      out.add(p.toString());
    }
    return out;
  }

  /** What one run of {@code ktriage args...} printed and returned. */
  public record Run(int code, String out, String err) {}

  public static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ktriage.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }
}
