/**
 * Symbolization layer: kallsyms-style symbol tables, the address-to-unit index, lazily decoded
 * DWARF per unit (errors memoized), and the join of both into source frames per object.
 *
 * <p>Layer: uses {@code elf}, {@code dwarf} and the value records of the API package; must not
 * import {@code load}, {@code cache} or any other ktriage module.
 */
package dev.ktriage.symbolizer.symbolize;
