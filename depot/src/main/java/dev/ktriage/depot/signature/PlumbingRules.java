package dev.ktriage.depot.signature;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Frames that are stored but do not count as "meaningful" for a signature: generic helpers that many
 * unrelated bugs pass through on their way to the bad access. The kernel analogue of ClusterFuzz's
 * ignore list, Socorro's prefix list and syzkaller's guilty-frame skip list, kept short and anchored
 * (whole-name matches), because a substring entry like syzkaller's {@code panic} also hits
 * {@code skb_panic}.
 *
 * <p>Immutable and thread-safe.
 */
public final class PlumbingRules {
  private PlumbingRules() {} // no instance

  /**
   * One rule.
   *
   * @param pattern the function names it matches (whole name)
   * @param reason why such a frame says nothing about which bug it is
   */
  public record Rule(Pattern pattern, String reason) {}

  private static Rule rule(String regex, String reason) {
    return new Rule(Pattern.compile(regex), reason);
  }

  /** The rules. */
  public static final List<Rule> RULES = List.of(
      rule("_*raw_(spin|read|write)_(un)?lock\\w*|_*(spin|read|write)_(un)?lock\\w*|do_raw_\\w+|queued_\\w+lock\\w*"
              + "|lock_acquire|lock_release|__lock_acquire|lock_is_held\\w*|mutex_(un)?lock\\w*|__mutex_\\w+"
              + "|down_(read|write)\\w*|up_(read|write)|__down\\w*|rwsem_\\w+|lockdep_\\w+|debug_lock\\w*",
          "locking: a use-after-free of a lock is reported inside the lock code; the caller holds the bug"),
      rule("(arch_|raw_)?atomic(64|_long)?_(read|set|inc|dec|add|sub|fetch|cmpxchg|try|xchg|and|or|andnot)\\w*|_*refcount_\\w+|kref_\\w+|test_and_\\w+_bit|__?(set|clear)_bit\\w*"
              + "|test_bit\\w*|cmpxchg\\w*|xchg\\w*",
          "atomics, bitops and refcounts (include/linux/atomic, refcount.h): generic, inlined everywhere"),
      rule("_*mem(cpy|set|move|cmp|chr|scan)\\w*|_*str(n?cpy|n?cmp|n?len|lcpy|scpy|chr|rchr|ncasecmp|casecmp|sep|str)\\w*"
              + "|sprintf|snprintf|vsnprintf|scnprintf|kstrdup\\w*|kmemdup\\w*|_*copy_(to|from)_user\\w*"
              + "|_*copy_\\w*_iter\\w*|_copy_\\w+|_*get_user\\w*|_*put_user\\w*|csum_partial\\w*",
          "string and user-copy helpers (lib/string.c, usercopy): the bad copy's caller is the bug"),
      rule("_*k[mzv]?alloc\\w*|_*kvmalloc\\w*|_*kmem_cache_\\w+|_*kfree\\w*|kvfree\\w*|_*vmalloc\\w*|vfree\\w*"
              + "|slab_\\w+|_*slab_\\w+|___?cache_\\w+|__?do_kmalloc\\w*|_*alloc_pages\\w*|__?free_pages\\w*"
              + "|alloc_skb\\w*|__alloc_skb|kfree_skb\\w*|consume_skb|__kfree_skb|skb_release_\\w+|kmalloc_reserve"
              + "|krealloc\\w*|__?ksize|setup_object|rcu_do_batch|rcu_core\\w*|rcu_process_callbacks|kvfree_rcu\\w*"
              + "|__?put_page|folio_put|free_unref\\w*|call_rcu\\w*",
          "allocator and RCU-callback plumbing: alloc/free stacks begin here, the allocating caller is the bug"),
      rule("__?list_(add|del)\\w*|list_\\w+_entry|hlist_\\w+|rb_(insert|erase|first|next)\\w*|__rb_\\w+|klist_\\w+"
              + "|xa_\\w+|xas_\\w+|idr_\\w+|radix_tree_\\w+",
          "container helpers (list, rbtree, xarray, idr): corrupted links are found here, not made here"),
      rule("process_one_work|worker_thread|kthread|call_timer_fn|__run_timers\\w*|run_timer_softirq|expire_timers"
              + "|task_work_run|exit_to_user_mode\\w*|syscall_exit_to_user_mode\\w*|irq_exit\\w*|__irq_exit_rcu"
              + "|do_exit|do_group_exit|get_signal|arch_do_signal_or_restart",
          "context runners at the bottom of stacks: shared by every work item, timer and exiting task"));

  /** Whether a function is plumbing. */
  public static boolean isPlumbing(String function) {
    for (Rule r : RULES) {
      if (r.pattern().matcher(function).matches()) {
        return true;
      }
    }
    return false;
  }
}
