package dev.ktriage.cli.option;

import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.Option;

/**
 * {@code --format} and {@code --color}, the same on every command that prints results. A picocli
 * mixin. Commands whose results are one object print it the same for {@code json} and
 * {@code jsonl}; commands that print a stream of objects print one per line for {@code jsonl}.
 */
public final class OutputOptions {

  @Option(names = "--format", paramLabel = "FMT",
      description = "text (default, for people), json (one document) or jsonl (one object per line).")
  public OutputFormat format = OutputFormat.text;

  @Option(names = "--color", paramLabel = "WHEN",
      description = "Colour text output: auto (default: when stdout is a terminal and NO_COLOR is not set), always, never.")
  public ColorMode color = ColorMode.auto;

  /** The chosen format. */
  public OutputFormat format() {
    return format;
  }

  /** Whether results are printed for people. */
  public boolean text() {
    return format == OutputFormat.text;
  }

  /** The ANSI mode text output uses. */
  public Ansi ansi() {
    return color.ansi();
  }
}
