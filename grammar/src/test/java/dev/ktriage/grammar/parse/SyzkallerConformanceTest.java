package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.ktriage.grammar.parse.SyzkallerDifferences.Field;
import dev.ktriage.grammar.parse.SyzkallerDifferences.Listed;
import dev.ktriage.grammar.title.CrashTypes;
import dev.ktriage.model.CrashType;
import dev.ktriage.model.Report;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Conformance with syzkaller's own test corpus ({@code ../shared/corpus/syzkaller/reports.jsonl}, 517
 * logs): for every record, the first report ktriage finds must have syzkaller's title, alternative
 * titles (as a set), crash type, guilty frame (where the record gives one), corrupted and suppressed
 * flags; a log syzkaller finds no crash in must give no report.
 *
 * <p>Records are grouped by the kind of their expected title ({@link #KINDS}, each with the engineer
 * who owns it); a table of agreement per kind and field is printed. Each kind's title agreement has a
 * floor that only goes up ({@link #TITLE_FLOORS}). Every record that differs in any field is listed
 * with its fields and reason in {@link SyzkallerDifferences}, the one place differences are kept;
 * the test fails on a difference not listed there and on a listed one that went away. Kinds not
 * started yet are listed as pending there as a whole.
 */
class SyzkallerConformanceTest {

  /** A kind of expected title: which titles it covers and who works on it. */
  record Kind(String name, String owner, List<String> prefixes) {
    boolean covers(String title) {
      return prefixes.stream().anyMatch(title::startsWith);
    }
  }

  /** The kinds, tried in order; the first whose prefix starts the expected title takes the record. */
  static final List<Kind> KINDS = List.of(
      new Kind("KASAN", "h-grammar", List.of("KASAN:")),
      new Kind("KCSAN", "h-grammar", List.of("KCSAN:")),
      new Kind("KMSAN", "h-oops-a", List.of("KMSAN:")),
      new Kind("KFENCE", "h-oops-a", List.of("KFENCE:")),
      new Kind("UBSAN", "h-oops-a", List.of("UBSAN:")),
      new Kind("GPF", "h-oops-c", List.of("general protection fault", "stack segment fault")),
      new Kind("page fault", "h-oops-c", List.of("BUG: unable to handle")),
      new Kind("x86 trap", "h-oops-c", List.of("divide error", "invalid opcode", "int3", "PANIC: double fault")),
      new Kind("kernel BUG", "h-oops-c",
          List.of("kernel BUG", "BUG: bad usercopy", "BUG: corrupted list", "BUG: Object already free")),
      new Kind("arm fault", "h-oops-c", List.of("Internal error", "Unhandled fault", "Alignment trap")),
      new Kind("memory leak", "h-oops-a", List.of("memory leak")),
      new Kind("stack overflow", "h-oops-a", List.of("BUG: stack guard page", "kernel stack overflow",
          "kernel panic: corrupted stack end", "kernel panic: stack is corrupted")),
      new Kind("panic", "h-oops-a", List.of("kernel panic:")),
      new Kind("mm/fs BUG", "h-oops-a", List.of("BUG: Bad page", "BUG: Bad rss-counter", "BUG: non-zero",
          "BUG: Dentry still in use", "VFS:")),
      new Kind("misc", "h-oops-a", List.of("unregister_netdevice", "unexpected kernel reboot", "trusty:",
          "go runtime error", "SYZFAIL", "SYZFATAL", "panic:", "attempt to ", "INFO: Allocated in",
          "INFO: Freed in", "INFO: corrupted")),
      new Kind("lockdep", "h-oops-b", List.of("possible deadlock", "inconsistent lock state",
          "WARNING: suspicious RCU usage", "INFO: suspicious RCU usage", "WARNING: bad unlock balance",
          "WARNING: held lock freed", "WARNING: still has locks", "WARNING: nested lock", "WARNING: lock held",
          "WARNING: locking bug", "WARNING: possible", "BUG: bad unlock balance", "BUG: held lock freed",
          "BUG: still has locks", "BUG: lock held when", "INFO: trying to register", "BUG: MAX_STACK_TRACE")),
      new Kind("locking/sched BUG", "h-oops-b", List.of("BUG: spinlock", "BUG: rwlock", "BUG: scheduling while",
          "BUG: sleeping function", "BUG: using ", "BUG: workqueue leaked")),
      new Kind("hang", "h-oops-b", List.of("INFO: task")),
      new Kind("stall", "h-oops-b", List.of("INFO: rcu detected stall", "BUG: soft lockup", "BUG: workqueue lockup")),
      new Kind("WARNING", "h-oops-b", List.of("WARNING")),
      new Kind("other", "-", List.of("")));

  /** The kind of records with no crash. */
  static final Kind NO_CRASH = new Kind("no crash", "h-oops-a", List.of());

  /** Minimum number of records per kind whose titles agree; raise them as kinds improve, never lower. */
  static final Map<String, Integer> TITLE_FLOORS = Map.ofEntries(
      Map.entry("KASAN", 55),
      Map.entry("KCSAN", 2),
      Map.entry("KMSAN", 20),
      Map.entry("KFENCE", 8),
      Map.entry("UBSAN", 6),
      Map.entry("lockdep", 60),
      Map.entry("locking/sched BUG", 23),
      Map.entry("hang", 33),
      Map.entry("stall", 62),
      Map.entry("WARNING", 72),
      Map.entry("memory leak", 10),
      Map.entry("panic", 7),
      Map.entry("mm/fs BUG", 8),
      Map.entry("misc", 14),
      Map.entry("no crash", 25),
      Map.entry("stack overflow", 12),
      // faults (h-oops-c)
      Map.entry("GPF", 24),
      Map.entry("page fault", 36),
      Map.entry("x86 trap", 6),
      Map.entry("kernel BUG", 22),
      Map.entry("arm fault", 8));

  /** What was compared for one record. */
  record Outcome(String id, Kind kind, Set<Field> differing, Map<Field, String> got, Map<Field, String> want) {}

  @Test
  void everyRecordAgreesOrItsDifferenceIsListed() {
    List<Outcome> outcomes = new ArrayList<>();
    for (JsonNode r : Corpora.shared("syzkaller")) {
      outcomes.add(compare(r));
    }
    System.out.print(table(outcomes));

    List<String> unlisted = new ArrayList<>();
    List<String> stale = new ArrayList<>();
    for (Outcome o : outcomes) {
      Listed listed = SyzkallerDifferences.LISTED.get(o.id());
      boolean pending = SyzkallerDifferences.PENDING_KINDS.containsKey(o.kind().name());
      if (listed == null && !o.differing().isEmpty() && !pending) {
        unlisted.add(describe(o));
      } else if (listed != null && !listed.fields().equals(o.differing())) {
        (o.differing().isEmpty() ? stale : unlisted).add(describe(o) + "  [listed as " + listed.fields() + "]");
      }
    }
    List<String> low = new ArrayList<>();
    Map<String, Integer> titles = new TreeMap<>();
    for (Outcome o : outcomes) {
      titles.merge(o.kind().name(), o.differing().contains(Field.TITLE) || o.differing().contains(Field.CRASH)
          ? 0 : 1, Integer::sum);
    }
    TITLE_FLOORS.forEach((kind, floor) -> {
      int got = titles.getOrDefault(kind, 0);
      if (got < floor) {
        low.add(kind + ": " + got + " titles agree, floor " + floor);
      }
    });
    if (!unlisted.isEmpty() || !stale.isEmpty() || !low.isEmpty()) {
      fail("syzkaller conformance:\n  below floor: " + low
          + "\n  differences not listed in SyzkallerDifferences (or listed with other fields):\n    "
          + String.join("\n    ", unlisted)
          + "\n  listed in SyzkallerDifferences but no longer different:\n    " + String.join("\n    ", stale));
    }
  }

  @Test
  void everyLogParses() {
    int logs = 0;
    for (JsonNode r : Corpora.shared("syzkaller")) {
      new KernelLogParser().parse(r.get("log").asString(), r.get("id").asString()); // must not throw
      logs++;
    }
    assertEquals(517, logs, "the corpus README says it holds 517 logs");
  }

  static Kind kindOf(String expectedTitle) {
    if (expectedTitle == null) {
      return NO_CRASH;
    }
    return KINDS.stream().filter(k -> k.covers(expectedTitle)).findFirst().orElseThrow();
  }

  private static Outcome compare(JsonNode r) {
    String id = r.get("id").asString();
    String wantTitle = r.path("title").isNull() ? null : r.path("title").asString();
    List<Report> reports = new KernelLogParser().parse(r.get("log").asString(), id);
    Map<Field, String> want = new EnumMap<>(Field.class);
    Map<Field, String> got = new EnumMap<>(Field.class);
    want.put(Field.CRASH, String.valueOf(wantTitle != null));
    got.put(Field.CRASH, String.valueOf(!reports.isEmpty()));
    if (wantTitle != null) {
      want.put(Field.TITLE, wantTitle);
      TreeSet<String> alts = new TreeSet<>();
      r.get("alt_titles").forEach(a -> alts.add(a.asString()));
      want.put(Field.ALTS, alts.toString());
      want.put(Field.TYPE, r.path("type").isNull() ? CrashType.UNKNOWN.id() : r.get("type").asString());
      if (!r.path("frame").isNull()) {
        want.put(Field.FRAME, r.get("frame").asString());
      }
      want.put(Field.CORRUPTED, String.valueOf(r.get("corrupted").asBoolean()));
    }
    // every record says whether it is suppressed, a log without a crash too
    want.put(Field.SUPPRESSED, String.valueOf(r.get("suppressed").asBoolean()));
    got.put(Field.SUPPRESSED, String.valueOf(!reports.isEmpty() && reports.get(0).suppressed()));
    if (!reports.isEmpty()) {
      Report first = reports.get(0);
      got.put(Field.TITLE, first.title().title());
      got.put(Field.ALTS, new TreeSet<>(first.title().alternatives()).toString());
      got.put(Field.TYPE, CrashTypes.of(first.title().title()).id());
      got.put(Field.FRAME, first.title().guiltyFrame().orElse(""));
      got.put(Field.CORRUPTED, first.corrupted() + first.corruption().map(c -> " (" + c.reason().id() + ": "
          + c.detail() + ")").orElse(""));
    }
    Set<Field> differing = EnumSet.noneOf(Field.class);
    if (!want.get(Field.CRASH).equals(got.get(Field.CRASH))) {
      differing.add(Field.CRASH);
    } else if (!want.get(Field.SUPPRESSED).equals(got.get(Field.SUPPRESSED))) {
      differing.add(Field.SUPPRESSED);
    }
    if (wantTitle != null && !differing.contains(Field.CRASH)) {
      for (Field f : want.keySet()) {
        String g = got.get(f);
        String w = want.get(f);
        boolean same = f == Field.CORRUPTED ? g.startsWith(w) && (g.length() == w.length() || g.charAt(w.length()) == ' ')
            : w.equals(g);
        if (!same) {
          differing.add(f);
        }
      }
    }
    return new Outcome(id, kindOf(wantTitle), differing, got, want);
  }

  private static String describe(Outcome o) {
    StringBuilder b = new StringBuilder(o.id()).append(" (").append(o.kind().name()).append("):");
    for (Field f : o.differing()) {
      b.append(" ").append(f).append(" got '").append(o.got().getOrDefault(f, "")).append("' want '")
          .append(o.want().getOrDefault(f, "")).append("';");
    }
    return b.toString();
  }

  /** The per-kind table: records, then how many agree on each field, then on all of them. */
  static String table(List<Outcome> outcomes) {
    Map<String, List<Outcome>> byKind = new LinkedHashMap<>();
    for (Kind k : KINDS) {
      byKind.put(k.name(), new ArrayList<>());
    }
    byKind.put(NO_CRASH.name(), new ArrayList<>());
    outcomes.forEach(o -> byKind.get(o.kind().name()).add(o));
    StringBuilder b = new StringBuilder("syzkaller conformance (../shared/corpus/syzkaller, 517 logs)\n");
    b.append(String.format(Locale.ROOT, "%-18s %-9s %5s %6s %6s %6s %6s %7s %7s %6s  %s%n", "kind", "owner", "logs", "title",
        "alts", "type", "frame", "corrupt", "suppr", "all", "title %"));
    int[] total = new int[9];
    for (var e : byKind.entrySet()) {
      List<Outcome> list = e.getValue();
      if (list.isEmpty()) {
        continue;
      }
      int[] n = counts(list);
      for (int i = 0; i < n.length; i++) {
        total[i] += n[i];
      }
      String owner = list.get(0).kind().owner()
          + (SyzkallerDifferences.PENDING_KINDS.containsKey(e.getKey()) ? "*" : "");
      b.append(row(e.getKey(), owner, n));
    }
    b.append(row("total", "", total));
    b.append("(* pending: differences of this kind are not listed one by one yet)\n");
    return b.toString();
  }

  private static String row(String kind, String owner, int[] n) {
    return String.format(Locale.ROOT, "%-18s %-9s %5d %6d %6d %6d %6s %7d %7d %6d  %5.1f%n", kind, owner, n[0], n[1], n[2], n[3],
        n[4] + "/" + n[5], n[6], n[7], n[8], 100.0 * n[1] / n[0]);
  }

  // n: logs, title, alts, type, frame agree, frames given, corrupted, suppressed, all fields agree.
  private static int[] counts(List<Outcome> list) {
    int[] n = new int[9];
    for (Outcome o : list) {
      Set<Field> d = o.differing();
      boolean crashOk = !d.contains(Field.CRASH);
      n[0]++;
      n[1] += crashOk && !d.contains(Field.TITLE) ? 1 : 0;
      n[2] += crashOk && !d.contains(Field.ALTS) ? 1 : 0;
      n[3] += crashOk && !d.contains(Field.TYPE) ? 1 : 0;
      if (o.want().containsKey(Field.FRAME)) {
        n[5]++;
        n[4] += crashOk && !d.contains(Field.FRAME) ? 1 : 0;
      }
      n[6] += crashOk && !d.contains(Field.CORRUPTED) ? 1 : 0;
      n[7] += crashOk && !d.contains(Field.SUPPRESSED) ? 1 : 0;
      n[8] += d.isEmpty() ? 1 : 0;
    }
    return n;
  }
}
