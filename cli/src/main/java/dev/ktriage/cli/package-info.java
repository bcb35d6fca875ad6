/**
 * The {@code ktriage} command line: picocli commands, output rendering and error reporting.
 *
 * <p>Layer: the top. Only this package talks to the terminal (data to stdout, diagnostics to stderr)
 * and only {@link dev.ktriage.cli.Main} calls {@code System.exit}. Nothing depends on it.
 */
package dev.ktriage.cli;
