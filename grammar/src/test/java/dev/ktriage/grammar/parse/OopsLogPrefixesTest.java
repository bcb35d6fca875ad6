package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The oops families' logs (issue 16: WARNING, lockdep, the kernel's BUG: checks, hangs, stalls) as
 * the other common ways of reading the kernel log print them must give the same titles: syslog or
 * {@code journalctl -k} in its short form ({@code Dec  7 04:12:13 host kernel: ...}) and
 * {@code dmesg -T} ({@code [Mon Dec  7 04:12:13 2026] ...}). The logs are written with printk's
 * uptime stamp; the test replaces it by each prefix.
 */
class OopsLogPrefixesTest {

  private static final List<String> FAMILIES = List.of("/warning/", "/lockdep/", "/bug/", "/hang/", "/stall/",
      "/fault/", // faults (h-oops-c)
      "/kmemleak/", "/panic/", "/syzkaller/", "/suppressed/"); // h-oops-a
  private static final Pattern UPTIME = Pattern.compile("^\\[\\s*(\\d+)\\.\\d+\\] ?");

  @TestFactory
  Stream<DynamicTest> titlesDoNotDependOnTheLogPrefix() {
    List<String> logs = TestLogs.all().stream().filter(l -> FAMILIES.stream().anyMatch(l::contains)).toList();
    assertFalse(logs.isEmpty());
    return logs.stream().flatMap(rel -> {
      String text = new String(TestLogs.bytes(rel), StandardCharsets.UTF_8);
      List<String> titles = titles(text, rel);
      return Stream.of(
          DynamicTest.dynamicTest(rel + " as syslog/journald", () -> assertEquals(titles,
              titles(rewrite(text, s -> String.format(java.util.Locale.ROOT, "Dec  7 04:%02d:%02d host kernel: ",
                  s / 60 % 60, s % 60)), rel))),
          DynamicTest.dynamicTest(rel + " as dmesg -T", () -> assertEquals(titles,
              titles(rewrite(text, s -> String.format(java.util.Locale.ROOT, "[Mon Dec  7 04:%02d:%02d 2026] ",
                  s / 60 % 60, s % 60)), rel))));
    });
  }

  private static List<String> titles(String text, String rel) {
    return new KernelLogParser().parse(text, rel).stream().map(r -> r.title().title() + " | " + r.corrupted()
        + " | suppressed " + r.suppression().map(s -> s.logLine()).orElse(0L)).toList();
  }

  // Every line's uptime stamp replaced by the prefix made from its whole seconds; lines without one
  // (executor output) stay as they are.
  private static String rewrite(String text, java.util.function.LongFunction<String> prefix) {
    StringBuilder out = new StringBuilder();
    for (String line : text.split("\n", -1)) {
      Matcher m = UPTIME.matcher(line);
      out.append(m.find() ? prefix.apply(Long.parseLong(m.group(1))) + line.substring(m.end()) : line).append('\n');
    }
    return out.substring(0, out.length() - 1);
  }
}
