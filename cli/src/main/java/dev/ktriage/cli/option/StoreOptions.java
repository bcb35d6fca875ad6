package dev.ktriage.cli.option;

import dev.ktriage.cli.ErrorReporter;
import dev.ktriage.cli.ExitCodes;
import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.StoreUnavailableException;
import dev.ktriage.store.opensearch.OpenSearchReportStore;
import dev.ktriage.store.opensearch.OpenSearchStoreConfig;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoreLocation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options every store command shares ({@code --store}, {@code --wait}) and how a command opens
 * the store, works on it and reports store problems: one line on stderr, exit code {@link
 * ExitCodes#STORE}. A picocli mixin.
 */
public final class StoreOptions {
  /**
   * Lucene logs through java.util.logging that the JDK's vector module is not enabled; that is
   * advice for Lucene deployments, not news for a ktriage user, so it stays out of stderr. The logger
   * is held here because java.util.logging keeps loggers only weakly.
   */
  private static final java.util.logging.Logger LUCENE_VECTOR_LOG = quiet("org.apache.lucene.internal.vectorization");

  private static java.util.logging.Logger quiet(String name) {
    java.util.logging.Logger l = java.util.logging.Logger.getLogger(name);
    l.setLevel(java.util.logging.Level.SEVERE);
    return l;
  }

  @Option(names = "--store", paramLabel = "DIR|URL",
      description = "The report store: a directory (default: $KTRIAGE_STORE, else $XDG_DATA_HOME/ktriage, else "
          + "~/.local/share/ktriage), or an OpenSearch cluster: https://host:9200 (several URLs comma-separated; "
          + "credentials from KTRIAGE_OPENSEARCH_USER/_PASSWORD/_CA or ~/.config/ktriage/opensearch.properties).")
  String store;

  @Option(names = "--wait", paramLabel = "SECONDS", arity = "0..1", fallbackValue = "600",
      description = "If another ktriage is writing to the store, wait for it (up to SECONDS, default 600) instead of failing.")
  Long waitSeconds;

  /** The store directory these options name. */
  public Path directory() {
    return StoreLocation.resolve(Optional.ofNullable(store).map(Path::of), System.getenv(),
        Path.of(System.getProperty("user.home")));
  }

  /** The cluster URLs these options name, if the store is on OpenSearch. */
  public Optional<String> cluster() {
    String v = store != null ? store : System.getenv("KTRIAGE_STORE");
    return v != null && OpenSearchStoreConfig.isUrl(v.strip()) ? Optional.of(v.strip()) : Optional.empty();
  }

  /** A store command's body, given the open store. */
  @FunctionalInterface
  public interface Body {
    int run(ReportStore store) throws Exception;
  }

  /**
   * Opens the store in {@code mode}, runs {@code body} on it and closes it. What was repaired on open
   * (a rebuilt depot snapshot) is noted on {@code err}; store problems ({@link DepotException}) go on
   * to the {@link ErrorReporter}, which makes them {@link ExitCodes#STORE}.
   */
  public int withStore(ReportStore.Mode mode, PrintWriter err, Body body) throws Exception {
    try (ReportStore store = open(mode, err)) {
      int said = store.recoveries().size();
      int code = body.run(store);
      // what a reader repaired on the way (a derived file it loaded only when the command needed it)
      List<String> later = store.recoveries();
      for (String r : later.subList(Math.min(said, later.size()), later.size())) {
        err.println("ktriage: note: " + r);
      }
      return code;
    }
  }

  private ReportStore open(ReportStore.Mode mode, PrintWriter err) throws IOException {
    LUCENE_VECTOR_LOG.fine("opening a store"); // keeps the quieted logger reachable
    Optional<String> cluster = cluster();
    if (cluster.isPresent()) {
      OpenSearchStoreConfig cfg;
      try {
        cfg = OpenSearchStoreConfig.resolve(cluster.get(), System.getenv(), Path.of(System.getProperty("user.home")));
      } catch (IllegalArgumentException e) {
        throw new StoreUnavailableException(cluster.get(), e.getMessage(), e);
      }
      // one replica: a cluster of several nodes keeps every report through the loss of one
      return OpenSearchReportStore.open(cfg, mode, 1);
    }
    Duration wait = Duration.ofSeconds(waitSeconds == null ? 0 : Math.max(0, waitSeconds));
    Path dir = directory();
    if (mode == ReportStore.Mode.READ_ONLY && !ReportStore.exists(dir)) {
      // Reads as empty, but a mistyped --store or $KTRIAGE_STORE should not pass for "no results".
      err.println("ktriage: note: no store at " + dir + " yet (ingest creates one); reading it as empty");
    }
    ReportStore s = ReportStore.open(dir, mode, wait);
    for (String r : s.recoveries()) {
      err.println("ktriage: note: " + r);
    }
    return s;
  }
}
