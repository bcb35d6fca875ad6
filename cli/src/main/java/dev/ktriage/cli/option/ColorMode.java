package dev.ktriage.cli.option;

import picocli.CommandLine.Help.Ansi;

/** {@code --color}: whether text output uses ANSI colour. */
public enum ColorMode {
  /** Colour when stdout is a terminal and NO_COLOR is not set (picocli's heuristics). */
  auto,
  always,
  never;

  public Ansi ansi() {
    return switch (this) {
      case auto -> Ansi.AUTO;
      case always -> Ansi.ON;
      case never -> Ansi.OFF;
    };
  }
}
