package dev.ktriage.grammar.title;

import java.util.List;
import java.util.Optional;

/**
 * Which frame a hung task is blamed on (syzkaller's hang extractor, pkg/report/linux.go
 * linuxHangTaskFrameExtractor). A hung task is a victim: it sleeps where it waits for something
 * another task holds. Two waits are so common that they are buckets of their own: waiting for the
 * RTNL ({@code rtnl_lock}) and for an RCU grace period ({@code synchronize_rcu} and its kin, all
 * titled {@code synchronize_rcu}). Otherwise the task is blamed on the first frame that is not the
 * scheduler, a lock, a wait or a completion: the code that waits.
 */
public final class HangAnchors {
  private HangAnchors() {} // no instance

  /** A wait that is a bucket of its own: a frame containing {@code text} is titled {@code title}. */
  record Bucket(String text, String title, String why) {}

  static final List<Bucket> BUCKETS = List.of(
      new Bucket("rtnl_lock", "rtnl_lock", "waits for the RTNL, which one stuck holder blocks for everyone"),
      new Bucket("synchronize_rcu", "synchronize_rcu", "waits for an RCU grace period"),
      new Bucket("synchronize_srcu", "synchronize_rcu", "waits for an SRCU grace period: the same bucket"),
      new Bucket("synchronize_net", "synchronize_rcu", "networking's RCU grace-period wait"),
      new Bucket("synchronize_sched", "synchronize_rcu", "the pre-5.0 sched-RCU grace-period wait"));

  /** Substrings of frames that only wait: the scheduler, locks, completions, kthread plumbing. */
  static final List<String> WAITING = List.of("sched", "_lock", "_slowlock", "down", "rwsem", "completion",
      "kthread", "wait", "synchronize", "context_switch", "__switch_to", "cancel_delayed_work", "rcu_barrier");

  /** The hang extractor over the candidates left after the skip rules. */
  public static final FrameRecipe.Extractor HANG = candidates -> {
    for (String frame : candidates) {
      for (Bucket b : BUCKETS) {
        if (frame.contains(b.text())) {
          return Optional.of(new FrameRecipe.Pick(b.title().equals("rtnl_lock") ? frame : b.title(), frame));
        }
      }
    }
    for (String frame : candidates) {
      if (WAITING.stream().noneMatch(frame::contains)) {
        return Optional.of(new FrameRecipe.Pick(frame, frame));
      }
    }
    return Optional.empty();
  };
}
