package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 16's kinds, each with a log of its own in {@code testdata/logs} written from the kernel's
 * printing code: the log gives the kind's title, and so does the same log as journald/syslog and as
 * {@code dmesg -T} prints it. {@code docs/oops-kinds.md} shows this table; the test keeps the two
 * equal. Kinds the parser does not make yet are listed in the doc with why, not here.
 */
class OopsKindsTest {

  /** What a kind's log must give. */
  enum Expect {
    /** Its first report, with the title. */
    REPORT,
    /** Its first report, with the title, suppressed (the log says the fuzzing machine failed). */
    SUPPRESSED,
    /** No report at all. */
    NONE
  }

  /** A kind of the list, the log that shows it, and the title of its first report. */
  record Kind(String kind, String log, Expect expect, String title) {
    static Kind of(String kind, String log, String title) {
      return new Kind(kind, log, Expect.REPORT, title);
    }
  }

  static final List<Kind> KINDS = List.of(
      Kind.of("KMSAN uninit-value", "kmsan/uninit-value-x86_64-local-variable.log", "KMSAN: uninit-value in tipc_nl_compat_name_table_dump"),
      Kind.of("KMSAN kernel-infoleak", "kmsan/kernel-infoleak-x86_64-stored-to-memory.log", "KMSAN: kernel-infoleak in sock_gettstamp"),
      Kind.of("KMSAN kernel-usb-infoleak", "kmsan/kernel-usb-infoleak-x86_64-origin.log", "KMSAN: kernel-usb-infoleak in mcp2221_probe"),
      Kind.of("KFENCE use-after-free", "kfence/use-after-free-read-x86_64-5.12.log", "KFENCE: use-after-free read in ext4_xattr_ibody_get"),
      Kind.of("KFENCE out-of-bounds", "kfence/out-of-bounds-write-arm64-6.6.log", "KFENCE: out-of-bounds write in fastrpc_get_args"),
      Kind.of("KFENCE invalid free", "kfence/invalid-free-x86_64-6.1.log", "KFENCE: invalid free in nvme_free_ns_head"),
      Kind.of("KFENCE invalid read", "kfence/invalid-read-x86_64-no-hash-pointers-regs.log", "KFENCE: invalid read in virtio_gpu_queue_fenced_ctrl_buffer"),
      Kind.of("KFENCE memory corruption", "kfence/memory-corruption-x86_64-5.15.log", "KFENCE: memory corruption in sk_destruct"),
      Kind.of("UBSAN array-index-out-of-bounds", "ubsan/array-index-out-of-bounds-x86_64-6.1.log", "UBSAN: array-index-out-of-bounds in minstrel_ht_update_rates"),
      Kind.of("UBSAN shift-out-of-bounds", "ubsan/shift-out-of-bounds-x86_64-6.8-cut-here.log", "UBSAN: shift-out-of-bounds in ntfs_init_from_boot"),
      Kind.of("UBSAN signed overflow", "ubsan/undefined-behaviour-signed-overflow-x86_64-4.9.log", "UBSAN: undefined-behaviour in tcp_ack"),
      Kind.of("BUG: unable to handle kernel paging request", "fault/page-fault-x86_64-6.1.log", "BUG: unable to handle kernel paging request in hfs_bnode_read"),
      Kind.of("BUG: kernel NULL pointer dereference", "fault/null-ptr-deref-x86_64-5.10.log", "BUG: unable to handle kernel NULL pointer dereference in nci_send_cmd"),
      Kind.of("arm64 Unable to handle kernel", "fault/unable-to-handle-paging-request-arm64-6.1.log", "BUG: unable to handle kernel paging request in vgic_mmio_write_invlpi"),
      Kind.of("general protection fault, KASAN null-ptr-deref range", "fault/gpf-kasan-null-ptr-deref-x86_64-6.10.log",
          "general protection fault in tcf_exts_miss_cookie_base_destroy"),
      Kind.of("general protection fault, KASAN maybe wild-memory-access range",
          "other/general-protection-fault-kasan-maybe-wild-memory-access.log", "general protection fault in hfsplus_bnode_read"),
      Kind.of("stack segment", "fault/stack-segment-x86_64-5.15.log", "stack segment fault in hci_conn_hash_flush"),
      Kind.of("divide error", "fault/divide-error-x86_64-4.19.log", "divide error in __tcp_select_window"),
      Kind.of("invalid opcode", "fault/invalid-opcode-x86_64-5.15.log", "invalid opcode in snd_seq_oss_midi_open"),
      Kind.of("int3", "fault/int3-x86_64-6.1.log", "int3 in tcp_sendmsg_locked"),
      Kind.of("PANIC: double fault", "fault/double-fault-x86_64-5.10.log", "PANIC: double fault in bpf_trace_run4"),
      Kind.of("kernel BUG at", "fault/kernel-bug-x86_64-6.2.log", "kernel BUG in ext4_writepages"),
      Kind.of("BUG: corrupted list", "fault/kernel-bug-list-corruption-x86_64-5.15.log", "BUG: corrupted list in tipc_nametbl_unsubscribe"),
      Kind.of("BUG: bad usercopy", "fault/bad-usercopy-x86_64-5.15.log", "BUG: bad usercopy in l2cap_sock_getsockopt_old"),
      Kind.of("spinlock bug", "bug/spinlock-bad-magic-x86_64-4.9.log", "BUG: spinlock bad magic in tcp_nuke_addr"),
      Kind.of("spinlock lockup", "bug/spinlock-lockup-suspected-x86_64-4.4.log", "BUG: spinlock lockup suspected in snd_timer_interrupt"),
      Kind.of("rwlock bug", "bug/rwlock-bad-magic-x86_64-5.17.log", "BUG: rwlock bad magic in tipc_mon_reinit_self"),
      Kind.of("soft lockup", "stall/soft-lockup-x86_64-6.2.log", "BUG: soft lockup in sys_mount"),
      Kind.of("scheduling while atomic", "bug/scheduling-while-atomic-x86_64-5.10.log", "BUG: scheduling while atomic in simple_recursive_removal"),
      Kind.of("sleeping function called from invalid context", "bug/sleeping-function-invalid-context-x86_64-6.1.log",
          "BUG: sleeping function called from invalid context in __alloc_skb"),
      Kind.of("Bad page state", "bug/bad-page-state-page-owner-x86_64-6.9.log", "BUG: Bad page state in snd_pcm_hw_params"),
      Kind.of("Bad page map", "bug/bad-page-map-x86_64-5.4.log", "BUG: Bad page map"),
      Kind.of("memory leak", "kmemleak/memory-leak-x86_64-5.15.log", "memory leak in nf_tables_newflowtable"),
      Kind.of("stack guard page", "fault/stack-guard-page-x86_64-5.16.log", "BUG: stack guard page was hit in rtnl_newlink"),
      Kind.of("stack overflow (arm64 panic)", "panic/kernel-stack-overflow-arm64-6.1.log", "kernel stack overflow in inet_sendmsg"),
      Kind.of("corrupted stack end", "panic/corrupted-stack-end-x86_64-5.10.log", "kernel panic: corrupted stack end in ovl_read_iter"),
      Kind.of("WARNING", "warning/generic-x86_64-6.6.log", "WARNING in tcp_send_loss_probe"),
      Kind.of("WARNING, old form", "warning/old-form-x86_64-4.4.log", "WARNING in netlink_sendskb"),
      Kind.of("WARNING, 6.19 CPU# form", "warning/cpu-hash-form-x86_64-6.19.log", "WARNING in ext4_set_page_dirty"),
      Kind.of("WARNING: ODEBUG bug", "warning/odebug-free-active-x86_64-6.1.log", "WARNING: ODEBUG bug in tipc_subscrb_release_cb"),
      Kind.of("WARNING: refcount bug", "warning/refcount-underflow-x86_64-5.15.log", "WARNING: refcount bug in __sk_destruct"),
      Kind.of("WARNING: kobject bug", "warning/kobject-not-initialized-x86_64-4.19.log", "WARNING: kobject bug in net_rx_queue_update_kobjects"),
      Kind.of("WARNING: bad usercopy", "warning/usercopy-whitelist-x86_64-5.0.log", "WARNING: bad usercopy in sctp_getsockopt"),
      Kind.of("WARNING: locking bug", "warning/locking-lockdep-c-x86_64-5.10.log", "WARNING: locking bug in inet_autobind"),
      Kind.of("WARNING: kmalloc bug", "warning/kmalloc-kvmalloc-node-x86_64-6.2.log", "WARNING: kmalloc bug in bpf_prog_array_alloc"),
      Kind.of("WARNING: zero-size vmalloc", "warning/zero-size-vmalloc-x86_64-5.19.log", "WARNING: zero-size vmalloc in xskq_create"),
      Kind.of("lockdep possible deadlock (circular)", "lockdep/circular-x86_64-6.3-symbolized.log", "possible deadlock in ovl_dir_llseek"),
      Kind.of("lockdep possible deadlock (recursive)", "lockdep/recursive-x86_64-4.15.log", "possible deadlock in do_ipv6_setsockopt"),
      Kind.of("lockdep inconsistent lock state", "lockdep/inconsistent-lock-state-x86_64-5.12.log", "inconsistent lock state in io_file_data_ref_zero"),
      Kind.of("lockdep suspicious RCU usage", "lockdep/suspicious-rcu-usage-x86_64-6.5.log", "WARNING: suspicious RCU usage in tipc_bearer_find"),
      Kind.of("lockdep bad unlock balance", "lockdep/bad-unlock-balance-x86_64-6.1.log", "WARNING: bad unlock balance in ipmr_mfc_seq_stop"),
      Kind.of("lockdep held lock freed", "lockdep/held-lock-freed-x86_64-5.4.log", "WARNING: held lock freed in sk_clone_lock"),
      Kind.of("lockdep still has locks held", "lockdep/still-has-locks-held-x86_64-6.0.log", "WARNING: still has locks held in pipe_lock"),
      Kind.of("INFO: task hung", "hang/blocked-rtnl-lock-x86_64-6.8.log", "INFO: task hung in rtnetlink_rcv_msg"),
      Kind.of("INFO: rcu detected stall", "stall/self-detected-x86_64-6.6.log", "INFO: rcu detected stall in ip_rcv"),
      Kind.of("Kernel panic - not syncing", "panic/kill-init-x86_64-5.4.log", "kernel panic: Attempted to kill init!"),
      Kind.of("Kernel panic: stack-protector", "panic/stack-protector-x86_64-6.1.log", "kernel panic: stack is corrupted in smc_clc_send_proposal"),
      Kind.of("unregister_netdevice: waiting for", "bug/unregister-netdevice-x86_64-5.10.log", "unregister_netdevice: waiting for DEV to become free"),
      Kind.of("VFS: Busy inodes", "bug/vfs-busy-inodes-x86_64-4.19.log", "VFS: Busy inodes after unmount (use-after-free)"),
      Kind.of("Internal error", "fault/internal-error-arm64-6.1.log", "Internal error in tty_ldisc_hangup"),
      Kind.of("Unhandled fault", "fault/unhandled-fault-arm-5.10.log", "Unhandled fault in jffs2_parse_param"),
      Kind.of("Alignment trap", "fault/alignment-trap-arm-5.10.log", "Alignment trap in ppp_ioctl"),
      Kind.of("Rust panic", "rust/panic-add-overflow-x86_64-6.12.log",
          "attempt to add with overflow in <rust_binder::node::Node>::update_refcount_locked"),
      Kind.of("Trusty panic", "trusty/panic-start-app-arm64-4.9.log", "trusty: panic: failed(-NUM) to start app NUM"),
      Kind.of("Trusty ASSERT FAILED", "trusty/assert-failed-chunked-arm64-4.9.log",
          "trusty: ASSERT FAILED: handle->refobj.refcount > NUM"),
      Kind.of("unexpected kernel reboot", "other/unexpected-reboot-x86_64-5.10.log", "unexpected kernel reboot"),
      new Kind("suppressed: OOM kill of the fuzzer", "suppressed/fuzzer-oom-killed-then-warning-x86_64-6.1.log",
          Expect.SUPPRESSED, "WARNING in ext4_set_page_dirty"),
      new Kind("suppressed: user-space stack smashing",
          "suppressed/warning-then-user-space-stack-smashing-x86_64-5.15.log", Expect.SUPPRESSED, "WARNING in skb_try_coalesce"),
      new Kind("no crash", "other/clean-boot.log", Expect.NONE, ""),
      new Kind("no crash: a boot from power-on", "other/power-on-boot-x86_64-4.19.log", Expect.NONE, ""),
      new Kind("no crash: lines that look like one", "other/no-crash-lookalikes-x86_64-6.1.log", Expect.NONE, ""));

