package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ktriage.model.KernelBugDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The kernel's Rust panic handler (rust/kernel/lib.rs): {@code pr_emerg!} prints core's PanicInfo,
 * {@code panicked at file.rs:line:col:} with the message on the next line, then {@code BUG()} raises an
 * oops (x86: {@code kernel BUG at rust/helpers/bug.c:7!} and {@code invalid opcode}). The oops is the
 * panic's: one report, titled with the message and the first frame past the panic machinery.
 */
class RustPanicTest {

  private static final String LOG = "rust/panic-add-overflow-x86_64-6.12.log";

  @Test
  void thePanicAndTheBugItRaisesAreOneReportTitledWithTheMessage() {
    Report r = TestLogs.only(LOG);
    assertEquals("attempt to add with overflow in <rust_binder::node::Node>::update_refcount_locked", r.title().title());
    assertEquals(Optional.of("<rust_binder::node::Node>::update_refcount_locked"), r.title().guiltyFrame());
    assertFalse(r.corrupted(), () -> r.corruption().toString());
  }

  @Test
  void itsFieldsAreThePanicsPlaceAndMessage() {
    KernelBugDetails k = (KernelBugDetails) TestLogs.only(LOG).details();
    assertEquals("rust panic", k.check());
    assertEquals(Optional.of(new SourceLocation("drivers/android/binder/node.rs", 602)), k.site());
    assertEquals(Optional.of("attempt to add with overflow"), k.subject());
  }

  // Without the message line (cut from the log) the panic is still a report of its own.
  @Test
  void aPanicWithoutItsMessageIsTitledByItsFrame() {
    String text = new String(TestLogs.bytes("testdata/logs/" + LOG), java.nio.charset.StandardCharsets.UTF_8)
        .replace("[  412.340227] attempt to add with overflow\n", "");
    List<Report> reports = new KernelLogParser().parse(text, LOG);
    assertEquals(List.of("rust_kernel: panicked in <rust_binder::node::Node>::update_refcount_locked"),
        reports.stream().map(x -> x.title().title()).toList());
  }
}
