package dev.ktriage.cli.option;

/** How commands print their results. */
public enum OutputFormat {
  /** For people: aligned text, colour on a terminal. */
  text,
  /** One JSON array. */
  json,
  /** JSON Lines: one object per line, for streaming into other tools. */
  jsonl
}
