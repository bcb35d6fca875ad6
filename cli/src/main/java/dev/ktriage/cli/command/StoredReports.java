package dev.ktriage.cli.command;

import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoredReport;
import java.io.IOException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a command argument names a stored report: its id, a unique id prefix, or {@code SOURCE:LINE}. */
public final class StoredReports {
  private StoredReports() {} // no instance

  private static final Pattern LOCATION = Pattern.compile("(.+):(\\d+)");

  /** The stored report {@code ref} names; an id (prefix) wins over a location. */
  static Optional<StoredReport> find(ReportStore store, String ref) throws IOException {
    Optional<StoredReport> r = store.get(ref);
    Matcher loc = LOCATION.matcher(ref);
    if (r.isEmpty() && loc.matches()) {
      r = store.getAt(loc.group(1), Long.parseLong(loc.group(2)));
    }
    return r;
  }
}
