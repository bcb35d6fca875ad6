/**
 * Loading layer: the only code that touches {@link java.nio.file.Path}s and file channels. Maps
 * vmlinux files, finds and decompresses modules.
 *
 * <p>Layer: uses {@code elf}; must not import {@code dwarf}, {@code symbolize}, {@code cache} or any
 * other ktriage module.
 */
package dev.ktriage.symbolizer.load;
