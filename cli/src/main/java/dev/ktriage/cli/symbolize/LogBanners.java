package dev.ktriage.cli.symbolize;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogSource;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code Linux version ...} lines of a log (init/main.c prints {@code linux_banner} at each boot), by
 * line number, so that each report can be matched to the kernel of the boot it belongs to: the last
 * banner before it. Stateless.
 */
public final class LogBanners {
  private static final String WORDS = "Linux version ";

  private final TreeMap<Long, String> byLine;

  private LogBanners(TreeMap<Long, String> byLine) {
    this.byLine = byLine;
  }

  /** No banners (standard input, which cannot be read twice). */
  public static LogBanners none() {
    return new LogBanners(new TreeMap<>());
  }

  /** Reads the banners of a log file (plain or compressed, as {@link LogSource} opens it). */
  public static LogBanners read(String name) throws IOException, InputException {
    LogSource source = new LogSource(name);
    if (source.isStdin()) {
      return none();
    }
    TreeMap<Long, String> out = new TreeMap<>();
    try (InputStream in = source.open(InputStream.nullInputStream());
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16)) {
      long n = 0;
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        n++;
        int at = line.indexOf(WORDS);
        if (at >= 0) {
          out.put(n, new String(line.substring(at).strip().getBytes(StandardCharsets.ISO_8859_1),
              StandardCharsets.UTF_8));
        }
      }
    }
    return new LogBanners(out);
  }

  /** The banner of the boot that line {@code line} belongs to: the last one before it. */
  public Optional<String> before(long line) {
    Map.Entry<Long, String> e = byLine.lowerEntry(line);
    return e == null ? Optional.empty() : Optional.of(e.getValue());
  }
}
