package dev.ktriage.grammar.title;

import static dev.ktriage.grammar.title.SkipRule.Match.CONTAINS;
import static dev.ktriage.grammar.title.SkipRule.Match.EXACT;
import static dev.ktriage.grammar.title.SkipRule.Match.PREFIX;
import static dev.ktriage.grammar.title.SkipRule.Match.SUFFIX;

import java.util.List;

/**
 * Frames that are never the guilty frame: the sanitizer and the code that prints the report, the
 * allocator, locking, string and memory helpers, list and tree helpers, user copies, and teardown
 * helpers that only pass on a bad pointer they were given. The guilty frame is the first frame of the
 * access stack that no rule here matches.
 *
 * <p>Each rule names the family and says why. Rules compare the name without leading underscores
 * and compiler suffixes (see {@link SkipRule#core}); they are anchored unless the word cannot be part
 * of a real bug site. The families follow syzkaller's list (pkg/report/linux.go) so that titles agree
 * with syzbot's, written as anchored patterns instead of substrings: syzkaller's {@code "panic"} also
 * hides {@code skb_panic}, ours does not.
 */
public final class FrameSkipRules {
  private FrameSkipRules() {} // no instance

  private static SkipRule exact(String p, String why) {
    return new SkipRule(EXACT, p, why);
  }

  private static SkipRule prefix(String p, String why) {
    return new SkipRule(PREFIX, p, why);
  }

  private static SkipRule suffix(String p, String why) {
    return new SkipRule(SUFFIX, p, why);
  }

  private static SkipRule contains(String p, String why) {
    return new SkipRule(CONTAINS, p, why);
  }

  private static SkipRule rawPrefix(String p, String why) {
    return new SkipRule(SkipRule.Match.RAW_PREFIX, p, why);
  }

