package dev.ktriage.grammar.title;

import static dev.ktriage.grammar.title.SkipRule.Action.CUT_AFTER;
import static dev.ktriage.grammar.title.SkipRule.Action.DROP;
import static dev.ktriage.grammar.title.SkipRule.Action.DROP_KEEP_TITLE;
import static dev.ktriage.grammar.title.SkipRule.Action.PLUMBING;
import static dev.ktriage.grammar.title.SkipRule.Action.PLUMBING_KEEP_TITLE;
import static dev.ktriage.grammar.title.SkipRule.Action.TITLE_ONLY;
import static dev.ktriage.grammar.title.SkipRule.Match.CONTAINS;
import static dev.ktriage.grammar.title.SkipRule.Match.EXACT;
import static dev.ktriage.grammar.title.SkipRule.Match.PREFIX;
import static dev.ktriage.grammar.title.SkipRule.Match.SUFFIX;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plumbing table: which frames are not the bug, for all three of its uses.
 *
 * <ul>
 *   <li><b>Titles</b> ({@link Titler}): the guilty frame is the first of the header's function and the
 *       access stack's reliable frames that no title-skipping rule matches. These rules follow
 *       syzkaller's list (pkg/report/linux.go) so that titles agree with syzbot's, written as anchored
 *       patterns instead of substrings where syzkaller's substrings would hide code under test, and
 *       as {@link SkipRule.Action#TITLE_ONLY} substrings where titles must agree with syzbot's.
 *   <li><b>Stored stacks</b> (depot's {@code StackNormalizer}): frames of the sanitizer runtime, report
 *       printing and arch entry are dropped, interrupt entry cuts the interrupted context off.
 *   <li><b>Cluster evidence</b> (depot's {@code PlumbingRules}): the fault site, allocation and free
 *       sites and stack similarity look past plumbing to the first frame that is evidence.
 * </ul>
 *
 * <p>Each rule has one {@link SkipRule.Action} that fixes all three uses, so they cannot disagree except
 * as an action documents: {@link SkipRule.Action#TITLE_ONLY} marks syzkaller's broad patterns
 * ({@code malloc}, {@code kasan}, {@code string} as substrings, {@code krealloc} as a prefix) that also
 * match code under test ({@code kmalloc_oob_right}, {@code krealloc_more_oob_helper}): titles skip it,
 * evidence keeps it, and the family's real members are listed below by exact name or anchored prefix
 * with a plumbing action. Rules compare the name without leading underscores and compiler suffixes
 * (see {@link SkipRule#core}).
 *
 * <p>Immutable and thread-safe.
 */
public final class FrameSkipRules {
  private FrameSkipRules() {} // no instance

  private static SkipRule exact(SkipRule.Action a, String p, String why) {
    return new SkipRule(EXACT, p, a, why);
  }

  private static SkipRule prefix(SkipRule.Action a, String p, String why) {
    return new SkipRule(PREFIX, p, a, why);
  }

  private static SkipRule suffix(SkipRule.Action a, String p, String why) {
    return new SkipRule(SUFFIX, p, a, why);
  }

  private static SkipRule contains(SkipRule.Action a, String p, String why) {
    return new SkipRule(CONTAINS, p, a, why);
  }

  private static SkipRule rawPrefix(SkipRule.Action a, String p, String why) {
    return new SkipRule(SkipRule.Match.RAW_PREFIX, p, a, why);
  }

  /** One rule per name of a family, all with the family's action and reason. */
  private static List<SkipRule> family(SkipRule.Action a, SkipRule.Match m, String why, String... patterns) {
    List<SkipRule> out = new ArrayList<>(patterns.length);
    for (String p : patterns) {
      out.add(new SkipRule(m, p, a, why));
    }
    return out;
  }

  @SafeVarargs
  private static List<SkipRule> concat(List<SkipRule>... parts) {
    List<SkipRule> out = new ArrayList<>();
    for (List<SkipRule> p : parts) {
      out.addAll(p);
    }
    return List.copyOf(out);
  }

  /** The rules syzkaller's titles follow, with what stacks and evidence do with them. */
  public static final List<SkipRule> TITLE_FAMILIES = List.of(
      // --- The sanitizers themselves -----------------------------------------------------------
      contains(TITLE_ONLY, "kasan", "KASAN's runtime and report code (kasan_report, __kasan_check_read, ...)"),
      prefix(DROP, "asan_", "compiler-inserted KASAN checks (__asan_load8, __asan_report_store4_noabort)"),
      prefix(DROP, "hwasan_", "compiler-inserted software tag checks"),
      contains(TITLE_ONLY, "kmsan", "KMSAN's runtime"),
      prefix(DROP, "msan_", "compiler-inserted KMSAN hooks"),
      prefix(DROP, "tsan_", "compiler-inserted KCSAN hooks (__tsan_read4)"),
      prefix(DROP, "kcsan_", "KCSAN's runtime (kcsan_setup_watchpoint)"),
      prefix(DROP, "sanitizer_cov", "kcov's coverage callbacks (__sanitizer_cov_trace_pc)"),
      exact(DROP, "write_comp_data", "kcov's comparison recording, where a stalled cpu is often caught"),
      prefix(DROP, "check_memory_region", "KASAN's range check before 4.19"),
      exact(PLUMBING, "check_heap_object", "usercopy hardening: checks the object it was given"),
      exact(PLUMBING, "check_object", "SLUB debug: checks the object it was given"),
      prefix(PLUMBING, "check_object_size", "usercopy hardening (__check_object_size)"),
      exact(PLUMBING, "read_word_at_a_time", "word-at-a-time string helpers read past the end on purpose"),
      prefix(PLUMBING, "read_once_word_nocheck", "unchecked READ_ONCE used by the unwinder"),
      exact(PLUMBING, "fortify_report", "FORTIFY_SOURCE reporting (__fortify_report)"),
      exact(PLUMBING, "fortify_panic", "FORTIFY_SOURCE reporting"),
      // --- Printing the report ------------------------------------------------------------------
      prefix(DROP, "dump_stack", "prints the stack (dump_stack, dump_stack_lvl)"),
      prefix(DROP, "show_stack", "prints the stack"),
      prefix(DROP, "dump_backtrace", "arm/arm64 stack printing"),
      prefix(DROP, "walk_stack", "stack walking (walk_stackframe)"),
      exact(DROP, "unwind_backtrace", "arm stack walking"),
      exact(DROP, "arch_stack_walk", "stack walking"),
      prefix(DROP, "stack_trace_", "stack saving and printing"),
      prefix(DROP, "print_address_description", "KASAN's report printing"),
      prefix(DROP, "print_report", "KASAN's report printing"),
      exact(PLUMBING, "print_usage_bug", "lockdep's report printing"),
      exact(PLUMBING, "print_unlock_imbalance_bug", "lockdep's report printing"),
      exact(PLUMBING, "print_tainted", "prints the taint flags"),
      contains(PLUMBING, "printk", "printk and its helpers (vprintk_emit, _printk)"),
      exact(PLUMBING, "hex_dump_to_buffer", "hex dumps"),
      exact(PLUMBING, "print_hex_dump", "hex dumps"),
      prefix(PLUMBING, "dev_info", "dev_printk wrappers"),
      prefix(PLUMBING, "dev_notice", "dev_printk wrappers"),
      prefix(PLUMBING, "dev_warn", "dev_printk wrappers"),
      prefix(PLUMBING, "dev_err", "dev_printk wrappers"),
      prefix(PLUMBING, "dev_alert", "dev_printk wrappers"),
      prefix(PLUMBING, "dev_crit", "dev_printk wrappers"),
      prefix(PLUMBING, "dev_emerg", "dev_printk wrappers"),
      // --- String formatting: they dereference what the caller passed ---------------------------
      contains(PLUMBING, "snprintf", "snprintf, vsnprintf"),
      contains(PLUMBING, "scnprintf", "scnprintf, vscnprintf"),
      contains(PLUMBING, "kasprintf", "formatting into a new buffer"),
      contains(PLUMBING, "kvasprintf", "formatting into a new buffer"),
      exact(PLUMBING, "va_format", "the %pV handler"),
      contains(TITLE_ONLY, "string", "vsprintf's handlers (string, hex_string, escaped_string) and string helpers"),
      contains(TITLE_ONLY, "pointer", "vsprintf's %p handlers (pointer, restricted_pointer)"),
      exact(PLUMBING, "format_decode", "vsprintf's format parser"),
      // --- Bug, warning and panic machinery ----------------------------------------------------
      exact(DROP, "panic", "panic()"),
      prefix(PLUMBING, "warn", "WARN() machinery (__warn, warn_slowpath_fmt, warn_alloc, warn_bogus_irq_restore)"),
      exact(PLUMBING, "report_bug", "BUG()/WARN() trap handling"),
      exact(PLUMBING, "fixup_bug", "BUG()/WARN() trap handling"),
      exact(PLUMBING, "handle_bug", "BUG()/WARN() trap handling"),
      prefix(PLUMBING, "do_error_trap", "x86 trap handling"),
      suffix(PLUMBING, "_trap", "trap handlers (do_trap, do_int3_trap)"),
      prefix(TITLE_ONLY, "do_trap", "trap handlers named otherwise (riscv's do_trap_break); a substring would hide "
          + "drivers' own trap code (nsim_dev_trap_report_work)"),
      prefix(PLUMBING, "exc_invalid_op", "x86 #UD entry (BUG and WARN)"),
      prefix(PLUMBING, "do_invalid_op", "x86 #UD entry before 5.8"),
      exact(PLUMBING, "invalid_op", "x86 #UD entry"),
      prefix(PLUMBING, "program_check_", "powerpc trap entry (program_check_exception, program_check_common)"),
      // --- The allocator: a bad access in it is the caller's bad pointer ------------------------
      contains(TITLE_ONLY, "malloc", "kmalloc, vmalloc, kvmalloc and wrappers (sock_kmalloc, __kmalloc_node)"),
      contains(TITLE_ONLY, "zalloc", "kzalloc, vzalloc and wrappers (devm_kzalloc, pcpu_mem_zalloc)"),
      contains(TITLE_ONLY, "calloc", "kcalloc, kvcalloc"),
      prefix(TITLE_ONLY, "krealloc", "krealloc"),
      prefix(TITLE_ONLY, "kmem_cache", "slab caches (kmem_cache_alloc, kmem_cache_free)"),
      exact(PLUMBING, "allocate_slab", "slab allocation"),
      contains(TITLE_ONLY, "slab_", "slab internals and hooks (slab_alloc_node, ___slab_alloc, memcg_slab_free_hook)"),
      exact(PLUMBING, "new_slab", "slab allocation"),
      contains(TITLE_ONLY, "alloc_page", "page allocation (alloc_pages, __alloc_pages_node)"),
      prefix(PLUMBING, "alloc_frozen_pages", "page allocation"),
      prefix(PLUMBING, "folio_alloc", "folio allocation"),
      exact(PLUMBING, "folio_unlock", "folio locking"),
      exact(PLUMBING, "filemap_alloc_folio", "page cache allocation"),
      exact(PLUMBING, "filemap_get_folio", "page cache lookup"),
      exact(PLUMBING, "find_or_create_page", "page cache lookup"),
      exact(PLUMBING, "do_read_cache_folio", "page cache reads"),
      prefix(PLUMBING, "read_cache_page", "page cache reads"),
      exact(PLUMBING, "pagecache_get_page", "page cache lookup"),
      exact(PLUMBING, "grab_cache_page_write_begin", "page cache writes"),
      exact(PLUMBING, "kfree", "kfree: frees what it was given"),
      exact(PLUMBING, "kvfree", "kvfree: frees what it was given"),
      contains(PLUMBING, "kfree_skb", "frees the skb it was given (kfree_skb_list, dev_kfree_skb_any)"),
      contains(PLUMBING, "memdup", "duplicating a buffer (memdup_user, kmemdup_nul)"),
      // --- Locking ----------------------------------------------------------------------------
      contains(PLUMBING, "lockdep", "the lock validator"),
      prefix(PLUMBING, "lock_acquire", "the lock validator"),
      prefix(PLUMBING, "lock_release", "the lock validator"),
      contains(PLUMBING, "lock_class", "the lock validator (register_lock_class, look_up_lock_class)"),
      prefix(PLUMBING, "mark_lock", "the lock validator"),
      exact(PLUMBING, "mark_held_locks", "the lock validator"),
      exact(PLUMBING, "reacquire_held_locks", "the lock validator"),
      prefix(PLUMBING, "raw_spin_rq", "scheduler runqueue locks"),
      contains(TITLE_ONLY, "spin_lock", "spinlocks (_raw_spin_lock_irqsave, do_raw_spin_lock)"),
      contains(TITLE_ONLY, "spin_trylock", "spinlocks"),
      contains(TITLE_ONLY, "spin_unlock", "spinlocks"),
      contains(TITLE_ONLY, "read_lock", "rwlocks (_raw_read_lock)"),
      contains(TITLE_ONLY, "read_trylock", "rwlocks"),
      contains(TITLE_ONLY, "write_lock", "rwlocks"),
      contains(TITLE_ONLY, "write_trylock", "rwlocks"),
      contains(TITLE_ONLY, "read_unlock", "rwlocks"),
      contains(TITLE_ONLY, "write_unlock", "rwlocks"),
      exact(PLUMBING, "down", "semaphores"),
      contains(TITLE_ONLY, "down_read", "rw semaphores (down_read_killable, rwsem_down_read_slowpath)"),
      contains(TITLE_ONLY, "down_write", "rw semaphores"),
      prefix(PLUMBING, "down_trylock", "semaphores"),
      prefix(PLUMBING, "up_read", "rw semaphores"),
      prefix(PLUMBING, "up_write", "rw semaphores"),
      prefix(PLUMBING, "mutex_", "mutexes"),
      prefix(PLUMBING, "rt_mutex_", "rt mutexes"),
      exact(PLUMBING, "owner_on_cpu", "mutex spinning"),
      prefix(PLUMBING, "osq_lock", "optimistic spinning"),
      prefix(PLUMBING, "osq_unlock", "optimistic spinning"),
      contains(TITLE_ONLY, "bh_enable", "softirq enabling (local_bh_enable, __local_bh_enable_ip)"),
      contains(TITLE_ONLY, "bh_disable", "softirq disabling"),
      prefix(PLUMBING, "trace_hardirqs", "irq state tracing"),
      prefix(PLUMBING, "trace_softirqs", "irq state tracing"),
      prefix(PLUMBING, "lock_page", "page locks"),
      prefix(PLUMBING, "unlock_page", "page locks"),
      prefix(PLUMBING, "lock_timer_base", "timer locking"),
      // --- Atomics and bit operations ----------------------------------------------------------
      prefix(PLUMBING, "atomic_inc", "atomic operations"),
      prefix(PLUMBING, "atomic_dec", "atomic operations"),
      prefix(PLUMBING, "atomic_read", "atomic operations"),
      prefix(PLUMBING, "atomic_set", "atomic operations"),
      prefix(PLUMBING, "atomic_or", "atomic operations"),
      prefix(PLUMBING, "atomic_xor", "atomic operations"),
      prefix(PLUMBING, "atomic_and", "atomic operations"),
      prefix(PLUMBING, "atomic_add", "atomic operations"),
      prefix(PLUMBING, "atomic_sub", "atomic operations"),
      prefix(PLUMBING, "atomic_fetch", "atomic operations"),
      prefix(PLUMBING, "atomic_xchg", "atomic operations"),
      prefix(PLUMBING, "atomic_cmpxchg", "atomic operations"),
      prefix(PLUMBING, "atomic_try", "atomic operations (atomic_try_cmpxchg)"),
      prefix(PLUMBING, "atomic64_", "64-bit atomic operations"),
      prefix(PLUMBING, "arch_atomic", "atomic operations"),
      prefix(PLUMBING, "raw_atomic", "atomic operations"),
      contains(TITLE_ONLY, "set_bit", "bit operations (set_bit, test_and_set_bit)"),
      contains(TITLE_ONLY, "clear_bit", "bit operations (clear_bit_unlock)"),
      contains(TITLE_ONLY, "change_bit", "bit operations"),
      contains(TITLE_ONLY, "test_bit", "bit operations (test_bit_acquire)"),
      prefix(PLUMBING, "test_and_", "bit operations"),
      prefix(PLUMBING, "refcount_", "refcounts: the bug is in whoever holds the reference"),
      prefix(PLUMBING, "kref_", "refcounts"),
      prefix(PLUMBING, "ref_tracker", "reference tracking"),
      prefix(PLUMBING, "seqprop_assert", "seqlock assertions"),
      // --- Memory and string helpers: they touch what the caller passed -----------------------
      contains(TITLE_ONLY, "memcpy", "memcpy and variants (__memcpy, memcpy_erms)"),
      contains(TITLE_ONLY, "memcmp", "memcmp"),
      contains(TITLE_ONLY, "memset", "memset"),
      contains(TITLE_ONLY, "memchr", "memchr"),
      contains(TITLE_ONLY, "memmove", "memmove"),
      contains(TITLE_ONLY, "strcmp", "string helpers"),
      contains(TITLE_ONLY, "strncmp", "string helpers"),
      contains(TITLE_ONLY, "strcpy", "string helpers"),
      contains(TITLE_ONLY, "strlcpy", "string helpers"),
      contains(TITLE_ONLY, "strncpy", "string helpers (strncpy_from_user)"),
      contains(TITLE_ONLY, "strscpy", "string helpers"),
      contains(TITLE_ONLY, "strlen", "string helpers"),
      contains(TITLE_ONLY, "strstr", "string helpers"),
      contains(TITLE_ONLY, "strnstr", "string helpers"),
      contains(TITLE_ONLY, "strnlen", "string helpers (strnlen_user)"),
      contains(TITLE_ONLY, "strchr", "string helpers"),
      contains(TITLE_ONLY, "strdup", "string duplication (kstrdup, strdup_user)"),
      contains(TITLE_ONLY, "strndup", "string duplication (kstrndup)"),
      // --- User copies --------------------------------------------------------------------------
      contains(PLUMBING, "copy_to_user", "user copies (_copy_to_user, raw_copy_to_user)"),
      contains(PLUMBING, "copy_from_user", "user copies"),
      contains(PLUMBING, "copy_to_iter", "iov_iter copies (csum_and_copy_to_iter)"),
      contains(PLUMBING, "copy_from_iter", "iov_iter copies"),
      exact(PLUMBING, "copyin", "iov_iter copies"),
      exact(PLUMBING, "copyout", "iov_iter copies"),
      prefix(PLUMBING, "put_user", "user copies (__put_user_4)"),
      prefix(PLUMBING, "get_user", "user copies (__get_user_nocheck_8, get_user_pages)"),
      prefix(PLUMBING, "might_fault", "might_fault annotation"),
      prefix(PLUMBING, "might_sleep", "might_sleep annotation"),
      prefix(PLUMBING, "might_resched", "might_sleep annotation"),
      // --- Lists and trees ---------------------------------------------------------------------
      contains(TITLE_ONLY, "list_add", "list helpers (list_add, hlist_add_head, __list_add_valid)"),
      contains(TITLE_ONLY, "list_del", "list helpers"),
      contains(TITLE_ONLY, "list_replace", "list helpers"),
      contains(TITLE_ONLY, "list_move", "list helpers"),
      contains(TITLE_ONLY, "list_splice", "list helpers"),
      prefix(TITLE_ONLY, "rb_", "rbtree helpers (rb_erase, rb_insert_color)"),
      prefix(PLUMBING, "klist_", "klist helpers"),
      prefix(PLUMBING, "rhashtable_lookup", "rhashtable lookups"),
      prefix(PLUMBING, "xas_start", "xarray walking (syzkaller: xas_(start|load|find))"),
      prefix(PLUMBING, "xas_load", "xarray walking"),
      prefix(PLUMBING, "xas_find", "xarray walking"),
      exact(PLUMBING, "find_lock_entries", "page cache truncation walks"),
      exact(PLUMBING, "truncate_inode_pages_range", "page cache truncation"),
      // --- Indirection and address translation -------------------------------------------------
      contains(PLUMBING, "indirect_thunk", "retpolines (__x86_indirect_thunk_rax)"),
      exact(PLUMBING, "phys_addr", "virt-to-phys debugging (__phys_addr)"),
      // --- Timers, work, completions: they fire or cancel what they were given ------------------
      contains(TITLE_ONLY, "del_timer", "timers (del_timer_sync, try_to_del_timer_sync)"),
      prefix(PLUMBING, "timer_delete_sync", "timers"),
      prefix(PLUMBING, "mod_timer", "timers"),
      exact(PLUMBING, "sk_stop_timer_sync", "socket timers"),
      exact(PLUMBING, "timer_is_static_object", "debugobjects"),
      exact(PLUMBING, "work_is_static_object", "debugobjects"),
      prefix(PLUMBING, "debug_object", "debugobjects"),
      prefix(PLUMBING, "flush_work", "workqueues (flush_work, flush_workqueue)"),
      prefix(PLUMBING, "cancel_work_timer", "workqueues"),
      exact(PLUMBING, "cancel_work_sync", "workqueues"),
      exact(PLUMBING, "try_to_grab_pending", "workqueues"),
      exact(PLUMBING, "drain_workqueue", "workqueues"),
      exact(PLUMBING, "destroy_workqueue", "workqueues"),
      contains(TITLE_ONLY, "queue_work", "workqueues (queue_work_on, __queue_work, queue_work_node)"),
      exact(PLUMBING, "insert_work", "workqueues"),
      exact(PLUMBING, "queue_delayed_work", "workqueues (__queue_delayed_work)"),
      exact(PLUMBING, "queue_delayed_work_on", "workqueues"),
      exact(PLUMBING, "finish_wait", "wait queues"),
      rawPrefix(PLUMBING, "__wake_up", "wait queues (__wake_up_common_lock); wake_up_process is not one"),
      exact(PLUMBING, "complete", "completions"),
      prefix(PLUMBING, "wait_for_completion", "completions"),
      prefix(PLUMBING, "kthread_stop", "kthread teardown (kthread_stop_put)"),
      exact(PLUMBING, "cleanup_srcu_struct", "SRCU teardown"),
      // --- Device and object teardown: they drop what they were given -------------------------
      prefix(PLUMBING, "kobject_", "kobjects"),
      exact(PLUMBING, "add_uevent_var", "uevents"),
      exact(PLUMBING, "get_device_parent", "device model"),
      contains(TITLE_ONLY, "device_add", "device model (device_add, cdev_device_add)"),
      contains(TITLE_ONLY, "device_del", "device model (device_del, cdev_device_del)"),
      contains(TITLE_ONLY, "device_unregister", "device model"),
      contains(TITLE_ONLY, "device_destroy", "device model"),
      contains(TITLE_ONLY, "device_release", "device model (device_release_driver)"),
      exact(PLUMBING, "devres_release_all", "device model"),
      prefix(PLUMBING, "device_for_each_child", "device model"),
      exact(PLUMBING, "put_device", "device model"),
      prefix(PLUMBING, "device_remove_file", "device model"),
      prefix(PLUMBING, "sysfs_remove", "sysfs"),
      contains(TITLE_ONLY, "sysfs_remove", "syzkaller's substring: wrappers of sysfs removal (dpm_sysfs_remove)"),
      exact(PLUMBING, "hwrng_unregister", "hwrng teardown"),
      exact(PLUMBING, "i2c_del_adapter", "i2c teardown"),
      exact(PLUMBING, "unregister_client", "i2c teardown (__unregister_client)"),
      prefix(PLUMBING, "rollback_registered", "netdev teardown"),
      prefix(PLUMBING, "unregister_netdev", "netdev teardown"),
      exact(PLUMBING, "tty_unregister_device", "tty teardown"),
      exact(PLUMBING, "dummy_urb_enqueue", "usb dummy hcd"),
      exact(PLUMBING, "usb_kill_urb", "usb urbs"),
      exact(PLUMBING, "usb_kill_anchored_urbs", "usb urbs"),
      exact(PLUMBING, "usb_control_msg", "usb urbs"),
      exact(PLUMBING, "usb_hcd_submit_urb", "usb urbs"),
      exact(PLUMBING, "usb_submit_urb", "usb urbs"),
      exact(PLUMBING, "ida_free", "ida"),
      exact(PLUMBING, "iput", "inode references"),
      exact(PLUMBING, "mark_buffer_dirty", "marks the buffer it was given: a warning in it is the caller's buffer"),
      exact(PLUMBING, "iput_final", "inode references"),
      exact(PLUMBING, "ihold", "inode references"),
      exact(PLUMBING, "dput", "dentry references"),
      exact(PLUMBING, "fast_dput", "dentry references"),
      exact(PLUMBING, "drop_nlink", "inode link counts"),
      exact(PLUMBING, "get_taint", "taint query"),
      // --- MMIO accessors and checksums: they touch what the driver passed ---------------------
      suffix(TITLE_ONLY, "readb", "MMIO reads"),
      suffix(TITLE_ONLY, "readw", "MMIO reads"),
      suffix(TITLE_ONLY, "readl", "MMIO reads"),
      suffix(TITLE_ONLY, "readq", "MMIO reads"),
      suffix(TITLE_ONLY, "writeb", "MMIO writes"),
      suffix(TITLE_ONLY, "writew", "MMIO writes"),
      suffix(TITLE_ONLY, "writel", "MMIO writes"),
      suffix(TITLE_ONLY, "writeq", "MMIO writes"),
      prefix(PLUMBING, "logic_in", "logic PIO"),
      prefix(PLUMBING, "logic_out", "logic PIO"),
      prefix(PLUMBING, "crc", "checksums (crc32_le, crc_itu_t)"),
      exact(PLUMBING, "assertfail", "assertion helpers"),
      prefix(PLUMBING, "extract_user_to_sg", "scatterlist extraction"),
      prefix(PLUMBING, "extract_iter_to_sg", "scatterlist extraction"),
      prefix(PLUMBING, "perf_trace", "tracepoint glue"),
      // --- arm64 fault entry (the path a fault takes before the faulting code's frame) ----------
      prefix(DROP, "do_kernel_fault", "arm64 fault entry"),
      prefix(DROP, "do_translation_fault", "arm64 fault entry"),
      exact(DROP, "do_mem_abort", "arm64 fault entry"),
      exact(DROP, "el1_abort", "arm64 fault entry"),
      prefix(DROP, "el1h_64_sync", "arm64 fault entry"));

  /** Stack and evidence rules beyond syzkaller's title list: none of them changes a title. */
  public static final List<SkipRule> STACK_AND_EVIDENCE_FAMILIES = concat(
      // --- Stack rules: what stored stacks drop or cut, and evidence never counts ----------------------
      family(DROP, PREFIX, "the KASAN runtime (mm/kasan/*.c): checks, report entry, alloc/free track recording, "
              + "poisoning, quarantine; by its entry points' names, so other code whose name starts with kasan_ "
              + "(a test's own functions) stays evidence",
          "kasan_report", "kasan_check_", "kasan_save_", "kasan_set_track", "kasan_record_aux_stack", "kasan_slab_",
          "kasan_kmalloc", "kasan_krealloc", "kasan_kfree_large", "kasan_poison", "kasan_unpoison", "kasan_mempool_",
          "kasan_populate_", "kasan_byte_accessible", "kasan_addr_to_", "kasan_complete_mode_report_info",
          "kasan_enable_current", "kasan_disable_current", "kasan_find_first_bad_addr", "kasan_print_",
          "kasan_metadata_fetch_row", "kasan_init_", "kasan_alloc_pages", "kasan_free_pages", "kasan_cache_",
          "kasan_quarantine_", "kasan_get_", "kasan_non_canonical_hook"),
      family(DROP_KEEP_TITLE, PREFIX, "the KASAN runtime (mm/kasan/generic.c, quarantine.c)",
          "memory_is_poisoned", "quarantine_"),
      family(DROP_KEEP_TITLE, EXACT, "the KASAN runtime's helpers (mm/kasan/generic.c, quarantine.c; "
              + "save_stack/set_track before 5.8)",
          "check_region_inline", "qlist_free_all", "qlink_free", "save_stack", "set_track"),
      family(DROP, PREFIX, "the KMSAN runtime (mm/kmsan/*.c)",
          "kmsan_"),
      family(DROP_KEEP_TITLE, PREFIX, "UBSAN handlers (lib/ubsan.c): which one fires depends on the check, not the "
              + "bug",
          "ubsan_"),
      family(DROP_KEEP_TITLE, PREFIX, "include/linux/instrumented.h wrappers (inlined): sanitizer hooks around "
              + "atomics, bitops and copies",
          "instrument_"),
      family(DROP_KEEP_TITLE, PREFIX, "the unwinder recording or printing a stack (lib/stackdepot.c, arch unwinders)",
          "stack_depot_save", "save_stack_trace", "unwind_"),
      family(DROP_KEEP_TITLE, EXACT, "the unwinder recording a stack (arm return_address)",
          "return_address"),
      family(DROP_KEEP_TITLE, EXACT, "report printing (mm/kasan/report.c, mm/slub.c, kernel/sched/core.c, "
              + "lib/dump_stack.c, kernel/panic.c): the same for every report",
          "sched_show_task", "show_regs", "print_error_description", "print_track", "print_memory_metadata",
          "print_trailer", "print_section", "start_report", "end_report", "check_panic_on_warn"),
      family(DROP_KEEP_TITLE, PREFIX, "KASAN's object description (mm/kasan/report.c describe_object, "
              + "describe_object_addr, describe_object_stacks)",
          "describe_object"),
      family(DROP_KEEP_TITLE, EXACT, "fault entry that delivered a KASAN tag-check fault, a page fault or a general "
              + "protection fault (arch/arm64/mm/fault.c, arch/x86/mm/fault.c, arch/x86/kernel/traps.c): the same for "
              + "every bug",
          "do_bad_area", "do_tag_check_fault", "report_tag_fault", "do_sea", "exc_page_fault",
          "asm_exc_page_fault", "page_fault_oops", "kernelmode_fixup_or_oops", "do_user_addr_fault",
          "handle_page_fault", "exc_general_protection", "asm_exc_general_protection"),
      family(DROP_KEEP_TITLE, PREFIX, "architecture syscall and kthread entry glue (arch/*/entry): differs per arch "
              + "and config, says nothing about the bug",
          "entry_SYSCALL_64", "entry_SYSENTER_compat", "el0_svc", "el0t_64_sync", "el0_sync", "do_el0_svc",
          "system_call", "ret_from_fork"),
      family(DROP_KEEP_TITLE, EXACT, "architecture syscall entry glue (arch/*/entry): differs per arch and config, "
              + "says nothing about the bug",
          "do_syscall_64", "do_syscall_x64", "do_syscall_32_irqs_on", "do_fast_syscall_32", "entry_INT80_compat",
          "invoke_syscall", "ret_fast_syscall", "vector_swi", "do_syscall", "x64_sys_call", "ia32_sys_call"),
      family(CUT_AFTER, EXACT, "interrupt entry (.irqentry.text/.softirqentry.text): lib/stackdepot.c "
              + "filter_irq_stacks() cuts here because what was interrupted is unrelated to the bug",
          "do_softirq", "handle_softirqs", "do_softirq_own_stack", "common_interrupt", "asm_common_interrupt",
          "spurious_interrupt", "smp_apic_timer_interrupt", "apic_timer_interrupt", "do_IRQ", "el0_interrupt",
          "el1_interrupt", "gic_handle_irq", "handle_arch_irq", "call_on_irq_stack", "do_interrupt_handler"),
      family(CUT_AFTER, PREFIX, "interrupt entry (.irqentry.text): lib/stackdepot.c filter_irq_stacks() cuts here",
          "sysvec_", "asm_sysvec_", "el1h_64_irq", "el0t_64_irq"),
      // --- Evidence rules: the real members of families whose title patterns are broad -----------------
      family(PLUMBING, EXACT, "the slab, page and vmalloc allocators' entry points (mm/slab_common.c, mm/slub.c, "
              + "mm/util.c, mm/vmalloc.c, mm/page_alloc.c): a bad pointer passed to them is the caller's bug",
          "kmalloc", "kmalloc_node", "kmalloc_trace", "kmalloc_node_trace", "kmalloc_large", "kmalloc_large_node",
          "kmalloc_array", "kmalloc_array_node", "kmalloc_node_track_caller", "kmalloc_reserve", "kmalloc_slab",
          "kmalloc_order", "kmalloc_order_trace", "do_kmalloc_node", "kcalloc", "kcalloc_node", "kzalloc",
          "kzalloc_node", "kvmalloc", "kvmalloc_node", "kvzalloc", "kvzalloc_node", "kvcalloc", "kvmalloc_array",
          "krealloc", "krealloc_array", "free_large_kmalloc", "kmem_cache_alloc", "kmem_cache_alloc_node",
          "kmem_cache_alloc_lru", "kmem_cache_alloc_trace", "kmem_cache_alloc_node_trace", "kmem_cache_alloc_bulk",
          "kmem_cache_zalloc", "kmem_cache_free", "kmem_cache_free_bulk", "kmem_cache_destroy",
          "kmem_cache_create", "kmem_cache_create_usercopy", "kmem_cache_shrink", "kmem_cache_release",
          "kmem_cache_shutdown", "vmalloc", "vzalloc", "vmalloc_node", "vzalloc_node", "vmalloc_user",
          "vmalloc_32", "vmalloc_array", "vcalloc", "vmalloc_node_range", "alloc_pages", "alloc_pages_node",
          "alloc_pages_exact", "alloc_page_interleave", "kstrdup", "kstrndup", "kstrdup_const", "strndup_user"),
      family(PLUMBING_KEEP_TITLE, EXACT, "the slab, page and vmalloc allocators' entry points (mm/slab_common.c, "
              + "mm/slub.c, mm/util.c, mm/vmalloc.c, mm/page_alloc.c): a bad pointer passed to them is the caller's "
              + "bug",
          "kvrealloc", "ksize", "kfree_sensitive", "kzfree", "kvfree_sensitive", "kfree_large", "setup_object",
          "vfree", "vfree_atomic", "vunmap", "vmap", "get_free_pages", "get_zeroed_page", "free_pages",
          "free_pages_exact", "free_unref_page", "free_unref_page_list", "free_the_page", "free_one_page",
          "free_pages_ok", "put_page", "folio_put"),
      family(PLUMBING, PREFIX, "slab internals and hooks (mm/slub.c, mm/slab.c, mm/memcontrol.c)",
          "slab_", "memcg_slab_"),
      family(PLUMBING_KEEP_TITLE, SUFFIX, "allocator entry points under memory allocation profiling "
              + "(include/linux/alloc_tag.h, 6.10+: kmalloc_noprof, kmem_cache_alloc_noprof)",
          "_noprof"),
      family(PLUMBING_KEEP_TITLE, EXACT, "RCU callback invocation (kernel/rcu/tree.c): the bottom of every free "
              + "stack of an RCU-freed object",
          "rcu_do_batch", "rcu_core", "rcu_core_si", "rcu_process_callbacks", "call_rcu", "kvfree_call_rcu",
          "kfree_rcu_work", "kfree_rcu_monitor"),
      family(PLUMBING_KEEP_TITLE, EXACT, "socket buffer allocation and freeing (net/core/skbuff.c): the skb's owner "
              + "is the bug",
          "alloc_skb", "alloc_skb_with_frags", "alloc_skb_fclone", "netdev_alloc_skb", "napi_alloc_skb",
          "build_skb", "consume_skb", "skb_release_data", "skb_release_head_state", "skb_release_all",
          "skb_free_head"),
      family(PLUMBING, PREFIX, "spinlocks and rwlocks (kernel/locking/spinlock.c, qspinlock.c, qrwlock.c, "
              + "include/linux/spinlock*.h)",
          "spin_lock", "spin_unlock", "spin_trylock", "read_lock", "read_unlock", "read_trylock", "write_lock",
          "write_unlock", "write_trylock"),
      family(PLUMBING_KEEP_TITLE, PREFIX, "spinlocks and rwlocks (kernel/locking/spinlock.c, qspinlock.c, qrwlock.c, "
              + "include/linux/spinlock*.h)",
          "raw_spin_", "raw_read_", "raw_write_", "do_raw_spin_", "do_raw_read_", "do_raw_write_", "queued_spin_",
          "queued_read_", "queued_write_", "native_queued_spin_"),
      family(PLUMBING, PREFIX, "sleeping locks and RCU read sections (kernel/locking/rwsem.c, "
              + "include/linux/rcupdate.h)",
          "down_read", "down_write", "rcu_read_lock", "rcu_read_unlock"),
      family(PLUMBING_KEEP_TITLE, PREFIX, "sleeping locks and RCU read sections (kernel/locking/rwsem.c, "
              + "include/linux/rcupdate.h)",
          "rwsem_"),
      family(PLUMBING, EXACT, "softirq enabling and disabling (kernel/softirq.c)",
          "local_bh_enable", "local_bh_disable", "local_bh_enable_ip"),
      family(PLUMBING, PREFIX, "bit operations (include/asm-generic/bitops/*.h, arch bitops): generic, inlined "
              + "everywhere",
          "set_bit", "clear_bit", "change_bit", "test_bit", "arch_set_bit", "arch_clear_bit", "arch_change_bit",
          "arch_test_bit"),
      family(PLUMBING, EXACT, "memory helpers (lib/string.c, arch/x86/lib/memcpy_64.S, memset_64.S): they touch what "
              + "the caller passed",
          "memcpy", "memmove", "memset", "memcmp", "memchr", "memchr_inv"),
      family(PLUMBING_KEEP_TITLE, EXACT, "memory helpers (lib/string.c, arch/x86/lib/memcpy_64.S, memset_64.S): they "
              + "touch what the caller passed",
          "memscan", "bcmp"),
      family(PLUMBING, PREFIX, "arch and I/O variants of the memory helpers (memcpy_erms, memcpy_orig, memcpy_toio, "
              + "memset_erms)",
          "memcpy_", "memset_", "memmove_"),
      family(PLUMBING, EXACT, "string helpers (lib/string.c): they touch what the caller passed",
          "strcpy", "strncpy", "strlcpy", "strscpy", "strscpy_pad", "strcmp", "strncmp", "strchr", "strchrnul",
          "strlen", "strnlen", "strstr", "strnstr", "strncpy_from_user", "strnlen_user"),
      family(PLUMBING_KEEP_TITLE, EXACT, "string helpers (lib/string.c): they touch what the caller passed",
          "strcat", "strncat", "strlcat", "strcasecmp", "strncasecmp", "strrchr", "strnchr", "strspn", "strcspn",
          "strpbrk", "strsep"),
      family(PLUMBING, EXACT, "vsprintf's handlers (lib/vsprintf.c): they dereference what the format's caller "
              + "passed",
          "string", "string_nocheck", "hex_string", "escaped_string", "widen_string", "pointer",
          "restricted_pointer", "symbol_string", "resource_string", "mac_address_string", "ip_addr_string",
          "uuid_string"),
      family(PLUMBING_KEEP_TITLE, EXACT, "vsprintf's handlers (lib/vsprintf.c): they dereference what the format's "
              + "caller passed",
          "dentry_name", "bdev_name", "ptr_to_id"),
      family(PLUMBING, PREFIX, "list helpers and their debug checks (include/linux/list.h, lib/list_debug.c): "
              + "corrupted links are found here, not made here",
          "list_add", "list_del", "list_replace", "list_move", "list_splice", "hlist_add", "hlist_del",
          "hlist_replace", "hlist_move"),
      family(PLUMBING, EXACT, "rbtree helpers (lib/rbtree.c, include/linux/rbtree*.h); not the ring buffer's rb_* "
              + "functions",
          "rb_insert_color", "rb_erase", "rb_first", "rb_last", "rb_next", "rb_prev", "rb_replace_node",
          "rb_replace_node_rcu", "rb_first_postorder", "rb_next_postorder", "rb_insert_augmented",
          "rb_erase_color", "rb_rotate_set_parents", "rb_change_child", "rb_set_parent", "rb_link_node", "rb_add",
          "rb_add_cached", "rb_find", "rb_find_add", "rb_insert_color_cached", "rb_erase_cached"),
      family(PLUMBING_KEEP_TITLE, PREFIX, "xarray, idr and radix tree helpers (lib/xarray.c, lib/idr.c, "
              + "lib/radix-tree.c): entries are found here, not freed here",
          "xa_", "xas_", "idr_", "radix_tree_"),
      family(PLUMBING, EXACT, "timer deletion and work queueing (kernel/time/timer.c, kernel/workqueue.c): they act "
              + "on what they were given",
          "del_timer", "del_timer_sync", "try_to_del_timer_sync", "queue_work", "queue_work_on", "queue_work_node"),
      family(PLUMBING, EXACT, "device model teardown (drivers/base/core.c, fs/char_dev.c): they drop what they were "
              + "given",
          "device_add", "cdev_device_add", "device_del", "cdev_device_del", "device_unregister", "device_destroy",
          "device_release", "device_release_driver", "device_release_driver_internal"),
      family(PLUMBING, EXACT, "MMIO accessors (include/asm-generic/io.h, lib/iomap.c): they touch what the driver "
              + "passed",
          "readb", "readw", "readl", "readq", "writeb", "writew", "writel", "writeq", "raw_readb", "raw_readw",
          "raw_readl", "raw_readq", "raw_writeb", "raw_writew", "raw_writel", "raw_writeq"),
      family(PLUMBING_KEEP_TITLE, EXACT, "MMIO accessors (include/asm-generic/io.h, lib/iomap.c): they touch what "
              + "the driver passed",
          "ioread8", "ioread16", "ioread32", "ioread64", "iowrite8", "iowrite16", "iowrite32", "iowrite64"));

  /**
   * Every rule for every report kind: the title families syzkaller follows (with what stacks and evidence
   * do with them), then the stack and evidence families.
   */
  public static final List<SkipRule> COMMON = concat(TITLE_FAMILIES, STACK_AND_EVIDENCE_FAMILIES);


  /**
   * Extra rules for KASAN access reports. Hardware tag-based KASAN reports its faults through the
   * arm64 MTE fault path, which prints these frames above the faulting function.
   */
  public static final List<SkipRule> KASAN_ACCESS = List.of(
      contains(TITLE_ONLY, "kernel_fault", "arm64 fault entry (__do_kernel_fault)"),
      contains(TITLE_ONLY, "tag_check", "MTE tag checks (do_tag_check_fault)"),
      contains(TITLE_ONLY, "mem_abort", "arm64 fault entry"),
      prefix(TITLE_ONLY, "el1_", "arm64 exception entry"),
      prefix(TITLE_ONLY, "el1h_", "arm64 exception entry"));

  /** Extra rules for KASAN's free reports: the freeing functions are where the bad free is noticed. */
  public static final List<SkipRule> KASAN_FREE = List.of(
      contains(TITLE_ONLY, "kfree", "kfree and variants (kfree_sensitive, kvfree)"),
      contains(TITLE_ONLY, "vunmap", "vmalloc freeing"),
      contains(TITLE_ONLY, "vfree", "vmalloc freeing"));

  /**
   * Extra rules for KMSAN's uninit-value reports: a value found uninitialized inside a generic helper
   * (skb allocation, netlink plumbing, a cipher) is its caller's bug.
   */
  public static final List<SkipRule> KMSAN_UNINIT = List.of(
      contains(TITLE_ONLY, "alloc_skb", "skb allocation: the uninitialized bytes are the caller's"),
      prefix(TITLE_ONLY, "netlink_ack", "netlink replies copy the request they acknowledge"),
      prefix(TITLE_ONLY, "netlink_rcv_skb", "netlink dispatch"),
      suffix(TITLE_ONLY, "_encrypt", "cipher implementations (aes_encrypt, xts_encrypt) encrypt what they are given"),
      prefix(TITLE_ONLY, "crypto_", "the crypto API's dispatch (crypto_skcipher_encrypt)"),
      prefix(TITLE_ONLY, "cipher_", "single-block cipher helpers (cipher_crypt_one)"),
      prefix(TITLE_ONLY, "drbg_", "the DRBG random generator: its input is the caller's"),
      prefix(TITLE_ONLY, "rng_", "the crypto RNG's setkey and reset"));

  /** Extra rules for KMSAN's kernel-infoleak reports: the copy to user space is where the leak is seen. */
  public static final List<SkipRule> KMSAN_INFOLEAK = List.of(
      contains(TITLE_ONLY, "copy_to_user", "copy_to_user and its arch helpers"),
      contains(TITLE_ONLY, "copy_to_iter", "iov_iter copies to user space (_copy_to_iter, simple_copy_to_iter)"),
      contains(TITLE_ONLY, "copy_page_to_iter", "page-cache copies to user space"),
      contains(TITLE_ONLY, "copyout", "the iov_iter copy primitive"),
      contains(TITLE_ONLY, "put_user", "single-value copies to user space"));

  /** Extra rules for KMSAN's kernel-usb-infoleak reports: the URB submission is where the leak is seen. */
  public static final List<SkipRule> KMSAN_USB = List.of(
      exact(TITLE_ONLY, "usb_submit_urb", "submits the buffer the driver filled"),
      exact(TITLE_ONLY, "usb_start_wait_urb", "synchronous URB helper"),
      exact(TITLE_ONLY, "usb_bulk_msg", "synchronous bulk transfer helper"),
      exact(TITLE_ONLY, "usb_interrupt_msg", "synchronous interrupt transfer helper"),
      exact(TITLE_ONLY, "usb_control_msg", "synchronous control transfer helper"),
      contains(TITLE_ONLY, "alloc_skb", "skb allocation: the origin's caller made the buffer"));

  /**
   * Extra rules for UBSAN reports: the handlers and their helpers print the report above the code
   * that did the undefined thing (ubsan_epilogue, __ubsan_handle_add_overflow, handle_overflow).
   */
  public static final List<SkipRule> UBSAN = List.of(
      contains(TITLE_ONLY, "ubsan", "lib/ubsan.c's handlers and report printing"),
      contains(TITLE_ONLY, "overflow", "lib/ubsan.c's overflow handlers (handle_overflow)"));

  private static final SkipRule[] TITLE_SKIPS = COMMON.stream().filter(r -> r.action().titleSkips())
      .toArray(SkipRule[]::new);
  private static final SkipRule[] STACK_RULES = COMMON.stream()
      .filter(r -> r.action().stack() != SkipRule.StackUse.KEEP).toArray(SkipRule[]::new);
  private static final SkipRule[] NOT_EVIDENCE = COMMON.stream().filter(r -> !r.action().evidence())
      .toArray(SkipRule[]::new);

  /**
   * Whether the title's guilty frame skips {@code function}: a title-skipping rule of {@link #COMMON} or
   * one of {@code extra} (a report kind's own list) matches.
   */
  public static boolean titleSkips(String function, List<SkipRule> extra) {
    String core = SkipRule.core(function); // once, not once per rule: there are hundreds of rules
    for (SkipRule r : TITLE_SKIPS) {
      if (r.matches(function, core)) {
        return true;
      }
    }
    for (SkipRule r : extra) {
      if (r.action().titleSkips() && r.matches(function, core)) {
        return true;
      }
    }
    return false;
  }

  /** The rule that makes a stored stack drop or cut at {@code function}, if any (the first in table order). */
  public static Optional<SkipRule> stackRule(String function) {
    String core = SkipRule.core(function);
    for (SkipRule r : STACK_RULES) {
      if (r.matches(function, core)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** The first rule that makes {@code function} plumbing for cluster evidence, if any. */
  public static Optional<SkipRule> plumbingRule(String function) {
    String core = SkipRule.core(function);
    for (SkipRule r : NOT_EVIDENCE) {
      if (r.matches(function, core)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code function} is plumbing for cluster evidence (not the bug's site, allocation or caller). */
  public static boolean isPlumbing(String function) {
    return plumbingRule(function).isPresent();
  }
}
