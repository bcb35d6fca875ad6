/**
 * Stack normalization and the interning {@link dev.ktriage.depot.stack.StackDepot}, after the kernel's
 * {@code lib/stackdepot.c}.
 *
 * <p>Layer: the bottom of depot, above the report model and {@code io} only; must not import Lucene or
 * the other depot packages.
 */
package dev.ktriage.depot.stack;
