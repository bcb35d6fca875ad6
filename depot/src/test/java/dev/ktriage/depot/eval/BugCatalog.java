package dev.ktriage.depot.eval;

import java.util.Arrays;
import java.util.List;

/**
 * The bugs of the labeled clustering evaluation: templates from which {@link ClusterCorpusGenerator}
 * prints many reports per bug. Frame chains are written innermost first, separated by spaces;
 * alternatives by {@code |}. A {@code *} after a function marks one that some builds inline into the
 * next frame (syzkaller issue #3364: the title then names the caller).
 *
 * <p>Families share a title or a guilty frame on purpose ({@code tty-*}, {@code sk-*}, {@code nbd-*},
 * {@code xfrm-*}, {@code kcsan-inode-*}, ...): they are different bugs that title-based dedup merges.
 */
final class BugCatalog {
  private BugCatalog() {} // no instance

  enum Kind { KASAN, KCSAN }

  /**
   * One bug.
   *
   * @param id the label
   * @param kind KASAN or KCSAN
   * @param types KASAN bug types this bug is printed with (tag modes and timing vary it)
   * @param access the guilty path, innermost first (KCSAN: the first racing stack's path)
   * @param tails caller chains below the guilty path; each report picks one
   * @param alloc allocating paths (KASAN), below the allocator
   * @param free freeing paths (KASAN), below the allocator; empty for out-of-bounds bugs
   * @param race2 KCSAN's second racing path; empty for "race at unknown origin"
   * @param race2Tails callers of the second racing path
   * @param irq the access happens in a timer softirq (the interrupted context varies)
   * @param module the module the guilty path lives in, or empty for vmlinux
   */
  record Bug(String id, Kind kind, List<String> types, List<String> access, List<List<String>> tails,
      List<List<String>> alloc, List<List<String>> free, List<String> race2, List<List<String>> race2Tails,
      boolean irq, String module) {}

  private static List<String> chain(String s) {
    return s.isBlank() ? List.of() : Arrays.asList(s.trim().split("\\s+"));
  }

  private static List<List<String>> alts(String s) {
    if (s.isBlank()) {
      return List.of();
    }
    return Arrays.stream(s.split("\\|")).map(BugCatalog::chain).toList();
  }

  private static Bug kasan(String id, String types, String access, String tails, String alloc, String free) {
    return new Bug(id, Kind.KASAN, chain(types), chain(access), alts(tails), alts(alloc), alts(free), List.of(),
        List.of(), false, "");
  }

  private static Bug kasanIrq(String id, String types, String access, String tails, String alloc, String free) {
    return new Bug(id, Kind.KASAN, chain(types), chain(access), alts(tails), alts(alloc), alts(free), List.of(),
        List.of(), true, "");
  }

  private static Bug kasanModule(String id, String module, String types, String access, String tails, String alloc,
      String free) {
    return new Bug(id, Kind.KASAN, chain(types), chain(access), alts(tails), alts(alloc), alts(free), List.of(),
        List.of(), false, module);
  }

  private static Bug kcsan(String id, String race1, String tails1, String race2, String tails2) {
    return new Bug(id, Kind.KCSAN, List.of("data-race"), chain(race1), alts(tails1), List.of(), List.of(),
        chain(race2), alts(tails2), false, "");
  }

