package dev.ktriage.cli.symbolize;

import dev.ktriage.symbolizer.Diagnostics;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The warnings of a symbolizing run, each said once: the symbolizer's diagnostics (which may come
 * from its worker threads) and the commands' own. They queue here and are printed to stderr by the
 * command's thread at {@link #flush}, so that a warning never lands in the middle of a line.
 *
 * <p>Thread-safe.
 */
public final class Notices implements Diagnostics {

  // A log against the wrong vmlinux can damage-report every unit it touches: a few are enough.
  private static final int MAX_PER_KIND = 5;

  private final Set<String> seen = new HashSet<>();
  private final List<String> pending = new ArrayList<>();
  private final Map<Kind, Integer> perKind = new HashMap<>();
  private final Map<Kind, Integer> dropped = new HashMap<>();
  private final Map<String, Integer> perCategory = new HashMap<>();
  private final Map<String, Integer> droppedByCategory = new java.util.LinkedHashMap<>();

  @Override
  public synchronized void report(Diagnostic d) {
    switch (d.kind()) {
      case CACHE -> warn("cache:" + d.message(), "cache: " + d.message());
      // A module's problem is said once, whatever else is said about it later.
      case MODULE -> warn("module:" + d.object(), "module " + d.object() + ": " + d.message()
          + "; its frames are left as they are");
      case CORRUPT_DEBUG_INFO -> limited(d, d.object() + ": damaged debug info (" + d.message()
          + "); frames there keep function+offset only");
      case SKIPPED -> limited(d, d.object() + ": " + d.message());
    }
  }

  private void limited(Diagnostic d, String text) {
    if (seen.contains(text)) {
      return;
    }
    int n = perKind.merge(d.kind(), 1, Integer::sum);
    if (n > MAX_PER_KIND) {
      seen.add(text);
      dropped.merge(d.kind(), 1, Integer::sum);
      return;
    }
    warn(text, text);
  }

  /**
   * Like {@link #warn}, but only the first few of a category are queued; {@link #finish} says how
   * many more there were (a batch of 100,000 lookups must not bury stderr).
   */
  public synchronized void warnLimited(String category, String key, String text) {
    if (seen.contains(key)) {
      return;
    }
    int n = perCategory.merge(category, 1, Integer::sum);
    if (n > MAX_PER_KIND) {
      seen.add(key);
      droppedByCategory.merge(category, 1, Integer::sum);
      return;
    }
    warn(key, text);
  }

  /** Queues {@code text} unless a warning with the same key was queued before. */
  synchronized void warn(String key, String text) {
    if (seen.add(key)) {
      pending.add(text);
    }
  }

  /** Prints the queued warnings as {@code ktriage: ...} lines. */
  public synchronized void flush(PrintWriter err) {
    for (String p : pending) {
      err.println("ktriage: ".concat(p)); // not +: see dev.ktriage.cli.command.Addr2lineCommand.note
    }
    pending.clear();
    err.flush();
  }

  /** Prints what is queued and how many repeated diagnostics were left out. */
  public synchronized void finish(PrintWriter err) {
    for (Map.Entry<Kind, Integer> e : dropped.entrySet()) {
      pending.add(e.getValue() + " more " + (e.getKey() == Kind.SKIPPED ? "skipped-data notes" : "debug-info problems")
          + " not shown");
    }
    dropped.clear();
    for (Map.Entry<String, Integer> e : droppedByCategory.entrySet()) {
      pending.add(new StringBuilder().append(e.getValue()).append(" more ").append(e.getKey()).append(" not shown")
          .toString());
    }
    droppedByCategory.clear();
    flush(err);
  }
}
