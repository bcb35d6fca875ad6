package dev.ktriage.store.opensearch;

import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The real KUnit KASAN and KCSAN logs of {@code ../shared/corpus/kunit} (not in the repository), parsed
 * in file-name order, and how two clusterings of them compare.
 */
final class KunitLogs {
  private KunitLogs() {} // no instance

  static final Path CORPUS = Path.of(System.getProperty("ktriage.root", "..")).resolve("../shared/corpus/kunit");

  static boolean present() {
    return Files.isDirectory(CORPUS);
  }

  /** Each log's reports, logs in file-name order. */
  static Map<String, List<Report>> reports() throws IOException {
    List<Path> logs;
    try (Stream<Path> s = Files.list(CORPUS)) {
      logs = s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList();
    }
    KernelLogParser parser = new KernelLogParser();
    Map<String, List<Report>> out = new LinkedHashMap<>();
    for (Path log : logs) {
      String name = log.getFileName().toString();
      out.put(name, parser.parse(Files.readString(log, StandardCharsets.UTF_8), name));
    }
    return out;
  }

  /** A clustering as a set of member sets (cluster ids differ between stores, the partition should not). */
  static Set<Set<String>> partition(List<ClusterSummary> clusters) {
    Set<Set<String>> out = new HashSet<>();
    for (ClusterSummary c : clusters) {
      out.add(new HashSet<>(c.members()));
    }
    return out;
  }

  /**
   * The share of report pairs two clusterings agree on (both together or both apart): the Rand index,
   * 1.0 for the same partition.
   */
  static double agreement(List<ClusterSummary> a, List<ClusterSummary> b) {
    Map<String, Long> ca = clusterOf(a);
    Map<String, Long> cb = clusterOf(b);
    List<String> members = new ArrayList<>(ca.keySet());
    long pairs = 0;
    long agree = 0;
    for (int i = 0; i < members.size(); i++) {
      for (int j = i + 1; j < members.size(); j++) {
        String x = members.get(i);
        String y = members.get(j);
        boolean sameA = ca.get(x).equals(ca.get(y));
        boolean sameB = cb.get(x) != null && cb.get(x).equals(cb.get(y));
        pairs++;
        if (sameA == sameB) {
          agree++;
        }
      }
    }
    return pairs == 0 ? 1.0 : (double) agree / pairs;
  }

  /**
   * Pairwise F1 of clustering {@code b} against {@code a}: of the report pairs either puts together, how
   * many both do (1.0 for the same partition; unlike {@link #agreement}, pairs apart in both do not count).
   */
  static double pairwiseF1(List<ClusterSummary> a, List<ClusterSummary> b) {
    Map<String, Long> ca = clusterOf(a);
    Map<String, Long> cb = clusterOf(b);
    List<String> members = new ArrayList<>(ca.keySet());
    long both = 0;
    long inA = 0;
    long inB = 0;
    for (int i = 0; i < members.size(); i++) {
      for (int j = i + 1; j < members.size(); j++) {
        String x = members.get(i);
        String y = members.get(j);
        boolean sameA = ca.get(x).equals(ca.get(y));
        boolean sameB = cb.get(x) != null && cb.get(x).equals(cb.get(y));
        inA += sameA ? 1 : 0;
        inB += sameB ? 1 : 0;
        both += sameA && sameB ? 1 : 0;
      }
    }
    return inA + inB == 0 ? 1.0 : 2.0 * both / (inA + inB);
  }

  private static Map<String, Long> clusterOf(List<ClusterSummary> cs) {
    Map<String, Long> out = new HashMap<>();
    for (ClusterSummary c : cs) {
      c.members().forEach(m -> out.put(m, c.id()));
    }
    return out;
  }
}
