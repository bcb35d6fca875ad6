package dev.ktriage.cli;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {} // no instance

  public static void main(String[] args) {
    int code = Ktriage.run(args);
    // A successful addr2line run that skipped picocli ends by returning: its threads are daemons
    // and done, and System.exit would first set up the System.Logger machinery to log the exit
    // (Shutdown.logRuntimeExit, JDK 21+: ~20 ms of a run that answers a thousand frames in ~0.2 s).
    // Other commands may leave non-daemon threads behind: they keep System.exit.
    if (code == ExitCodes.OK && Addr2lineArgs.parse(args, new Ktriage()) != null) {
      return;
    }
    System.exit(code);
  }
}
