package dev.ktriage.store.opensearch;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.depot.store.Explanations;
import dev.ktriage.depot.store.SearchFields;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.reportjson.ReportJsonWriter;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.IsoFields;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The documents a report becomes in the cluster: its signature and search fields, the weekly index it
 * goes to, its report document (search fields, then the report JSON), and its stacks' depot documents.
 * No requests: the store decides the cluster and writes. Thread-safe.
 */
final class ReportDocuments {
  /** A report signed and its search fields made, before its cluster is decided. */
  record Prepared(Signature sig, SearchFields fields, String index, Map<String, List<String>> stacks) {}

  private final String prefix;
  private final Signer signer = new Signer();
  private final ReportJsonWriter jsonWriter = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);

  ReportDocuments(String prefix) {
    this.prefix = prefix;
  }

  /** Signs {@code report} and makes its search fields; its stacks by role name. */
  Prepared prepare(Report report, Instant ingested) {
    Map<StackRole, List<NormalizedFrame>> normalized = signer.normalize(report);
    Signature sig = signer.sign(report, normalized);
    SearchFields f = SearchFields.of(report, sig, normalized, ingested);
    Map<String, List<String>> stacks = new LinkedHashMap<>();
    for (var e : sig.stacks().entrySet()) {
      stacks.put(e.getKey().name(), e.getValue());
    }
    return new Prepared(sig, f, weekIndex(f.time()), stacks);
  }

  /** The weekly index of a time: ISO week-based year and week. */
  String weekIndex(long epochMs) {
    LocalDate d = Instant.ofEpochMilli(epochMs).atZone(ZoneOffset.UTC).toLocalDate();
    return String.format(Locale.ROOT, "%s-reports-%04d.%02d", prefix, d.get(IsoFields.WEEK_BASED_YEAR),
        d.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
  }

  /** The document of a report: its search fields, then the report JSON as the codec wrote it (not parsed again). */
  byte[] document(String id, Report r, Prepared p, Instant ingested, long cluster, Assignment a) throws IOException {
    SearchFields f = p.fields();
    JsonObjectBuilder d = Json.createObjectBuilder();
    d.add("id", id).add("title", f.title()).add("titleKw", f.title()).add("altTitle", strings(f.altTitles()))
        .add("text", f.text()).add("tool", f.tool()).add("bugType", f.bugType()).add("bugTypeKw", f.bugType())
        .add("bugClass", f.bugClass()).add("key", f.key()).add("guilty", strings(f.guilty()))
        .add("function", strings(f.functions())).add("file", strings(f.files())).add("module", strings(f.modules()))
        .add("source", f.source()).add("line", f.line()).add("cluster", cluster).add("time", f.time())
        .add("ingested", ingested.toEpochMilli()).add("corrupted", Boolean.toString(f.corrupted()));
    f.op().ifPresent(v -> d.add("op", v));
    f.size().ifPresent(v -> d.add("size", v));
    f.task().ifPresent(v -> d.add("task", v));
    f.release().ifPresent(v -> d.add("release", v).add("releaseKw", v));
    f.arch().ifPresent(v -> d.add("arch", v));
    f.uptime().ifPresent(v -> d.add("uptime", v));
    JsonObjectBuilder handles = Json.createObjectBuilder();
    JsonArrayBuilder hashes = Json.createArrayBuilder();
    for (var e : p.stacks().entrySet()) {
      String h = stackHash(e.getValue());
      handles.add(e.getKey(), handleOf(h));
      hashes.add(h);
    }
    d.add("handles", handles).add("stacks", hashes);
    d.add("assignment", Explanations.describe(a));
    byte[] fields = d.build().toString().getBytes(StandardCharsets.UTF_8);
    byte[] report = jsonWriter.toJsonUtf8(r);
    ByteArrayOutputStream out = new ByteArrayOutputStream(fields.length + report.length + 16);
    out.write(fields, 0, fields.length - 1); // without its closing brace
    out.writeBytes(",\"report\":".getBytes(StandardCharsets.UTF_8));
    out.writeBytes(report);
    out.write('}');
    return out.toByteArray();
  }

  /** The depot's {@code create} of each distinct stack of {@code stacks} (by hash), in the order first met. */
  List<BulkBatch.Action> stackActions(Collection<List<String>> stacks) {
    Map<String, List<String>> distinct = new LinkedHashMap<>();
    for (List<String> frames : stacks) {
      distinct.putIfAbsent(stackHash(frames), frames);
    }
    return distinct.entrySet().stream().map(e -> new BulkBatch.Action(BulkBatch.meta("create", prefix + "-stacks",
        e.getKey()), Json.createObjectBuilder().add("handle", handleOf(e.getKey())).add("frames", strings(e.getValue()))
            .build().toString())).toList();
  }

  /** A stack's id in the depot index (hex) and its handle (what reports and the store's {@code frames} use). */
  static String stackHash(List<String> frames) {
    return java.util.HexFormat.of().formatHex(sha256(String.join("\n", frames)), 0, 16);
  }

  static int handleOf(String stackHash) {
    return (int) (Long.parseLong(stackHash.substring(0, 8), 16) & 0x7fffffff);
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  private static JsonArrayBuilder strings(Collection<String> values) {
    JsonArrayBuilder b = Json.createArrayBuilder();
    values.forEach(b::add);
    return b;
  }
}
