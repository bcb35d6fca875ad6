package dev.ktriage.reportjson;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import dev.ktriage.grammar.parse.KernelLogParser;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The store's byte-writing JSON path is the printed JSON, byte for byte. */
class ReportJsonUtf8Test {
  private static List<Path> logs() throws java.io.IOException {
    try (java.util.stream.Stream<Path> s = Files.walk(ReportJsonRoundTripTest.root().resolve("testdata/logs"))) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    }
  }

  @Test
  void utf8PathEqualsTheTextPathOnEveryTestLog() throws Exception {
    ReportJsonWriter json = new ReportJsonWriter(new dev.ktriage.grammar.title.GuiltyFiles()::guiltyFile);
    List<Report> reports = new ArrayList<>();
    for (Path log : logs()) {
      try (InputStream in = Files.newInputStream(log)) {
        new KernelLogParser().parse(in, log.toString(), reports::add);
      }
    }
    assertTrue(reports.size() > 40, "too few reports: " + reports.size());
    int nonAscii = 0;
    for (Report r : reports) {
      String text = json.toJson(r);
      byte[] utf8 = json.toJsonUtf8(r);
      assertArrayEquals(text.getBytes(StandardCharsets.UTF_8), utf8, r.source().path() + ":" + r.source().firstLine());
      // twice on one thread: the reused buffer must not leak the previous report
      assertArrayEquals(utf8, json.toJsonUtf8(r));
      nonAscii += text.chars().anyMatch(c -> c >= 0x80) ? 1 : 0;
    }
    assertTrue(nonAscii > 0, "no report with non-ASCII text: the UTF-8 encoding is untested");
  }

  @Test
  void hexIsTheFormattersZeroPaddedLowercase() {
    for (long v : new long[] {0, 1, 0xffff88802a4c3118L, -1, Long.MIN_VALUE, 0x401093, 0xabcdefL << 40}) {
      assertEquals(String.format(Locale.ROOT, "0x%016x", v), ReportJsonWriter.hex(v));
    }
  }
}