  @TestFactory
  Stream<DynamicTest> eachKindsLogGivesItsTitleAsPrintedAndThroughJournaldAndDmesgT() {
    return KINDS.stream().map(k -> DynamicTest.dynamicTest(k.kind() + ": " + k.log(), () -> {
      String rel = "testdata/logs/" + k.log();
      String text = new String(TestLogs.bytes(rel), StandardCharsets.UTF_8);
      List<Report> reports = new KernelLogParser().parse(text, rel);
      if (k.expect() == Expect.NONE) {
        assertEquals(List.of(), reports.stream().map(r -> r.title().title()).toList());
      } else {
        assertFalse(reports.isEmpty(), "no report");
        Report first = reports.get(0);
        assertEquals(k.title(), first.title().title());
        assertFalse(first.corrupted(), () -> "corrupted: " + first.corruption());
        assertEquals(k.expect() == Expect.SUPPRESSED, first.suppressed());
      }
      List<String> titles = OopsLogPrefixesTest.titles(text, rel);
      assertEquals(titles, OopsLogPrefixesTest.titles(OopsLogPrefixesTest.rewrite(text, OopsLogPrefixesTest.JOURNALD),
          rel), "as journald");
      assertEquals(titles, OopsLogPrefixesTest.titles(OopsLogPrefixesTest.rewrite(text, OopsLogPrefixesTest.DMESG_T),
          rel), "as dmesg -T");
    }));
  }

  // docs/oops-kinds.md's table rows: "| kind | `testdata/logs/...` | title |".
  @Test
  void theDocShowsThisTable() throws IOException {
    List<String> doc = Files.readAllLines(Corpora.root().resolve("docs/oops-kinds.md"), StandardCharsets.UTF_8);
    Set<String> rows = new HashSet<>();
    for (Kind k : KINDS) {
      String title = k.expect() == Expect.NONE ? "(none)" : "`" + k.title() + "`";
      String row = "| " + k.kind() + " | [`" + k.log() + "`](../testdata/logs/" + k.log() + ") | " + title + " |";
      assertTrue(doc.stream().anyMatch(l -> l.startsWith(row)), "docs/oops-kinds.md lacks the row\n" + row);
      assertTrue(rows.add(k.kind()), "kind listed twice: " + k.kind());
    }
  }
}
