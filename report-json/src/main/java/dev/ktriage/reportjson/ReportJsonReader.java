package dev.ktriage.reportjson;

import dev.ktriage.model.Access;
import dev.ktriage.model.Banner;
import dev.ktriage.model.Elision;
import dev.ktriage.model.KasanHeaderForm;
import dev.ktriage.model.Repair;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.HangKind;
import dev.ktriage.model.HungTaskDetails;
import dev.ktriage.model.FaultDetails;
import dev.ktriage.model.FaultKind;
import dev.ktriage.model.KernelBugDetails;
import dev.ktriage.model.LockDependency;
import dev.ktriage.model.LockRef;
import dev.ktriage.model.LockdepDetails;
import dev.ktriage.model.LockdepKind;
import dev.ktriage.model.StallDetails;
import dev.ktriage.model.StallKind;
import dev.ktriage.model.WarningDetails;
import dev.ktriage.model.WarningForm;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.Corruption;
import dev.ktriage.model.CorruptionReason;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
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
import dev.ktriage.model.LogTime;
import dev.ktriage.model.MemoryTags;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.RegionRelation;
import dev.ktriage.model.Report;
import dev.ktriage.model.ReportDetails;
import dev.ktriage.model.ShadowDump;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.SourceSpan;
import dev.ktriage.model.Stack;
import dev.ktriage.model.Suppression;
import dev.ktriage.model.StackOrigin;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Symbolization;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Title;
import dev.ktriage.model.Tool;
import dev.ktriage.model.ValueChange;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * Reads the report JSON that {@link ReportJsonWriter} writes back into a {@link Report}, field for
 * field ({@code guiltyFile} is derived and skipped). Unknown fields are ignored (a newer writer of the
 * same schema may add some); a missing field added later in the schema's life reads as absent.
 *
 * <p>Thread-safe.
 */
public final class ReportJsonReader {
  private final JsonFactory factory = JsonFactory.builder().build();

  /** The report in a UTF-8 JSON object. */
  public Report read(byte[] utf8) throws ReportJsonException {
    try (JsonParser p = factory.createParser(ObjectReadContext.empty(), utf8)) {
      return report(tree(p));
    } catch (JacksonException e) {
      throw new ReportJsonException("not report JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** The report in a JSON object. */
  public Report read(String json) throws ReportJsonException {
    return read(json.getBytes(StandardCharsets.UTF_8));
  }

  // ---------------------------------------------------------------- a small tree

  private static Object tree(JsonParser p) throws ReportJsonException {
    JsonToken t = p.nextToken();
    if (t != JsonToken.START_OBJECT) {
      throw new ReportJsonException("not report JSON: expected an object");
    }
    return value(p, t);
  }

  private static Object value(JsonParser p, JsonToken t) throws ReportJsonException {
    if (t == null) {
      throw new ReportJsonException("not report JSON: ends early");
    }
    return switch (t) {
      case START_OBJECT -> {
        Map<String, Object> m = new HashMap<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_OBJECT; n = p.nextToken()) {
          String name = p.currentName();
          m.put(name, value(p, p.nextToken()));
        }
        yield m;
      }
      case START_ARRAY -> {
        List<Object> l = new ArrayList<>();
        for (JsonToken n = p.nextToken(); n != JsonToken.END_ARRAY; n = p.nextToken()) {
          l.add(value(p, n));
        }
        yield l;
      }
      case VALUE_STRING -> p.getString();
      case VALUE_NUMBER_INT -> p.getLongValue();
      case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
      case VALUE_TRUE -> Boolean.TRUE;
      case VALUE_FALSE -> Boolean.FALSE;
      case VALUE_NULL -> null;
      default -> throw new ReportJsonException("not report JSON: unexpected " + t);
    };
  }

  /** One JSON object's fields, read with the field's name in every error. */
  private record Obj(Map<String, Object> m, String where) {
    Object raw(String k) {
      return m.get(k);
    }

    String str(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v instanceof String s) {
        return s;
      }
      throw bad(k, "a string");
    }

    Optional<String> optStr(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v == null) {
        return Optional.empty();
      }
      if (v instanceof String s) {
        return Optional.of(s);
      }
      throw bad(k, "a string");
    }

    long num(String k) throws ReportJsonException {
      if (m.get(k) instanceof Long l) {
        return l;
      }
      throw bad(k, "an integer");
    }

    OptionalLong optLong(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v == null) {
        return OptionalLong.empty();
      }
      if (v instanceof Long l) {
        return OptionalLong.of(l);
      }
      throw bad(k, "an integer");
    }

