package dev.ktriage.cli.input;

import dev.ktriage.cli.input.xz.CorruptXzException;
import java.io.EOFException;
import java.io.IOException;
import java.util.zip.ZipException;

/** One-line descriptions of the errors reading a log can raise. Stateless. */
public final class LogErrors {
  private LogErrors() {} // no instance

  /** Whether {@code e} comes from a decompressor meeting bad or missing data (not from reading the file). */
  static boolean isDecompression(IOException e) {
    return e instanceof ZipException || e instanceof EOFException || e instanceof CorruptXzException
        || e.getClass().getName().contains("XZ")
        || e.getClass().getPackageName().startsWith("org.tukaani.xz") || e.getClass().getName().contains("Zstd");
  }

  /** What went wrong, for {@code ktriage: <file>: <description>}. */
  public static String describe(IOException e) {
    String m = e.getMessage();
    if (e instanceof ZipException || e instanceof CorruptXzException || e.getClass().getName().contains("XZ")
        || e.getClass().getName().contains("Zstd")) {
      return "corrupt compressed data (" + m + ")";
    }
    if (e instanceof EOFException) {
      return "compressed data ends early";
    }
    return m == null ? e.getClass().getSimpleName() : m;
  }
}
