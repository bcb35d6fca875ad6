package dev.ktriage.grammar.parse;

import dev.ktriage.grammar.scan.BlockPipeline;
import dev.ktriage.grammar.scan.LogScanner;
import dev.ktriage.grammar.scan.LineListener;
import dev.ktriage.grammar.scan.Island;
import dev.ktriage.grammar.scan.IslandTracker;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Finds and parses every crash report in a kernel console log.
 *
 * <pre>{@code
 * KernelLogParser parser = new KernelLogParser();
 * parser.parse(inputStream, "console.log", report -> ...);   // streams: memory ~ one report
 * List<Report> reports = parser.parse(text, "-");
 * }</pre>
 *
 * <p>Any bytes are accepted: invalid UTF-8, NULs, CRLF, colour escapes, very long lines. Reports come
 * in log order; a report that was cut off or cannot be trusted is returned too, with its
 * {@link Report#corruption()} set, and so is a report of a log that says the fuzzing machine failed, with
 * its {@link Report#suppression()} set ({@link SuppressionLook}: reports wait for the end of the log, up
 * to a bound, for a suppression line after them).
 *
 * <p>Thread-safe: each call keeps its state to itself.
 */
public final class KernelLogParser {

  private final int blockSize;

  public KernelLogParser() {
    this(BlockPipeline.BLOCK);
  }

  /** With another scanner block size; tests use tiny blocks to put block boundaries everywhere. */
  KernelLogParser(int blockSize) {
    this.blockSize = blockSize;
  }

  /**
   * Parses {@code in} to its end, giving each report to {@code sink} once it is complete and the log has
   * ended (or {@link SuppressionLook#HELD} later reports are waiting).
   */
  public ParseStats parse(InputStream in, String sourcePath, Consumer<Report> sink) throws IOException {
    ParseStats stats = new ParseStats();
    parse(in, sourcePath, sink, stats);
    return stats;
  }

  /** Like {@link #parse(InputStream, String, Consumer)}, adding to existing statistics. */
  public void parse(InputStream in, String sourcePath, Consumer<Report> sink, ParseStats stats)
      throws IOException {
    IslandParser islands = new IslandParser(stats);
    SuppressionLook look = new SuppressionLook(sink, stats);
    try {
      scan(in, stats, island -> islands.parse(island, sourcePath).ifPresent(look::report), look);
    } finally {
      look.end(); // a log that could not be read to its end still gives the reports before that
    }
  }

  /**
   * The parse tree of every report island in {@code text}, printed by {@link TreePrinter}, with the
   * log line the island starts at: the grammar's goldens.
   */
  void trees(String text, BiConsumer<Long, String> sink) {
    ParseStats stats = new ParseStats();
    IslandParser islands = new IslandParser(stats);
    try {
      scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), stats,
          island -> sink.accept(island.firstLine(), TreePrinter.print(islands.tree(island, "-"))), null);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the input is in memory
    }
  }

  private void scan(InputStream in, ParseStats stats, Consumer<Island> islands, SuppressionLook look)
      throws IOException {
    IslandTracker tracker = new IslandTracker(islands);
    LineListener counting = new LineListener() {
      @Override
      public boolean wantsEveryLine() {
        return tracker.wantsEveryLine();
      }

      @Override
      public void line(long number, String text, boolean truncated) {
        if (look != null) {
          look.line(number, text);
        }
        tracker.line(number, text, truncated);
      }

      @Override
      public void skippedLongLine() {
        stats.cutLines(1);
      }

      @Override
      public void end(long lines) {
        stats.lines(lines);
        tracker.end(lines);
        stats.cutLines(tracker.cutLines());
      }
    };
    new LogScanner(counting, blockSize).scan(in);
  }

  /** Parses a log held in memory. */
  public List<Report> parse(String text, String sourcePath) {
    List<Report> out = new ArrayList<>();
    try {
      parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), sourcePath, out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen: the input is in memory
    }
    return out;
  }
}
