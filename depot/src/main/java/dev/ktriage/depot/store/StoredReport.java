package dev.ktriage.depot.store;

import dev.ktriage.model.StackRole;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A report as stored.
 *
 * @param id the fingerprint (32 hex digits)
 * @param title the primary title
 * @param altTitles the alternative titles
 * @param tool {@code KASAN} or {@code KCSAN}
 * @param bugType the kernel's bug type
 * @param clusterId the cluster
 * @param source the log path as given when ingested
 * @param line the report's first line in that log
 * @param time the report's wall-clock time, else its ingest time
 * @param ingested when it was ingested
 * @param release the kernel release, or empty
 * @param handles the depot handle of each stack
 * @param assignment how it was clustered when ingested, in words
 * @param json the full report JSON as the cli serialized it; empty in search hits unless asked for
 */
public record StoredReport(String id, String title, List<String> altTitles, String tool, String bugType,
    long clusterId, String source, long line, Instant time, Instant ingested, String release,
    Map<StackRole, Integer> handles, String assignment, String json) {
  public StoredReport {
    altTitles = List.copyOf(altTitles);
    handles = Map.copyOf(handles);
  }

  /** The id people use: {@code source:line}. */
  public String location() {
    return source + ":" + line;
  }
}
