package dev.ktriage.cli;

/** Entry point: runs the command line and exits with its code. */
@SuppressForbidden(reason = "the one place that ends the process with the command's exit code")
public final class Main {
  private Main() {} // no instance

  public static void main(String[] args) {
    Ktriage.Ending end;
    try {
      end = Ktriage.run(args);
    } catch (OutOfMemoryError oom) {
      // picocli passes Errors through; one line, not a stack trace. Anything committed to a store
      // before this is kept (Lucene commits are atomic).
      System.err.println(ErrorReporter.outOfMemoryMessage(oom));
      System.exit(ExitCodes.INTERNAL);
      return;
    }
    // A successful run that skipped picocli (plain addr2line and parse command lines) ends by
    // returning: its threads are daemons and done, and System.exit would first set up the
    // System.Logger machinery to log the exit (Shutdown.logRuntimeExit, JDK 21+; its cost:
    // docs/performance.md#the-launcher). Other commands may leave non-daemon threads behind
    // (Lucene's), and failures need their exit code: they keep System.exit.
    if (end.code() == ExitCodes.OK && end.quick()) {
      return;
    }
    System.exit(end.code());
  }
}
