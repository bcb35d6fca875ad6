package dev.ktriage.cli.render;

import dev.ktriage.grammar.parse.ParseStats;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.reportjson.ReportJsonWriter;
import dev.ktriage.depot.stack.DepotStats;
import dev.ktriage.depot.store.ClusterSummary;
import dev.ktriage.depot.store.SearchResult;
import dev.ktriage.depot.store.StoreStats;
import dev.ktriage.depot.store.StoredReport;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * JSON of the store commands (clusters, search hits, stored reports, stats), one compact object per
 * call. A stored report's full report JSON ({@link ReportJsonWriter}) is embedded as {@code "report"}.
 * Thread-safe.
 */
public final class StoreJson {
  private final JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  private final ReportJsonWriter reportJson = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);

  private interface Body {
    void write(JsonGenerator g);
  }

  private String object(Body body) {
    StringWriter w = new StringWriter(1024);
    try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), w)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    }
    return w.toString();
  }

  /** {@code ingest}'s blocks that looked like a crash but gave no report: {@code [{"path","line","text"}]}. */
  public String unparsed(List<ParseStats.Unparsed> blocks) {
    StringWriter w = new StringWriter(256);
    try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), w)) {
      g.writeStartArray();
      for (ParseStats.Unparsed u : blocks) {
        g.writeStartObject();
        g.writeStringProperty("path", u.path());
        g.writeNumberProperty("line", u.line());
        g.writeStringProperty("text", u.text());
        g.writeEndObject();
      }
      g.writeEndArray();
    }
    return w.toString();
  }

  public String cluster(ClusterSummary c) {
    return object(g -> {
      g.writeNumberProperty("id", c.id());
      g.writeNumberProperty("reports", c.reports());
      g.writeStringProperty("firstSeen", c.firstSeen().toString());
      g.writeStringProperty("lastSeen", c.lastSeen().toString());
      g.writeStringProperty("title", c.title());
      strings(g, "titles", c.titles());
      strings(g, "kernels", c.releases());
      strings(g, "members", c.members());
      strings(g, "memberIds", c.memberIds());
      if (!c.corruptedMembers().isEmpty()) {
        strings(g, "corruptedMembers", c.corruptedMembers());
      }
    });
  }

  public String report(StoredReport r, boolean withReport) {
    return object(g -> {
      g.writeStringProperty("id", r.id());
      g.writeStringProperty("location", r.location());
      g.writeNumberProperty("cluster", r.clusterId());
      g.writeStringProperty("title", r.title());
      strings(g, "altTitles", r.altTitles());
      g.writeStringProperty("tool", r.tool());
      g.writeStringProperty("bugType", r.bugType());
      g.writeStringProperty("kernel", r.release());
      g.writeStringProperty("time", r.time().toString());
      g.writeStringProperty("ingested", r.ingested().toString());
      g.writeStringProperty("assignment", r.assignment());
      if (withReport && r.report().isPresent()) {
        g.writeName("report");
        reportJson.write(r.report().get(), g);
      }
    });
  }

  public String facets(Map<String, List<SearchResult.FacetCount>> facets, long total) {
    return object(g -> {
      g.writeNumberProperty("total", total);
      g.writeName("facets");
      g.writeStartObject();
      for (var e : facets.entrySet()) {
        g.writeName(e.getKey());
        g.writeStartObject();
        for (SearchResult.FacetCount c : e.getValue()) {
          g.writeNumberProperty(c.value(), c.count());
        }
        g.writeEndObject();
      }
      g.writeEndObject();
    });
  }

  public String stats(StoreStats s) {
    DepotStats d = s.depot();
    return object(g -> {
      g.writeNumberProperty("reports", s.reports());
      g.writeNumberProperty("clusters", s.clusters());
      g.writeNumberProperty("indexBytes", s.indexBytes());
      g.writeNumberProperty("depotFileBytes", s.depotFileBytes());
      g.writeName("depot");
      g.writeStartObject();
      g.writeNumberProperty("stacks", d.stacks());
      g.writeNumberProperty("framesStored", d.framesStored());
      g.writeNumberProperty("frameReferences", d.frameReferences());
      g.writeNumberProperty("distinctFrames", d.distinctFrames());
      g.writeNumberProperty("bytes", d.bytes());
      g.writeNumberProperty("dedupRatio", d.dedupRatio());
      g.writeNumberProperty("allocations", d.allocations());
      g.writeNumberProperty("frees", d.frees());
      g.writeNumberProperty("inUse", d.inUse());
      g.writeNumberProperty("freelist", d.freelist());
      g.writeEndObject();
    });
  }

  /**
   * The report a {@code similar} answer is about.
   *
   * @param path the log it came from, as given ({@code -} for stdin)
   * @param firstLine where it starts in that log (1-based)
   * @param title its title
   */
  public record SimilarQuery(String path, long firstLine, String title) {}

  /**
   * One line of {@code similar --format jsonl}: the report asked about and one cluster like it; rank 0,
   * with no cluster, when none came close.
   */
  public String similar(SimilarQuery query, int rank, long cluster, double score, ClusterSummary c) {
    return similar(query, rank, cluster, score, c, "");
  }

  /**
   * {@link #similar(SimilarQuery, int, long, double, ClusterSummary)} with {@code "why"}: the evidence that
   * decided the score, in words (left out when empty).
   */
  public String similar(SimilarQuery query, int rank, long cluster, double score, ClusterSummary c, String why) {
    return object(g -> {
      g.writeName("query");
      g.writeStartObject();
      g.writeStringProperty("path", query.path());
      g.writeNumberProperty("firstLine", query.firstLine());
      g.writeStringProperty("title", query.title());
      g.writeEndObject();
      g.writeNumberProperty("rank", rank);
      if (rank == 0) {
        g.writeNullProperty("cluster");
        g.writeNullProperty("score");
        g.writeNumberProperty("reports", 0);
        g.writeNullProperty("title");
        return;
      }
      g.writeNumberProperty("cluster", cluster);
      g.writeNumberProperty("score", Math.round(score * 1000) / 1000.0);
      g.writeNumberProperty("reports", c == null ? 0 : c.reports());
      g.writeStringProperty("title", c == null ? "" : c.title());
      if (!why.isEmpty()) {
        g.writeStringProperty("why", why);
      }
    });
  }

  private static void strings(JsonGenerator g, String name, List<String> values) {
    g.writeName(name);
    g.writeStartArray();
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }
}
