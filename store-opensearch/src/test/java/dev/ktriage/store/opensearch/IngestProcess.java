package dev.ktriage.store.opensearch;

import dev.ktriage.depot.store.IngestResult;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * One ingest process for {@link TwoIngestProcessesTest}: what {@code ktriage ingest --store URL} does
 * with a list of logs (parse each, add its reports, commit every few thousand and at the end), in a JVM
 * of its own. Arguments: comma-separated URLs, index prefix, {@code forward} or {@code reverse}, a file
 * naming one log per line. It commits every {@value #COMMIT_EVERY} reports (a few thousand reports would
 * otherwise be one commit at the end), so two processes see some of each other's reports when they add
 * them and find others only when they create them. A report's ingest time comes from its log's place in the list, so two
 * processes give the same report the same time (and weekly index) whatever order they take.
 * Prints {@code added A duplicates D} and exits 0, or fails with a stack trace.
 */
public final class IngestProcess {
  private IngestProcess() {} // no instance

  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  static final int COMMIT_EVERY = 250;

  public static void main(String[] args) throws Exception {
    List<URI> urls = Arrays.stream(args[0].split(",")).map(URI::create).toList();
    OpenSearchStoreConfig cfg = new OpenSearchStoreConfig(urls, Optional.empty(), Optional.empty(), Optional.empty(),
        args[1]);
    List<Path> logs = Files.readAllLines(Path.of(args[3]), StandardCharsets.UTF_8).stream().map(Path::of).toList();
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < logs.size(); i++) {
      order.add(i);
    }
    if (args[2].equals("reverse")) {
      Collections.reverse(order);
    }
    long added = 0;
    long duplicates = 0;
    KernelLogParser parser = new KernelLogParser();
    try (ReportStore s = OpenSearchReportStore.open(cfg, ReportStore.Mode.READ_WRITE, 1)) {
      for (int i : order) {
        Path log = logs.get(i);
        List<Report> rs = parser.parse(Files.readString(log, StandardCharsets.UTF_8), log.toString());
        for (int j = 0; j < rs.size(); j++) {
          if (s.add(rs.get(j), time(i, j)) instanceof IngestResult.Added) {
            added++;
          } else {
            duplicates++;
          }
          if ((added + duplicates) % COMMIT_EVERY == 0) {
            s.commit();
          }
        }
      }
      s.commit();
      // answered Added, then found stored by the other process when this one wrote them
      added -= s.addedByAnotherWriter();
      duplicates += s.addedByAnotherWriter();
    }
    System.out.println("added " + added + " duplicates " + duplicates);
  }

  /** The ingest time of report {@code j} of log {@code i}. */
  static Instant time(int i, int j) {
    return T0.plusSeconds(60L * i + j);
  }
}
