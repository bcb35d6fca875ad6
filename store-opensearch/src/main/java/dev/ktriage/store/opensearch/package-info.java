/**
 * The report store on an OpenSearch cluster ({@link dev.ktriage.store.opensearch.OpenSearchReportStore}):
 * weekly report indices from a versioned template, reports as immutable documents under their content
 * fingerprint, clusters keyed by a deterministic id, the stack depot as an index keyed by stack hash.
 *
 * <p>Layer: beside depot's embedded store, implementing the same {@code ReportStore}; it uses depot's
 * signature code and query language and the report JSON codec, talks to the cluster through the
 * OpenSearch Java client only, and never prints.
 */
package dev.ktriage.store.opensearch;
