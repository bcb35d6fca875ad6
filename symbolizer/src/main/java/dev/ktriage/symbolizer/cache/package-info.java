/**
 * Persistent index layer: writes and maps the per-build-id index file that makes a second run
 * against the same vmlinux start in milliseconds (see {@code IndexFormat} for the layout).
 *
 * <p>Layer: above {@code symbolize} (it serializes what the live decoder produces); must not import
 * {@code load} or any other ktriage module. Files are named by build-id, validated completely when
 * opened, and rebuilt when stale or corrupt; never trusted.
 */
package dev.ktriage.symbolizer.cache;
