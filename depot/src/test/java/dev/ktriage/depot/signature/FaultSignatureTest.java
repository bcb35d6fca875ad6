package dev.ktriage.depot.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import dev.ktriage.model.Tool;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Faults and traps in the depot (issue 16): a general protection fault on a KASAN kernel prints a
 * {@code KASAN: null-ptr-deref in range [...]} line, which is part of the GPF: the report is a fault,
 * its key is its RIP site, and it never joins a KASAN cluster, not even one blaming the same
 * instruction.
 */
class FaultSignatureTest {
  private static final Path ROOT = Path.of(System.getProperty("ktriage.root", ".."));
  private final Signer signer = new Signer();
  private final KernelLogParser parser = new KernelLogParser();

  // arch/x86/kernel/traps.c exc_general_protection() -> die_addr(), mm/kasan/report.c
  // kasan_non_canonical_hook() (the range line), arch/x86/kernel/dumpstack.c show_trace_log_lvl()
  private static final String GPF = "testdata/logs/other/general-protection-fault-kasan-null-ptr-deref-range.log";

  private Report only(String text, String path) {
    List<Report> rs = parser.parse(text, path);
    assertEquals(1, rs.size(), () -> rs.toString());
    return rs.getFirst();
  }

  private String gpf() throws IOException {
    return Files.readString(ROOT.resolve(GPF));
  }

  /**
   * The KASAN report of a load at the same instruction, as mm/kasan/report.c prints it: print_report()
   * -> print_error_description() ("BUG: KASAN: %s in %pS", "%s of size %zu at addr %px by task %s/%d"),
   * dump_stack_lvl().
   */
  private static final String KASAN_SAME_SITE = """
      [  801.101000] ==================================================================
      [  801.101001] BUG: KASAN: null-ptr-deref in ieee80211_tx_dequeue+0x4e/0x2e80
      [  801.101002] Read of size 8 at addr 0000000000000020 by task syz-executor.2/6131
      [  801.101003]\s
      [  801.101004] CPU: 1 PID: 6131 Comm: syz-executor.2 Not tainted 6.2.0-rc5 #3
      [  801.101005] Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.3-debian-1.16.3-2 04/01/2014
      [  801.101006] Call Trace:
      [  801.101007]  <TASK>
      [  801.101008]  dump_stack_lvl+0xcd/0x134
      [  801.101009]  kasan_report+0xbf/0xf0
      [  801.101010]  ieee80211_tx_dequeue+0x4e/0x2e80
      [  801.101011]  ath9k_htc_tx_data+0x2e5/0x500
      [  801.101012]  ieee80211_tx_frags+0x3c2/0x8d0
      [  801.101013]  do_syscall_64+0x39/0xb0
      [  801.101014]  entry_SYSCALL_64_after_hwframe+0x63/0xcd
      [  801.101015]  </TASK>
      [  801.101016] ==================================================================
      """;

  @Test
  void aGpfWithItsKasanRangeLineIsKeyedByItsRipSite() throws IOException {
    Report r = only(gpf(), GPF);
    assertEquals(Tool.FAULT, r.tool());
    Signature s = signer.sign(r);
    assertEquals(Tool.FAULT, s.tool());
    assertEquals("general-protection-fault", s.bugClass());
    assertTrue(s.exactKey().startsWith("fault/general-protection-fault/"), s.exactKey());
    assertTrue(s.exactKey().contains("site:ieee80211_tx_dequeue+0x4e"), s.exactKey());
    assertEquals("ieee80211_tx_dequeue", s.evidence().anchor().orElseThrow().function());
    assertEquals("ath9k_htc_tx_data", s.evidence().caller().orElseThrow().function(),
        "the Call Trace starts at the caller of the RIP's function");
  }

  @Test
  void anotherOccurrenceJoinsAnotherFaultingInstructionDoesNot() throws IOException {
    String text = gpf();
    Report first = only(text, GPF);
    // the same bug reached from another caller, on another cpu, at another non-canonical address
    Report again = only(text.replace("CPU: 1 PID: 6131", "CPU: 0 PID: 7012")
        .replace("0xdffffc0000000004", "0xdffffc0000000005")
        .replace("ieee80211_tx_frags+0x3c2/0x8d0", "ieee80211_tx_pending+0x1a1/0x7b0"), GPF);
    Report elsewhere = only(text.replace("ieee80211_tx_dequeue+0x4e/0x2e80", "ieee80211_tx_dequeue+0x9d1/0x2e80"), GPF);
    assertEquals(signer.sign(first).exactKey(), signer.sign(again).exactKey());
    assertNotEquals(signer.sign(first).exactKey(), signer.sign(elsewhere).exactKey());

    Clusterer c = new Clusterer();
    Assignment a = c.assign(signer.sign(first), first.title().title(), first.title().alternatives());
    Assignment b = c.assign(signer.sign(again), again.title().title(), again.title().alternatives());
    assertInstanceOf(Assignment.ExactMatch.class, b);
    assertEquals(a.clusterId(), b.clusterId());
  }

  @Test
  void aGpfNeverJoinsAKasanClusterOfTheSameInstruction() throws IOException {
    Report kasan = only(KASAN_SAME_SITE, "kasan-same-site.log");
    Report fault = only(gpf(), GPF);
    assertEquals(Tool.KASAN, kasan.tool());
    Signature k = signer.sign(kasan);
    Signature f = signer.sign(fault);
    assertEquals("bad-access", k.bugClass());
    assertEquals(k.evidence().anchor().orElseThrow().function(), f.evidence().anchor().orElseThrow().function(),
        "both blame the same instruction");
    assertNotEquals(k.exactKey(), f.exactKey());

    for (boolean kasanFirst : new boolean[] {true, false}) {
      Clusterer c = new Clusterer();
      Report one = kasanFirst ? kasan : fault;
      Report two = kasanFirst ? fault : kasan;
      Assignment a = c.assign(signer.sign(one), one.title().title(), one.title().alternatives());
      Assignment b = c.assign(signer.sign(two), two.title().title(), two.title().alternatives());
      assertInstanceOf(Assignment.NewCluster.class, b, b.toString());
      assertNotEquals(a.clusterId(), b.clusterId());
    }
  }
}
