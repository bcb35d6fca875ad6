/**
 * Finding reports in a console log: the byte scanner that skips text without a report banner
 * ({@link dev.ktriage.grammar.scan.LogScanner}, {@link dev.ktriage.grammar.scan.BlockSummary}), and
 * the tracker that cuts each report's lines out of interleaved output into an
 * {@link dev.ktriage.grammar.scan.Island} per printk context.
 *
 * <p>Layer: above {@code dev.ktriage.grammar.log}; must not import {@code build}, {@code parse} or the
 * generated parser. Never prints.
 */
package dev.ktriage.grammar.scan;
