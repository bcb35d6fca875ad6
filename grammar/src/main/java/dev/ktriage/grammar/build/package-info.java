/**
 * Turning the parse tree of one island into a {@code dev.ktriage.model.Report}: the visitors (one per
 * report family, one for the context lines), the stack collector, and the assessor that titles the
 * report and decides whether it can be trusted.
 *
 * <p>Layer: above {@code scan}, {@code frame}, {@code title} and the generated parser; must not
 * import {@code parse}. Never prints; damaged input is data (corruption, elisions).
 */
package dev.ktriage.grammar.build;
