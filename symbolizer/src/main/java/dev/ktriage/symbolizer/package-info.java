/**
 * ELF and DWARF reader and the {@code Symbolizer} API.
 *
 * <p>Layer: independent of every other ktriage module (it must not import {@code dev.ktriage.model}).
 */
package dev.ktriage.symbolizer;
