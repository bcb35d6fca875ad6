package dev.ktriage.grammar.parse;

import dev.ktriage.grammar.scan.Suppressions;
import dev.ktriage.model.Report;
import dev.ktriage.model.Suppression;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The log-wide look that suppression needs: syzkaller suppresses every report of a log whose output
 * holds a suppression line anywhere ({@link Suppressions}), before or after the report. Reports are held
 * back here until the log ends, so that a line after them still counts, but at most {@link #HELD} of
 * them: the parser streams in bounded memory, and a report that had to go out earlier carries what was
 * seen up to then (a log with that many reports is a long console capture, not one fuzzing run's output,
 * which is what the suppression list is about).
 *
 * <p>Not thread-safe; one instance per log.
 */
final class SuppressionLook {

  /** Reports held back at most. */
  static final int HELD = 64;

  private final Consumer<Report> sink;
  private final ParseStats stats;
  private final ArrayDeque<Report> held = new ArrayDeque<>();
  private Suppression found;

  SuppressionLook(Consumer<Report> sink, ParseStats stats) {
    this.sink = sink;
    this.stats = stats;
  }

  /** A line the scanner decoded: the first that matches a rule suppresses the log. */
  void line(long number, String text) {
    if (found == null) {
      Optional<String> why = Suppressions.reason(text);
      if (why.isPresent()) {
        found = new Suppression(why.get(), number);
      }
    }
  }

  void report(Report r) {
    held.add(r);
    if (held.size() > HELD) {
      emit(held.poll());
    }
  }

  /** The log ended (or could not be read further): every held report goes out. */
  void end() {
    while (!held.isEmpty()) {
      emit(held.poll());
    }
  }

  private void emit(Report r) {
    Report out = found == null ? r : r.withSuppression(found);
    stats.suppressed(out);
    sink.accept(out);
  }
}