  static final String SETXATTR = "__vfs_setxattr __vfs_setxattr_noperm __vfs_setxattr_locked vfs_setxattr do_setxattr setxattr path_setxattr __x64_sys_setxattr"
      + " | __vfs_setxattr __vfs_setxattr_noperm __vfs_setxattr_locked vfs_setxattr do_setxattr setxattr path_setxattr __x64_sys_lsetxattr"
      + " | __vfs_setxattr __vfs_setxattr_noperm __vfs_setxattr_locked vfs_setxattr do_setxattr setxattr __x64_sys_fsetxattr";
  static final String WRITE = "new_sync_write vfs_write ksys_write __x64_sys_write"
      + " | do_iter_readv_writev do_iter_write vfs_writev do_writev __x64_sys_writev"
      + " | do_iter_readv_writev do_iter_write vfs_writev do_pwritev __x64_sys_pwritev2";
  static final String READ = "new_sync_read vfs_read ksys_read __x64_sys_read"
      + " | do_iter_readv_writev do_iter_read vfs_readv do_readv __x64_sys_readv"
      + " | new_sync_read vfs_read __x64_sys_pread64";
  static final String CLOSE = "__fput ____fput task_work_run exit_to_user_mode_loop exit_to_user_mode_prepare syscall_exit_to_user_mode"
      + " | __fput ____fput task_work_run do_exit do_group_exit __x64_sys_exit_group"
      + " | __fput ____fput task_work_run get_signal arch_do_signal_or_restart exit_to_user_mode_loop";
  static final String IOCTL = "__x64_sys_ioctl | __se_sys_ioctl __x64_sys_ioctl | compat_ptr_ioctl __ia32_compat_sys_ioctl";
  static final String SENDMSG = "sock_sendmsg ____sys_sendmsg ___sys_sendmsg __sys_sendmsg __x64_sys_sendmsg"
      + " | sock_sendmsg __sys_sendto __x64_sys_sendto"
      + " | sock_sendmsg ____sys_sendmsg ___sys_sendmsg __sys_sendmmsg __x64_sys_sendmmsg";
  static final String WORK = "process_one_work worker_thread kthread ret_from_fork";
  static final String OPEN = "do_dentry_open vfs_open path_openat do_filp_open do_sys_openat2 __x64_sys_openat"
      + " | do_dentry_open vfs_open path_openat do_filp_open do_sys_openat2 __x64_sys_open";
  static final String MOUNT = "get_tree_bdev vfs_get_tree path_mount do_mount __x64_sys_mount"
      + " | get_tree_bdev vfs_get_tree fc_mount path_mount __x64_sys_fsconfig";

