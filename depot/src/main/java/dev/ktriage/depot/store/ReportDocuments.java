package dev.ktriage.depot.store;

import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.reportjson.ReportJsonReader;
import dev.ktriage.reportjson.ReportJsonWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.document.BinaryDocValuesField;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.DoublePoint;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.IntPoint;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.SortedSetDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.util.BytesRef;

/**
 * The mapping between a report and its Lucene document: what is indexed under which field
 * ({@link Fields}), what is kept for rebuilding derived state (handles, normalized frames, ingest
 * order, cluster), and the report itself, encoded by the store ({@link ReportJsonWriter}, then
 * {@link JsonCodec}); and back from a document to a {@link StoredReport}. Thread-safe.
 */
final class ReportDocuments {
  /** Schema 3's stored tool and bug type: read from its documents, no longer written. */
  private static final String TOOL_STORED = "tool_s";
  private static final String BUG_TYPE_STORED = "bugType_s";
  private static final Set<String> LIGHT = Set.of(Fields.TITLE, Fields.ALT_TITLE, TOOL_STORED, BUG_TYPE_STORED,
      Fields.CLUSTER, Fields.LINE, Fields.TIME, Fields.INGESTED, Fields.HANDLES, Fields.ASSIGNMENT, Fields.CORRUPTED);

  private final ReportJsonWriter json = new ReportJsonWriter(new GuiltyFiles()::guiltyFile);
  private final ReportJsonReader jsonReader = new ReportJsonReader();

  /** What the store decided about a new report, everything its document needs besides the report. */
  record Decision(String id, long ord, Instant ingested, Signature signature, Assignment assignment,
      Map<StackRole, Integer> handles) {}

