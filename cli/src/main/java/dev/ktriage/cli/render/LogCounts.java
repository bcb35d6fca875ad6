package dev.ktriage.cli.render;

import java.util.Locale;

/**
 * The words {@code parse} and {@code ingest} use for the logs that gave no report: those that held
 * no crash, and those that held something that looked like a crash (a banner the kernel prints) that
 * no grammar rule could read. Issue 16: a user must never be left without a word about either.
 */
public final class LogCounts {
  private LogCounts() {} // no instance

  /**
   * "2 of 5 logs held no crash; 1 held something that looked like a crash but could not be parsed",
   * or empty when every log gave a report.
   *
   * @param noCrash logs without a crash-like block
   * @param unparsed logs with at least one crash-like block that gave no report
   * @param logs the logs read
   */
  public static String noCrash(long noCrash, long unparsed, long logs) {
    if (noCrash == 0 && unparsed == 0) {
      return "";
    }
    String of = String.format(Locale.ROOT, "%d of %d %s ", noCrash > 0 ? noCrash : unparsed, logs,
        logs == 1 ? "log" : "logs");
    String unparsable = "held something that looked like a crash but could not be parsed";
    if (noCrash == 0) {
      return of + unparsable;
    }
    return of + "held no crash" + (unparsed > 0 ? "; " + unparsed + " " + unparsable : "");
  }
}
