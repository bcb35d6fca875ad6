package dev.ktriage.grammar.parse;

import static dev.ktriage.grammar.parse.TestLogs.only;
import static dev.ktriage.grammar.parse.TestLogs.parse;
import static dev.ktriage.grammar.parse.TestLogs.functions;
import static dev.ktriage.grammar.parse.TestLogs.stack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.RegionRelation;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Whole logs: console prefixes around reports, several reports in one log, reports cut off, other
 * oops kinds, and damaged bytes.
 */
class LogShapesTest {

  // ----------------------------------------------------------------------------------- prefixes

  @Test
  void journaldLinesOfOtherProgramsStayOutOfTheReport() {
    Report r = only("kasan/alloca-out-of-bounds-x86_64-syslog.log");
    assertEquals(Optional.of("Feb 14 09:31:02"), r.time().wallClock());
    assertTrue(r.time().uptime().isEmpty());
    // systemd[1] and NetworkManager[611] print between the kernel's lines; the stack is still whole.
    assertEquals(11, stack(r, StackRole.ACCESS).frames().size());
    assertEquals(3, r.source().firstLine());
    assertFalse(r.corrupted());
  }

  @Test
  void dmesgXFacilityAndLevelPrefix() {
    Report r = only("kasan/out-of-bounds-arm64-decoded-dmesg-x.log");
    assertEquals(201.452118, r.time().uptime().orElseThrow(), 1e-9);
    assertEquals(3, r.source().firstLine());
    assertEquals(31, r.source().lastLine());
  }

  @Test
  void syslogLevelPrefixWithoutTimestamps() {
    Report r = only("kasan/global-out-of-bounds-x86_64-module-buildid-syslog-levels.log");
    // "<3>" on the report's lines, "<4>" on dump_stack's: one console, one report.
    assertEquals(3, r.source().firstLine());
    assertEquals(44, r.source().lastLine());
    assertTrue(r.complete());
  }

  @Test
  void twoReportsInterleavedLineByLineAreSeparatedByCallerId() {
    List<Report> rs = parse("multi/two-reports-interleaved-caller-ids.log");
    assertEquals(2, rs.size());
    Report a = rs.get(0);
    Report b = rs.get(1);
    assertEquals("KASAN: slab-use-after-free Read in j1939_session_get_by_addr", a.title().title());
    assertEquals(Optional.of("T8021"), a.context().callerId());
    assertEquals(OptionalInt.of(0), a.context().cpu());
    assertEquals(21, stack(a, StackRole.ACCESS).frames().size());
    assertEquals(7, stack(a, StackRole.ALLOC).frames().size());
    assertEquals(9, stack(a, StackRole.FREE).frames().size());
    assertEquals("KASAN: slab-out-of-bounds Write in hfs_bnode_read", b.title().title());
    assertEquals(Optional.of("T8030"), b.context().callerId());
    assertEquals(OptionalInt.of(1), b.context().cpu());
    assertEquals(18, stack(b, StackRole.ACCESS).frames().size());
    assertTrue(b.stack(StackRole.FREE).isEmpty());
    assertFalse(a.corrupted() || b.corrupted());
    // Ordered by first line; the spans overlap because the lines are interleaved.
    assertEquals(3, a.source().firstLine());
    assertEquals(103, a.source().lastLine());
    assertEquals(4, b.source().firstLine());
    assertEquals(91, b.source().lastLine());
  }

  @Test
  void kcsanThenWarningThenKasanInOneLog() {
    List<Report> rs = parse("multi/kcsan-warning-kasan-in-one-log.log");
    // The WARNING between them is a report of its own (issue 16) and ends neither.
    assertEquals(List.of(Tool.KCSAN, Tool.WARNING, Tool.KASAN), rs.stream().map(Report::tool).toList());
    rs = List.of(rs.get(0), rs.get(2));
    assertEquals("KCSAN: data-race in __xa_clear_mark / xas_find_marked", rs.get(0).title().title());
    assertEquals("KASAN: use-after-free Read in ext4_es_cache_extent", rs.get(1).title().title());
    assertEquals(2, rs.get(0).source().firstLine());
    assertEquals(36, rs.get(0).source().lastLine());
    assertEquals(49, rs.get(1).source().firstLine());
    assertEquals(97, rs.get(1).source().lastLine());
    assertTrue(rs.stream().allMatch(r -> r.complete() && !r.corrupted()));
    assertEquals(Optional.of("GW"), rs.get(1).context().taint());
    assertEquals(Optional.of("#1 PREEMPT(full)"), rs.get(1).context().build());
  }

