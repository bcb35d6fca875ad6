package dev.ktriage.depot.store;

import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.reportjson.ReportJsonWriter;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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
 * @param corrupted whether the parser marked the report corrupted
 * @param report the full report as it was added; absent in search hits unless asked for
 */
public record StoredReport(String id, String title, List<String> altTitles, String tool, String bugType,
    long clusterId, String source, long line, Instant time, Instant ingested, String release,
    Map<StackRole, Integer> handles, String assignment, boolean corrupted, Optional<Report> report) {
  public StoredReport {
    altTitles = List.copyOf(altTitles);
    handles = Map.copyOf(handles);
    Objects.requireNonNull(report);
  }

  private static final ReportJsonWriter JSON = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);

  /** The id people use: {@code source:line}. */
  public String location() {
    return source + ":" + line;
  }

  /** The report's JSON ({@link ReportJsonWriter}), or empty when the report was not loaded. */
  public String json() {
    return report.map(JSON::toJson).orElse("");
  }

  /** This stored report without its full report (search hits that were not asked for it). */
  public StoredReport withoutReport() {
    return new StoredReport(id, title, altTitles, tool, bugType, clusterId, source, line, time, ingested, release,
        handles, assignment, corrupted, Optional.empty());
  }
}
