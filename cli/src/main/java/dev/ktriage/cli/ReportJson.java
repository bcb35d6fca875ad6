package dev.ktriage.cli;

import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Access;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.Report;
import dev.ktriage.model.ShadowDump;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackOrigin;
import java.io.StringWriter;
import java.io.Writer;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.json.JsonFactory;

/**
 * The report JSON that {@code parse --format json|jsonl} prints and the store keeps: one object per
 * report, fields in a fixed order, absent values as {@code null}, addresses as {@code "0x..."}
 * strings (they do not fit a JSON number), offsets and sizes as numbers. {@link #SCHEMA} names the
 * version; fields are only ever added within a version. The README documents every field.
 *
 * <p>Written with jackson-core's streaming generator: databind's start-up (about 0.8 s) would
 * dominate short runs. Thread-safe.
 */
public final class ReportJson {

  /** Bumped when a field changes meaning or disappears. */
  static final String SCHEMA = "ktriage.report.v1";

  // The generator writes into the caller's writer (stdout): closing it must not close that.
  private final GuiltyFiles guiltyFiles = new GuiltyFiles();
  private final JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();

  /** The report as one compact JSON object. */
  String toJson(Report r) {
    StringWriter w = new StringWriter(4096);
    write(r, w);
    return w.toString();
  }

  /** Per-thread output buffers of {@link #toJsonUtf8}: the store's ingest threads reuse theirs. */
  private final ThreadLocal<Utf8Buffer> buffers = ThreadLocal.withInitial(Utf8Buffer::new);

