/**
 * The facade: {@link dev.ktriage.grammar.parse.KernelLogParser} finds and parses every report of a
 * console log (scanner, island tracker, ANTLR parser over each island, builders), with
 * {@link dev.ktriage.grammar.parse.ParseStats}.
 *
 * <p>Layer: the top of the grammar module; produces {@code dev.ktriage.model} records. Never prints;
 * problems are data (corruption, diagnostics).
 */
package dev.ktriage.grammar.parse;
