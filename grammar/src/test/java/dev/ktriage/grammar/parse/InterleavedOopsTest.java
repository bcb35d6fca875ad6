package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Two oopses of one kind printed at once on two cpus, without caller ids (issue 16, "interleaved output
 * without caller ids"): a metamorphic test. Each pair of real-format reports from {@code testdata/logs}
 * (caller ids removed) is interleaved as the kernel interleaves them: the second report's lines printed
 * before it takes {@code die_lock} or prints its registers (the fault line, x86's {@code #PF:} lines,
 * arm64's abort info, a WARNING's cut-here and header) fall at random points into the first report's
 * output, up to its end marker; its registers and stack follow the first's output. Each report must keep
 * the title and guilty frame it has alone, and the first must say it was repaired.
 */
class InterleavedOopsTest {

  private record Pair(String first, String second) {}

  private static final List<Pair> PAIRS = List.of(
      new Pair("fault/page-fault-x86_64-6.1.log", "fault/null-ptr-deref-x86_64-5.10.log"),
      new Pair("fault/null-ptr-deref-x86_64-5.10.log", "fault/page-fault-x86_64-6.1.log"),
      new Pair("fault/unable-to-handle-paging-request-arm64-6.1.log", "fault/unable-to-handle-paging-request-arm64-6.1.log"),
      new Pair("warning/generic-x86_64-6.6.log", "warning/refcount-underflow-x86_64-5.15.log"),
      new Pair("warning/refcount-underflow-x86_64-5.15.log", "warning/generic-x86_64-6.6.log"));

  private static final int SEEDS = 20;
  private static final Pattern CALLER_ID = Pattern.compile("^(\\[\\s*\\d+\\.\\d+\\])\\[\\s*[TC]\\d+\\]");
  // Where a report's own output under die_lock (or its register dump) starts, after the header.
  private static final List<String> DUMP_STARTS = List.of("Oops", "Internal error:", "CPU:", "Modules linked in:");

  @TestFactory
  Stream<DynamicTest> eachReportKeepsItsTitleAndGuiltyFrame() {
    return PAIRS.stream().flatMap(p -> IntStream.rangeClosed(1, SEEDS).mapToObj(seed -> DynamicTest.dynamicTest(
        p.first() + " + " + p.second() + " seed " + seed, () -> check(p, seed))));
  }

  private static void check(Pair p, int seed) {
    List<String> a = firstReportLines(p.first());
    List<String> b = firstReportLines(p.second());
    Report aloneA = only(a);
    Report aloneB = only(b);
    List<String> merged = interleave(a, b, new Random(seed));
    List<Report> got = new KernelLogParser().parse(String.join("\n", merged) + "\n", "interleaved.log");
    assertEquals(List.of(summary(aloneA), summary(aloneB)), got.stream().map(InterleavedOopsTest::summary).toList(),
        () -> String.join("\n", merged));
    Report first = got.get(0);
    assertTrue(first.corruption().map(c -> c.detail().startsWith("repaired")).orElse(false),
        () -> "the first report does not say it was repaired: " + first.corruption());
  }

  // A line of the second report where its own output starts: the first line after its header that opens
  // the part it prints under die_lock or its register dump.
  private static List<String> interleave(List<String> a, List<String> b, Random random) {
    int headerA = headerIndex(a);
    int endA = endMarker(a);
    int headerB = headerIndex(b);
    int dumpB = b.size();
    for (int i = headerB + 1; i < b.size(); i++) {
      String body = body(b.get(i));
      if (DUMP_STARTS.stream().anyMatch(body::startsWith)) {
        dumpB = i;
        break;
      }
    }
    // The second's header comes while the first prints its header block (before its stack heading), its
    // other early lines after it, up to the first's end marker, in order; its cut-here line stays right
    // above its header (one cpu prints them one after the other).
    int headingA = heading(a);
    List<Integer> at = new ArrayList<>();
    at.add(headerA + 1 + random.nextInt(headingA - headerA));
    for (int i = headerB + 1; i < dumpB; i++) {
      at.add(at.get(0) + random.nextInt(endA - at.get(0) + 1));
    }
    at.sort(null);
    List<String> out = new ArrayList<>();
    int next = 0; // the next of the second's early lines
    for (int i = 0; i < a.size(); i++) {
      while (next < at.size() && at.get(next) == i) {
        if (next == 0) {
          out.addAll(b.subList(0, headerB));
        }
        out.add(b.get(headerB + next++));
      }
      out.add(a.get(i));
    }
    while (next < at.size()) {
      if (next == 0) {
        out.addAll(b.subList(0, headerB));
      }
      out.add(b.get(headerB + next++));
    }
    out.addAll(b.subList(dumpB, b.size()));
    return out;
  }

  // The report's header line: the line that starts with the header the report has alone.
  private static int headerIndex(List<String> lines) {
    String header = only(lines).header();
    for (int i = 0; i < lines.size(); i++) {
      if (body(lines.get(i)).startsWith(header)) {
        return i;
      }
    }
    throw new AssertionError("no header line " + header);
  }

  private static int heading(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      String body = body(lines.get(i));
      if (body.startsWith("Call Trace") || body.startsWith("Call trace:")) {
        return i;
      }
    }
    throw new AssertionError("no stack heading");
  }

  private static int endMarker(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("---[ end trace")) {
        return i;
      }
    }
    return lines.size();
  }

  private static String body(String line) {
    int close = line.indexOf("] ");
    return close >= 0 && line.startsWith("[") ? line.substring(close + 2).strip() : line.strip();
  }

  // The lines of the log's first report, as printed without caller ids.
  private static List<String> firstReportLines(String log) {
    String rel = "testdata/logs/" + log;
    List<String> lines = new String(TestLogs.bytes(rel), StandardCharsets.UTF_8).lines()
        .map(l -> CALLER_ID.matcher(l).replaceFirst("$1")).toList();
    Report r = TestLogs.parse(log).get(0);
    return List.copyOf(lines.subList((int) r.source().firstLine() - 1, (int) r.source().lastLine()));
  }

  private static Report only(List<String> lines) {
    List<Report> r = new KernelLogParser().parse(String.join("\n", lines) + "\n", "alone.log");
    assertEquals(1, r.size(), () -> r.stream().map(x -> x.title().title()).toList().toString());
    return r.get(0);
  }

  private static String summary(Report r) {
    return r.title().title() + " | " + r.title().guiltyFrame().orElse("-");
  }

  // The arm64 fault of syzkaller's record 680, as printed without caller ids: two cpus fault on the same
  // address; the second's abort info falls into the first's report.
  @Test
  void twoArm64FaultsAtOnceGiveTheFirstItsStack() {
    List<String> a = firstReportLines("fault/unable-to-handle-paging-request-arm64-6.1.log");
    List<String> merged = interleave(a, a, new Random(680));
    List<Report> got = new KernelLogParser().parse(String.join("\n", merged) + "\n", "interleaved.log");
    assertEquals(summary(only(a)), summary(got.get(0)));
  }
}
