package dev.ktriage.depot.eval;

import dev.ktriage.model.Report;
import dev.ktriage.grammar.parse.KernelLogParser;
import java.util.List;

/**
 * Turns a log into reports for the evaluation and the store tests: the grammar module's
 * {@link KernelLogParser}, the parser users run.
 */
interface ReportReader {
  List<Report> read(String text, String path);

  static ReportReader create() {
    KernelLogParser parser = new KernelLogParser();
    return parser::parse;
  }
}
