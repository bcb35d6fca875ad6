/**
 * Stack depot, report signatures, clustering and the Lucene report store.
 *
 * <p>Layer: above the report model ({@code dev.ktriage.model}); below cli.
 */
package dev.ktriage.depot;
