/**
 * Benchmark drivers run by {@code bench/symbolizer/} scripts with {@code java -cp}; not part of the
 * product CLI and not used by other packages.
 *
 * <p>Layer: top; uses only the public {@code dev.ktriage.symbolizer} API.
 */
package dev.ktriage.symbolizer.bench;
