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
 * @param corruptedMembers corrupted reports the store placed in this cluster but a listing without
 *     corrupted reports left out of {@code reports} and {@code members}, as {@code source:line} in ingest
 *     order: kept beside the bug they belong to, out of its counts (empty when corrupted reports are counted)
 */
public record ClusterSummary(long id, long reports, Instant firstSeen, Instant lastSeen, List<String> titles,
    List<String> releases, List<String> members, List<String> memberIds, List<String> corruptedMembers) {
  public ClusterSummary {
    titles = List.copyOf(titles);
    releases = List.copyOf(releases);
    members = List.copyOf(members);
    memberIds = List.copyOf(memberIds);
    corruptedMembers = List.copyOf(corruptedMembers);
  }

  /** A cluster with no corrupted member set aside. */
  public ClusterSummary(long id, long reports, Instant firstSeen, Instant lastSeen, List<String> titles,
      List<String> releases, List<String> members, List<String> memberIds) {
    this(id, reports, firstSeen, lastSeen, titles, releases, members, memberIds, List.of());
  }

  /** This cluster with {@code corrupted} as the corrupted members set aside. */
  public ClusterSummary withCorruptedMembers(List<String> corrupted) {
    return new ClusterSummary(id, reports, firstSeen, lastSeen, titles, releases, members, memberIds, corrupted);
  }

  /** The representative title: the first one its first report had. */
  public String title() {
    return titles.isEmpty() ? "" : titles.getFirst();
  }
}