  // ----------------------------------------------------------------------------------- cut off

  @Test
  void reportCutByTheEndOfTheLogInsideItsCallTrace() {
    Report r = only("corrupt/cut-by-end-of-log-in-call-trace.log");
    assertFalse(r.complete());
    // The last frame is not where a kernel stack ends (syscall entry, ret_from_fork, ...): cut.
    assertEquals(CorruptionReason.TRUNCATED, r.corruption().orElseThrow().reason());
    // The last line was cut mid-word ("kthread+0x2"); the frames before it are kept.
    assertEquals(List.of("dump_stack_lvl", "print_report", "kasan_report", "nf_tables_trans_destroy_work",
        "process_one_work", "worker_thread"), TestLogs.functions(stack(r, StackRole.ACCESS)).subList(0, 6));
    assertEquals("KASAN: slab-use-after-free Read in nf_tables_trans_destroy_work", r.title().title());
    assertEquals(17, r.source().lastLine());
  }

  @ParameterizedTest
  @ValueSource(strings = {"corrupt/interrupted-by-page-fault.log", "corrupt/interrupted-by-general-protection-fault.log",
      "corrupt/interrupted-by-warning.log"})
  void reportInterruptedByAnotherOopsEndsBeforeIt(String log) {
    List<Report> rs = parse(log);
    Report r = rs.get(0);
    // The other oops is a report of its own where it has a family (issue 16), starting at line 17.
    assertTrue(rs.size() == 1 || rs.get(1).source().firstLine() == 17, () -> rs.get(1).source().toString());
    assertFalse(r.complete());
    assertEquals(CorruptionReason.INTERRUPTED_BY_OOPS, r.corruption().orElseThrow().reason());
    assertEquals(17, r.corruption().orElseThrow().logLine()); // where the other oops starts
    assertEquals(16, r.source().lastLine()); // line 17 starts the other oops
    assertEquals(6, stack(r, StackRole.ACCESS).frames().size());
    assertEquals("worker_thread", stack(r, StackRole.ACCESS).frames().get(5).function());
    assertEquals("KASAN: slab-use-after-free Read in nf_tables_trans_destroy_work", r.title().title());
  }

  @Test
  void reportCutInItsShadowDumpIsIncompleteButUsable() {
    Report r = only("corrupt/cut-by-end-of-log-in-shadow-dump.log");
    assertFalse(r.complete());
    assertFalse(r.corrupted());
    var shadow = ((dev.ktriage.model.KasanDetails) r.details()).shadow().orElseThrow();
    assertEquals(2, shadow.rows().size());
    assertEquals(-1, shadow.buggyRow()); // the log ended before the '>' row
  }

  @Test
  void headerFollowedByTheNextReportIsInterruptedByIt() {
    List<Report> rs = parse("corrupt/cut-by-next-report-after-header.log");
    assertEquals(2, rs.size());
    assertTrue(rs.get(0).corrupted());
    // The rule on line 5 opens the second report; it does not close the first one.
    assertEquals(CorruptionReason.INTERRUPTED_BY_OOPS, rs.get(0).corruption().orElseThrow().reason());
    assertFalse(rs.get(0).complete());
    assertEquals(3, rs.get(0).source().lastLine()); // line 4 is blank
    assertEquals(5, rs.get(1).source().firstLine());
    assertEquals("KASAN: use-after-free Write in sco_sock_timeout", rs.get(0).title().title());
    assertFalse(rs.get(1).corrupted());
    assertEquals("KASAN: slab-use-after-free Read in sco_conn_del", rs.get(1).title().title());
    assertEquals(26, rs.get(1).source().lastLine());
  }

