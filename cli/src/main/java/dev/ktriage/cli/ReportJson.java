package dev.ktriage.cli;

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
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The report JSON that {@code parse --format json|jsonl} prints and the store keeps: one object per
 * report, fields in a fixed order, absent values as {@code null}, addresses as {@code "0x..."}
 * strings (they do not fit a JSON number), offsets and sizes as numbers. {@link #SCHEMA} names the
 * version; fields are only ever added within a version. The README documents every field.
 *
 * <p>Thread-safe.
 */
final class ReportJson {

  /** Bumped when a field changes meaning or disappears. */
  static final String SCHEMA = "ktriage.report.v1";

  private final JsonMapper mapper = JsonMapper.builder().build();

  JsonMapper mapper() {
    return mapper;
  }

  ObjectNode toJson(Report r) {
    ObjectNode o = mapper.createObjectNode();
    o.put("schema", SCHEMA);
    o.put("tool", r.tool().name());
    o.put("bugType", r.bugType());
    o.put("title", r.title().title());
    ArrayNode alts = o.putArray("altTitles");
    r.title().alternatives().forEach(alts::add);
    putOpt(o, "guiltyFrame", r.title().guiltyFrame());
    o.put("corrupted", r.corrupted());
    putOpt(o, "corruptedReason", r.corruption().map(c -> c.reason().id()));
    putOpt(o, "corruptedDetail", r.corruption().map(c -> c.detail()));
    o.put("complete", r.complete());
    o.put("header", r.header());
    if (r.access().isPresent()) {
      o.set("access", access(r.access().get()));
    } else {
      o.putNull("access");
    }
    o.set("context", context(r.context()));
    ObjectNode time = o.putObject("time");
    putOpt(time, "uptime", r.time().uptime());
    putOpt(time, "wallClock", r.time().wallClock());
    ArrayNode stacks = o.putArray("stacks");
    for (Stack s : r.stacks()) {
      stacks.add(stack(s));
    }
    switch (r.details()) {
      case KasanDetails k -> o.set("kasan", kasan(k));
      case KcsanDetails k -> o.set("kcsan", kcsan(k));
    }
    ObjectNode src = o.putObject("source");
    src.put("path", r.source().path());
    src.put("firstLine", r.source().firstLine());
    src.put("lastLine", r.source().lastLine());
    return o;
  }

  private ObjectNode access(Access a) {
    ObjectNode o = mapper.createObjectNode();
    o.put("op", a.op().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    putOpt(o, "size", a.size());
    putHex(o, "address", a.address());
    putOpt(o, "task", a.task().map(t -> t.comm()));
    putOpt(o, "pid", a.task().map(t -> t.pid()).orElse(OptionalInt.empty()));
    putOpt(o, "pointerTag", a.tags().map(t -> t.pointerTag()));
    putOpt(o, "memoryTag", a.tags().map(t -> t.memoryTag()));
    return o;
  }

  private ObjectNode context(KernelContext c) {
    ObjectNode o = mapper.createObjectNode();
    putOpt(o, "cpu", c.cpu());
    putOpt(o, "pid", c.pid());
    putOpt(o, "comm", c.comm());
    putOpt(o, "release", c.release());
    putOpt(o, "build", c.build());
    putOpt(o, "taint", c.taint());
    putOpt(o, "hardware", c.hardware());
    putOpt(o, "arch", c.arch());
    putOpt(o, "callerId", c.callerId());
    return o;
  }

  private ObjectNode stack(Stack s) {
    ObjectNode o = mapper.createObjectNode();
    o.put("role", s.role().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    o.put("label", s.label());
    if (s.origin().isPresent()) {
      StackOrigin so = s.origin().get();
      ObjectNode origin = o.putObject("origin");
      putOpt(origin, "pid", so.pid());
      putOpt(origin, "cpu", so.cpu());
      putOpt(origin, "seconds", so.seconds());
    } else {
      o.putNull("origin");
    }
    o.put("unavailable", s.unavailable());
    ArrayNode frames = o.putArray("frames");
    for (Frame f : s.frames()) {
      frames.add(frame(f));
    }
    return o;
  }

  private ObjectNode frame(Frame f) {
    ObjectNode o = mapper.createObjectNode();
    o.put("function", f.function());
    putOpt(o, "offset", f.offset());
    putOpt(o, "size", f.size());
    putOpt(o, "module", f.module());
    putOpt(o, "buildId", f.moduleBuildId());
    o.put("reliable", f.reliable());
    putHex(o, "address", f.address());
    o.put("context", f.context().name().toLowerCase(Locale.ROOT));
    putOpt(o, "file", f.location().map(l -> l.file()));
    putOpt(o, "line", f.location().map(l -> l.line()));
    ArrayNode inlined = o.putArray("inlined");
    for (InlinedFrame i : f.inlined()) {
      ObjectNode in = inlined.addObject();
      in.put("function", i.function());
      putOpt(in, "file", i.location().map(l -> l.file()));
      putOpt(in, "line", i.location().map(l -> l.line()));
    }
    o.put("logLine", f.logLine());
    return o;
  }

  private ObjectNode kasan(KasanDetails k) {
    ObjectNode o = mapper.createObjectNode();
    o.put("mode", k.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    putOpt(o, "faultLocation", k.faultLocation());
    if (k.object().isPresent()) {
      BuggyObject b = k.object().get();
      ObjectNode obj = o.putObject("object");
      putHex(obj, "address", b.address());
      putOpt(obj, "cache", b.cache());
      putOpt(obj, "objectSize", b.objectSize());
      if (b.region().isPresent()) {
        BuggyRegion r = b.region().get();
        ObjectNode reg = obj.putObject("region");
        reg.put("relation", r.relation().name().toLowerCase(Locale.ROOT));
        reg.put("distance", r.distance());
        reg.put("size", r.size());
        reg.put("state", r.state());
        reg.put("start", hex(r.start()));
        reg.put("end", hex(r.end()));
      } else {
        obj.putNull("region");
      }
    } else {
      o.putNull("object");
    }
    putOpt(o, "variable", k.variable());
    putOpt(o, "stackOwner", k.stackOwner());
    ArrayNode page = o.putArray("page");
    k.page().forEach(page::add);
    if (k.shadow().isPresent()) {
      ShadowDump d = k.shadow().get();
      ObjectNode sh = o.putObject("shadow");
      ArrayNode rows = sh.putArray("rows");
      d.rows().forEach(rows::add);
      sh.put("buggyRow", d.buggyRow());
      sh.put("caretColumn", d.caretColumn());
    } else {
      o.putNull("shadow");
    }
    return o;
  }

  private ObjectNode kcsan(KcsanDetails k) {
    ObjectNode o = mapper.createObjectNode();
    o.put("kind", k.kind().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    ArrayNode fs = o.putArray("functions");
    k.functions().forEach(fs::add);
    ArrayNode accesses = o.putArray("accesses");
    for (RaceAccess a : k.accesses()) {
      ObjectNode x = accesses.addObject();
      x.put("op", a.op().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      ArrayNode q = x.putArray("qualifiers");
      a.qualifiers().forEach(q::add);
      putHex(x, "address", a.address());
      putOpt(x, "size", a.size());
      putOpt(x, "pid", a.task().map(t -> t.pid()).orElse(OptionalInt.empty()));
      x.put("interrupt", a.interrupt());
      putOpt(x, "cpu", a.cpu());
      x.put("stack", a.stack().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    }
    if (k.valueChange().isPresent()) {
      ObjectNode v = o.putObject("valueChange");
      v.put("before", k.valueChange().get().before());
      v.put("after", k.valueChange().get().after());
    } else {
      o.putNull("valueChange");
    }
    putOpt(o, "reportedBy", k.reportedBy());
    return o;
  }

  static String hex(long v) {
    return String.format(Locale.ROOT, "0x%016x", v);
  }

  private static void putHex(ObjectNode o, String k, OptionalLong v) {
    if (v.isPresent()) {
      o.put(k, hex(v.getAsLong()));
    } else {
      o.putNull(k);
    }
  }

  private static void putOpt(ObjectNode o, String k, Optional<?> v) {
    if (v.isEmpty()) {
      o.putNull(k);
    } else if (v.get() instanceof Integer i) {
      o.put(k, i);
    } else {
      o.put(k, v.get().toString());
    }
  }

  private static void putOpt(ObjectNode o, String k, OptionalLong v) {
    if (v.isPresent()) {
      o.put(k, v.getAsLong());
    } else {
      o.putNull(k);
    }
  }

  private static void putOpt(ObjectNode o, String k, OptionalInt v) {
    if (v.isPresent()) {
      o.put(k, v.getAsInt());
    } else {
      o.putNull(k);
    }
  }

  private static void putOpt(ObjectNode o, String k, OptionalDouble v) {
    if (v.isPresent()) {
      o.put(k, v.getAsDouble());
    } else {
      o.putNull(k);
    }
  }
}
