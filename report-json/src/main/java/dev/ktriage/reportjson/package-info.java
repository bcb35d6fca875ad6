/**
 * The report JSON: what {@code parse --format json|jsonl} prints and what the stores keep, written
 * and read back with jackson-core's streaming API ({@link ReportJsonWriter}, {@link ReportJsonReader}).
 *
 * <p>Layer: above the model, below everything that stores or prints reports (depot, the OpenSearch
 * store, cli). It imports the model and jackson-core only; it never prints.
 */
package dev.ktriage.reportjson;
