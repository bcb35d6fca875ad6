package dev.ktriage.depot.eval;

import dev.ktriage.model.Report;
import java.util.List;

/** Turns a log into reports for the evaluation: the grammar module's parser once it exists, else {@link MiniLogReader}. */
interface ReportReader {
  List<Report> read(String text, String path);

  static ReportReader create() {
    MiniLogReader mini = new MiniLogReader();
    return mini::read;
  }
}