  /**
   * {@link #toJson} as UTF-8 bytes, written straight as bytes (what the store keeps): no string of the
   * JSON, no re-encoding, no growing of a fresh buffer per report.
   */
  public byte[] toJsonUtf8(Report r) {
    Utf8Buffer b = buffers.get();
    b.reset();
    try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), b)) {
      report(r, g);
    }
    return b.toByteArray();
  }

  /** An unsynchronized, reusable byte sink. */
  private static final class Utf8Buffer extends java.io.OutputStream {
    private byte[] buf = new byte[16384];
    private int n;

    void reset() {
      n = 0;
    }

    @Override
    public void write(int b) {
      if (n == buf.length) {
        buf = java.util.Arrays.copyOf(buf, buf.length * 2);
      }
      buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (n + len > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + len));
      }
      System.arraycopy(b, off, buf, n, len);
      n += len;
    }

    byte[] toByteArray() {
      return java.util.Arrays.copyOf(buf, n);
    }
  }

  /** Writes the report as one compact JSON object (no newline). */
  public void write(Report r, Writer out) {
    try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), out)) {
      report(r, g);
    }
  }

  private void report(Report r, JsonGenerator g) {
    // guiltyFile is computed here, not stored in the model: it follows from the frames' files,
    // which symbolization may fill in after parsing.
    g.writeStartObject();
    g.writeStringProperty("schema", SCHEMA);
    g.writeStringProperty("tool", r.tool().name());
    g.writeStringProperty("bugType", r.bugType());
    g.writeStringProperty("title", r.title().title());
    strings(g, "altTitles", r.title().alternatives());
    opt(g, "guiltyFrame", r.title().guiltyFrame());
    opt(g, "guiltyFile", guiltyFiles.guiltyFile(r));
    g.writeBooleanProperty("corrupted", r.corrupted());
    opt(g, "corruptedReason", r.corruption().map(c -> c.reason().id()));
    opt(g, "corruptedDetail", r.corruption().map(c -> c.detail()));
    g.writeBooleanProperty("complete", r.complete());
    g.writeStringProperty("header", r.header());
    if (r.access().isPresent()) {
      g.writeName("access");
      access(r.access().get(), g);
    } else {
      g.writeNullProperty("access");
    }
    g.writeName("context");
    context(r.context(), g);
    g.writeObjectPropertyStart("time");
    opt(g, "uptime", r.time().uptime());
    opt(g, "wallClock", r.time().wallClock());
    g.writeEndObject();
    g.writeArrayPropertyStart("stacks");
    for (Stack s : r.stacks()) {
      stack(s, g);
    }
    g.writeEndArray();
    switch (r.details()) {
      case KasanDetails k -> {
        g.writeName("kasan");
        kasan(k, g);
      }
      case KcsanDetails k -> {
        g.writeName("kcsan");
        kcsan(k, g);
      }
    }
    g.writeObjectPropertyStart("source");
    g.writeStringProperty("path", r.source().path());
    g.writeNumberProperty("firstLine", r.source().firstLine());
    g.writeNumberProperty("lastLine", r.source().lastLine());
    g.writeEndObject();
    g.writeEndObject();
  }

  private static void access(Access a, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("op", id(a.op().name()));
    opt(g, "size", a.size());
    hex(g, "address", a.address());
    opt(g, "task", a.task().map(t -> t.comm()));
    opt(g, "pid", a.task().map(t -> t.pid()).orElse(OptionalInt.empty()));
    opt(g, "pointerTag", a.tags().map(t -> t.pointerTag()));
    opt(g, "memoryTag", a.tags().map(t -> t.memoryTag()));
    g.writeEndObject();
  }

  private static void context(KernelContext c, JsonGenerator g) {
    g.writeStartObject();
    opt(g, "cpu", c.cpu());
    opt(g, "pid", c.pid());
    opt(g, "comm", c.comm());
    opt(g, "release", c.release());
    opt(g, "build", c.build());
    opt(g, "taint", c.taint());
    opt(g, "hardware", c.hardware());
    opt(g, "arch", c.arch());
    opt(g, "callerId", c.callerId());
    g.writeEndObject();
  }

  private static void stack(Stack s, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("role", id(s.role().name()));
    g.writeStringProperty("label", s.label());
    if (s.origin().isPresent()) {
      StackOrigin so = s.origin().get();
      g.writeObjectPropertyStart("origin");
      opt(g, "pid", so.pid());
      opt(g, "cpu", so.cpu());
      opt(g, "seconds", so.seconds());
      g.writeEndObject();
    } else {
      g.writeNullProperty("origin");
    }
    g.writeBooleanProperty("unavailable", s.unavailable());
    g.writeArrayPropertyStart("frames");
    for (Frame f : s.frames()) {
      frame(f, g);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void frame(Frame f, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("function", f.function());
    opt(g, "offset", f.offset());
    opt(g, "size", f.size());
    opt(g, "module", f.module());
    opt(g, "buildId", f.moduleBuildId());
    g.writeBooleanProperty("reliable", f.reliable());
    hex(g, "address", f.address());
    g.writeStringProperty("context", id(f.context().name()));
    opt(g, "file", f.location().map(l -> l.file()));
    opt(g, "line", f.location().map(l -> l.line()));
    g.writeArrayPropertyStart("inlined");
    for (InlinedFrame i : f.inlined()) {
      g.writeStartObject();
      g.writeStringProperty("function", i.function());
      opt(g, "file", i.location().map(l -> l.file()));
      opt(g, "line", i.location().map(l -> l.line()));
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeNumberProperty("logLine", f.logLine());
    g.writeEndObject();
  }

  private static void kasan(KasanDetails k, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("mode", id(k.mode().name()));
    opt(g, "faultLocation", k.faultLocation());
    if (k.object().isPresent()) {
      BuggyObject b = k.object().get();
      g.writeObjectPropertyStart("object");
      hex(g, "address", b.address());
      opt(g, "cache", b.cache());
      opt(g, "objectSize", b.objectSize());
      if (b.region().isPresent()) {
        BuggyRegion r = b.region().get();
        g.writeObjectPropertyStart("region");
        g.writeStringProperty("relation", id(r.relation().name()));
        g.writeNumberProperty("distance", r.distance());
        g.writeNumberProperty("size", r.size());
        g.writeStringProperty("state", r.state());
        g.writeStringProperty("start", hex(r.start()));
        g.writeStringProperty("end", hex(r.end()));
        g.writeEndObject();
      } else {
        g.writeNullProperty("region");
      }
      g.writeEndObject();
    } else {
      g.writeNullProperty("object");
    }
    opt(g, "variable", k.variable());
    opt(g, "stackOwner", k.stackOwner());
    strings(g, "page", k.page());
    if (k.shadow().isPresent()) {
      ShadowDump d = k.shadow().get();
      g.writeObjectPropertyStart("shadow");
      strings(g, "rows", d.rows());
      g.writeNumberProperty("buggyRow", d.buggyRow());
      g.writeNumberProperty("caretColumn", d.caretColumn());
      g.writeEndObject();
    } else {
      g.writeNullProperty("shadow");
    }
    g.writeEndObject();
  }

  private static void kcsan(KcsanDetails k, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(k.kind().name()));
    strings(g, "functions", k.functions());
    g.writeArrayPropertyStart("accesses");
    for (RaceAccess a : k.accesses()) {
      g.writeStartObject();
      g.writeStringProperty("op", id(a.op().name()));
      strings(g, "qualifiers", a.qualifiers());
      hex(g, "address", a.address());
      opt(g, "size", a.size());
      opt(g, "pid", a.task().map(t -> t.pid()).orElse(OptionalInt.empty()));
      g.writeBooleanProperty("interrupt", a.interrupt());
      opt(g, "cpu", a.cpu());
      g.writeStringProperty("stack", id(a.stack().name()));
      g.writeEndObject();
    }
    g.writeEndArray();
    if (k.valueChange().isPresent()) {
      g.writeObjectPropertyStart("valueChange");
      g.writeStringProperty("before", k.valueChange().get().before());
      g.writeStringProperty("after", k.valueChange().get().after());
      g.writeEndObject();
    } else {
      g.writeNullProperty("valueChange");
    }
    opt(g, "reportedBy", k.reportedBy());
    g.writeEndObject();
  }

  /** An enum constant as JSON spells it: {@code RACE_1} is {@code race-1}. */
  private static String id(String enumName) {
    String known = IDS.get(enumName);
    return known != null ? known : spell(enumName);
  }

  private static String spell(String enumName) {
    return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The spelling of every constant of the model's enums, computed once (frames repeat them thousands of times). */
  private static final java.util.Map<String, String> IDS = ids(dev.ktriage.model.AccessOp.class,
      dev.ktriage.model.StackRole.class, dev.ktriage.model.FrameContext.class, dev.ktriage.model.KasanMode.class,
      dev.ktriage.model.RegionRelation.class, dev.ktriage.model.KcsanKind.class);

  @SafeVarargs
  private static java.util.Map<String, String> ids(Class<? extends Enum<?>>... types) {
    java.util.Map<String, String> m = new java.util.HashMap<>();
    for (Class<? extends Enum<?>> t : types) {
      for (Enum<?> e : t.getEnumConstants()) {
        m.put(e.name(), spell(e.name()));
      }
    }
    return java.util.Map.copyOf(m);
  }

  private static final String HEX_DIGITS = "0123456789abcdef";

  /** {@code "0x%016x"} without the formatter (frames and addresses print one each; the formatter was most of the JSON's cost). */
  public static String hex(long v) {
    byte[] b = new byte[18];
    b[0] = '0';
    b[1] = 'x';
    for (int i = 17; i >= 2; i--) {
      b[i] = (byte) HEX_DIGITS.charAt((int) (v & 0xF));
      v >>>= 4;
    }
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static void strings(JsonGenerator g, String name, List<String> values) {
    g.writeArrayPropertyStart(name);
    for (String v : values) {
      g.writeString(v);
    }
    g.writeEndArray();
  }

  private static void hex(JsonGenerator g, String k, OptionalLong v) {
    if (v.isPresent()) {
      g.writeStringProperty(k, hex(v.getAsLong()));
    } else {
      g.writeNullProperty(k);
    }
  }

  private static void opt(JsonGenerator g, String k, Optional<?> v) {
    if (v.isEmpty()) {
      g.writeNullProperty(k);
    } else if (v.get() instanceof Integer i) {
      g.writeNumberProperty(k, i);
    } else {
      g.writeStringProperty(k, v.get().toString());
    }
  }

  private static void opt(JsonGenerator g, String k, OptionalLong v) {
    if (v.isPresent()) {
      g.writeNumberProperty(k, v.getAsLong());
    } else {
      g.writeNullProperty(k);
    }
  }

  private static void opt(JsonGenerator g, String k, OptionalInt v) {
    if (v.isPresent()) {
      g.writeNumberProperty(k, v.getAsInt());
    } else {
      g.writeNullProperty(k);
    }
  }

  private static void opt(JsonGenerator g, String k, OptionalDouble v) {
    if (v.isPresent()) {
      g.writeNumberProperty(k, v.getAsDouble());
    } else {
      g.writeNullProperty(k);
    }
  }
}
