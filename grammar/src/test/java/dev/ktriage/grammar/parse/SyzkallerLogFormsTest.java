package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;

/**
 * Every log of syzkaller's corpus ({@code ../shared/corpus/syzkaller}, 517 console logs with printk
 * times and caller ids) rewritten as the other tools people read kernel logs with print the same
 * records must give the same first report: title, guilty frame and corrupted flag.
 *
 * <p>The forms keep the caller id, because the corpus's logs interleave tasks and CPUs and only the
 * caller id tells their lines apart: without it (journald, util-linux {@code dmesg} on a kernel without
 * {@code CONFIG_PRINTK_CALLER}) a few logs really are ambiguous, and syzkaller itself would mix them.
 */
class SyzkallerLogFormsTest {

  private record Form(String name, UnaryOperator<String> rewrite) {}

  private static final List<Form> FORMS = List.of(
      // util-linux dmesg, print_record(): "[%5ld.%06ld] " then the caller id as "[%*s] ".
      new Form("util-linux dmesg with caller ids",
          t -> t.replaceAll("(?m)^(\\[\\s*\\d+\\.\\d+\\])\\[(\\s*[TC]\\d+)\\]", "$1 [$2]")),
      // dmesg -T: "[%s] " with ctime(3)'s text, then the caller id.
      new Form("dmesg -T with caller ids",
          t -> t.replaceAll("(?m)^\\[\\s*\\d+\\.\\d+\\]\\[(\\s*[TC]\\d+)\\]", "[Mon Dec  7 04:12:13 2026] [$1]")),
      // CONFIG_PRINTK_TIME off: the console prints print_caller()'s "[%6s]" alone.
      new Form("console without printk times",
          t -> t.replaceAll("(?m)^\\[\\s*\\d+\\.\\d+\\]\\[(\\s*[TC]\\d+)\\]", "[$1]")),
      // dmesg --time-format=iso: "%s " with a comma before the microseconds, then the caller id.
      new Form("dmesg --time-format=iso with caller ids",
          t -> t.replaceAll("(?m)^\\[\\s*\\d+\\.\\d+\\]\\[(\\s*[TC]\\d+)\\]", "2026-12-07T04:12:13,123456+00:00 [$1]")),
      new Form("CRLF line ends (a serial console captured on Windows)", t -> t.replace("\n", "\r\n")),
      new Form("quoted in a mail reply", t -> t.replaceAll("(?m)^", "> ")),
      new Form("after other output", t -> "Warning: Permanently added '10.128.0.2' (ED25519) to the list of known hosts.\n"
          + "executing program\n" + t));

  @TestFactory
  Stream<DynamicTest> firstReportDoesNotDependOnHowTheLogWasRead() {
    List<JsonNode> records = Corpora.shared("syzkaller");
    List<String> wants = records.stream()
        .map(r -> first(new KernelLogParser().parse(r.get("log").asString(), r.get("id").asString()))).toList();
    return FORMS.stream().map(form -> DynamicTest.dynamicTest(form.name(), () -> {
      List<String> differ = new ArrayList<>();
      for (int i = 0; i < records.size(); i++) {
        JsonNode r = records.get(i);
        String log = r.get("log").asString();
        String id = r.get("id").asString();
        String want = wants.get(i);
        String got = first(new KernelLogParser().parse(form.rewrite().apply(log), id));
        if (!want.equals(got)) {
          differ.add(id + ": " + want + "  became  " + got);
        }
      }
      assertEquals(List.of(), differ, differ.size() + " of " + records.size() + " logs differ as " + form.name());
    }));
  }

  private static String first(List<Report> reports) {
    if (reports.isEmpty()) {
      return "(no report)";
    }
    Report r = reports.get(0);
    return r.title().title() + " | " + r.title().guiltyFrame().orElse("-") + " | corrupted " + r.corrupted();
  }
}
