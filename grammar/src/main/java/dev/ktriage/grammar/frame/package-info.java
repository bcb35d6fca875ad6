/**
 * The syntax of one frame line, in every shape the kernel's stack dumpers and the symbolizing
 * scripts print: the one decoder that the report grammar, {@code symbolize}, {@code addr2line} and
 * the command-line fast paths share.
 *
 * <p>Layer: imports only the JDK and {@code dev.ktriage.model} (the banner vocabulary); used by
 * {@code build}, {@code scan}, the lexer's base class and cli.
 */
package dev.ktriage.grammar.frame;
