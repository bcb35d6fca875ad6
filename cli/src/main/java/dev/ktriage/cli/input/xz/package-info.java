/**
 * An xz decoder that gives out every byte the compressed data determines, also when the data is cut
 * short: XZ for Java reads a whole LZMA2 chunk (up to 64 KiB compressed, 2 MiB of log) before it
 * decodes any of it, so a log cut inside a chunk lost the whole chunk, and a log smaller than one chunk
 * (most single crash logs) gave nothing. Here the range decoder reads the chunk's bytes one at a time,
 * so the output of a cut file is what {@code xz -dc} prints of it. The container (streams, blocks,
 * index, integrity checks) and LZMA2/LZMA are decoded here after the xz file format 1.2.1 and the LZMA
 * specification; the BCJ and delta filters that may precede LZMA2 come from XZ for Java's public API.
 * A leaf: imports nothing of ktriage.
 */
package dev.ktriage.cli.input.xz;
