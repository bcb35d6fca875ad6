/**
 * The {@code ktriage} command line: the entry point, the top-level command, exit codes and the one
 * place that maps exceptions to them ({@link dev.ktriage.cli.ErrorReporter}).
 *
 * <p>Layer: the top. Only the {@code cli} packages talk to the terminal (data to stdout, diagnostics
 * to stderr) and only {@link dev.ktriage.cli.Main} calls {@code System.exit}. Nothing depends on them.
 * Subpackages: {@code command} (thin picocli commands), {@code option} (shared option mixins),
 * {@code input} (opening logs), {@code render} (text and JSON output), {@code symbolize} (joining
 * parsed frames to the symbolizer), {@code ingest} (the ingest pipeline, without picocli) and
 * {@code fastpath} (start-up shortcuts that bypass picocli for the common command lines).
 * The report JSON is module {@code report-json}'s.
 */
package dev.ktriage.cli;
