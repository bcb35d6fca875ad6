package dev.ktriage.depot.eval;

import dev.ktriage.depot.signature.PlumbingRules;
import dev.ktriage.depot.stack.NormalizationRules;
import dev.ktriage.model.Access;
import dev.ktriage.model.AccessOp;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KasanMode;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.LogTime;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.SourceSpan;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.TaskRef;
import dev.ktriage.model.Title;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A small reader for the console formats {@link ClusterCorpusGenerator} prints, standing in for the
 * grammar module's parser in depot's tests (depot must not wait for it). It demultiplexes printk
 * caller ids, reads KASAN and KCSAN reports with their stacks, and makes syzkaller-style titles
 * (guilty frame from unsymbolized frames, as syzkaller does before symbolization).
 */
public final class MiniLogReader {
  private static final Pattern PREFIX = Pattern.compile("^(?:\\[\\s*(\\d+\\.\\d+)\\])?(?:\\[\\s*([TC]\\d+)\\])? ?");
  private static final Pattern KASAN = Pattern.compile("BUG: KASAN: ([\\w-]+) in (\\S+)");
  private static final Pattern KCSAN = Pattern.compile("BUG: KCSAN: ([\\w-]+) in (\\S+)(?: / (\\S+))?");
  private static final Pattern ACCESS = Pattern.compile("(Read|Write) (?:of size (\\d+) )?at addr ([0-9a-f]+) by task (.+)/(\\d+)");
  private static final Pattern CPU = Pattern.compile("CPU: (\\d+) PID: (\\d+) Comm: (\\S+) (?:Not tainted|Tainted: \\S+) (\\S+)");
  private static final Pattern FRAME = Pattern.compile(
      "^\\s*(?:\\[<[0-9a-f]+>\\] )?(\\? )?([\\w.]+)\\+0x([0-9a-f]+)/0x([0-9a-f]+)(?: \\[(\\w+)\\])?(?: (\\S+):(\\d+))?\\s*$");
  private static final Pattern INLINE = Pattern.compile("^\\s*([\\w.]+) (\\S+):(\\d+) \\[inline\\]\\s*$");
  private static final Pattern RACE = Pattern.compile("(?:race at unknown origin, with )?(read|write|read-write)(?: \\([\\w ]+\\))? to 0x[0-9a-f]+ of (\\d+) bytes by (?:task (\\d+)|interrupt) on cpu (\\d+):");

  private record Line(long no, String caller, OptionalDouble ts, String body) {}

