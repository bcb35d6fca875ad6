package dev.ktriage.depot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The clusters of the real KUnit KASAN and KCSAN reports in {@code ../shared/corpus/kunit} (not in the
 * repository), listed as cluster to labels in {@code testdata/clusters/kunit-clusters.txt}, so that any
 * change to what clusters with what shows in review. The logs are read in file-name order, reports in
 * log order, as {@code ktriage ingest -j 1} of the sorted files does; labels are matched as
 * {@code ../shared/tools/score_clusters.py} matches them. {@code -Dktriage.update=true} rewrites the file.
 */
class KunitClustersGoldenTest {
  static final Path ROOT = Path.of(System.getProperty("ktriage.root", ".."));
  static final Path CORPUS = ROOT.resolve("../shared/corpus/kunit");
  static final Path GOLDEN = ROOT.resolve("testdata/clusters/kunit-clusters.txt");

  /** One label line: the log, the report's line range, the label. */
  record Label(String log, long first, long last, String label) {}

  private static final Pattern FIELD = Pattern.compile("\"(log|first_line|last_line|label)\":\\s*(\"([^\"]*)\"|(\\d+))");

  static List<Label> labels() throws IOException {
    List<Label> out = new ArrayList<>();
    for (String line : Files.readAllLines(CORPUS.resolve("labels-kunit.jsonl"), StandardCharsets.UTF_8)) {
      Map<String, String> f = new TreeMap<>();
      Matcher m = FIELD.matcher(line);
      while (m.find()) {
        f.put(m.group(1), m.group(3) != null ? m.group(3) : m.group(4));
      }
      out.add(new Label(f.get("log"), Long.parseLong(f.get("first_line")), Long.parseLong(f.get("last_line")),
          f.get("label")));
    }
    return out;
  }

  static String labelOf(List<Label> labels, String log, long line) {
    for (Label l : labels) {
      if (l.log().equals(log) && l.first() - 3 <= line && line <= l.last()) {
        return l.label();
      }
    }
    return "(no label)";
  }

  @Test
  void kunitClustersAreTheGoldenOnes() throws IOException {
    Assumptions.assumeTrue(Files.isDirectory(CORPUS), "KUnit corpus not found at " + CORPUS + ": skipped");
    List<Label> labels = labels();
    List<String> logs = labels.stream().map(Label::log).distinct().sorted().toList();
    Signer signer = new Signer();
    Clusterer clusterer = new Clusterer();
    Map<Long, List<String>> members = new LinkedHashMap<>();
    List<Long> ours = new ArrayList<>();
    List<String> truth = new ArrayList<>();
    KernelLogParser parser = new KernelLogParser();
    for (String log : logs) {
      String text = Files.readString(CORPUS.resolve(log), StandardCharsets.UTF_8);
      for (Report r : parser.parse(text, log)) {
        Assignment a = clusterer.assign(signer.sign(r), r.title().title(), r.title().alternatives());
        String label = labelOf(labels, log, r.source().firstLine());
        members.computeIfAbsent(a.clusterId(), k -> new ArrayList<>()).add(label);
        ours.add(a.clusterId());
        truth.add(label);
      }
    }
    StringBuilder golden = new StringBuilder("# cluster: labels of its reports (count), for ../shared/corpus/kunit;"
        + " rewrite with -Dktriage.update=true\n");
    for (var e : members.entrySet()) {
      Map<String, Integer> counts = new TreeMap<>();
      e.getValue().forEach(l -> counts.merge(l, 1, Integer::sum));
      golden.append(e.getKey()).append(':');
      counts.forEach((l, n) -> golden.append(' ').append(l).append(" (").append(n).append(')'));
      golden.append('\n');
    }
    ClusterMetrics k = ClusterMetrics.of(ours, truth);
    golden.append("# ").append(ours.size()).append(" reports, ").append(members.size()).append(" clusters; ")
        .append(k.summary()).append('\n');
    if (Boolean.getBoolean("ktriage.update")) {
      Files.writeString(GOLDEN, golden.toString(), StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(GOLDEN, StandardCharsets.UTF_8), golden.toString(),
        "KUnit clusters changed; rerun with -Dktriage.update=true and review the diff of " + GOLDEN);
    assertTrue(k.bcubedF1() >= 0.95, k.summary());
  }
}
