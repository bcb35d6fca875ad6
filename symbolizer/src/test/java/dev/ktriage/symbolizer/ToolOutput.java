package dev.ktriage.symbolizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses {@code addr2line -a -f -i} / {@code llvm-symbolizer --output-style=GNU -a -f --inlines}
 * output: per address, (function, file, line) frames innermost first. Discriminators and columns are
 * dropped; {@code ??}, {@code :0} and {@code :?} become "" / 0. Lines starting with {@code @ } name
 * the section for the following addresses (module fixtures); keys are then "section address".
 */
final class ToolOutput {
  private ToolOutput() {}

  record Frame(String function, String file, int line) {
    @Override
    public String toString() {
      return function + " " + file + ":" + line;
    }
  }

  static Map<String, List<Frame>> parse(Path p) throws IOException {
    return parse(Files.readAllLines(p));
  }

  static Map<String, List<Frame>> parse(List<String> lines) {
    Map<String, List<Frame>> out = new LinkedHashMap<>();
    String section = null;
    List<Frame> cur = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("@ ")) {
        section = l.substring(2).trim();
        continue;
      }
      if (l.matches("0x[0-9a-f]+")) {
        long a = Long.parseUnsignedLong(l.substring(2), 16);
        String key = (section == null ? "" : section + " ") + "0x" + Long.toHexString(a);
        cur = new ArrayList<>();
        out.put(key, cur);
        continue;
      }
      if (l.isEmpty()) {
        continue;
      }
      String fn = l.equals("??") ? "" : l;
      String loc = lines.get(++i).replaceAll(" \\(discriminator \\d+\\)", "");
      int colon = loc.lastIndexOf(':');
      String file = loc.substring(0, colon);
      String lineStr = loc.substring(colon + 1);
      // llvm-symbolizer may append :column.
      if (file.matches(".*:\\d+$") && !file.equals("??")) {
        int c2 = file.lastIndexOf(':');
        lineStr = file.substring(c2 + 1);
        file = file.substring(0, c2);
      }
      int line = lineStr.equals("?") ? 0 : Integer.parseInt(lineStr);
      cur.add(new Frame(fn, file.equals("??") ? "" : file, line));
    }
    return out;
  }

  /** Renders our frames the same way for comparison. */
  static List<Frame> of(List<SourceFrame> frames) {
    List<Frame> out = new ArrayList<>();
    for (SourceFrame f : frames) {
      out.add(new Frame(f.function(), f.file().orElse(""), f.line().orElse(0)));
    }
    return out;
  }
}
