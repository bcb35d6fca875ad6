package dev.ktriage.cli.ingest;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The progress line of {@code ingest} on stderr: files, reports, reports/s and an ETA, redrawn in
 * place, and left standing with a newline at the end. Lines said in between ({@link #say}) clear it
 * first. Not thread-safe: the ingest's main thread draws it.
 */
public final class Progress {
  private final PrintWriter err;
  private final int files;
  private final long bytes;
  private final long start = System.nanoTime();
  private int width;

  /**
   * @param files how many files will be read
   * @param bytes their total size (compressed, as read), 0 when unknown (stdin): then no ETA
   */
  public Progress(PrintWriter err, int files, long bytes) {
    this.err = err;
    this.files = files;
    this.bytes = bytes;
  }

  /** Redraws the line. */
  public void show(int filesDone, long bytesRead, long reports) {
    String line = line(filesDone, bytesRead, reports);
    err.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    err.flush();
    width = line.length();
  }

  /** Prints {@code text} on a line of its own; the progress line comes back at the next {@link #show}. */
  public void say(String text) {
    if (width > 0) {
      err.print("\r" + " ".repeat(width) + "\r");
      width = 0;
    }
    err.println(text);
    err.flush();
  }

  /** Draws the line a last time and ends it with a newline. */
  public void finish(int filesDone, long bytesRead, long reports) {
    show(filesDone, bytesRead, reports);
    err.println();
    err.flush();
    width = 0;
  }

  String line(int filesDone, long bytesRead, long reports) {
    double sec = (System.nanoTime() - start) / 1e9;
    double rate = sec > 0 ? reports / sec : 0;
    String eta = "";
    if (bytes > 0 && bytesRead > 0 && bytesRead < bytes) {
      long left = (long) (sec * (bytes - bytesRead) / bytesRead);
      eta = String.format(Locale.ROOT, ", ETA %d:%02d", left / 60, left % 60);
    }
    return String.format(Locale.ROOT, "files %d/%d, %d reports, %.0f reports/s%s", filesDone, files, reports, rate, eta);
  }

  /**
   * Whether stderr is a terminal. The JDK only tells whether the process has an interactive console
   * (stdin and stdout), so this asks Linux which file descriptor 2 is; elsewhere it says no.
   */
  public static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false;
    }
  }
}