  Document document(Report r, Map<StackRole, List<NormalizedFrame>> normalized, Decision d) {
    Signature sig = d.signature();
    Assignment a = d.assignment();
    SearchFields f = SearchFields.of(r, sig, normalized, d.ingested());
    Document doc = new Document();
    keyword(doc, Fields.ID, d.id());
    doc.add(new SortedDocValuesField(Fields.ID_DV, new BytesRef(d.id())));
    doc.add(new NumericDocValuesField(Fields.ORD, d.ord()));
    doc.add(new TextField(Fields.TITLE, f.title(), Field.Store.YES));
    doc.add(new SortedDocValuesField(Fields.TITLE_DV, new BytesRef(f.title())));
    doc.add(new SortedSetDocValuesField(Fields.TITLES_DV, new BytesRef(f.title())));
    for (String alt : f.altTitles()) {
      doc.add(new TextField(Fields.ALT_TITLE, alt, Field.Store.YES));
      doc.add(new SortedSetDocValuesField(Fields.TITLES_DV, new BytesRef(alt)));
    }
    keyword(doc, Fields.TOOL, f.tool());
    doc.add(new SortedDocValuesField(Fields.TOOL_DV, new BytesRef(f.tool())));
    keyword(doc, Fields.BUG_TYPE, f.bugType());
    doc.add(new SortedDocValuesField(Fields.BUG_TYPE_DV, new BytesRef(f.bugType())));
    keyword(doc, Fields.BUG_CLASS, f.bugClass());
    doc.add(new SortedDocValuesField(Fields.CLASS_DV, new BytesRef(f.bugClass())));
    keyword(doc, Fields.KEY, f.key());
    doc.add(new SortedDocValuesField(Fields.KEY_DV, new BytesRef(f.key())));
    for (String g : f.guilty()) {
      keyword(doc, Fields.GUILTY, g);
    }
    f.op().ifPresent(op -> keyword(doc, Fields.OP, op));
    f.size().ifPresent(sz -> {
      doc.add(new IntPoint(Fields.SIZE, sz));
      doc.add(new StoredField(Fields.SIZE, sz));
    });
    f.task().ifPresent(t -> keyword(doc, Fields.TASK, t));
    for (String fn : f.functions()) {
      keyword(doc, Fields.FUNCTION, fn);
    }
    for (String file : f.files()) {
      keyword(doc, Fields.FILE, file);
    }
    for (String m : f.modules()) {
      keyword(doc, Fields.MODULE, m);
    }
    f.release().ifPresent(release -> {
      keyword(doc, Fields.RELEASE, release);
      doc.add(new SortedDocValuesField(Fields.RELEASE_DV, new BytesRef(release)));
    });
    f.arch().ifPresent(x -> keyword(doc, Fields.ARCH, x));
    doc.add(new TextField(Fields.TEXT, f.text(), Field.Store.NO));
    keyword(doc, Fields.SOURCE, f.source());
    doc.add(new SortedDocValuesField(Fields.SOURCE_DV, new BytesRef(f.source())));
    doc.add(new LongPoint(Fields.LINE, f.line()));
    doc.add(new StoredField(Fields.LINE, f.line()));
    doc.add(new NumericDocValuesField(Fields.LINE, f.line()));
    doc.add(new LongPoint(Fields.CLUSTER, a.clusterId()));
    doc.add(new StoredField(Fields.CLUSTER, a.clusterId()));
    doc.add(new NumericDocValuesField(Fields.CLUSTER, a.clusterId()));
    doc.add(new LongPoint(Fields.TIME, f.time()));
    doc.add(new StoredField(Fields.TIME, f.time()));
    doc.add(new NumericDocValuesField(Fields.TIME, f.time()));
    doc.add(new LongPoint(Fields.INGESTED, d.ingested().toEpochMilli()));
    doc.add(new StoredField(Fields.INGESTED, d.ingested().toEpochMilli()));
    f.uptime().ifPresent(u -> {
      doc.add(new DoublePoint(Fields.UPTIME, u));
      doc.add(new StoredField(Fields.UPTIME, u));
    });
    keyword(doc, Fields.CORRUPTED, Boolean.toString(f.corrupted()));
    doc.add(new StoredField(Fields.CORRUPTED, f.corrupted() ? 1 : 0));
    doc.add(new NumericDocValuesField(Fields.CORRUPTED, f.corrupted() ? 1 : 0));
    BytesRef h = encodeHandles(d.handles());
    doc.add(new BinaryDocValuesField(Fields.HANDLES, h));
    doc.add(new StoredField(Fields.HANDLES, h));
    doc.add(new StoredField(Fields.FRAMES, encodeFrames(sig.stacks())));
    doc.add(new StoredField(Fields.ASSIGNMENT, Explanations.describe(a, r, sig)));
    doc.add(new BinaryDocValuesField(Fields.EVIDENCE, new BytesRef(sig.evidence().encode())));
    doc.add(new BinaryDocValuesField(Fields.JSON_Z, JsonCodec.encode(json.toJsonUtf8(r))));
    return doc; // facets are counted from the doc values above (FacetCounts)
  }

  /** A report's {@code time}: its printed wall-clock time, else its ingest time, in epoch ms. */
  static long time(Report r, Instant ingested) {
    return ReportTimes.wallClock(r.time()).map(Instant::toEpochMilli).orElse(ingested.toEpochMilli());
  }

  private static void keyword(Document doc, String field, String value) {
    doc.add(new StringField(field, Fields.lower(value), Field.Store.NO));
  }

