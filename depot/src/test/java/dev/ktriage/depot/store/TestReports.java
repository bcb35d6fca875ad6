package dev.ktriage.depot.store;

import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reports from the labeled corpus in testdata/clusters, parsed by the real parser, for store tests. */
public final class TestReports {
  private TestReports() {} // no instance

  static final Path DIR = Path.of(System.getProperty("ktriage.root", "..")).resolve("testdata/clusters/logs");

  /** Every report of the first {@code logs} corpus logs, in order. */
  public static List<Report> first(int logs) throws IOException {
    List<Report> out = new ArrayList<>();
    KernelLogParser reader = new KernelLogParser();
    try (Stream<Path> s = Files.list(DIR)) {
      for (Path p : s.sorted().limit(logs).toList()) {
        out.addAll(reader.parse(Files.readString(p), "testdata/clusters/logs/" + p.getFileName()));
      }
    }
    return out;
  }
}
