package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktriage.grammar.log.ConsoleLine;
import dev.ktriage.grammar.log.ConsolePrefix;
import dev.ktriage.model.Banner;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which lines before a header are its report's lead-in. */
class OopsExtentTest {

  private static ConsoleLine line(long n, String body) {
    return new ConsoleLine(n, ConsolePrefix.none(), body);
  }

  // kernel/panic.c __warn() after lib/bug.c report_bug()'s pr_warn(CUT_HERE): the marker is a line of its own.
  @Test
  void theCutHereLineBeforeAWarningIsItsLeadIn() {
    List<ConsoleLine> recent = List.of(line(1, "loop0: detected capacity change from 0 to 4096"),
        line(2, "------------[ cut here ]------------"));
    assertEquals(recent.subList(1, 2), OopsExtent.leadIn(Banner.WARNING, recent));
  }

  // Two CPUs printing at once without printk times: the marker glued after another message's text belongs
  // to that line, which is not the WARNING's (the fuzzer found a CPU: line taken as lead-in this way).
  @Test
  void aMarkerGluedToAnotherMessageIsNoLeadIn() {
    List<ConsoleLine> recent = List.of(
        line(1, "CPU: 1 PID: 5084 Comm: syz-executor.3 Not tainted 6.1.0 #0------------[ cut here ]------------"));
    assertEquals(List.of(), OopsExtent.leadIn(Banner.WARNING, recent));
    List<ConsoleLine> earlier = List.of(line(1, "------------[ cut here ]------------"),
        line(2, "audit: type=1400 audit(1.2:3): avc: denied------------[ cut here ]------------"));
    assertEquals(earlier, OopsExtent.leadIn(Banner.WARNING, earlier), "the marker line before it still leads in");
  }
}
