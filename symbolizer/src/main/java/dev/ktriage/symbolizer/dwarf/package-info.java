/**
 * DWARF layer: bounded section readers, unit headers, abbreviations, DIEs and forms, range lists,
 * line programs, functions and their inline trees, for DWARF 2 to 5 in 32- and 64-bit formats.
 *
 * <p>Layer: above {@code elf} but independent of it (it sees only {@link java.nio.ByteBuffer}s in a
 * {@link dev.ktriage.symbolizer.dwarf.DwarfSections}); it must not import {@code symbolize},
 * {@code load}, {@code cache} or any other ktriage module.
 */
package dev.ktriage.symbolizer.dwarf;
