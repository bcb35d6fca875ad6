package dev.ktriage.cli.ingest;

import java.io.PrintWriter;
import java.util.Locale;

/** The progress line on a terminal: files, reports, reports/s and ETA, redrawn in place. Not thread-safe. */
public final class Progress {
  private final PrintWriter err;
  private final int files;
  private final long bytes;
  private int width;

  public Progress(PrintWriter err, int files, long bytes) {
    this.err = err;
    this.files = files;
    this.bytes = bytes;
  }

  public void show(int done, long bytesDone, long reports, long start) {
    double sec = (System.nanoTime() - start) / 1e9;
    double rate = sec > 0 ? reports / sec : 0;
    String eta = "";
    if (bytes > 0 && bytesDone > 0) {
      long left = (long) (sec * (bytes - bytesDone) / bytesDone);
      eta = String.format(Locale.ROOT, ", ETA %d:%02d", left / 60, left % 60);
    }
    String line = String.format(Locale.ROOT, "files %d/%d, %d reports, %.0f reports/s%s", done, files, reports, rate, eta);
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    err.flush();
    width = line.length();
  }

  public void clear() {
    if (width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      err.flush();
      width = 0;
    }
  }

  /**
   * Whether we run on a terminal. Java 21's {@code System.console()} is null when not; from Java 22
   * it exists anyway and {@code isTerminal()} (not in 21's API, hence the reflection) tells.
   */
  public static boolean onTerminal() {
    java.io.Console c = System.console();
    if (c == null) {
      return false;
    }
    try {
      return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(c);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }
}
