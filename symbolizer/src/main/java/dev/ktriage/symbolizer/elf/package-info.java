/**
 * ELF layer: headers, sections, symbols, build-id notes, compressed sections and relocation of debug
 * sections in relocatable files.
 *
 * <p>Layer: the lowest one. It reads bytes through {@link dev.ktriage.symbolizer.elf.ByteSource} and
 * never opens files itself; it must not import the {@code dwarf}, {@code symbolize}, {@code load} or
 * {@code cache} packages, nor any other ktriage module.
 */
package dev.ktriage.symbolizer.elf;
