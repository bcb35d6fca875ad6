/**
 * The persistent, searchable report store: an embedded Lucene index plus the stack depot snapshot.
 *
 * <p>Layer: the top of depot and the only package that imports Lucene. It orchestrates
 * {@code stack}, {@code signature} and {@code cluster}; it takes report JSON as a string (cli
 * serializes) and never prints.
 */
package dev.ktriage.depot.store;
