/**
 * Benchmark drivers (the library's lookups without the CLI, for bench/symbolizer/RESULTS.md), kept in
 * test sources so that they stay out of the product jar and under the test build's API checks; run with
 * the module's test classpath ({@code java -cp symbolizer/target/test-classes:symbolizer/target/classes}).
 *
 * <p>Layer: top; uses only the public {@code dev.ktriage.symbolizer} API.
 */
package dev.ktriage.symbolizer.bench;
