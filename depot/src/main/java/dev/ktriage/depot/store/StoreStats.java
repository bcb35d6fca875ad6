package dev.ktriage.depot.store;

import dev.ktriage.depot.stack.DepotStats;

/**
 * Sizes of a store.
 *
 * @param reports stored reports
 * @param clusters clusters with at least one report
 * @param indexBytes bytes of the Lucene index on disk
 * @param depotFileBytes bytes of the depot snapshot on disk
 * @param depot the stack depot's counters
 */
public record StoreStats(long reports, long clusters, long indexBytes, long depotFileBytes, DepotStats depot) {}
