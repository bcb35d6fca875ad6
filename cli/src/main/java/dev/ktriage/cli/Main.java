package dev.ktriage.cli;

/** Entry point: runs the command line and exits with its code. */
public final class Main {
  private Main() {} // no instance

  public static void main(String[] args) {
    System.exit(Ktriage.run(args));
  }
}
