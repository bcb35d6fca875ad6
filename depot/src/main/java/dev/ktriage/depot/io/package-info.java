/**
 * The framing the depot's own binary files share ({@link dev.ktriage.depot.io.ChecksummedFile}), the
 * permissions the store's files get ({@link dev.ktriage.depot.io.PrivateFiles}), and how an I/O
 * failure of the surroundings (read-only, permission, disk full) is told from damage
 * ({@link dev.ktriage.depot.io.IoFailures}).
 *
 * <p>Layer: the bottom of depot, beside the shared exceptions; imports no other depot package, so that
 * {@code stack} and {@code cluster} can both use it.
 */
package dev.ktriage.depot.io;
