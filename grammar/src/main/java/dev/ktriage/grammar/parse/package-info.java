/**
 * Finding and parsing reports in a console log: the byte scanner that finds report banners fast,
 * the tracker that cuts each report's lines out of interleaved output ("islands"), the ANTLR
 * parser run over each island, and the builder that turns a parse tree into a {@code Report}.
 *
 * <p>Layer: above {@code dev.ktriage.grammar.log} and the generated {@code dev.ktriage.grammar} parser;
 * produces {@code dev.ktriage.model} records. Never prints; problems are data (corruption,
 * diagnostics).
 */
package dev.ktriage.grammar.parse;
