package dev.ktriage.depot.store;

import dev.ktriage.depot.cluster.Assignment;

/** What {@link ReportStore#add} did with a report. */
public sealed interface IngestResult {
  /** The report's id (its fingerprint). */
  String id();

  /**
   * The report was new and is stored (durable after the next commit).
   *
   * @param id the report id
   * @param assignment its cluster and why
   */
  record Added(String id, Assignment assignment) implements IngestResult {}

  /**
   * The store already has this report; nothing changed.
   *
   * @param id the report id
   */
  record Duplicate(String id) implements IngestResult {}
}
