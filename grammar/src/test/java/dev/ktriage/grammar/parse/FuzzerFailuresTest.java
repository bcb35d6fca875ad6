package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktriage.model.KernelBugDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.Tool;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fuzzer's own failures in a console log: the Go runtime's fatal errors. */
class FuzzerFailuresTest {

  // src/runtime/malloc.go + panic.go throw("out of memory") in syz-fuzzer, its output in the console log.
  @Test
  void theFuzzersGoRuntimeThrowIsAGoRuntimeError() {
    Report r = TestLogs.only("syzkaller/go-runtime-out-of-memory.log");
    assertEquals("go runtime error", r.title().title());
    assertEquals(Tool.SYZKALLER, r.tool());
    assertEquals("out of memory", ((KernelBugDetails) r.details()).subject().orElseThrow());
    assertEquals(4, r.suppression().orElseThrow().logLine(), "the Go runtime ran out of memory: suppressed");
  }

  // sound/core/seq/seq_timer.c prints "seq fatal error: cannot create timer": the Go header only starts a line.
  @Test
  void fatalErrorInsideAKernelMessageIsNoReport() {
    String log = "[   69.295771][ T2742] ALSA: seq fatal error: cannot create timer (-22)\n"
        + "ALSA: seq fatal error: cannot create timer (-22)\n";
    assertEquals(List.of(), new KernelLogParser().parse(log, "-"));
  }
}
