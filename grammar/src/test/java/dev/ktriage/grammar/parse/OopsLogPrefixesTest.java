package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.LongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every log of {@code testdata/logs} (every kind of issue 16, see {@link OopsKindsTest}, and the
 * sanitizers', format and corruption logs) as the other common ways of reading the kernel log print
 * it must give the same titles, corrupted flags and suppressions: syslog or {@code journalctl -k} in
 * its short form ({@code Dec  7 04:12:13 host kernel: ...}) and {@code dmesg -T}
 * ({@code [Mon Dec  7 04:12:13 2026] ...}). The logs are written with printk's uptime stamp; the test
 * replaces it by each prefix.
 */
class OopsLogPrefixesTest {

  private static final Pattern UPTIME = Pattern.compile("^\\[\\s*(\\d+)\\.\\d+\\] ?");

  /** journald's and syslog's short form, from the stamp's whole seconds. */
  static final LongFunction<String> JOURNALD = s -> String.format(Locale.ROOT, "Dec  7 04:%02d:%02d host kernel: ",
      s / 60 % 60, s % 60);
  /** util-linux {@code dmesg -T}: ctime(3)'s text in brackets. */
  static final LongFunction<String> DMESG_T = s -> String.format(Locale.ROOT, "[Mon Dec  7 04:%02d:%02d 2026] ",
      s / 60 % 60, s % 60);

  @TestFactory
  Stream<DynamicTest> titlesDoNotDependOnTheLogPrefix() {
    List<String> logs = TestLogs.all();
    assertFalse(logs.isEmpty());
    return logs.stream().flatMap(rel -> {
      String text = new String(TestLogs.bytes(rel), StandardCharsets.UTF_8);
      List<String> titles = titles(text, rel);
      return Stream.of(
          DynamicTest.dynamicTest(rel + " as syslog/journald", () -> assertEquals(titles,
              titles(rewrite(text, JOURNALD), rel))),
          DynamicTest.dynamicTest(rel + " as dmesg -T", () -> assertEquals(titles,
              titles(rewrite(text, DMESG_T), rel))));
    });
  }

  // The rewrite changes what it must: a test that compared a log with itself would pass on anything.
  @Test
  void theRewriteReplacesTheUptimeStampOnly() {
    String log = "[  611.704221][ T6243] Unable to handle kernel paging request\n"
        + "executor output\n[ 5711.262120] Internal error: : 1b [#1] PREEMPT SMP ARM";
    assertEquals("Dec  7 04:10:11 host kernel: [ T6243] Unable to handle kernel paging request\nexecutor output\n"
        + "Dec  7 04:35:11 host kernel: Internal error: : 1b [#1] PREEMPT SMP ARM", rewrite(log, JOURNALD));
    assertTrue(rewrite(log, DMESG_T).startsWith("[Mon Dec  7 04:10:11 2026] [ T6243] Unable"));
  }

  /** Each report's title, corrupted flag and suppression line, in log order. */
  static List<String> titles(String text, String rel) {
    return new KernelLogParser().parse(text, rel).stream().map(r -> r.title().title() + " | " + r.corrupted()
        + " | suppressed " + r.suppression().map(s -> s.logLine()).orElse(0L)).toList();
  }

  /** Every line's uptime stamp replaced by the prefix made from its whole seconds; lines without one
   * (executor output) stay as they are. */
  static String rewrite(String text, LongFunction<String> prefix) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher m = UPTIME.matcher(line);
      out.append(m.find() ? prefix.apply(Long.parseLong(m.group(1))) + line.substring(m.end()) : line).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }
}