    OptionalInt optInt(String k) throws ReportJsonException {
      OptionalLong l = optLong(k);
      if (l.isEmpty()) {
        return OptionalInt.empty();
      }
      if (l.getAsLong() != (int) l.getAsLong()) {
        throw bad(k, "a 32-bit integer");
      }
      return OptionalInt.of((int) l.getAsLong());
    }

    OptionalDouble optDouble(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v == null) {
        return OptionalDouble.empty();
      }
      if (v instanceof Number n) {
        return OptionalDouble.of(n.doubleValue());
      }
      throw bad(k, "a number");
    }

    boolean bool(String k) throws ReportJsonException {
      if (m.get(k) instanceof Boolean b) {
        return b;
      }
      throw bad(k, "true or false");
    }

    OptionalLong optHex(String k) throws ReportJsonException {
      Optional<String> s = optStr(k);
      return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(hex(k, s.get()));
    }

    long hex(String k, String s) throws ReportJsonException {
      if (!s.startsWith("0x") || s.length() < 3 || s.length() > 18) {
        throw bad(k, "an address 0x...");
      }
      try {
        return Long.parseUnsignedLong(s, 2, s.length(), 16);
      } catch (NumberFormatException e) {
        throw bad(k, "an address 0x...");
      }
    }

    Optional<Obj> optObj(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v == null) {
        return Optional.empty();
      }
      return Optional.of(obj(k, v));
    }

    Obj obj(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v == null) {
        throw bad(k, "an object");
      }
      return obj(k, v);
    }

    @SuppressWarnings("unchecked")
    private Obj obj(String k, Object v) throws ReportJsonException {
      if (v instanceof Map<?, ?> map) {
        return new Obj((Map<String, Object>) map, where + "." + k);
      }
      throw bad(k, "an object");
    }

    List<Obj> objs(String k) throws ReportJsonException {
      List<Obj> out = new ArrayList<>();
      int i = 0;
      for (Object v : list(k)) {
        out.add(obj(k + "[" + i++ + "]", v));
      }
      return out;
    }

    List<String> strs(String k) throws ReportJsonException {
      List<String> out = new ArrayList<>();
      for (Object v : list(k)) {
        if (!(v instanceof String s)) {
          throw bad(k, "a list of strings");
        }
        out.add(s);
      }
      return out;
    }

    private List<?> list(String k) throws ReportJsonException {
      Object v = m.get(k);
      if (v == null) {
        return List.of();
      }
      if (v instanceof List<?> l) {
        return l;
      }
      throw bad(k, "a list");
    }

    <E extends Enum<E>> E enumOf(String k, Class<E> type) throws ReportJsonException {
      String s = str(k);
      E e = enumValue(type, s);
      if (e == null) {
        throw bad(k, "one of " + ENUMS.get(type).keySet());
      }
      return e;
    }

    ReportJsonException bad(String k, String expected) {
      return new ReportJsonException("not report JSON: " + where + "." + k + " is not " + expected);
    }
  }

  /** Each enum's constants by JSON spelling ({@code race-1}) and by name ({@code KASAN}). */
  private static final Map<Class<?>, Map<String, Enum<?>>> ENUMS = enums(AccessOp.class, StackRole.class,
      FrameContext.class, KasanMode.class, RegionRelation.class, KcsanKind.class, CorruptionReason.class, Tool.class,
      Banner.class, Elision.class, Repair.Kind.class, KasanHeaderForm.class, KmsanKind.class, KfenceKind.class,
      WarningForm.class, LockdepKind.class, HangKind.class, StallKind.class, FaultKind.class);

  @SafeVarargs
  private static Map<Class<?>, Map<String, Enum<?>>> enums(Class<? extends Enum<?>>... types) {
    Map<Class<?>, Map<String, Enum<?>>> out = new HashMap<>();
    for (Class<? extends Enum<?>> t : types) {
      Map<String, Enum<?>> m = new LinkedHashMap<>();
      for (Enum<?> e : t.getEnumConstants()) {
        m.put(ReportJsonWriter.spell(e.name()), e);
        m.putIfAbsent(e.name(), e);
      }
      out.put(t, Map.copyOf(m));
    }
    return Map.copyOf(out);
  }

  private static <E extends Enum<E>> E enumValue(Class<E> type, String s) {
    return type.cast(ENUMS.get(type).get(s));
  }

  // ---------------------------------------------------------------- the model

  @SuppressWarnings("unchecked")
  private static Report report(Object root) throws ReportJsonException {
    Obj r = new Obj((Map<String, Object>) root, "report");
    String schema = r.str("schema");
    if (!schema.equals(ReportJsonWriter.SCHEMA)) {
      throw new ReportJsonException("report JSON of schema " + schema + ", this build reads " + ReportJsonWriter.SCHEMA);
    }
    Tool tool = r.enumOf("tool", Tool.class);
    Title title = new Title(r.str("title"), r.strs("altTitles"), r.optStr("guiltyFrame"));
    Optional<Corruption> corruption = Optional.empty();
    if (r.bool("corrupted")) {
      CorruptionReason reason = r.enumOf("corruptedReason", CorruptionReason.class);
      corruption = Optional.of(new Corruption(reason, r.optStr("corruptedDetail").orElse(""),
          r.optLong("corruptedLine").orElse(0)));
    }
    Optional<Access> access = Optional.empty();
    Optional<Obj> a = r.optObj("access");
    if (a.isPresent()) {
      access = Optional.of(access(a.get()));
    }
    Obj c = r.obj("context");
    KernelContext context = new KernelContext(c.optInt("cpu"), c.optInt("pid"), c.optStr("comm"),
        c.optStr("release"), c.optStr("build"), c.optStr("taint"), c.optStr("hardware"), c.optStr("arch"),
        c.optStr("callerId"));
    Obj t = r.obj("time");
    LogTime time = new LogTime(t.optDouble("uptime"), t.optStr("wallClock"));
    List<Stack> stacks = new ArrayList<>();
    for (Obj s : r.objs("stacks")) {
      stacks.add(stack(s));
    }
    ReportDetails details;
    Optional<Obj> kasan = r.optObj("kasan");
    Optional<Obj> kcsan = r.optObj("kcsan");
    Optional<Obj> kmsan = r.optObj("kmsan");
    Optional<Obj> kfence = r.optObj("kfence");
    Optional<Obj> ubsan = r.optObj("ubsan");
    if (kasan.isPresent()) {
      details = kasan(kasan.get());
    } else if (kcsan.isPresent()) {
      details = kcsan(kcsan.get());
    } else if (kmsan.isPresent()) {
      details = kmsan(kmsan.get());
    } else if (kfence.isPresent()) {
      details = kfence(kfence.get());
    } else if (ubsan.isPresent()) {
      Obj u = ubsan.get();
      details = new UbsanDetails(u.optStr("file"), u.optInt("line"), u.optInt("column"), u.strs("message"));
    } else if (r.optObj("warning").isPresent()) {
      details = warning(r.obj("warning"));
    } else if (r.optObj("lockdep").isPresent()) {
      details = lockdep(r.obj("lockdep"));
    } else if (r.optObj("hungTask").isPresent()) {
      details = hungTask(r.obj("hungTask"));
    } else if (r.optObj("stall").isPresent()) {
      details = stall(r.obj("stall"));
    } else if (r.optObj("kernelBug").isPresent()) {
      details = kernelBug(r.obj("kernelBug"));
    } else if (r.optObj("fault").isPresent()) {
      details = fault(r.obj("fault"));
    } else {
      throw r.bad("kasan", "an object (nor is kcsan, kmsan, kfence or ubsan)");
    }
    Obj src = r.obj("source");
    SourceSpan source = new SourceSpan(src.str("path"), src.num("firstLine"), src.num("lastLine"));
    // banner, elided and repairs came later in v1: JSON without them reads as the tool's usual banner, nothing
    // left out, nothing repaired.
    Banner banner = r.optStr("banner").isPresent() ? r.enumOf("banner", Banner.class)
        : tool == Tool.KCSAN ? Banner.KCSAN : Banner.KASAN;
    List<Elision> elided = new ArrayList<>();
    for (String e : r.strs("elided")) {
      Elision value = enumValue(Elision.class, e);
      if (value == null) {
        throw r.bad("elided", "one of " + ENUMS.get(Elision.class).keySet());
      }
      elided.add(value);
    }
    List<Repair> repairs = new ArrayList<>();
    for (Obj rp : r.objs("repairs")) {
      repairs.add(new Repair(rp.enumOf("kind", Repair.Kind.class), rp.str("detail"), rp.num("line")));
    }
    // suppression came later in v1: JSON without it reads as not suppressed
    Optional<Suppression> suppression = Optional.empty();
    if (r.raw("suppressed") != null && r.bool("suppressed")) {
      suppression = Optional.of(new Suppression(r.str("suppressedReason"), r.num("suppressedLine")));
    }
    return new Report(tool, banner, r.str("bugType"), r.str("header"), title, access, context, time, stacks, details,
        corruption, elided, repairs, r.bool("complete"), source, suppression);
  }

  private static Access access(Obj a) throws ReportJsonException {
    Optional<TaskRef> task = a.optStr("task").map(comm -> new TaskRef(comm, OptionalInt.empty()));
    OptionalInt pid = a.optInt("pid");
    if (task.isPresent()) {
      task = Optional.of(new TaskRef(task.get().comm(), pid));
    }
    Optional<String> pt = a.optStr("pointerTag");
    Optional<String> mt = a.optStr("memoryTag");
    Optional<MemoryTags> tags = pt.isPresent() || mt.isPresent()
        ? Optional.of(new MemoryTags(pt.orElse(""), mt.orElse(""))) : Optional.empty();
    return new Access(a.enumOf("op", AccessOp.class), a.optLong("size"), a.optHex("address"), task, tags);
  }

  private static Stack stack(Obj s) throws ReportJsonException {
    Optional<StackOrigin> origin = Optional.empty();
    Optional<Obj> o = s.optObj("origin");
    if (o.isPresent()) {
      origin = Optional.of(new StackOrigin(o.get().optInt("pid"), o.get().optInt("cpu"), o.get().optDouble("seconds")));
    }
    List<Frame> frames = new ArrayList<>();
    for (Obj f : s.objs("frames")) {
      frames.add(frame(f));
    }
    return new Stack(s.enumOf("role", StackRole.class), s.str("label"), origin, frames, s.bool("unavailable"));
  }

  private static Frame frame(Obj f) throws ReportJsonException {
    Optional<SourceLocation> location = location(f);
    List<InlinedFrame> inlined = inlined(f);
    Optional<SourceLocation> printedLocation = location;
    List<InlinedFrame> printedInlined = inlined;
    Optional<Symbolization> symbolization = Optional.empty();
    // Without locationFrom (written before it existed) a position is taken as printed.
    if ("symbolizer".equals(f.optStr("locationFrom").orElse(null))) {
      symbolization = Optional.of(new Symbolization(location, inlined));
      Optional<Obj> printed = f.optObj("printed");
      printedLocation = printed.isPresent() ? location(printed.get()) : Optional.empty();
      printedInlined = printed.isPresent() ? inlined(printed.get()) : List.of();
    }
    return new Frame(f.str("function"), f.optLong("offset"), f.optLong("size"), f.optStr("module"),
        f.optStr("buildId"), f.bool("reliable"), f.optHex("address"), f.enumOf("context", FrameContext.class),
        printedLocation, printedInlined, f.num("logLine"), symbolization);
  }

  private static Optional<SourceLocation> location(Obj o) throws ReportJsonException {
    Optional<String> file = o.optStr("file");
    if (file.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new SourceLocation(file.get(), o.optInt("line").orElse(0)));
  }

  private static List<InlinedFrame> inlined(Obj o) throws ReportJsonException {
    List<InlinedFrame> out = new ArrayList<>();
    for (Obj i : o.objs("inlined")) {
      out.add(new InlinedFrame(i.str("function"), location(i)));
    }
    return out;
  }

  private static KasanDetails kasan(Obj k) throws ReportJsonException {
    Optional<BuggyObject> object = Optional.empty();
    Optional<Obj> o = k.optObj("object");
    if (o.isPresent()) {
      Optional<BuggyRegion> region = Optional.empty();
      Optional<Obj> rg = o.get().optObj("region");
      if (rg.isPresent()) {
        Obj x = rg.get();
        region = Optional.of(new BuggyRegion(x.enumOf("relation", RegionRelation.class), x.num("distance"),
            x.num("size"), x.str("state"), x.hex("start", x.str("start")), x.hex("end", x.str("end"))));
      }
      object = Optional.of(new BuggyObject(o.get().optHex("address"), o.get().optStr("cache"),
          o.get().optLong("objectSize"), region));
    }
    Optional<ShadowDump> shadow = Optional.empty();
    Optional<Obj> sh = k.optObj("shadow");
    if (sh.isPresent()) {
      shadow = Optional.of(new ShadowDump(sh.get().strs("rows"), (int) sh.get().num("buggyRow"),
          (int) sh.get().num("caretColumn")));
    }
    Optional<String> faultLocation = k.optStr("faultLocation");
    KasanHeaderForm form = k.optStr("headerForm").isPresent() ? k.enumOf("headerForm", KasanHeaderForm.class)
        : faultLocation.isPresent() ? KasanHeaderForm.LOCATION : KasanHeaderForm.UNRECOGNIZED;
    return new KasanDetails(k.enumOf("mode", KasanMode.class), form, faultLocation, object,
        k.optStr("variable"), k.optStr("stackOwner"), k.strs("page"), shadow);
  }

  private static KmsanDetails kmsan(Obj k) throws ReportJsonException {
    Optional<UninitBytes> bytes = Optional.empty();
    Optional<Obj> b = k.optObj("uninitBytes");
    if (b.isPresent()) {
      bytes = Optional.of(new UninitBytes((int) b.get().num("first"), (int) b.get().num("last"),
          (int) b.get().num("of")));
    }
    return new KmsanDetails(k.enumOf("kind", KmsanKind.class), k.optStr("useLocation"), k.optStr("localVariable"),
        k.bool("originAvailable"), bytes, k.optHex("accessAddress"), k.optHex("userAddress"));
  }

  private static KfenceDetails kfence(Obj k) throws ReportJsonException {
    return new KfenceDetails(k.enumOf("kind", KfenceKind.class), k.optStr("faultLocation"), k.optInt("objectIndex"),
        k.optHex("objectStart"), k.optHex("objectEnd"), k.optLong("objectSize"), k.optStr("cache"),
        k.optLong("distance"), k.optStr("side"), k.optStr("corruptedBytes"));
  }

  private static KcsanDetails kcsan(Obj k) throws ReportJsonException {
    List<RaceAccess> accesses = new ArrayList<>();
    for (Obj a : k.objs("accesses")) {
      OptionalInt pid = a.optInt("pid");
      Optional<String> comm = a.optStr("task");
      Optional<TaskRef> task = comm.isPresent() || pid.isPresent()
          ? Optional.of(new TaskRef(comm.orElse(""), pid)) : Optional.empty();
      accesses.add(new RaceAccess(a.enumOf("op", AccessOp.class), a.strs("qualifiers"), a.optHex("address"),
          a.optLong("size"), task, a.bool("interrupt"), a.optInt("cpu"), a.enumOf("stack", StackRole.class)));
    }
    Optional<ValueChange> change = Optional.empty();
    Optional<Obj> v = k.optObj("valueChange");
    if (v.isPresent()) {
      change = Optional.of(new ValueChange(v.get().str("before"), v.get().str("after")));
    }
    return new KcsanDetails(k.enumOf("kind", KcsanKind.class), k.strs("functions"), accesses, change,
        k.optStr("reportedBy"));
  }

  private static WarningDetails warning(Obj w) throws ReportJsonException {
    return new WarningDetails(w.enumOf("form", WarningForm.class), site(w, "site"), w.optStr("function"),
        w.optStr("condition"), w.optStr("pc"), w.strs("message"), task(w));
  }

  private static LockdepDetails lockdep(Obj l) throws ReportJsonException {
    Optional<Obj> lock = l.optObj("lock");
    List<LockDependency> chain = new ArrayList<>();
    for (Obj d : l.objs("chain")) {
      chain.add(new LockDependency((int) d.num("depth"), lock(d.obj("lock"))));
    }
    return new LockdepDetails(l.enumOf("kind", LockdepKind.class), task(l),
        lock.isPresent() ? Optional.of(lock(lock.get())) : Optional.empty(), locks(l, "holding"), chain,
        locks(l, "held"), l.optStr("usage"), site(l, "rcuSite"), l.optStr("rcuMessage"), l.optStr("limit"));
  }

  private static HungTaskDetails hungTask(Obj h) throws ReportJsonException {
    return new HungTaskDetails(h.enumOf("kind", HangKind.class), task(h).orElseThrow(() -> h.bad("task", "an object")),
        h.optLong("seconds"), h.optStr("state"), h.optStr("blockedIn"), locks(h, "heldLocks"));
  }

  private static StallDetails stall(Obj s) throws ReportJsonException {
    List<Integer> cpus = new ArrayList<>();
    Object raw = s.raw("stalledCpus");
    if (raw instanceof List<?> l) {
      for (Object c : l) {
        if (!(c instanceof Long n) || n != n.intValue()) {
          throw s.bad("stalledCpus", "a list of cpu numbers");
        }
        cpus.add(n.intValue());
      }
    }
    return new StallDetails(s.enumOf("kind", StallKind.class), s.optStr("flavour"), cpus, s.optInt("detectedBy"),
        s.optLong("duration"), task(s), s.strs("blockedTasks"), s.optStr("anchor"), s.optStr("anchorFrom"));
  }

  private static FaultDetails fault(Obj f) throws ReportJsonException {
    java.util.Map<String, String> registers = new java.util.LinkedHashMap<>();
    for (Obj reg : f.objs("registers")) {
      registers.put(reg.str("name"), reg.str("value"));
    }
    return new FaultDetails(f.enumOf("kind", FaultKind.class), f.optStr("address"), f.optStr("errorCode"),
        f.optStr("pc"), site(f, "site"), f.optStr("kasanRange"), f.optStr("access"), f.str("message"), registers);
  }

  private static KernelBugDetails kernelBug(Obj b) throws ReportJsonException {
    return new KernelBugDetails(b.str("check"), task(b), b.optInt("cpu"), site(b, "site"), b.optStr("function"),
        b.optStr("subject"), locks(b, "held"));
  }

  private static Optional<TaskRef> task(Obj o) throws ReportJsonException {
    Optional<Obj> t = o.optObj("task");
    return t.isPresent() ? Optional.of(new TaskRef(t.get().str("comm"), t.get().optInt("pid"))) : Optional.empty();
  }

  private static Optional<SourceLocation> site(Obj o, String k) throws ReportJsonException {
    Optional<Obj> s = o.optObj(k);
    return s.isPresent() ? location(s.get()) : Optional.empty();
  }

  private static List<LockRef> locks(Obj o, String k) throws ReportJsonException {
    List<LockRef> out = new ArrayList<>();
    for (Obj l : o.objs(k)) {
      out.add(lock(l));
    }
    return out;
  }

  private static LockRef lock(Obj l) throws ReportJsonException {
    return new LockRef(l.optInt("index"), l.optHex("address"), l.str("class"), l.optStr("usage"), l.optStr("at"),
        site(l, "atLocation"));
  }
}
