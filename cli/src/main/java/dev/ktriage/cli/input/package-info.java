/**
 * Opening logs: files or stdin, gzip/xz/zstd by magic bytes, raw lines with their exact bytes, binary
 * sniffing, and the one-line descriptions of what can go wrong. A leaf: imports no other cli package.
 */
package dev.ktriage.cli.input;
