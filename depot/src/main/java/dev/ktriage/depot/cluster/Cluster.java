package dev.ktriage.depot.cluster;

import dev.ktriage.depot.signature.Signature;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One bug: the reports a {@link Clusterer} put together. Read it through its getters; only the
 * clusterer changes it, under its lock, so read a cluster from the thread that uses the clusterer or
 * copy what you need with {@link #snapshot()}.
 */
public final class Cluster {
  private final long id;
  private long size;
  private final Set<String> titles = new LinkedHashSet<>();
  private final Set<String> exactKeys = new LinkedHashSet<>();
  final List<Signature> exemplars = new ArrayList<>();
  final Set<String> indexedFrames = new HashSet<>();
  final Set<String> weightedFrames = new HashSet<>();

  Cluster(long id) {
    this.id = id;
  }

  /** An immutable copy of a cluster's public state. */
  public record Snapshot(long id, long size, List<String> titles, List<String> exactKeys) {
    /** The first title the cluster had: its representative. */
    public String representativeTitle() {
      return titles.isEmpty() ? "" : titles.getFirst();
    }
  }

  public long id() {
    return id;
  }

  /** Reports in the cluster. */
  public long size() {
    return size;
  }

  /** Every title and alternative title its members had, first seen first. */
  public Set<String> titles() {
    return Collections.unmodifiableSet(titles);
  }

  /** Every exact key that leads to it. */
  public Set<String> exactKeys() {
    return Collections.unmodifiableSet(exactKeys);
  }

  /** A copy. */
  public Snapshot snapshot() {
    return new Snapshot(id, size, List.copyOf(titles), List.copyOf(exactKeys));
  }

  void addMember(String title, List<String> alternatives) {
    size++;
    if (!title.isEmpty()) {
      titles.add(title);
    }
    titles.addAll(alternatives);
  }

  void restoreSize(long n) {
    size = n;
  }

  void restoreTitles(List<String> ts) {
    titles.addAll(ts);
  }

  boolean addKey(String key) {
    return exactKeys.add(key);
  }
}
