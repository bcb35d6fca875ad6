package dev.ktriage.depot.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The labeled clustering evaluation: every report of {@code testdata/clusters} is clustered in log
 * order by ktriage and by syzbot's title baseline, and both are scored against the labels in the same
 * run. {@code -Dktriage.update=true} rewrites the corpus from {@link ClusterCorpusGenerator}.
 */
class ClusterCorpusTest {
  static final Path DIR = Path.of(System.getProperty("ktriage.root", "..")).resolve("testdata/clusters");

  /** One labeled report. */
  record Labeled(String log, Report report, String bug) {}

  /** Reads the corpus, checking that every log yields exactly its labeled reports. */
  static List<Labeled> corpus() throws IOException {
    Map<String, List<String>> labels = new TreeMap<>();
    for (String line : Files.readAllLines(DIR.resolve("labels.tsv"))) {
      if (line.startsWith("#") || line.isBlank()) {
        continue;
      }
      String[] f = line.split("\t");
      List<String> bugs = labels.computeIfAbsent(f[0], k -> new ArrayList<>());
      assertEquals(bugs.size(), Integer.parseInt(f[1]), "ordinals in order in " + f[0]);
      bugs.add(f[2]);
    }
    List<Labeled> out = new ArrayList<>();
    ReportReader reader = ReportReader.create();
    for (var e : labels.entrySet()) {
      String text = Files.readString(DIR.resolve(e.getKey()), StandardCharsets.UTF_8);
      List<Report> reports = reader.read(text, e.getKey());
      assertEquals(e.getValue().size(), reports.size(), "reports in " + e.getKey());
      for (int i = 0; i < reports.size(); i++) {
        out.add(new Labeled(e.getKey(), reports.get(i), e.getValue().get(i)));
      }
    }
    return out;
  }

  @Test
  void committedCorpusIsWhatTheGeneratorPrints() throws IOException {
    Map<String, String> files = new ClusterCorpusGenerator(ClusterCorpusGenerator.SEED).generate();
    boolean update = Boolean.getBoolean("ktriage.update");
    for (var e : files.entrySet()) {
      Path p = DIR.resolve(e.getKey());
      if (update) {
        Files.createDirectories(p.getParent());
        Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
      }
      assertTrue(Files.exists(p), p + " missing; rerun with -Dktriage.update=true");
      assertEquals(e.getValue(), Files.readString(p, StandardCharsets.UTF_8),
          p + " differs from the generator; rerun with -Dktriage.update=true and review the diff");
    }
  }

  @Test
  void ktriageBeatsTheTitleBaseline() throws IOException {
    List<Labeled> corpus = corpus();
    assertTrue(corpus.size() >= 250, "corpus has " + corpus.size() + " reports");
    Signer signer = new Signer();
    Clusterer clusterer = new Clusterer();
    TitleBaseline baseline = new TitleBaseline();
    List<Long> ours = new ArrayList<>();
    List<Integer> theirs = new ArrayList<>();
    List<String> truth = new ArrayList<>();
    StringBuilder log = new StringBuilder();
    for (Labeled l : corpus) {
      Assignment a = clusterer.assign(signer.sign(l.report()), l.report().title().title(),
          l.report().title().alternatives());
      ours.add(a.clusterId());
      theirs.add(baseline.assign(l.report()));
      truth.add(l.bug());
      log.append(l.bug()).append('\t').append(a).append('\n');
    }
    ClusterMetrics k = ClusterMetrics.of(ours, truth);
    ClusterMetrics b = ClusterMetrics.of(theirs, truth);
    String table = "reports " + corpus.size() + "\nktriage        " + k.summary() + "\ntitle baseline " + b.summary() + "\n";
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/cluster-eval.txt"), table + "\n" + log);
    System.out.print(table);
    assertTrue(k.bcubedF1() >= 0.95, table);
    assertTrue(k.bcubedF1() > b.bcubedF1(), table);
  }
}
