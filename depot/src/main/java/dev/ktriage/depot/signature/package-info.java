/**
 * Report signatures: the bug class, the exact key and the normalized stacks that identify a bug.
 *
 * <p>Layer: above {@code dev.ktriage.depot.stack}; must not import Lucene or the cluster and store
 * packages.
 */
package dev.ktriage.depot.signature;
