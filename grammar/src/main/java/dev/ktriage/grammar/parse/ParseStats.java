package dev.ktriage.grammar.parse;

import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What happened while parsing one or more logs: lines, reports, and problems that did not stop the
 * parse. The caller (cli) decides what to tell the user.
 *
 * <p>Not thread-safe.
 */
public final class ParseStats {

  /** A grammar complaint about one report; it was still returned. */
  public record SyntaxProblem(String path, long firstLine, List<String> messages) {}

  /**
   * A block that started like a crash report (a banner the scanner knows) but that no report grammar
   * could read, so no report came of it: where it starts and its first line as printed.
   */
  public record Unparsed(String path, long line, String text) {}

  // Kept per log: a caller names them all, and a log rarely holds more than a few.
  private static final int MAX_UNPARSED = 100;

  private long lines;
  private long reports;
  private long corrupted;
  private long suppressed;
  private long cutLines;
  private final List<SyntaxProblem> problems = new ArrayList<>();
  private long unparsed;
  private final List<Unparsed> unparsedBlocks = new ArrayList<>();

  void lines(long n) {
    lines += n;
  }

  void cutLines(long n) {
    cutLines += n;
  }

  void report(Report r) {
    reports++;
    if (r.corrupted()) {
      corrupted++;
    }
  }

  void suppressed(Report r) {
    if (r.suppressed()) {
      suppressed++;
    }
  }

  void syntaxProblem(String path, long line, List<String> messages) {
    if (problems.size() < 100) {
      problems.add(new SyntaxProblem(path, line, List.copyOf(messages)));
    }
  }

  void unparsed(String path, long line, String text) {
    unparsed++;
    if (unparsedBlocks.size() < MAX_UNPARSED) {
      unparsedBlocks.add(new Unparsed(path, line, text));
    }
  }

  public long lines() {
    return lines;
  }

  public long reports() {
    return reports;
  }

  public long corrupted() {
    return corrupted;
  }

  /** Reports whose log said the fuzzing machine failed ({@link Report#suppression()}). */
  public long suppressed() {
    return suppressed;
  }

  /** Lines longer than the scanner's limit, which were cut. */
  public long cutLines() {
    return cutLines;
  }

  /** Blocks that looked like a crash report but gave none ({@link Unparsed}). */
  public long unparsed() {
    return unparsed;
  }

  /** The first {@value #MAX_UNPARSED} of {@link #unparsed()}, in log order. */
  public List<Unparsed> unparsedBlocks() {
    return Collections.unmodifiableList(unparsedBlocks);
  }

  public List<SyntaxProblem> syntaxProblems() {
    return Collections.unmodifiableList(problems);
  }
}
