package dev.ktriage.reportjson;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Symbolization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Every report of every testdata log comes back from its JSON as the same {@link Report}. */
class ReportJsonRoundTripTest {
  private final ReportJsonWriter writer = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);
  private final ReportJsonReader reader = new ReportJsonReader();

  static Path root() {
    String r = System.getProperty("ktriage.root");
    return (r != null ? Path.of(r) : Path.of("..")).toAbsolutePath().normalize();
  }

  static List<Report> reports(Path log) throws IOException {
    List<Report> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(log)) {
      new KernelLogParser().parse(in, log.toString(), out::add);
    }
    return out;
  }

  @TestFactory
  List<DynamicTest> everyTestdataReportRoundTrips() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root().resolve("testdata/logs"))) {
      for (Path log : s.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        tests.add(DynamicTest.dynamicTest(root().relativize(log).toString(), () -> {
          for (Report r : reports(log)) {
            roundTrips(r);
            roundTrips(symbolized(r));
          }
        }));
      }
    }
    assertFalse(tests.isEmpty());
    return tests;
  }

  private void roundTrips(Report r) throws ReportJsonException {
    byte[] utf8 = writer.toJsonUtf8(r);
    Report back = reader.read(utf8);
    assertEquals(r, back);
    assertEquals(writer.toJson(r), writer.toJson(back));
  }

  /** Every frame resolved by a pretend symbolizer; the printed positions stay as they were. */
  private static Report symbolized(Report r) {
    return r.withStacks(s -> s.withFrames(s.frames().stream()
        .map(f -> f.withSymbolization(new Symbolization(Optional.of(new SourceLocation("x/" + f.function() + ".c", 7)),
            List.of(new InlinedFrame("inl_" + f.function(), Optional.empty())))))
        .toList()));
  }

  @Test
  void symbolizationIsKeptApartFromThePrintedLocation() throws ReportJsonException {
    List<Report> any = new ArrayList<>();
    try {
      try (Stream<Path> s = Files.walk(root().resolve("testdata/logs"))) {
        for (Path log : s.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
          for (Report x : reports(log)) {
            if (x.stacks().stream().flatMap(st -> st.frames().stream()).anyMatch(Frame::hasPrintedSource)) {
              any.add(x);
            }
          }
        }
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    assertFalse(any.isEmpty(), "no testdata report prints source positions");
    Report printed = any.getFirst();
    Report sym = symbolized(printed);
    Report back = reader.read(writer.toJsonUtf8(sym));
    Frame f = back.stacks().stream().flatMap(st -> st.frames().stream()).filter(Frame::hasPrintedSource)
        .findFirst().orElseThrow();
    assertTrue(f.symbolization().isPresent());
    assertTrue(f.location().orElseThrow().file().startsWith("x/"));
    assertFalse(f.printedLocation().orElseThrow().file().startsWith("x/"));
  }

  @Test
  void badJsonIsOneClearError() {
    ReportJsonException e = assertThrows(ReportJsonException.class, () -> reader.read("{\"schema\":\"ktriage.report.v1\"}"));
    assertTrue(e.getMessage().startsWith("not report JSON: report.tool"), e.getMessage());
    assertThrows(ReportJsonException.class, () -> reader.read("[1,2]"));
    assertThrows(ReportJsonException.class, () -> reader.read("{\"schema\":"));
    ReportJsonException v = assertThrows(ReportJsonException.class, () -> reader.read("{\"schema\":\"ktriage.report.v9\"}"));
    assertTrue(v.getMessage().contains("v9"), v.getMessage());
  }
}
