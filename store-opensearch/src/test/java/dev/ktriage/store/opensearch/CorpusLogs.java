package dev.ktriage.store.opensearch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;

/**
 * The real logs of {@code ../shared/corpus} (syzkaller's 517 test logs, the wild reports, the KUnit
 * logs; never copied into the repository) written as log files into a test's temporary directory, the
 * way an ingest reads them.
 */
final class CorpusLogs {
  private CorpusLogs() {} // no instance

  static final Path CORPUS = Path.of(System.getProperty("ktriage.root", "..")).resolve("../shared/corpus")
      .toAbsolutePath().normalize();

  static boolean present() {
    return Files.isRegularFile(CORPUS.resolve("syzkaller/reports.jsonl"));
  }

  /**
   * Aborts (skips) the calling test when the corpus is absent, saying so on stderr too: {@code ./mvnw -q
   * verify} shows no skip reasons.
   */
  static void requirePresent(String test) {
    if (!present()) {
      String why = "shared corpus not found at " + CORPUS + " (" + test + " skipped)";
      System.err.println("SKIPPED: " + why);
      org.junit.jupiter.api.Assumptions.abort(why);
    }
  }

  /** A console time stamp {@code [  772.918915]}: seconds and microseconds. */
  private static final Pattern STAMP = Pattern.compile("\\[ *(\\d+)\\.(\\d{6})\\]");

  /**
   * Writes every corpus log into {@code dir} {@code copies} times; copy {@code k > 0} has each printed
   * time stamp moved {@code k} hours later (the same crashes printed again on a later boot: new reports
   * for the store, of the same bugs). The files, in a fixed order.
   */
  static List<Path> write(Path dir, int copies) throws IOException {
    List<String[]> logs = new ArrayList<>(); // name, text
    for (String[] set : new String[][] {{"syzkaller", "log"}, {"wild", "raw"}}) {
      for (String line : Files.readAllLines(CORPUS.resolve(set[0] + "/reports.jsonl"), StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        JsonObject n;
        try (JsonReader r = Json.createReader(new StringReader(line))) {
          n = r.readObject();
        }
        JsonValue text = n.get(set[1]);
        if (text != null && text.getValueType() == JsonValue.ValueType.STRING) {
          logs.add(new String[] {set[0] + "-" + n.getString("id"), n.getString(set[1])});
        }
      }
    }
    try (Stream<Path> s = Files.list(CORPUS.resolve("kunit"))) {
      for (Path p : s.filter(p -> p.getFileName().toString().endsWith(".log")).sorted().toList()) {
        String name = p.getFileName().toString();
        logs.add(new String[] {"kunit-" + name.substring(0, name.length() - 4), Files.readString(p)});
      }
    }
    List<Path> out = new ArrayList<>();
    for (int k = 0; k < copies; k++) {
      Path d = Files.createDirectories(dir.resolve("boot" + k));
      for (String[] log : logs) {
        Path f = d.resolve(log[0] + ".log");
        Files.writeString(f, k == 0 ? log[1] : later(log[1], 3600L * k));
        out.add(f);
      }
    }
    return out;
  }

  /** {@code text} with every console time stamp {@code seconds} later. */
  static String later(String text, long seconds) {
    Matcher m = STAMP.matcher(text);
    StringBuilder sb = new StringBuilder(text.length() + 64);
    while (m.find()) {
      String secs = Long.toString(Long.parseLong(m.group(1)) + seconds);
      int width = m.end(1) - m.start() - 1; // the padded width the kernel printed (%5lu)
      m.appendReplacement(sb, "[" + " ".repeat(Math.max(0, width - secs.length())) + secs + "." + m.group(2) + "]");
    }
    m.appendTail(sb);
    return sb.toString();
  }

  static String describe(List<Path> files) {
    return String.format(Locale.ROOT, "%d log files under %s", files.size(), files.isEmpty() ? "-" : files.getFirst().getParent());
  }
}
