package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Properties every log in {@code testdata/logs} must have, whatever it holds: spans inside the log
 * and in order, a report's own lines reparse to the same title, and the same reports come out of
 * metamorphic variants of the log (CRLF line ends, timestamps removed, caller ids added, another
 * context's noise between every two lines).
 */
class LogInvariantsTest {

  // The uptime stamp as printed by CONFIG_PRINTK_TIME, wherever it is in the prefix.
  private static final Pattern UPTIME = Pattern.compile("^(<\\d+>|kern  :\\w+\\s*: )?\\[\\s*\\d+\\.\\d+\\] ?");
  private static final Pattern CALLER = Pattern.compile("^(\\[\\s*\\d+\\.\\d+\\])(\\[\\s*[TC]\\d+\\])");

  @TestFactory
  Stream<DynamicContainer> everyLog() {
    return TestLogs.all().stream().map(rel -> DynamicContainer.dynamicContainer(rel, tests(rel)));
  }

  private static Stream<DynamicTest> tests(String rel) {
    String text = new String(TestLogs.bytes(rel), StandardCharsets.ISO_8859_1);
    List<String> lines = splitLines(text);
    List<Report> reports = parse(text, rel);
    List<DynamicTest> out = new ArrayList<>();
    out.add(DynamicTest.dynamicTest("spans lie inside the log and in order", () -> spans(reports, lines.size())));
    out.add(DynamicTest.dynamicTest("a report's own lines reparse to the same title", () -> reparse(reports, lines, rel)));
    out.add(DynamicTest.dynamicTest("CRLF line ends give the same reports",
        () -> same(reports, parse(text.replace("\n", "\r\n"), rel))));
    boolean stamped = lines.stream().anyMatch(l -> UPTIME.matcher(l).find());
    boolean callerIds = lines.stream().anyMatch(l -> CALLER.matcher(l).find());
    if (stamped && !callerIds) {
      // Without caller ids the timestamp is what tells kernel lines from unprefixed executor output;
      // logs that rely on caller ids to separate tasks cannot lose it.
      out.add(DynamicTest.dynamicTest("without timestamps the reports are the same",
          () -> same(reports, parse(mapLines(text, LogInvariantsTest::dropUptime), rel))));
      out.add(DynamicTest.dynamicTest("with caller ids added the reports are the same",
          () -> same(reports, parse(mapLines(text, LogInvariantsTest::addCaller), rel))));
    }
    if (stamped) {
      out.add(DynamicTest.dynamicTest("noise of another cpu between every two lines changes nothing",
          () -> same(reports, parse(withNoise(callerIds ? text : mapLines(text, LogInvariantsTest::addCaller)), rel))));
    }
    return out.stream();
  }

  private static void spans(List<Report> reports, int lineCount) {
    long previousFirst = 0;
    for (Report r : reports) {
      long first = r.source().firstLine();
      long last = r.source().lastLine();
      assertTrue(first >= 1 && first <= last && last <= lineCount, r.title().title() + ": " + r.source());
      assertTrue(first >= previousFirst, "reports out of order at " + r.source());
      previousFirst = first;
      for (Stack s : r.stacks()) {
        for (Frame f : s.frames()) {
          assertTrue(f.logLine() >= first && f.logLine() <= last, f.function() + " at line " + f.logLine()
              + " outside " + r.source());
        }
      }
    }
  }

  private static void reparse(List<Report> reports, List<String> lines, String rel) {
    for (Report r : reports) {
      String own = String.join("\n", lines.subList((int) r.source().firstLine() - 1, (int) r.source().lastLine())) + "\n";
      List<Report> again = parse(own, rel);
      assertFalse(again.isEmpty(), "lines " + r.source() + " hold no report");
      assertTrue(again.stream().anyMatch(a -> a.title().title().equals(r.title().title())),
          r.title().title() + " not among " + again.stream().map(a -> a.title().title()).toList());
    }
  }

  /**
   * What must not change: the reports, their titles, bug types and every stack's frames. Their order
   * may: a report is ordered by its first line, and when another context's lines push its opening
   * rule beyond the scanner's look-behind, the report starts at its header instead.
   */
  private static void same(List<Report> expected, List<Report> got) {
    assertEquals(summary(expected), summary(got));
  }

  private static List<String> summary(List<Report> reports) {
    List<String> out = new ArrayList<>();
    for (Report r : reports) {
      StringBuilder b = new StringBuilder(r.tool() + " " + r.bugType() + " | " + r.title().title() + " | "
          + r.corrupted());
      for (Stack s : r.stacks()) {
        if (s.role() == StackRole.OTHER) {
          // Other tasks' and cpus' stacks: with caller ids a report keeps collecting its task's lines
          // past an interrupting oops (as syzkaller does), without them it cannot tell whose they are.
          continue;
        }
        b.append("\n  ").append(s.role()).append(':');
        for (Frame f : s.frames()) {
          b.append(' ').append(f.function()).append('+').append(f.offset()).append(f.reliable() ? "" : "?");
        }
      }
      out.add(b.toString());
    }
    out.sort(null);
    return out;
  }

  private static String dropUptime(String line) {
    Matcher m = UPTIME.matcher(line);
    if (!m.find()) {
      return line;
    }
    return (m.group(1) == null ? "" : m.group(1)) + line.substring(m.end());
  }

  // The caller id goes after the line's printk time, and after the time of every printk record glued to
  // it ("trusty: panic (caller [  507.336214] trusty: 0x...): ..."): each record carries its own prefix.
  private static String addCaller(String line) {
    Matcher m = Pattern.compile("^(<\\d+>|kern  :\\w+\\s*: )?(\\[\\s*\\d+\\.\\d+\\])").matcher(line);
    if (!m.find()) {
      return line;
    }
    String rest = GLUED_TIME.matcher(line.substring(m.end())).replaceAll("$1[ T4242]");
    return line.substring(0, m.end()) + "[ T4242]" + rest;
  }

  private static final Pattern GLUED_TIME = Pattern.compile("(\\[\\s*\\d+\\.\\d{6}\\])(?!\\[)");

  // After every stamped line, a line of another cpu's context, as an interrupt would print it.
  private static String withNoise(String text) {
    return mapLines(text, l -> {
      Matcher m = UPTIME.matcher(l);
      return m.find() ? l + "\n[ 9999.000001][    C7] hrtimer: interrupt took 1042 ns" : l;
    });
  }

  private static String mapLines(String text, UnaryOperator<String> f) {
    StringBuilder b = new StringBuilder();
    List<String> lines = splitLines(text);
    for (int i = 0; i < lines.size(); i++) {
      b.append(f.apply(lines.get(i)));
      if (i < lines.size() - 1 || text.endsWith("\n")) {
        b.append('\n');
      }
    }
    return b.toString();
  }

  // Lines as the scanner counts them: '\n' ends a line; a last line without one still counts.
  private static List<String> splitLines(String text) {
    List<String> out = new ArrayList<>(List.of(text.split("\n", -1)));
    if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) {
      out.remove(out.size() - 1);
    }
    return out;
  }

  // The text holds the log's bytes one char each (ISO-8859-1), so invalid UTF-8 survives the round trip.
  private static List<Report> parse(String text, String rel) {
    List<Report> out = new ArrayList<>();
    try {
      new KernelLogParser().parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)), rel, out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }
}
