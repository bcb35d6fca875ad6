package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Report;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Trusty TEE's panics as Android's trusty driver forwards the secure OS's log (drivers/trusty/trusty-log.c,
 * a "trusty: " line per secure-log line): the first report is the TEE's, before the WARNING the driver prints
 * when its call into the TEE fails.
 */
class TrustyPanicTest {

  private static Report first(String log) {
    List<Report> reports = TestLogs.parse(log);
    return reports.get(0);
  }

  @Test
  void aPanicIsTitledWithItsMessage() {
    Report r = first("trusty/panic-start-app-arm64-4.9.log");
    assertEquals("trusty: panic: failed(-NUM) to start app NUM", r.title().title());
    assertFalse(r.corrupted(), () -> r.corruption().toString());
  }

  // The secure log came in two chunks: the panic line breaks after "(caller ", its rest follows with its own stamp.
  @Test
  void anAssertionSplitAfterTheCallerIsPutBackTogether() {
    Report r = first("trusty/assert-failed-chunked-arm64-4.9.log");
    assertEquals("trusty: ASSERT FAILED: handle->refobj.refcount > NUM", r.title().title()); // numbers as syzkaller normalizes them
    assertFalse(r.corrupted(), () -> r.corruption().toString());
  }

  @Test
  void anAssertionWhoseTextWentToTheNextLineIsCorrupted() {
    Report r = first("trusty/assert-failed-text-on-next-line-arm64-4.9.log");
    assertEquals("trusty: ASSERT FAILED:", r.title().title());
    assertEquals(CorruptionReason.TRUNCATED, r.corruption().orElseThrow().reason());
  }
}
