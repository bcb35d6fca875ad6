/**
 * Stack depot, report signatures, clustering and the Lucene report store.
 *
 * <p>Layer: above the report model ({@code dev.ktriage.model}); below cli. Sub-packages, bottom up:
 * {@code stack} (normalization and the interning {@code StackDepot}), {@code signature} (what identifies
 * a bug), {@code cluster} (grouping reports into bugs) and {@code store} (the persistent, searchable
 * store), with {@code io} (the framing of the depot's binary files) beneath them all. Only {@code store}
 * imports Lucene; nothing here prints, exits or imports Jackson. This package holds the checked
 * exceptions all of them share.
 */
package dev.ktriage.depot;