  /** The catalog. */
  static final List<Bug> BUGS = List.of(
      // ---- filesystems
      // the bug is in the helper: its direct callers vary, the object's allocation does not
      kasan("ext4-xattr-oob", "slab-out-of-bounds",
          "ext4_xattr_set_entry",
          "ext4_xattr_ibody_set ext4_xattr_set_handle ext4_xattr_set ext4_xattr_user_set " + SETXATTR.split("\\|")[0]
              + " | ext4_xattr_block_set ext4_xattr_set_handle ext4_xattr_set ext4_xattr_trusted_set " + SETXATTR.split("\\|")[2]
              + " | ext4_xattr_ibody_set ext4_xattr_set_handle ext4_initxattrs security_inode_init_security __ext4_new_inode ext4_create",
          "ext4_xattr_inode_cache_find ext4_xattr_set_handle ext4_xattr_set", ""),
      kasan("ext4-dx-uaf", "slab-use-after-free use-after-free",
          "ext4_find_extent* ext4_ext_map_blocks ext4_map_blocks ext4_getblk ext4_bread",
          "__ext4_read_dirblock htree_dirblock_to_tree ext4_htree_fill_tree ext4_readdir iterate_dir __x64_sys_getdents64"
              + " | __ext4_read_dirblock ext4_dx_find_entry __ext4_find_entry ext4_lookup __lookup_slow lookup_slow walk_component path_lookupat filename_lookup __x64_sys_newstat",
          "ext4_ext_precache ext4_fiemap ioctl_fiemap do_vfs_ioctl __x64_sys_ioctl",
          "ext4_ext_remove_space ext4_punch_hole ext4_fallocate vfs_fallocate __x64_sys_fallocate"),
      kasan("f2fs-iget-uaf", "slab-use-after-free",
          "f2fs_iget f2fs_lookup __lookup_slow lookup_slow walk_component",
          "path_lookupat filename_lookup vfs_statx __do_sys_newstat __x64_sys_newstat"
              + " | link_path_walk path_openat do_filp_open do_sys_openat2 __x64_sys_openat",
          "f2fs_alloc_inode alloc_inode iget_locked f2fs_iget f2fs_fill_super mount_bdev",
          "f2fs_free_inode i_callback rcu_core __do_softirq | f2fs_evict_inode evict iput f2fs_put_super"),
      kasan("nilfs-btree-oob", "slab-out-of-bounds global-out-of-bounds",
          "nilfs_btree_do_lookup nilfs_btree_lookup nilfs_bmap_lookup_at_level nilfs_mdt_submit_block nilfs_mdt_read_block",
          "nilfs_mdt_get_block nilfs_ifile_get_inode_block nilfs_iget nilfs_get_root_dentry nilfs_fill_super " + MOUNT.split("\\|")[0]
              + " | nilfs_mdt_get_block nilfs_palloc_get_entry_block nilfs_ifile_create_inode nilfs_new_inode nilfs_create lookup_open open_last_lookups path_openat",
          "nilfs_btree_init nilfs_bmap_read nilfs_read_inode_common", ""),
      kasan("hfsplus-bnode-oob", "slab-out-of-bounds",
          "hfsplus_bnode_read hfsplus_bnode_read_key hfsplus_brec_find hfsplus_find_cat hfsplus_iget",
          "hfsplus_fill_super mount_bdev legacy_get_tree vfs_get_tree path_mount __x64_sys_mount",
          "hfsplus_bnode_create hfsplus_bnode_find hfsplus_brec_find", ""),
      kasan("fuse-readdir-uaf", "use-after-free slab-use-after-free",
          "fuse_readdir_cached* fuse_readdir iterate_dir __x64_sys_getdents64",
          " | __se_sys_getdents64 __x64_sys_getdents64",
          "fuse_readdir_uncached fuse_readdir iterate_dir", "fuse_inode_evict evict iput dentry_unlink_inode __dentry_kill dput"),
      // ---- aio / io_uring (inlining varies between builds: cross-title)
      kasan("aio-iocb-uaf", "use-after-free slab-use-after-free",
          "iocb_put* io_submit_one __do_sys_io_submit __se_sys_io_submit __x64_sys_io_submit",
          " | ",
          "aio_get_req io_submit_one __do_sys_io_submit", "iocb_destroy aio_complete aio_complete_rw blkdev_bio_end_io_async bio_endio"
              + " | iocb_destroy iocb_put aio_poll_complete_work process_one_work"),
      kasan("io-uring-poll-uaf", "slab-use-after-free",
          "io_poll_remove_entries* io_poll_task_func handle_tw_list tctx_task_work task_work_run",
          "io_run_task_work io_cqring_wait __do_sys_io_uring_enter __x64_sys_io_uring_enter"
              + " | get_signal arch_do_signal_or_restart exit_to_user_mode_loop syscall_exit_to_user_mode",
          "io_alloc_req io_submit_sqes __do_sys_io_uring_enter __x64_sys_io_uring_enter",
          "io_free_batch_list __io_submit_flush_completions io_submit_flush_completions io_submit_sqes"),
      // ---- tty: one title family (UAF Read in tty_ldisc_deref / n_tty), different bugs
      kasan("tty-ldisc-hangup", "use-after-free slab-use-after-free",
          "tty_ldisc_deref tty_port_default_wakeup tty_port_tty_wakeup uart_write_wakeup",
          "serial8250_tx_chars serial8250_handle_irq serial8250_default_handle_irq serial8250_interrupt __handle_irq_event_percpu"
              + " | uart_start uart_write n_tty_write file_tty_write " + WRITE.split("\\|")[0],
          "tty_ldisc_get tty_ldisc_init tty_init_dev tty_open chrdev_open",
          "tty_ldisc_put tty_ldisc_kill tty_ldisc_release tty_release_struct tty_release " + CLOSE.split("\\|")[0]),
      kasan("tty-ldisc-ioctl", "use-after-free slab-use-after-free",
          "tty_ldisc_deref tty_ioctl",
          "__do_sys_ioctl __se_sys_ioctl __x64_sys_ioctl | __x64_sys_ioctl",
          "tty_ldisc_get tty_set_ldisc tiocsetd tty_ioctl",
          "tty_ldisc_put tty_ldisc_close tty_set_ldisc tiocsetd tty_ioctl"),
      kasan("tty-ntty-receive", "slab-out-of-bounds",
          "n_tty_receive_buf_standard n_tty_receive_buf_common n_tty_receive_buf2 tty_ldisc_receive_buf tty_port_default_receive_buf flush_to_ldisc",
          WORK, "n_tty_open tty_ldisc_open tty_ldisc_setup tty_init_dev", ""),
      // ---- networking: sk family (UAF in sk_psock / tcp timers)
      kasanIrq("tcp-retransmit-uaf", "slab-use-after-free use-after-free",
          "tcp_retransmit_timer tcp_write_timer_handler tcp_write_timer call_timer_fn __run_timers run_timer_softirq __do_softirq",
          "", "sk_prot_alloc sk_alloc inet_create __sock_create __sys_socket __x64_sys_socket",
          "sk_prot_free __sk_destruct sk_destruct __sk_free sk_free tcp_close inet_release __sock_release sock_close"),
      kasanIrq("tcp-delack-uaf", "slab-use-after-free",
          "tcp_delack_timer_handler tcp_delack_timer call_timer_fn __run_timers run_timer_softirq __do_softirq",
          "", "sk_prot_alloc sk_alloc inet_create __sock_create __sys_socket __x64_sys_socket",
          "sk_prot_free __sk_destruct sk_destruct __sk_free sk_free tcp_close inet_release __sock_release sock_close"),
      kasan("sk-psock-verdict", "slab-use-after-free",
          "sk_psock_verdict_data_ready tcp_data_ready tcp_rcv_established tcp_v4_do_rcv",
          "__release_sock release_sock tcp_sendmsg inet_sendmsg " + SENDMSG.split("\\|")[0]
              + " | tcp_v4_rcv ip_protocol_deliver_rcu ip_local_deliver_finish __netif_receive_skb_one_core process_backlog __napi_poll net_rx_action __do_softirq",
          "sk_psock_init sock_map_link sock_map_update_common sock_map_update_elem bpf_map_update_value map_update_elem __sys_bpf __x64_sys_bpf",
          "sk_psock_destroy process_one_work worker_thread kthread"),
      kasan("sk-psock-strp", "slab-use-after-free",
          "sk_psock_verdict_data_ready sk_psock_strp_data_ready strp_data_ready tcp_data_ready",
          "tcp_rcv_established tcp_v4_do_rcv __release_sock release_sock tcp_recvmsg inet_recvmsg sock_recvmsg __sys_recvfrom __x64_sys_recvfrom",
          "sk_psock_init sock_map_link sock_map_update_common sock_map_update_elem bpf_map_update_value map_update_elem __sys_bpf __x64_sys_bpf",
          "sk_psock_drop sock_map_unref sock_map_delete_elem map_delete_elem __sys_bpf __x64_sys_bpf"),
      kasan("xfrm-policy-lookup", "slab-use-after-free use-after-free",
          "xfrm_policy_lookup_bytype xfrm_policy_lookup xfrm_bundle_lookup xfrm_lookup_with_ifid xfrm_lookup_route",
          "ip_route_output_flow udp_sendmsg inet_sendmsg " + SENDMSG.split("\\|")[0]
              + " | ip_route_output_flow raw_sendmsg inet_sendmsg " + SENDMSG.split("\\|")[1],
          "xfrm_policy_alloc xfrm_policy_construct xfrm_add_policy xfrm_user_rcv_msg netlink_rcv_skb xfrm_netlink_rcv netlink_unicast netlink_sendmsg",
          "xfrm_policy_destroy xfrm_policy_kill xfrm_policy_flush xfrm_flush_policy xfrm_user_rcv_msg netlink_rcv_skb"),
      kasan("xfrm-policy-insert", "slab-use-after-free",
          "xfrm_policy_lookup_bytype xfrm_policy_insert xfrm_add_policy xfrm_user_rcv_msg",
          "netlink_rcv_skb xfrm_netlink_rcv netlink_unicast netlink_sendmsg " + SENDMSG.split("\\|")[0],
          "xfrm_policy_alloc xfrm_policy_construct xfrm_add_policy xfrm_user_rcv_msg netlink_rcv_skb xfrm_netlink_rcv netlink_unicast netlink_sendmsg",
          "xfrm_policy_destroy_rcu rcu_core __do_softirq"),
      kasan("packet-rcv-oob", "slab-out-of-bounds",
          "tpacket_rcv __netif_receive_skb_core __netif_receive_skb_one_core __netif_receive_skb netif_receive_skb",
          "tun_rx_batched tun_get_user tun_chr_write_iter " + WRITE.split("\\|")[0] + " | tun_get_user tun_chr_write_iter " + WRITE.split("\\|")[1],
          "packet_set_ring packet_setsockopt __sys_setsockopt __x64_sys_setsockopt", ""),
      kasan("nfc-llcp-uaf", "use-after-free",
          "nfc_llcp_sock_unlink llcp_sock_release __sock_release sock_close",
          CLOSE, "llcp_sock_alloc llcp_sock_create nfc_sock_create __sock_create __sys_socket __x64_sys_socket",
          "nfc_llcp_local_put nfc_llcp_unregister_device nfc_unregister_device nci_unregister_device virtual_ncidev_close __fput"),
      kasan("bt-l2cap-uaf", "slab-use-after-free use-after-free",
          "l2cap_chan_close l2cap_sock_shutdown l2cap_sock_release __sock_release sock_close",
          CLOSE, "l2cap_chan_create l2cap_sock_alloc l2cap_sock_create bt_sock_create __sock_create",
          "l2cap_chan_put l2cap_conn_del l2cap_disconn_cfm hci_disconn_cfm hci_conn_hash_flush hci_dev_close_sync"),
      kasan("bt-hci-cmd-uaf", "slab-use-after-free",
          "hci_cmd_work process_one_work",
          "worker_thread kthread ret_from_fork",
          "hci_alloc_dev_priv hci_uart_register_dev hci_uart_tty_ioctl tty_ioctl",
          "hci_release_dev bt_host_release device_release kobject_put hci_uart_tty_close tty_ldisc_close"),
      // ---- block / drivers: nbd family shares the guilty frame
      kasan("nbd-recv-uaf", "slab-use-after-free",
          "nbd_read_reply recv_work process_one_work",
          "worker_thread kthread ret_from_fork",
          "nbd_alloc_config nbd_genl_connect genl_family_rcv_msg_doit genl_rcv_msg netlink_rcv_skb genl_rcv netlink_unicast",
          "nbd_config_put nbd_genl_disconnect genl_family_rcv_msg_doit genl_rcv_msg netlink_rcv_skb"),
      kasan("nbd-ioctl-uaf", "slab-use-after-free",
          "nbd_read_reply nbd_handle_reply nbd_ioctl blkdev_ioctl",
          IOCTL,
          "nbd_alloc_config nbd_ioctl blkdev_ioctl __x64_sys_ioctl",
          "nbd_config_put nbd_release blkdev_put blkdev_close __fput"),
      kasanModule("usb-hid-oob", "hid", "slab-out-of-bounds global-out-of-bounds",
          "hid_field_extract hid_input_fetch_field hid_process_report hid_report_raw_event hid_input_report",
          "hid_irq_in __usb_hcd_giveback_urb usb_hcd_giveback_urb dummy_timer call_timer_fn __run_timers run_timer_softirq __do_softirq",
          "hid_register_field hid_add_field hid_parser_main hid_open_report hid_generic_probe hid_device_probe really_probe", ""),
      kasanModule("vivid-vbi-uaf", "vivid", "slab-use-after-free",
          "vivid_thread_vid_cap_tick vivid_thread_vid_cap kthread",
          "ret_from_fork",
          "vivid_create_instance vivid_probe platform_probe really_probe __driver_probe_device",
          "vb2_queue_release vb2_fop_release v4l2_release __fput"),
      kasan("loop-config-uaf", "use-after-free slab-use-after-free",
          "loop_set_status loop_set_status64 lo_ioctl blkdev_ioctl",
          IOCTL, "loop_add loop_control_ioctl __x64_sys_ioctl", "loop_remove loop_control_remove loop_control_ioctl __x64_sys_ioctl"),
      // ---- mm / kernel
      kasan("mm-mremap-uaf", "slab-use-after-free",
          "move_page_tables move_vma __do_sys_mremap",
          "__se_sys_mremap __x64_sys_mremap | __x64_sys_mremap",
          "vm_area_alloc mmap_region do_mmap vm_mmap_pgoff ksys_mmap_pgoff __x64_sys_mmap",
          "vm_area_free remove_vma do_vmi_align_munmap do_vmi_munmap __vm_munmap __x64_sys_munmap"),
      kasan("bpf-ringbuf-oob", "vmalloc-out-of-bounds",
          "bpf_ringbuf_output bpf_prog_run trace_call_bpf kprobe_perf_func",
          "kprobe_dispatcher kprobe_ftrace_handler | kprobe_dispatcher aggr_pre_handler kprobe_int3_handler exc_int3",
          "bpf_ringbuf_area_alloc bpf_ringbuf_alloc ringbuf_map_alloc map_create __sys_bpf __x64_sys_bpf", ""),
      kasan("perf-event-uaf", "slab-use-after-free use-after-free",
          "perf_event_ctx_lock_nested perf_read vfs_read ksys_read",
          "__x64_sys_read | __se_sys_read __x64_sys_read",
          "perf_event_alloc __do_sys_perf_event_open __x64_sys_perf_event_open",
          "free_event perf_event_release_kernel perf_release __fput"),
      kasan("keyring-double-free", "double-free",
          "key_garbage_collector process_one_work worker_thread",
          "kthread ret_from_fork",
          "key_alloc key_create_or_update __do_sys_add_key __x64_sys_add_key",
          "keyring_destroy key_gc_unused_keys key_garbage_collector process_one_work"),
      kasan("keyring-gc-uaf", "slab-use-after-free",
          "key_garbage_collector process_one_work worker_thread",
          "kthread ret_from_fork",
          "key_alloc key_create_or_update __do_sys_add_key __x64_sys_add_key",
          "keyring_destroy key_gc_unused_keys key_garbage_collector process_one_work"),
      kasan("seq-file-oob", "slab-out-of-bounds",
          "seq_read_iter",
          "seq_read vfs_read ksys_read __x64_sys_read | kernfs_fop_read_iter new_sync_read vfs_read ksys_read __x64_sys_read"
              + " | proc_reg_read_iter new_sync_read vfs_read __x64_sys_pread64",
          "seq_buf_alloc seq_read_iter seq_read vfs_read | seq_buf_alloc seq_read_iter kernfs_fop_read_iter new_sync_read", ""),
      // ---- KCSAN: the pair is unordered; families share one function
      kcsan("kcsan-inode-size", "i_size_read generic_file_read_iter ext4_file_read_iter",
          "new_sync_read vfs_read ksys_read __x64_sys_read | do_iter_readv_writev do_iter_read vfs_readv __x64_sys_readv",
          "i_size_write ext4_update_inode_size ext4_da_write_end generic_perform_write ext4_buffered_write_iter",
          "ext4_file_write_iter new_sync_write vfs_write ksys_write __x64_sys_write | ext4_file_write_iter do_iter_readv_writev do_iter_write vfs_writev __x64_sys_writev"),
      kcsan("kcsan-bdev-size", "i_size_read blkdev_read_iter",
          "new_sync_read vfs_read ksys_read __x64_sys_read | new_sync_read vfs_read __x64_sys_pread64",
          "i_size_write bdev_set_nr_sectors set_capacity loop_set_size loop_configure lo_ioctl blkdev_ioctl",
          "__x64_sys_ioctl"),
      kcsan("kcsan-inode-atime", "touch_atime generic_file_read_iter ext4_file_read_iter",
          "new_sync_read vfs_read ksys_read __x64_sys_read",
          "touch_atime filemap_read generic_file_read_iter ext4_file_read_iter",
          "new_sync_read vfs_read ksys_read __x64_sys_pread64 | do_iter_readv_writev do_iter_read vfs_readv __x64_sys_readv"),
      kcsan("kcsan-inode-flags", "inode_set_flags ext4_set_inode_flags __ext4_iget ext4_lookup",
          "__lookup_slow lookup_slow walk_component path_lookupat filename_lookup",
          "i_size_read ext4_inode_journal_mode ext4_should_journal_data ext4_set_aops",
          "ext4_ioctl_setflags ext4_fileattr_set vfs_fileattr_set do_vfs_ioctl __x64_sys_ioctl"),
      kcsan("kcsan-tick-jiffies", "tick_nohz_next_event tick_nohz_get_sleep_length menu_select cpuidle_idle_call",
          "do_idle cpu_startup_entry start_secondary secondary_startup_64_no_verify",
          "tick_do_update_jiffies64 tick_sched_do_timer tick_sched_timer __hrtimer_run_queues hrtimer_interrupt",
          "__sysvec_apic_timer_interrupt sysvec_apic_timer_interrupt asm_sysvec_apic_timer_interrupt"),
      kcsan("kcsan-pipe-wait", "pipe_poll do_sys_poll __x64_sys_poll",
          " | ",
          "pipe_write new_sync_write vfs_write ksys_write",
          "__x64_sys_write | __x64_sys_pwrite64"),
      kcsan("kcsan-blk-stat", "blk_mq_sched_dispatch_requests __blk_mq_run_hw_queue blk_mq_run_work_fn process_one_work",
          "worker_thread kthread ret_from_fork",
          "blk_mq_dispatch_rq_list __blk_mq_sched_dispatch_requests blk_mq_sched_dispatch_requests __blk_mq_run_hw_queue",
          "__blk_mq_delay_run_hw_queue blk_mq_run_hw_queue blk_mq_sched_insert_requests blk_mq_flush_plug_list"),
      kcsan("kcsan-unknown-origin", "ext4_mark_iloc_dirty ext4_mark_inode_dirty ext4_dirty_inode __mark_inode_dirty",
          "generic_update_time file_update_time ext4_page_mkwrite do_page_mkwrite do_wp_page handle_mm_fault",
          "", ""));
}