  // A fuzz finding: a WARNING header printed again right after the first (no cut-here block of its own)
  // took the first one's cut-here block, so both reports had the same lines and header.
  @Test
  void aCutHereBlockBelongsToTheFirstHeaderAfterIt() {
    String warning = "[  345.998247][    C1] WARNING: CPU: 1 PID: 16 at lib/debugobjects.c:509 debug_print_object+0x194/0x2c0\n";
    String log = "[  345.982201][    C1] ------------[ cut here ]------------\n"
        + "[  345.987710][    C1] ODEBUG: free active (active state 0) object type: timer_list hint: f+0x0/0x4a0\n"
        + warning + warning
        + "[  346.007641][    C1] Modules linked in:\n"
        + "[  346.126032][    C1] Call Trace:\n"
        + "[  346.132245][    C1]  debug_check_no_obj_freed+0x4b0/0x610\n"
        + "[  346.153303][    C1]  tipc_topsrv_kern_unsubscr+0x1f9/0x340\n"
        + "[  346.194841][    C1] ---[ end trace 0000000000000000 ]---\n";
    List<Report> rs = new KernelLogParser().parse(log, "repeated-warning.log");
    assertEquals(2, rs.size());
    assertEquals(1, rs.get(0).source().firstLine());
    assertEquals(4, rs.get(1).source().firstLine());
  }

  @Test
  void kcsanReportCutBeforeItsFirstStackIsTruncated() {
    Report r = only("corrupt/kcsan-cut-before-first-stack.log");
    assertTrue(r.corrupted());
    assertEquals(CorruptionReason.TRUNCATED, r.corruption().orElseThrow().reason());
    assertFalse(r.complete());
    assertEquals("KCSAN: data-race in tcp_poll / tcp_sendmsg_locked", r.title().title());
  }

  // ----------------------------------------------------------------------------------- elisions

  @Test
  void wholeHeaderAndAccessUpToTheClosingRuleIsAReportWhoseStackWasLeftOut() {
    // No kernel prints a report without its call trace: a person left it out.
    Report r = only("kasan/slab-out-of-bounds-x86_64-call-trace-elided.log");
    assertFalse(r.corrupted(), () -> r.corruption().toString());
    assertEquals(List.of(Elision.CALL_TRACE), r.elided());
    assertEquals("KASAN: slab-out-of-bounds Read in mwifiex_11n_aggregate_pkt", r.title().title());
    assertEquals(4, r.source().lastLine()); // the unrelated lines after the rule are not part of it
  }

  @Test
  void stacksSnippedFromAPasteWithoutPrefixes() {
    Report r = only("kasan/slab-out-of-bounds-x86_64-pasted-without-stacks.log");
    assertFalse(r.corrupted(), () -> r.corruption().toString());
    assertEquals(List.of(Elision.CALL_TRACE), r.elided());
    assertEquals("KASAN: slab-out-of-bounds Write in hid_report_raw_event", r.title().title());
    assertEquals(RegionRelation.INSIDE, ((KasanDetails) r.details()).object().orElseThrow().region().orElseThrow()
        .relation());
  }

  @Test
  void ellipsesTypedBetweenPrefixedLinesAreCutsNotCorruption() {
    Report r = only("kasan/slab-use-after-free-x86_64-pasted-with-elisions.log");
    assertFalse(r.corrupted(), () -> r.corruption().toString());
    assertTrue(r.elided().contains(Elision.FRAMES), r.elided().toString());
    assertEquals("KASAN: slab-use-after-free Read in sco_sock_timeout", r.title().title());
    assertEquals(List.of("dump_stack_lvl", "print_report", "kasan_report", "sco_sock_timeout", "process_one_work",
        "ret_from_fork_asm"), functions(stack(r, StackRole.ACCESS)));
    assertTrue(stack(r, StackRole.ALLOC).frames().isEmpty());
  }