  /** The reports in a log, in order of their header lines. */
  public List<Report> read(String text, String path) {
    String[] raw = text.split("\n", -1);
    Map<String, List<Line>> byCaller = new LinkedHashMap<>();
    for (int i = 0; i < raw.length; i++) {
      Matcher m = PREFIX.matcher(raw[i]);
      m.lookingAt();
      String caller = m.group(2) == null ? "console" : m.group(2);
      OptionalDouble ts = m.group(1) == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(m.group(1)));
      byCaller.computeIfAbsent(caller, k -> new ArrayList<>()).add(new Line(i + 1, caller, ts, raw[i].substring(m.end())));
    }
    List<Report> out = new ArrayList<>();
    for (List<Line> lines : byCaller.values()) {
      for (int i = 0; i < lines.size(); i++) {
        String b = lines.get(i).body();
        if (b.startsWith("BUG: KASAN: ") || b.startsWith("BUG: KCSAN: ")) {
          int end = i + 1;
          while (end < lines.size() && !lines.get(end).body().startsWith("=====")
              && !lines.get(end).body().startsWith("BUG: ")) {
            end++;
          }
          out.add(parse(lines.subList(i, Math.min(end + 1, lines.size())), path));
          i = end;
        }
      }
    }
    out.sort(Comparator.comparingLong(r -> r.source().firstLine()));
    return out;
  }

  private Report parse(List<Line> lines, String path) {
    String header = lines.getFirst().body();
    boolean kcsan = header.startsWith("BUG: KCSAN");
    Optional<Access> access = Optional.empty();
    KernelContext ctx = KernelContext.empty();
    List<Stack> stacks = new ArrayList<>();
    StackRole role = null;
    String label = null;
    List<Frame> frames = new ArrayList<>();
    List<InlinedFrame> pendingInline = new ArrayList<>();
    FrameContext fc = FrameContext.UNMARKED;
    int raceNo = 0;
    for (Line l : lines.subList(1, lines.size())) {
      String b = l.body();
      Matcher m;
      StackRole next = null;
      if (b.startsWith("Call Trace:") || b.startsWith("Call trace:")) {
        next = StackRole.ACCESS;
      } else if (b.startsWith("Allocated by task")) {
        next = StackRole.ALLOC;
      } else if (b.startsWith("Freed by task")) {
        next = StackRole.FREE;
      } else if ((m = RACE.matcher(b)).lookingAt()) {
        next = ++raceNo == 1 ? StackRole.RACE_1 : StackRole.RACE_2;
      }
      if (next != null) {
        if (role != null && !frames.isEmpty()) {
          stacks.add(new Stack(role, label, Optional.empty(), frames, false));
        }
        role = next;
        label = b;
        frames = new ArrayList<>();
        fc = FrameContext.UNMARKED;
        continue;
      }
      if ((m = ACCESS.matcher(b)).lookingAt()) {
        access = Optional.of(new Access(m.group(1).equals("Read") ? AccessOp.READ : AccessOp.WRITE,
            m.group(2) == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(m.group(2))),
            OptionalLong.of(Long.parseUnsignedLong(m.group(3), 16)),
            Optional.of(new TaskRef(m.group(4), OptionalInt.of(Integer.parseInt(m.group(5))))), Optional.empty()));
        continue;
      }
      if ((m = CPU.matcher(b)).lookingAt()) {
        ctx = new KernelContext(OptionalInt.of(Integer.parseInt(m.group(1))), OptionalInt.of(Integer.parseInt(m.group(2))),
            Optional.of(m.group(3)), Optional.of(m.group(4)), Optional.empty(), Optional.of(""), Optional.empty(),
            Optional.empty(), Optional.of(l.caller()));
        continue;
      }
      if (role == null) {
        continue;
      }
      String t = b.strip();
      switch (t) {
        case "<IRQ>" -> fc = FrameContext.IRQ;
        case "<TASK>" -> fc = FrameContext.TASK;
        case "<SOFTIRQ>" -> fc = FrameContext.SOFTIRQ;
        case "<NMI>" -> fc = FrameContext.NMI;
        default -> { }
      }
      if ((m = INLINE.matcher(b)).matches()) {
        pendingInline.add(new InlinedFrame(m.group(1), Optional.of(new SourceLocation(m.group(2), Integer.parseInt(m.group(3))))));
      } else if ((m = FRAME.matcher(b)).matches()) {
        Optional<SourceLocation> loc = m.group(6) == null ? Optional.empty()
            : Optional.of(new SourceLocation(m.group(6), Integer.parseInt(m.group(7))));
        frames.add(new Frame(m.group(2), OptionalLong.of(Long.parseLong(m.group(3), 16)),
            OptionalLong.of(Long.parseLong(m.group(4), 16)), Optional.ofNullable(m.group(5)), Optional.empty(),
            m.group(1) == null, OptionalLong.empty(), fc, loc, List.copyOf(pendingInline), l.no()));
        pendingInline.clear();
      }
    }
    if (role != null && !frames.isEmpty()) {
      stacks.add(new Stack(role, label, Optional.empty(), frames, false));
    }
    SourceSpan span = new SourceSpan(path, lines.getFirst().no(), lines.getLast().no());
    LogTime time = new LogTime(lines.getFirst().ts(), Optional.empty());
    if (kcsan) {
      Matcher m = KCSAN.matcher(header);
      m.lookingAt();
      List<String> fns = new ArrayList<>();
      fns.add(NormalizationRules.stripSuffixes(m.group(2)));
      if (m.group(3) != null) {
        fns.add(NormalizationRules.stripSuffixes(m.group(3)));
      }
      String title = "KCSAN: data-race in " + String.join(" / ", fns);
      KcsanKind kind = fns.size() == 1 ? KcsanKind.UNKNOWN_ORIGIN : KcsanKind.DATA_RACE;
      return new Report(Tool.KCSAN, m.group(1), header, new Title(title, List.of(), Optional.of(fns.getFirst())),
          Optional.empty(), ctx, time, stacks, new KcsanDetails(kind, fns, List.of(), Optional.empty(), Optional.empty()),
          Optional.empty(), true, span);
    }
    Matcher m = KASAN.matcher(header);
    m.lookingAt();
    String type = m.group(1);
    String guilty = stacks.stream().filter(s -> s.role() == StackRole.ACCESS).findFirst()
        .flatMap(s -> s.frames().stream().filter(Frame::reliable)
            .map(f -> NormalizationRules.canonicalSyscall(NormalizationRules.stripSuffixes(f.function())))
            .filter(f -> NormalizationRules.match(f).isEmpty() && !PlumbingRules.isPlumbing(f))
            .findFirst())
        .orElse("corrupted");
    boolean free = type.equals("double-free") || type.contains("invalid-free");
    String title = free ? "KASAN: " + type + " in " + guilty
        : "KASAN: " + type + " " + access.map(a -> a.op().titleWord()).orElse("Read") + " in " + guilty;
    String alt = (free ? "invalid-free in " : "bad-access in ") + guilty;
    return new Report(Tool.KASAN, type, header, new Title(title, List.of(alt), Optional.of(guilty)), access, ctx, time,
        stacks, new KasanDetails(KasanMode.GENERIC, Optional.of(m.group(2)), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Optional.empty()), Optional.empty(), true, span);
  }
}
