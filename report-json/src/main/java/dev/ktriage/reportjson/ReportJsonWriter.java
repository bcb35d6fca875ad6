package dev.ktriage.reportjson;

import dev.ktriage.model.Access;
import dev.ktriage.model.HangKind;
import dev.ktriage.model.HungTaskDetails;
import dev.ktriage.model.FaultDetails;
import dev.ktriage.model.KernelBugDetails;
import dev.ktriage.model.LockDependency;
import dev.ktriage.model.LockRef;
import dev.ktriage.model.LockdepDetails;
import dev.ktriage.model.LockdepKind;
import dev.ktriage.model.StallDetails;
import dev.ktriage.model.StallKind;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.WarningDetails;
import dev.ktriage.model.WarningForm;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KasanHeaderForm;
import dev.ktriage.model.Repair;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanMode;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KfenceDetails;
import dev.ktriage.model.KfenceKind;
import dev.ktriage.model.KmsanDetails;
import dev.ktriage.model.KmsanKind;
import dev.ktriage.model.UbsanDetails;
import dev.ktriage.model.UninitBytes;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.RegionRelation;
import dev.ktriage.model.Report;
import dev.ktriage.model.ShadowDump;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Stack;
import dev.ktriage.model.Suppression;
import dev.ktriage.model.StackOrigin;
import dev.ktriage.model.StackRole;
import java.io.OutputStream;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Function;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.ObjectWriteContext;
import tools.jackson.core.StreamWriteFeature;
import tools.jackson.core.io.SerializedString;
import tools.jackson.core.json.JsonFactory;

/**
 * Writes the report JSON: one object per report, fields in a fixed order, absent values as
 * {@code null}, addresses as {@code "0x..."} strings (they do not fit a JSON number), offsets and sizes
 * as numbers. {@link #SCHEMA} names the version; fields are only ever added within a version.
 * docs/json-schema.md documents every field.
 *
 * <p>A frame's {@code file}, {@code line} and {@code inlined} are the best known position;
 * {@code locationFrom} says whose it is ({@code "log"}: printed with the frame; {@code "symbolizer"}:
 * resolved later), and {@code printed} keeps what the log printed when a symbolizer replaced it, so
 * {@link ReportJsonReader} gives back the same {@link Report}. These two are the only fields left out
 * when there is nothing to say (a frame without a position), not written as {@code null}.
 *
 * <p>Thread-safe.
 */
public final class ReportJsonWriter {

  /** Bumped when a field changes meaning or disappears. */
  public static final String SCHEMA = "ktriage.report.v1";

  private final Function<Report, Optional<String>> guiltyFile;
  // The generator writes into the caller's writer (stdout): closing it must not close that.
  private final JsonFactory factory = JsonFactory.builder().disable(StreamWriteFeature.AUTO_CLOSE_TARGET).build();
  /** Per-thread output buffers of {@link #toJsonUtf8}: a store's ingest threads reuse theirs. */
  private final ThreadLocal<Utf8Buffer> buffers = ThreadLocal.withInitial(Utf8Buffer::new);

  /**
   * A writer.
   *
   * @param guiltyFile the {@code guiltyFile} of a report: derived from its frames' files, which
   *     symbolization may fill in after parsing, so it is computed when written and never read back
   *     (grammar's {@code GuiltyFiles::guiltyFile})
   */
  public ReportJsonWriter(Function<Report, Optional<String>> guiltyFile) {
    this.guiltyFile = Objects.requireNonNull(guiltyFile);
  }

  /** The report as one compact JSON object. */
  public String toJson(Report r) {
    StringWriter w = new StringWriter(4096);
    write(r, w);
    return w.toString();
  }

  /**
   * {@link #toJson} as UTF-8 bytes, written straight as bytes (what a store keeps): no string of the
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

  /** Writes the report as one compact JSON object (no newline). */
  public void write(Report r, Writer out) {
    try (JsonGenerator g = factory.createGenerator(ObjectWriteContext.empty(), out)) {
      report(r, g);
    }
  }

  /** Writes the report as one compact JSON object (no newline) into an open generator. */
  public void write(Report r, JsonGenerator g) {
    report(r, g);
  }

