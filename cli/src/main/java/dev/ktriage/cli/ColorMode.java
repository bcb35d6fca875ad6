package dev.ktriage.cli;

import picocli.CommandLine.Help.Ansi;

/** {@code --color}: whether text output uses ANSI colour. */
enum ColorMode {
  /** Colour when stdout is a terminal and NO_COLOR is not set (picocli's heuristics). */
  auto,
  always,
  never;

  Ansi ansi() {
    return switch (this) {
      case auto -> Ansi.AUTO;
      case always -> Ansi.ON;
      case never -> Ansi.OFF;
    };
  }
}
