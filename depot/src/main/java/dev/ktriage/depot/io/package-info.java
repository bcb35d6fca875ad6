/**
 * The framing the depot's own binary files share ({@link dev.ktriage.depot.io.ChecksummedFile}).
 *
 * <p>Layer: the bottom of depot, beside the shared exceptions; imports no other depot package, so that
 * {@code stack} and {@code cluster} can both use it.
 */
package dev.ktriage.depot.io;
