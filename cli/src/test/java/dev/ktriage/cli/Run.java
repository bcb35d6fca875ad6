package dev.ktriage.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs ktriage in-process on byte streams, as a user would from a shell. */
public record Run(int code, byte[] stdout, String stderr) {

  public static Run of(byte[] stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int code = Ktriage.run(args, new ByteArrayInputStream(stdin), out, new PrintWriter(err, true));
    return new Run(code, out.toByteArray(), err.toString());
  }

  public static Run of(String... args) {
    return of(new byte[0], args);
  }

  public String out() {
    return new String(stdout, StandardCharsets.UTF_8);
  }

  /** Fails unless stderr is free of Java stack traces (those are for --debug only). */
  public Run noStackTrace() {
    if (stderr.contains("\tat ") || stderr.contains("Exception")) {
      throw new AssertionError("stack trace on stderr:\n" + stderr);
    }
    return this;
  }
}