  /** An unsynchronized, reusable byte sink. */
  private static final class Utf8Buffer extends OutputStream {
    private byte[] buf = new byte[16384];
    private int n;

    void reset() {
      n = 0;
    }

    @Override
    public void write(int b) {
      if (n == buf.length) {
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      buf[n++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (n + len > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, n + len));
      }
      System.arraycopy(b, off, buf, n, len);
      n += len;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, n);
    }
  }

  private void report(Report r, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("schema", SCHEMA);
    g.writeStringProperty("tool", r.tool().name());
    g.writeStringProperty("bugType", r.bugType());
    g.writeStringProperty("title", r.title().title());
    strings(g, "altTitles", r.title().alternatives());
    opt(g, "guiltyFrame", r.title().guiltyFrame());
    opt(g, "guiltyFile", guiltyFile.apply(r));
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
      case KmsanDetails k -> {
        g.writeName("kmsan");
        kmsan(k, g);
      }
      case KfenceDetails k -> {
        g.writeName("kfence");
        kfence(k, g);
      }
      case UbsanDetails u -> {
        g.writeName("ubsan");
        g.writeStartObject();
        opt(g, "file", u.file());
        opt(g, "line", u.line());
        opt(g, "column", u.column());
        strings(g, "message", u.message());
        g.writeEndObject();
      }
      // the oops families of issue 16: one object each, named after the family
      case WarningDetails w -> {
        g.writeName("warning");
        warning(w, g);
      }
      case LockdepDetails l -> {
        g.writeName("lockdep");
        lockdep(l, g);
      }
      case HungTaskDetails h -> {
        g.writeName("hungTask");
        hungTask(h, g);
      }
      case StallDetails s -> {
        g.writeName("stall");
        stall(s, g);
      }
      case KernelBugDetails b -> {
        g.writeName("kernelBug");
        kernelBug(b, g);
      }
      // faults (h-oops-c)
      case FaultDetails f -> {
        g.writeName("fault");
        fault(f, g);
      }
    }
    g.writeObjectPropertyStart("source");
    g.writeStringProperty("path", r.source().path());
    g.writeNumberProperty("firstLine", r.source().firstLine());
    g.writeNumberProperty("lastLine", r.source().lastLine());
    g.writeEndObject();
    // added in v1 after the fields above: the log line where the corruption was seen
    if (r.corruption().isPresent()) {
      g.writeNumberProperty("corruptedLine", r.corruption().get().logLine());
    } else {
      g.writeNullProperty("corruptedLine");
    }
    // added in v1: the banner the header starts with, the parts a person left out, and how the text
    // was put back together (lines a mail client broke)
    g.writeStringProperty("banner", id(r.banner()));
    g.writeArrayPropertyStart("elided");
    for (Elision e : r.elided()) {
      g.writeString(id(e));
    }
    g.writeEndArray();
    g.writeArrayPropertyStart("repairs");
    for (Repair rp : r.repairs()) {
      g.writeStartObject();
      g.writeStringProperty("kind", id(rp.kind()));
      g.writeStringProperty("detail", rp.detail());
      g.writeNumberProperty("line", rp.logLine());
      g.writeEndObject();
    }
    g.writeEndArray();
    // added in v1: whether the log says the fuzzing machine failed (syzkaller's suppression list), why, and
    // the log line that says so
    g.writeBooleanProperty("suppressed", r.suppressed());
    opt(g, "suppressedReason", r.suppression().map(Suppression::reason));
    if (r.suppression().isPresent()) {
      g.writeNumberProperty("suppressedLine", r.suppression().get().logLine());
    } else {
      g.writeNullProperty("suppressedLine");
    }
    g.writeEndObject();
  }

  private static void access(Access a, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("op", id(a.op()));
    if (a.size().isPresent() && a.size().getAsLong() < 0) {
      // a size_t above 2^63-1 (a negative length passed to memmove): the number the kernel printed
      g.writeNumberProperty("size", new java.math.BigInteger(Long.toUnsignedString(a.size().getAsLong())));
    } else {
      opt(g, "size", a.size());
    }
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

  // The names of what every frame and stack writes, encoded once: a report writes ~600 of them, and
  // jackson writes a pre-encoded name by copying its bytes instead of escaping and encoding it again.
  private static final SerializedString ROLE = new SerializedString("role");
  private static final SerializedString LABEL = new SerializedString("label");
  private static final SerializedString FUNCTION = new SerializedString("function");
  private static final SerializedString OFFSET = new SerializedString("offset");
  private static final SerializedString SIZE = new SerializedString("size");
  private static final SerializedString MODULE = new SerializedString("module");
  private static final SerializedString BUILD_ID = new SerializedString("buildId");
  private static final SerializedString RELIABLE = new SerializedString("reliable");
  private static final SerializedString ADDRESS = new SerializedString("address");
  private static final SerializedString CONTEXT = new SerializedString("context");
  private static final SerializedString LOG_LINE = new SerializedString("logLine");
  private static final SerializedString LOCATION_FROM = new SerializedString("locationFrom");
  private static final SerializedString FILE = new SerializedString("file");
  private static final SerializedString LINE = new SerializedString("line");
  private static final SerializedString INLINED = new SerializedString("inlined");

  private static void stack(Stack s, JsonGenerator g) {
    g.writeStartObject();
    g.writeName(ROLE);
    g.writeString(id(s.role()));
    g.writeName(LABEL);
    g.writeString(s.label());
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
    g.writeName(FUNCTION);
    g.writeString(f.function());
    g.writeName(OFFSET);
    number(g, f.offset());
    g.writeName(SIZE);
    number(g, f.size());
    g.writeName(MODULE);
    string(g, f.module());
    g.writeName(BUILD_ID);
    string(g, f.moduleBuildId());
    g.writeName(RELIABLE);
    g.writeBoolean(f.reliable());
    g.writeName(ADDRESS);
    if (f.address().isPresent()) {
      g.writeString(hex(f.address().getAsLong()));
    } else {
      g.writeNull();
    }
    g.writeName(CONTEXT);
    g.writeString(id(f.context()));
    location(g, f.location());
    inlined(g, f.inlined());
    g.writeName(LOG_LINE);
    g.writeNumber(f.logLine());
    // Written only when there is a position to attribute: most frames of an unsymbolized log have
    // none, and two nulls per frame would add a seventh to every stored report.
    if (f.symbolization().isPresent()) {
      g.writeName(LOCATION_FROM);
      g.writeString("symbolizer");
      if (f.hasPrintedSource()) {
        g.writeObjectPropertyStart("printed");
        location(g, f.printedLocation());
        inlined(g, f.printedInlined());
        g.writeEndObject();
      }
    } else if (f.hasPrintedSource()) {
      g.writeName(LOCATION_FROM);
      g.writeString("log");
    }
    g.writeEndObject();
  }

  private static void location(JsonGenerator g, Optional<SourceLocation> l) {
    g.writeName(FILE);
    if (l.isPresent()) {
      g.writeString(l.get().file());
    } else {
      g.writeNull();
    }
    g.writeName(LINE);
    if (l.isPresent()) {
      g.writeNumber(l.get().line());
    } else {
      g.writeNull();
    }
  }

  private static void inlined(JsonGenerator g, List<InlinedFrame> inlined) {
    g.writeName(INLINED);
    g.writeStartArray();
    for (InlinedFrame i : inlined) {
      g.writeStartObject();
      g.writeName(FUNCTION);
      g.writeString(i.function());
      location(g, i.location());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  /** A value of a pre-encoded name: the number, or null. */
  private static void number(JsonGenerator g, OptionalLong v) {
    if (v.isPresent()) {
      g.writeNumber(v.getAsLong());
    } else {
      g.writeNull();
    }
  }

  /** A value of a pre-encoded name: the string, or null. */
  private static void string(JsonGenerator g, Optional<String> v) {
    if (v.isPresent()) {
      g.writeString(v.get());
    } else {
      g.writeNull();
    }
  }

  private static void kasan(KasanDetails k, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("mode", id(k.mode()));
    opt(g, "faultLocation", k.faultLocation());
    g.writeStringProperty("headerForm", id(k.headerForm()));
    if (k.object().isPresent()) {
      BuggyObject b = k.object().get();
      g.writeObjectPropertyStart("object");
      hex(g, "address", b.address());
      opt(g, "cache", b.cache());
      opt(g, "objectSize", b.objectSize());
      if (b.region().isPresent()) {
        BuggyRegion r = b.region().get();
        g.writeObjectPropertyStart("region");
        g.writeStringProperty("relation", id(r.relation()));
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
    g.writeStringProperty("kind", id(k.kind()));
    strings(g, "functions", k.functions());
    g.writeArrayPropertyStart("accesses");
    for (RaceAccess a : k.accesses()) {
      g.writeStartObject();
      g.writeStringProperty("op", id(a.op()));
      strings(g, "qualifiers", a.qualifiers());
      hex(g, "address", a.address());
      opt(g, "size", a.size());
      opt(g, "pid", a.task().map(t -> t.pid()).orElse(OptionalInt.empty()));
      g.writeBooleanProperty("interrupt", a.interrupt());
      opt(g, "cpu", a.cpu());
      g.writeStringProperty("stack", id(a.stack()));
      opt(g, "task", a.task().map(t -> t.comm()));
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

  private static void kmsan(KmsanDetails k, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(k.kind()));
    opt(g, "useLocation", k.useLocation());
    opt(g, "localVariable", k.localVariable());
    g.writeBooleanProperty("originAvailable", k.originAvailable());
    if (k.bytes().isPresent()) {
      UninitBytes b = k.bytes().get();
      g.writeObjectPropertyStart("uninitBytes");
      g.writeNumberProperty("first", b.first());
      g.writeNumberProperty("last", b.last());
      g.writeNumberProperty("of", b.of());
      g.writeEndObject();
    } else {
      g.writeNullProperty("uninitBytes");
    }
    hex(g, "accessAddress", k.accessAddress());
    hex(g, "userAddress", k.userAddress());
    g.writeEndObject();
  }

  private static void kfence(KfenceDetails k, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(k.kind()));
    opt(g, "faultLocation", k.faultLocation());
    opt(g, "objectIndex", k.objectIndex());
    hex(g, "objectStart", k.objectStart());
    hex(g, "objectEnd", k.objectEnd());
    opt(g, "objectSize", k.objectSize());
    opt(g, "cache", k.cache());
    opt(g, "distance", k.distance());
    opt(g, "side", k.side());
    opt(g, "corruptedBytes", k.corruptedBytes());
    g.writeEndObject();
  }

  private static void warning(WarningDetails w, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("form", id(w.form()));
    site(g, "site", w.site());
    opt(g, "function", w.function());
    opt(g, "condition", w.condition());
    opt(g, "pc", w.pc());
    strings(g, "message", w.message());
    task(g, w.task());
    g.writeEndObject();
  }

  private static void lockdep(LockdepDetails l, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(l.kind()));
    task(g, l.task());
    if (l.lock().isPresent()) {
      g.writeName("lock");
      lock(l.lock().get(), g);
    } else {
      g.writeNullProperty("lock");
    }
    locks(g, "holding", l.holding());
    g.writeArrayPropertyStart("chain");
    for (LockDependency d : l.chain()) {
      g.writeStartObject();
      g.writeNumberProperty("depth", d.depth());
      g.writeName("lock");
      lock(d.lock(), g);
      g.writeEndObject();
    }
    g.writeEndArray();
    locks(g, "held", l.held());
    opt(g, "usage", l.usage());
    site(g, "rcuSite", l.rcuSite());
    opt(g, "rcuMessage", l.rcuMessage());
    opt(g, "limit", l.limit());
    g.writeEndObject();
  }

  private static void hungTask(HungTaskDetails h, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(h.kind()));
    task(g, Optional.of(h.task()));
    opt(g, "seconds", h.seconds());
    opt(g, "state", h.state());
    opt(g, "blockedIn", h.blockedIn());
    locks(g, "heldLocks", h.heldLocks());
    g.writeEndObject();
  }

  private static void stall(StallDetails s, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(s.kind()));
    opt(g, "flavour", s.flavour());
    g.writeArrayPropertyStart("stalledCpus");
    for (int c : s.stalledCpus()) {
      g.writeNumber(c);
    }
    g.writeEndArray();
    opt(g, "detectedBy", s.detectedBy());
    opt(g, "duration", s.duration());
    task(g, s.task());
    strings(g, "blockedTasks", s.blockedTasks());
    opt(g, "anchor", s.anchor());
    opt(g, "anchorFrom", s.anchorFrom());
    g.writeEndObject();
  }

  private static void fault(FaultDetails f, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("kind", id(f.kind()));
    opt(g, "address", f.address());
    opt(g, "errorCode", f.errorCode());
    opt(g, "pc", f.pc());
    site(g, "site", f.site());
    opt(g, "kasanRange", f.kasanRange());
    opt(g, "access", f.access());
    g.writeStringProperty("message", f.message());
    // an array, not an object: the order of a register dump is the arch's
    g.writeArrayPropertyStart("registers");
    for (var e : f.registers().entrySet()) {
      g.writeStartObject();
      g.writeStringProperty("name", e.getKey());
      g.writeStringProperty("value", e.getValue());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void kernelBug(KernelBugDetails b, JsonGenerator g) {
    g.writeStartObject();
    g.writeStringProperty("check", b.check());
    task(g, b.task());
    opt(g, "cpu", b.cpu());
    site(g, "site", b.site());
    opt(g, "function", b.function());
    opt(g, "subject", b.subject());
    locks(g, "held", b.held());
    g.writeEndObject();
  }

  // "task": {"comm": ..., "pid": ...} or null
  private static void task(JsonGenerator g, Optional<TaskRef> t) {
    if (t.isPresent()) {
      g.writeObjectPropertyStart("task");
      g.writeStringProperty("comm", t.get().comm());
      opt(g, "pid", t.get().pid());
      g.writeEndObject();
    } else {
      g.writeNullProperty("task");
    }
  }

  // A source position as {"file": ..., "line": ...} or null.
  private static void site(JsonGenerator g, String k, Optional<SourceLocation> l) {
    if (l.isPresent()) {
      g.writeObjectPropertyStart(k);
      location(g, l);
      g.writeEndObject();
    } else {
      g.writeNullProperty(k);
    }
  }

  private static void locks(JsonGenerator g, String k, List<LockRef> locks) {
    g.writeArrayPropertyStart(k);
    for (LockRef l : locks) {
      lock(l, g);
    }
    g.writeEndArray();
  }

  private static void lock(LockRef l, JsonGenerator g) {
    g.writeStartObject();
    opt(g, "index", l.index());
    hex(g, "address", l.address());
    g.writeStringProperty("class", l.lockClass());
    opt(g, "usage", l.usage());
    opt(g, "at", l.at());
    site(g, "atLocation", l.atLocation());
    g.writeEndObject();
  }

  /** An enum constant as JSON spells it: {@code RACE_1} is {@code race-1}. */
  static String id(Enum<?> e) {
    String known = IDS.get(e);
    return known != null ? known : spell(e.name());
  }

  static String spell(String enumName) {
    return enumName.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The spelling of every constant of the model's enums, computed once (frames repeat them thousands of times). */
  private static final Map<Enum<?>, String> IDS = ids(AccessOp.class, StackRole.class, FrameContext.class,
      KasanMode.class, RegionRelation.class, KcsanKind.class, Banner.class, Elision.class, Repair.Kind.class,
      KasanHeaderForm.class, KmsanKind.class, KfenceKind.class, WarningForm.class, LockdepKind.class,
      HangKind.class, StallKind.class);

  @SafeVarargs
  private static Map<Enum<?>, String> ids(Class<? extends Enum<?>>... types) {
    Map<Enum<?>, String> m = new HashMap<>();
    for (Class<? extends Enum<?>> t : types) {
      for (Enum<?> e : t.getEnumConstants()) {
        m.put(e, spell(e.name()));
      }
    }
    return Map.copyOf(m);
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
    return new String(b, StandardCharsets.ISO_8859_1);
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