  /** Rules for every report kind. */
  public static final List<SkipRule> COMMON = List.of(
      // --- The sanitizers themselves -----------------------------------------------------------
      contains("kasan", "KASAN's runtime and report code (kasan_report, __kasan_check_read, ...)"),
      prefix("asan_", "compiler-inserted KASAN checks (__asan_load8, __asan_report_store4_noabort)"),
      prefix("hwasan_", "compiler-inserted software tag checks"),
      contains("kmsan", "KMSAN's runtime"),
      prefix("msan_", "compiler-inserted KMSAN hooks"),
      prefix("tsan_", "compiler-inserted KCSAN hooks (__tsan_read4)"),
      prefix("kcsan_", "KCSAN's runtime (kcsan_setup_watchpoint)"),
      prefix("sanitizer_cov", "kcov's coverage callbacks (__sanitizer_cov_trace_pc)"),
      prefix("check_memory_region", "KASAN's range check before 4.19"),
      exact("check_heap_object", "usercopy hardening: checks the object it was given"),
      exact("check_object", "SLUB debug: checks the object it was given"),
      prefix("check_object_size", "usercopy hardening (__check_object_size)"),
      exact("read_word_at_a_time", "word-at-a-time string helpers read past the end on purpose"),
      prefix("read_once_word_nocheck", "unchecked READ_ONCE used by the unwinder"),
      exact("fortify_report", "FORTIFY_SOURCE reporting (__fortify_report)"),
      exact("fortify_panic", "FORTIFY_SOURCE reporting"),
      // --- Printing the report ------------------------------------------------------------------
      prefix("dump_stack", "prints the stack (dump_stack, dump_stack_lvl)"),
      prefix("show_stack", "prints the stack"),
      prefix("dump_backtrace", "arm/arm64 stack printing"),
      prefix("walk_stack", "stack walking (walk_stackframe)"),
      exact("unwind_backtrace", "arm stack walking"),
      exact("arch_stack_walk", "stack walking"),
      prefix("stack_trace_", "stack saving and printing"),
      prefix("print_address_description", "KASAN's report printing"),
      prefix("print_report", "KASAN's report printing"),
      exact("print_usage_bug", "lockdep's report printing"),
      exact("print_unlock_imbalance_bug", "lockdep's report printing"),
      exact("print_tainted", "prints the taint flags"),
      contains("printk", "printk and its helpers (vprintk_emit, _printk)"),
      exact("hex_dump_to_buffer", "hex dumps"),
      exact("print_hex_dump", "hex dumps"),
      prefix("dev_info", "dev_printk wrappers"),
      prefix("dev_notice", "dev_printk wrappers"),
      prefix("dev_warn", "dev_printk wrappers"),
      prefix("dev_err", "dev_printk wrappers"),
      prefix("dev_alert", "dev_printk wrappers"),
      prefix("dev_crit", "dev_printk wrappers"),
      prefix("dev_emerg", "dev_printk wrappers"),
      // --- String formatting: they dereference what the caller passed ---------------------------
      contains("snprintf", "snprintf, vsnprintf"),
      contains("scnprintf", "scnprintf, vscnprintf"),
      contains("kasprintf", "formatting into a new buffer"),
      contains("kvasprintf", "formatting into a new buffer"),
      exact("va_format", "the %pV handler"),
      contains("string", "vsprintf's handlers (string, hex_string, escaped_string) and string helpers"),
      contains("pointer", "vsprintf's %p handlers (pointer, restricted_pointer)"),
      exact("format_decode", "vsprintf's format parser"),
      // --- Bug, warning and panic machinery ----------------------------------------------------
      exact("panic", "panic()"),
      prefix("warn", "WARN() machinery (__warn, warn_slowpath_fmt, warn_alloc, warn_bogus_irq_restore)"),
      exact("report_bug", "BUG()/WARN() trap handling"),
      exact("fixup_bug", "BUG()/WARN() trap handling"),
      exact("handle_bug", "BUG()/WARN() trap handling"),
      prefix("do_error_trap", "x86 trap handling"),
      suffix("_trap", "trap handlers (do_trap, do_int3_trap)"),
      prefix("exc_invalid_op", "x86 #UD entry (BUG and WARN)"),
      prefix("do_invalid_op", "x86 #UD entry before 5.8"),
      exact("invalid_op", "x86 #UD entry"),
      prefix("program_check_", "powerpc trap entry (program_check_exception, program_check_common)"),
      // --- The allocator: a bad access in it is the caller's bad pointer ------------------------
      contains("malloc", "kmalloc, vmalloc, kvmalloc and wrappers (sock_kmalloc, __kmalloc_node)"),
      contains("zalloc", "kzalloc, vzalloc and wrappers (devm_kzalloc, pcpu_mem_zalloc)"),
      contains("calloc", "kcalloc, kvcalloc"),
      prefix("krealloc", "krealloc"),
      prefix("kmem_cache", "slab caches (kmem_cache_alloc, kmem_cache_free)"),
      exact("allocate_slab", "slab allocation"),
      contains("slab_", "slab internals and hooks (slab_alloc_node, ___slab_alloc, memcg_slab_free_hook)"),
      exact("new_slab", "slab allocation"),
      contains("alloc_page", "page allocation (alloc_pages, __alloc_pages_node)"),
      prefix("alloc_frozen_pages", "page allocation"),
      prefix("folio_alloc", "folio allocation"),
      exact("folio_unlock", "folio locking"),
      exact("filemap_alloc_folio", "page cache allocation"),
      exact("filemap_get_folio", "page cache lookup"),
      exact("find_or_create_page", "page cache lookup"),
      exact("do_read_cache_folio", "page cache reads"),
      prefix("read_cache_page", "page cache reads"),
      exact("pagecache_get_page", "page cache lookup"),
      exact("grab_cache_page_write_begin", "page cache writes"),
      exact("kfree", "kfree: frees what it was given"),
      exact("kvfree", "kvfree: frees what it was given"),
      contains("kfree_skb", "frees the skb it was given (kfree_skb_list, dev_kfree_skb_any)"),
      contains("memdup", "duplicating a buffer (memdup_user, kmemdup_nul)"),
      // --- Locking ----------------------------------------------------------------------------
      contains("lockdep", "the lock validator"),
      prefix("lock_acquire", "the lock validator"),
      prefix("lock_release", "the lock validator"),
      contains("lock_class", "the lock validator (register_lock_class, look_up_lock_class)"),
      prefix("mark_lock", "the lock validator"),
      exact("mark_held_locks", "the lock validator"),
      exact("reacquire_held_locks", "the lock validator"),
      prefix("raw_spin_rq", "scheduler runqueue locks"),
      contains("spin_lock", "spinlocks (_raw_spin_lock_irqsave, do_raw_spin_lock)"),
      contains("spin_trylock", "spinlocks"),
      contains("spin_unlock", "spinlocks"),
      contains("read_lock", "rwlocks (_raw_read_lock)"),
      contains("read_trylock", "rwlocks"),
      contains("write_lock", "rwlocks"),
      contains("write_trylock", "rwlocks"),
      contains("read_unlock", "rwlocks"),
      contains("write_unlock", "rwlocks"),
      exact("down", "semaphores"),
      contains("down_read", "rw semaphores (down_read_killable, rwsem_down_read_slowpath)"),
      contains("down_write", "rw semaphores"),
      prefix("down_trylock", "semaphores"),
      prefix("up_read", "rw semaphores"),
      prefix("up_write", "rw semaphores"),
      prefix("mutex_", "mutexes"),
      prefix("rt_mutex_", "rt mutexes"),
      exact("owner_on_cpu", "mutex spinning"),
      prefix("osq_lock", "optimistic spinning"),
      prefix("osq_unlock", "optimistic spinning"),
      contains("bh_enable", "softirq enabling (local_bh_enable, __local_bh_enable_ip)"),
      contains("bh_disable", "softirq disabling"),
      prefix("trace_hardirqs", "irq state tracing"),
      prefix("trace_softirqs", "irq state tracing"),
      prefix("lock_page", "page locks"),
      prefix("unlock_page", "page locks"),
      prefix("lock_timer_base", "timer locking"),
      // --- Atomics and bit operations ----------------------------------------------------------
      prefix("atomic_inc", "atomic operations"),
      prefix("atomic_dec", "atomic operations"),
      prefix("atomic_read", "atomic operations"),
      prefix("atomic_set", "atomic operations"),
      prefix("atomic_or", "atomic operations"),
      prefix("atomic_xor", "atomic operations"),
      prefix("atomic_and", "atomic operations"),
      prefix("atomic_add", "atomic operations"),
      prefix("atomic_sub", "atomic operations"),
      prefix("atomic_fetch", "atomic operations"),
      prefix("atomic_xchg", "atomic operations"),
      prefix("atomic_cmpxchg", "atomic operations"),
      prefix("atomic_try", "atomic operations (atomic_try_cmpxchg)"),
      prefix("atomic64_", "64-bit atomic operations"),
            prefix("arch_atomic", "atomic operations"),
      prefix("raw_atomic", "atomic operations"),
      contains("set_bit", "bit operations (set_bit, test_and_set_bit)"),
      contains("clear_bit", "bit operations (clear_bit_unlock)"),
      contains("change_bit", "bit operations"),
      contains("test_bit", "bit operations (test_bit_acquire)"),
      prefix("test_and_", "bit operations"),
      prefix("refcount_", "refcounts: the bug is in whoever holds the reference"),
      prefix("kref_", "refcounts"),
      prefix("ref_tracker", "reference tracking"),
      prefix("seqprop_assert", "seqlock assertions"),
      // --- Memory and string helpers: they touch what the caller passed -----------------------
      contains("memcpy", "memcpy and variants (__memcpy, memcpy_erms)"),
      contains("memcmp", "memcmp"),
      contains("memset", "memset"),
      contains("memchr", "memchr"),
      contains("memmove", "memmove"),
      contains("strcmp", "string helpers"),
      contains("strncmp", "string helpers"),
      contains("strcpy", "string helpers"),
      contains("strlcpy", "string helpers"),
      contains("strncpy", "string helpers (strncpy_from_user)"),
      contains("strscpy", "string helpers"),
      contains("strlen", "string helpers"),
      contains("strstr", "string helpers"),
      contains("strnstr", "string helpers"),
      contains("strnlen", "string helpers (strnlen_user)"),
      contains("strchr", "string helpers"),
      contains("strdup", "string duplication (kstrdup, strdup_user)"),
      contains("strndup", "string duplication (kstrndup)"),
      // --- User copies --------------------------------------------------------------------------
      contains("copy_to_user", "user copies (_copy_to_user, raw_copy_to_user)"),
      contains("copy_from_user", "user copies"),
      contains("copy_to_iter", "iov_iter copies (csum_and_copy_to_iter)"),
      contains("copy_from_iter", "iov_iter copies"),
                        exact("copyin", "iov_iter copies"),
      exact("copyout", "iov_iter copies"),
      prefix("put_user", "user copies (__put_user_4)"),
      prefix("get_user", "user copies (__get_user_nocheck_8, get_user_pages)"),
      prefix("might_fault", "might_fault annotation"),
      prefix("might_sleep", "might_sleep annotation"),
      prefix("might_resched", "might_sleep annotation"),
      // --- Lists and trees ---------------------------------------------------------------------
      contains("list_add", "list helpers (list_add, hlist_add_head, __list_add_valid)"),
      contains("list_del", "list helpers"),
      contains("list_replace", "list helpers"),
      contains("list_move", "list helpers"),
      contains("list_splice", "list helpers"),
      prefix("rb_", "rbtree helpers (rb_erase, rb_insert_color)"),
      prefix("klist_", "klist helpers"),
      prefix("rhashtable_lookup", "rhashtable lookups"),
      prefix("xas_start", "xarray walking (syzkaller: xas_(start|load|find))"),
      prefix("xas_load", "xarray walking"),
      prefix("xas_find", "xarray walking"),
      exact("find_lock_entries", "page cache truncation walks"),
      exact("truncate_inode_pages_range", "page cache truncation"),
      // --- Indirection and address translation -------------------------------------------------
      contains("indirect_thunk", "retpolines (__x86_indirect_thunk_rax)"),
      exact("phys_addr", "virt-to-phys debugging (__phys_addr)"),
      // --- Timers, work, completions: they fire or cancel what they were given ------------------
      contains("del_timer", "timers (del_timer_sync, try_to_del_timer_sync)"),
      prefix("timer_delete_sync", "timers"),
      prefix("mod_timer", "timers"),
      exact("sk_stop_timer_sync", "socket timers"),
      exact("timer_is_static_object", "debugobjects"),
      exact("work_is_static_object", "debugobjects"),
      prefix("debug_object", "debugobjects"),
      prefix("flush_work", "workqueues (flush_work, flush_workqueue)"),
      prefix("cancel_work_timer", "workqueues"),
      exact("cancel_work_sync", "workqueues"),
      exact("try_to_grab_pending", "workqueues"),
      exact("drain_workqueue", "workqueues"),
      exact("destroy_workqueue", "workqueues"),
      contains("queue_work", "workqueues (queue_work_on, __queue_work, queue_work_node)"),
      exact("insert_work", "workqueues"),
      exact("queue_delayed_work", "workqueues (__queue_delayed_work)"),
      exact("queue_delayed_work_on", "workqueues"),
      exact("finish_wait", "wait queues"),
      rawPrefix("__wake_up", "wait queues (__wake_up_common_lock); wake_up_process is not one"),
      exact("complete", "completions"),
      prefix("wait_for_completion", "completions"),
      prefix("kthread_stop", "kthread teardown (kthread_stop_put)"),
      exact("cleanup_srcu_struct", "SRCU teardown"),
      // --- Device and object teardown: they drop what they were given -------------------------
      prefix("kobject_", "kobjects"),
      exact("add_uevent_var", "uevents"),
      exact("get_device_parent", "device model"),
      contains("device_add", "device model (device_add, cdev_device_add)"),
      contains("device_del", "device model (device_del, cdev_device_del)"),
      contains("device_unregister", "device model"),
      contains("device_destroy", "device model"),
      contains("device_release", "device model (device_release_driver)"),
      exact("devres_release_all", "device model"),
      prefix("device_for_each_child", "device model"),
      exact("put_device", "device model"),
      prefix("device_remove_file", "device model"),
      prefix("sysfs_remove", "sysfs"),
      exact("hwrng_unregister", "hwrng teardown"),
      exact("i2c_del_adapter", "i2c teardown"),
      exact("unregister_client", "i2c teardown (__unregister_client)"),
      prefix("rollback_registered", "netdev teardown"),
      prefix("unregister_netdev", "netdev teardown"),
      exact("tty_unregister_device", "tty teardown"),
      exact("dummy_urb_enqueue", "usb dummy hcd"),
      exact("usb_kill_urb", "usb urbs"),
      exact("usb_kill_anchored_urbs", "usb urbs"),
      exact("usb_control_msg", "usb urbs"),
      exact("usb_hcd_submit_urb", "usb urbs"),
      exact("usb_submit_urb", "usb urbs"),
      exact("ida_free", "ida"),
      exact("iput", "inode references"),
      exact("iput_final", "inode references"),
      exact("ihold", "inode references"),
      exact("dput", "dentry references"),
      exact("fast_dput", "dentry references"),
      exact("drop_nlink", "inode link counts"),
      exact("get_taint", "taint query"),
      // --- MMIO accessors and checksums: they touch what the driver passed ---------------------
      suffix("readb", "MMIO reads"),
      suffix("readw", "MMIO reads"),
      suffix("readl", "MMIO reads"),
      suffix("readq", "MMIO reads"),
      suffix("writeb", "MMIO writes"),
      suffix("writew", "MMIO writes"),
      suffix("writel", "MMIO writes"),
      suffix("writeq", "MMIO writes"),
      prefix("logic_in", "logic PIO"),
      prefix("logic_out", "logic PIO"),
      prefix("crc", "checksums (crc32_le, crc_itu_t)"),
      exact("assertfail", "assertion helpers"),
      prefix("extract_user_to_sg", "scatterlist extraction"),
      prefix("extract_iter_to_sg", "scatterlist extraction"),
      prefix("perf_trace", "tracepoint glue"),
      // --- arm64 fault entry (the path a fault takes before the faulting code's frame) ----------
      prefix("do_kernel_fault", "arm64 fault entry"),
      prefix("do_translation_fault", "arm64 fault entry"),
      exact("do_mem_abort", "arm64 fault entry"),
      exact("el1_abort", "arm64 fault entry"),
      prefix("el1h_64_sync", "arm64 fault entry"));

  /**
   * Extra rules for KASAN access reports. Hardware tag-based KASAN reports its faults through the
   * arm64 MTE fault path, which prints these frames above the faulting function.
   */
  public static final List<SkipRule> KASAN_ACCESS = List.of(
      contains("kernel_fault", "arm64 fault entry (__do_kernel_fault)"),
      contains("tag_check", "MTE tag checks (do_tag_check_fault)"),
      contains("mem_abort", "arm64 fault entry"),
      prefix("el1_", "arm64 exception entry"),
      prefix("el1h_", "arm64 exception entry"));

  /** Extra rules for KASAN's free reports: the freeing functions are where the bad free is noticed. */
  public static final List<SkipRule> KASAN_FREE = List.of(
      contains("kfree", "kfree and variants (kfree_sensitive, kvfree)"),
      contains("vunmap", "vmalloc freeing"),
      contains("vfree", "vmalloc freeing"));
}