  /** The stored report of a document, with its full report when {@code withReport}. */
  StoredReport load(IndexReader reader, StoredFields sf, int doc, boolean withReport) throws IOException {
    Document d = sf.document(doc, LIGHT);
    List<String> alts = Stream.of(d.getValues(Fields.ALT_TITLE)).toList();
    Optional<Report> report = withReport ? Optional.of(report(reader, doc)) : Optional.empty();
    // schema 3 documents stored tool and bug type; later ones have them only as doc values
    String tool = d.get(TOOL_STORED);
    String bugType = d.get(BUG_TYPE_STORED);
    return new StoredReport(idOf(reader, doc), d.get(Fields.TITLE), alts,
        tool != null ? tool : sortedValue(reader, doc, Fields.TOOL_DV),
        bugType != null ? bugType : sortedValue(reader, doc, Fields.BUG_TYPE_DV),
        d.getField(Fields.CLUSTER).numericValue().longValue(), sortedValue(reader, doc, Fields.SOURCE_DV),
        d.getField(Fields.LINE).numericValue().longValue(),
        Instant.ofEpochMilli(d.getField(Fields.TIME).numericValue().longValue()),
        Instant.ofEpochMilli(d.getField(Fields.INGESTED).numericValue().longValue()),
        sortedValue(reader, doc, Fields.RELEASE_DV), decodeHandles(d.getBinaryValue(Fields.HANDLES)),
        d.get(Fields.ASSIGNMENT), d.getField(Fields.CORRUPTED).numericValue().intValue() != 0, report);
  }

  /** A document's report, decoded from its compressed JSON. */
  private Report report(IndexReader reader, int doc) throws IOException {
    LeafReaderContext ctx = leaf(reader, doc);
    BinaryDocValues dv = ctx.reader().getBinaryDocValues(Fields.JSON_Z);
    if (dv == null || !dv.advanceExact(doc - ctx.docBase)) {
      throw new IOException("report " + idOf(reader, doc) + " has no stored JSON");
    }
    return jsonReader.read(JsonCodec.decodeUtf8(dv.binaryValue()));
  }

  private static LeafReaderContext leaf(IndexReader reader, int doc) {
    List<LeafReaderContext> leaves = reader.leaves();
    return leaves.get(ReaderUtil.subIndex(doc, leaves));
  }

  static String sortedValue(IndexReader reader, int doc, String field) throws IOException {
    LeafReaderContext ctx = leaf(reader, doc);
    SortedDocValues dv = ctx.reader().getSortedDocValues(field);
    if (dv == null || !dv.advanceExact(doc - ctx.docBase)) {
      return "";
    }
    return dv.lookupOrd(dv.ordValue()).utf8ToString();
  }

  static String idOf(IndexReader reader, int doc) throws IOException {
    return sortedValue(reader, doc, Fields.ID_DV);
  }

  /** Handles as (role name length, role name, handle) triples: by name, so new roles cannot shift old data. */
  static BytesRef encodeHandles(Map<StackRole, Integer> handles) {
    ByteBuffer b = ByteBuffer.allocate(handles.size() * 24);
    for (var e : handles.entrySet()) {
      byte[] name = e.getKey().name().getBytes(StandardCharsets.US_ASCII);
      b.put((byte) name.length);
      b.put(name);
      b.putInt(e.getValue());
    }
    return new BytesRef(b.array(), 0, b.position());
  }

  static Map<StackRole, Integer> decodeHandles(BytesRef ref) {
    Map<StackRole, Integer> out = new EnumMap<>(StackRole.class);
    if (ref == null) {
      return out;
    }
    ByteBuffer b = ByteBuffer.wrap(ref.bytes, ref.offset, ref.length);
    while (b.remaining() > 0) {
      byte[] name = new byte[b.get()];
      b.get(name);
      out.put(StackRole.valueOf(new String(name, StandardCharsets.US_ASCII)), b.getInt());
    }
    return out;
  }

  static String encodeFrames(Map<StackRole, List<String>> stacks) {
    StringBuilder sb = new StringBuilder();
    for (var e : stacks.entrySet()) {
      sb.append(e.getKey().name());
      for (String f : e.getValue()) {
        sb.append('\t').append(f);
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static Map<StackRole, List<String>> decodeFrames(String s) {
    Map<StackRole, List<String>> out = new EnumMap<>(StackRole.class);
    if (s == null) {
      return out;
    }
    for (String line : s.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\t");
      out.put(StackRole.valueOf(parts[0]), List.of(parts).subList(1, parts.length));
    }
    return out;
  }
}
