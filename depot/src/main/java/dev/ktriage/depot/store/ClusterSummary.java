package dev.ktriage.depot.store;

import java.time.Instant;
import java.util.List;

/**
 * A cluster as the store sees it.
 *
 * @param id the cluster id (stable; never reused)
 * @param reports how many stored reports are in it
 * @param firstSeen the earliest report time
 * @param lastSeen the latest report time
 * @param titles every title and alternative title its members had, first seen first
 * @param releases the kernel releases its reports came from, sorted
 * @param members the members as {@code source:line}, in ingest order
 * @param memberIds the members' report ids, in the same order
 */
public record ClusterSummary(long id, long reports, Instant firstSeen, Instant lastSeen, List<String> titles,
    List<String> releases, List<String> members, List<String> memberIds) {
  public ClusterSummary {
    titles = List.copyOf(titles);
    releases = List.copyOf(releases);
    members = List.copyOf(members);
    memberIds = List.copyOf(memberIds);
  }

  /** The representative title: the first one its first report had. */
  public String title() {
    return titles.isEmpty() ? "" : titles.getFirst();
  }
}
