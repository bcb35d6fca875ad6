package dev.ktriage.reportjson;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The report codec the stores keep reports in, on any input: JSON it reads is a report that writes
 * back to the same report, JSON it cannot read is a {@link ReportJsonException} (nothing else), and
 * every report the parser makes of any log round-trips. Saved inputs in
 * {@code src/test/resources/.../ReportJsonFuzzTestInputs/}; {@code bench/fuzz/run.sh} fuzzes.
 */
class ReportJsonFuzzTest {
  private final ReportJsonWriter writer = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);
  private final ReportJsonReader reader = new ReportJsonReader();

  /** Any bytes as stored JSON. */
  @FuzzTest(maxDuration = "1h")
  void anyJson(byte[] json) {
    Report r;
    try {
      r = reader.read(json);
    } catch (ReportJsonException e) {
      return; // refused, as documented
    }
    roundTrips(r);
  }

  /** A report's JSON with fuzzer-chosen edits to its text: values, numbers, nesting. */
  @FuzzTest(maxDuration = "1h")
  void editedReportJson(FuzzedDataProvider data) throws IOException {
    List<Report> reports = parse(SEED_LOG);
    if (reports.isEmpty()) {
      return;
    }
    String json = writer.toJson(reports.get(data.consumeInt(0, reports.size() - 1)));
    StringBuilder b = new StringBuilder(json);
    int edits = data.consumeInt(1, 6);
    for (int i = 0; i < edits && b.length() > 0; i++) {
      int at = data.consumeInt(0, b.length() - 1);
      int len = data.consumeInt(0, Math.min(16, b.length() - at));
      b.replace(at, at + len, data.consumeString(16));
    }
    anyJson(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** Reports the parser makes of any log. */
  @FuzzTest(maxDuration = "1h")
  void parsedReportsRoundTrip(byte[] log) throws IOException {
    for (Report r : parse(log)) {
      roundTrips(r);
    }
  }

  private void roundTrips(Report r) {
    byte[] utf8 = writer.toJsonUtf8(r);
    Report back;
    try {
      back = reader.read(utf8);
    } catch (ReportJsonException e) {
      throw new AssertionError("its own JSON refused: " + e.getMessage() + "\n" + new String(utf8, StandardCharsets.UTF_8), e);
    }
    assertEquals(r, back);
    assertEquals(writer.toJson(r), writer.toJson(back));
  }

  private static List<Report> parse(byte[] log) throws IOException {
    List<Report> out = new ArrayList<>();
    new KernelLogParser().parse(new ByteArrayInputStream(log), "fuzz.log", out::add);
    return out;
  }

  /** A log with a KASAN and a KCSAN report, so that edits start from both kinds of JSON. */
  private static final byte[] SEED_LOG = seedLog();

  private static byte[] seedLog() {
    var root = ReportJsonRoundTripTest.root().resolve("testdata/logs");
    try {
      return java.nio.file.Files.readAllBytes(root.resolve("multi/kcsan-warning-kasan-in-one-log.log"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
