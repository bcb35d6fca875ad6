/**
 * Start-up shortcuts, kept in one place: command-line readers that skip picocli's model for the
 * everyday shapes of {@code parse} and {@code addr2line} (each checked against picocli by an oracle
 * test), the plain-frame parser and the byte writer {@code addr2line} answers through. Why each
 * exists is measured in {@code bench/} and explained in {@code docs/performance.md}.
 */
package dev.ktriage.cli.fastpath;
