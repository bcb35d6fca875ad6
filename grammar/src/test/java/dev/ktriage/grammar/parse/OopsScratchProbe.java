package dev.ktriage.grammar.parse;

import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OopsScratchProbe {
  @Test
  void probe() {
    int total = 0, titles = 0, alts = 0, corr = 0;
    List<String> out = new ArrayList<>();
    String only = System.getProperty("probe.only", "");
    for (JsonNode r : Corpora.shared("syzkaller")) {
      String want = r.path("title").isNull() ? "" : r.path("title").asString();
      String id = r.get("id").asString();
      if (!only.isEmpty() && !java.util.Arrays.asList(only.split(",")).contains(id)) continue;
      total++;
      List<Report> reports;
      try {
        reports = new KernelLogParser().parse(r.get("log").asString(), id);
      } catch (RuntimeException e) {
        out.add(id + " EXCEPTION " + e);
        continue;
      }
      String got = reports.isEmpty() ? "" : reports.get(0).title().title();
      TreeSet<String> wantAlts = new TreeSet<>();
      r.get("alt_titles").forEach(a -> wantAlts.add(a.asString()));
      TreeSet<String> gotAlts = reports.isEmpty() ? new TreeSet<>() : new TreeSet<>(reports.get(0).title().alternatives());
      boolean gotCorr = !reports.isEmpty() && reports.get(0).corrupted();
      boolean t = got.equals(want);
      if (t) titles++;
      if (wantAlts.equals(gotAlts)) alts++;
      if (gotCorr == r.get("corrupted").asBoolean()) corr++;
      if (!t || !wantAlts.equals(gotAlts) || gotCorr != r.get("corrupted").asBoolean()) {
        out.add(id + (t ? " T " : " X ") + "want=[" + want + "] got=[" + got + "]"
            + (wantAlts.equals(gotAlts) ? "" : " alts want=" + wantAlts + " got=" + gotAlts)
            + (gotCorr == r.get("corrupted").asBoolean() ? "" : " corrupted want=" + r.get("corrupted").asBoolean()
                + " got=" + gotCorr + " (" + (reports.isEmpty() ? "" : reports.get(0).corruption().map(c -> c.reason() + ": " + c.detail()).orElse("")) + ")"));
      }
    }
    out.forEach(System.out::println);
    System.out.printf("TOTAL %d titles %d alts %d corrupted %d%n", total, titles, alts, corr);
  }
}
