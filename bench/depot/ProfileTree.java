import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The ingest threads' CPU samples of a JFR recording of bench/depot as a call tree below the store's
 * {@code add} and {@code commit} (inclusive shares of all the ingest threads' samples), plus the hottest
 * leaf methods. Not a test. Usage: {@code java bench/depot/ProfileTree.java REC.jfr [depth] [min%]}.
 * Record with {@code JAVA_OPTS="-XX:StartFlightRecording=filename=REC.jfr,settings=profile"
 * bench/depot/run.sh --reports 30000 --no-query}.
 */
public final class ProfileTree {
  private static final class Node {
    final Map<String, Node> children = new HashMap<>();
    long count;
  }

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    int depth = args.length > 1 ? Integer.parseInt(args[1]) : 4;
    double min = args.length > 2 ? Double.parseDouble(args[2]) : 1.0;
    Node root = new Node();
    Map<String, Long> leaves = new HashMap<>();
    long total = 0;
    long truncated = 0;
    Map<String, Double> compileMs = new HashMap<>();
    Map<String, Integer> compiles = new HashMap<>();
    double compileTotal = 0;
    for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
      if (e.getEventType().getName().equals("jdk.Compilation")) {
        String m = e.getValue("method") instanceof jdk.jfr.consumer.RecordedMethod rm
            ? rm.getType().getName() + "." + rm.getName() : "?";
        double ms = e.getDuration().toNanos() / 1e6;
        String key = m + (e.getInt("compileLevel") == 4 ? " (C2)" : " (C1)");
        compileMs.merge(key, ms, Double::sum);
        compiles.merge(key, 1, Integer::sum);
        compileTotal += ms;
        continue;
      }
      if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
        continue;
      }
      var thread = e.getThread("sampledThread");
      if (thread == null || thread.getJavaName() == null || !thread.getJavaName().startsWith("ingest-")) {
        continue;
      }
      RecordedStackTrace st = e.getStackTrace();
      if (st == null) {
        continue;
      }
      total++;
      if (st.isTruncated()) {
        truncated++;
      }
      List<RecordedFrame> frames = st.getFrames(); // innermost first
      leaves.merge(name(frames.getFirst()), 1L, Long::sum);
      if (System.getProperty("callers") != null) { // -Dcallers=Class.method: who calls it, 6 frames up
        for (int i = 0; i < frames.size(); i++) {
          if (name(frames.get(i)).equals(System.getProperty("callers"))) {
            StringBuilder chain = new StringBuilder();
            for (int j = i; j < Math.min(frames.size(), i + 7); j++) {
              chain.append(j == i ? "" : " < ").append(name(frames.get(j)));
            }
            leaves.merge("CALLERS " + chain, 1L, Long::sum);
            leaves.merge("CALLERS (all)", 1L, Long::sum);
            break;
          }
        }
      }
      // the outermost store entry point (add or commit), then the frames it called, outermost first
      int entry = -1;
      for (int i = frames.size() - 1; i >= 0; i--) {
        String n = name(frames.get(i));
        if (n.endsWith("ReportStore.add") || n.endsWith("ReportStore.commit") || n.startsWith("DepotBench.vary")
            || n.endsWith("toJsonUtf8")) {
          entry = i;
          break;
        }
      }
      List<String> path = new ArrayList<>();
      if (entry < 0) {
        path.add("(outside add/commit)");
        entry = Math.min(frames.size() - 1, 3);
        path.add(name(frames.get(entry)));
      }
      for (int i = entry; i >= 0 && path.size() < depth; i--) {
        String n = name(frames.get(i));
        if (!path.isEmpty() && path.getLast().equals(n)) {
          continue; // recursion and overloads of one name
        }
        path.add(n);
      }
      Node n = root;
      n.count++;
      for (String p : path) {
        n = n.children.computeIfAbsent(p, k -> new Node());
        n.count++;
      }
    }
    System.out.printf(Locale.ROOT, "%s: %d samples of the ingest threads (%d truncated stacks)%n", file, total, truncated);
    print(root, 0, total, min);
    System.out.println("hottest leaf methods:");
    final long all = total;
    leaves.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(30)
        .forEach(x -> System.out.printf(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * x.getValue() / all, x.getKey()));
    System.out.printf(Locale.ROOT, "compilations recorded (jdk.Compilation above its threshold): %.0f ms; longest methods:%n",
        compileTotal);
    compileMs.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed()).limit(30)
        .forEach(x -> System.out.printf(Locale.ROOT, "  %7.0f ms  %2dx  %s%n", x.getValue(), compiles.get(x.getKey()),
            x.getKey()));
  }

  private static void print(Node n, int level, long total, double min) {
    TreeMap<Long, List<String>> byCount = new TreeMap<>();
    n.children.forEach((k, v) -> byCount.computeIfAbsent(-v.count, x -> new ArrayList<>()).add(k));
    for (var e : byCount.entrySet()) {
      for (String k : e.getValue()) {
        double pct = 100.0 * -e.getKey() / total;
        if (pct < min) {
          continue;
        }
        System.out.printf(Locale.ROOT, "%s%5.1f%%  %s%n", "  ".repeat(level), pct, k);
        print(n.children.get(k), level + 1, total, min);
      }
    }
  }

  private static String name(RecordedFrame f) {
    String cls = f.getMethod().getType().getName();
    return cls.substring(cls.lastIndexOf('.') + 1) + "." + f.getMethod().getName();
  }
}