  @Test
  void aReportCutByTheLogIsStillCorrupted() {
    // The same report without its closing rule and stacks, and no mark of a person's cut: the log was cut.
    String log = "[   12.504127] BUG: KASAN: slab-out-of-bounds in mwifiex_11n_aggregate_pkt+0x8cc/0x900\n"
        + "[   12.510438] Read of size 4 at addr ffff8880255e86f0 by task kworker/u4:1/44\n";
    Report r = new KernelLogParser().parse(log, "-").get(0);
    assertEquals(CorruptionReason.TRUNCATED, r.corruption().orElseThrow().reason());
    assertEquals(List.of(), r.elided());
  }

  // ----------------------------------------------------------------------------------- other oopses

  @ParameterizedTest
  // The GPF's "KASAN: null-ptr-deref in range [..]" / "KASAN: maybe wild-memory-access in range [..]" line
  // (mm/kasan/report.c kasan_non_canonical_hook()) is part of the GPF oops, not a KASAN report. The
  // other oops kinds are reports of their own families (issue 16), never KASAN or KCSAN ones.
  @ValueSource(strings = {"other/warning-only.log", "other/general-protection-fault-kasan-null-ptr-deref-range.log",
      "other/general-protection-fault-kasan-maybe-wild-memory-access.log",
      "other/lockdep-circular-locking.log", "other/hung-task.log", "other/rcu-stall.log", "other/panic-oom.log"})
  void otherOopsKindsAreNoKasanOrKcsanReports(String log) {
    List<Report> rs = parse(log);
    assertEquals(List.of(), rs.stream().map(Report::tool).filter(t -> t == Tool.KASAN || t == Tool.KCSAN).toList());
  }

  @ParameterizedTest
  @CsvSource({"other/warning-only.log, WARNING, WARNING in uvc_register_video_device",
      "other/lockdep-circular-locking.log, LOCKDEP, possible deadlock in splice_file_to_pipe",
      "other/hung-task.log, HUNG_TASK, INFO: task hung in nbd_ioctl"})
  void otherOopsKindsAreReportsOfTheirOwnFamily(String log, Tool tool, String title) {
    Report r = only(log);
    assertEquals(tool, r.tool());
    assertEquals(title, r.title().title());
  }

  // ----------------------------------------------------------------------------------- bytes

  @ParameterizedTest
  @ValueSource(strings = {"bytes/crlf-line-ends.log", "bytes/ansi-colour-escapes.log", "bytes/nul-bytes.log",
      "bytes/invalid-utf8.log", "bytes/stray-carriage-returns.log"})
  void damagedBytesDoNotChangeTheReport(String log) {
    Report r = only(log);
    assertEquals("KASAN: slab-out-of-bounds Read in ath9k_hif_usb_rx_cb", r.title().title());
    assertFalse(r.corrupted());
    assertTrue(r.complete());
    assertEquals(OptionalLong.of(4), r.access().orElseThrow().size());
    assertEquals(OptionalLong.of(0xffff88810a3b1f78L), r.access().orElseThrow().address());
    assertEquals(11, stack(r, StackRole.ACCESS).frames().size());
    assertEquals("ath9k_hif_usb_rx_cb", stack(r, StackRole.ACCESS).frames().get(3).function());
    assertEquals(OptionalLong.of(0xd3c), stack(r, StackRole.ACCESS).frames().get(3).offset());
    assertEquals(Optional.of("6.0.0-rc4"), r.context().release());
  }

  @Test
  void invalidUtf8BecomesReplacementCharacters() {
    Report r = only("bytes/invalid-utf8.log");
    assertEquals(Optional.of("QEMU Standard PC (i440FX + PIIX, 1996), BIOS Soci\ufffdt\ufffd 1.16.0 04/01/2014"),
        r.context().hardware());
  }

  @Test
  void strayCarriageReturnShiftsNothing() {
    // One more line before the report than in the other byte variants: the progress line.
    assertEquals(4, only("bytes/stray-carriage-returns.log").source().firstLine());
    assertEquals(3, only("bytes/crlf-line-ends.log").source().firstLine());
  }
}
