package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Ktriage;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults and traps downstream (issue 16): {@code parse --check} finds them, and {@code ingest} +
 * {@code clusters} keep a general protection fault, whose KASAN kernel printed a {@code KASAN: ... in
 * range} line, in a cluster of faults, never with KASAN reports.
 */
class FaultCommandsTest {
  static final Path ROOT = Path.of(System.getProperty("ktriage.root", ".."));

  @TempDir Path tmp;

  record Run(int code, String out, String err) {}

  Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Ktriage.run(args, new PrintWriter(out), new PrintWriter(err));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void parseCheckFindsAFault() {
    for (String log : List.of("gpf-kasan-null-ptr-deref-x86_64-6.10.log", "unhandled-fault-arm-5.10.log",
        "kernel-bug-x86_64-6.2.log")) {
      Run r = run("parse", "--check", ROOT.resolve("testdata/logs/fault").resolve(log).toString());
      assertEquals(1, r.code(), log + ": " + r.err());
    }
  }

  @Test
  void aGpfClustersWithFaultsNeverWithKasanReports() {
    String store = tmp.resolve("store").toString();
    Run in = run("ingest", "--no-progress", "--store", store, ROOT.resolve("testdata/logs/fault").toString(),
        ROOT.resolve("testdata/logs/kasan").toString(),
        ROOT.resolve("testdata/logs/other/general-protection-fault-kasan-null-ptr-deref-range.log").toString(),
        ROOT.resolve("testdata/logs/other/general-protection-fault-kasan-maybe-wild-memory-access.log").toString());
    assertEquals(0, in.code(), in.err());
    Run list = run("clusters", "--store", store, "--format", "jsonl");
    assertEquals(0, list.code(), list.err());
    int gpfClusters = 0;
    for (String l : list.out().lines().toList()) {
      if (l.contains("\"general protection fault in ")) {
        gpfClusters++;
        assertFalse(l.contains("\"KASAN: "), "a GPF cluster holds no KASAN report: " + l);
      }
    }
    assertTrue(gpfClusters >= 3, list.out());
  }
}
