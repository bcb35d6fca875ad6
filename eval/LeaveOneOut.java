import dev.ktriage.depot.cluster.Clusterer;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.depot.store.StoredReport;
import dev.ktriage.model.Report;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * "Have we seen this crash?", leave-one-out: for each stored report, a clusterer holding all the other
 * reports of the store (in ingest order, as {@code ktriage ingest} clustered them), and the question
 * whether {@code similar}'s top cluster belongs to the report's true bug: its members' most common label
 * is the report's. Reports whose bug has no other report are not asked. The same Signer and Clusterer
 * that {@code ktriage similar} uses, on the reports exactly as the store keeps them (symbolized when
 * ingested with --vmlinux-dir).
 *
 * <p>Usage: {@code java -cp CP eval/LeaveOneOut.java STORE LABELS.tsv}, where LABELS.tsv has lines
 * {@code path<TAB>first line<TAB>label} for each stored report (eval/kunit.py writes it). Prints
 * {@code loo asked N top1 K share S}.
 */
public class LeaveOneOut {
  public static void main(String[] args) throws Exception {
    Map<String, String> labels = new HashMap<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String[] f = line.split("\t");
      labels.put(f[0] + ":" + f[1], f[2]);
    }
    List<StoredReport> stored;
    try (ReportStore store = ReportStore.open(Path.of(args[0]), ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      stored = new ArrayList<>(store.search("", 100_000, false, true).hits());
    }
    stored.sort(Comparator.comparing(StoredReport::source).thenComparingLong(StoredReport::line));
    Signer signer = new Signer();
    List<Signature> sigs = new ArrayList<>();
    List<Report> reports = new ArrayList<>();
    List<String> truth = new ArrayList<>();
    for (StoredReport s : stored) {
      Report r = s.report().orElseThrow();
      reports.add(r);
      sigs.add(signer.sign(r));
      truth.add(labels.getOrDefault(Path.of(s.source()).getFileName() + ":" + s.line(), "?"));
    }
    Map<String, Integer> perLabel = new HashMap<>();
    truth.forEach(t -> perLabel.merge(t, 1, Integer::sum));
    int asked = 0;
    int right = 0;
    for (int i = 0; i < sigs.size(); i++) {
      if (perLabel.get(truth.get(i)) < 2) {
        continue;
      }
      Clusterer c = new Clusterer();
      Map<Long, Map<String, Integer>> members = new HashMap<>();
      for (int j = 0; j < sigs.size(); j++) {
        if (j != i) {
          Report r = reports.get(j);
          long id = c.assign(sigs.get(j), r.title().title(), r.title().alternatives()).clusterId();
          members.computeIfAbsent(id, k -> new HashMap<>()).merge(truth.get(j), 1, Integer::sum);
        }
      }
      asked++;
      List<Clusterer.Scored> top = c.similar(sigs.get(i), 1);
      if (!top.isEmpty()) {
        Map<String, Integer> m = members.get(top.getFirst().clusterId());
        String plurality = m.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder()))).orElseThrow().getKey();
        if (plurality.equals(truth.get(i))) {
          right++;
        }
      }
    }
    System.out.printf(java.util.Locale.ROOT, "loo asked %d top1 %d share %.3f%n", asked, right,
        asked == 0 ? 0.0 : (double) right / asked);
  }
}
