package dev.ktriage.grammar.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Turns fuzzer data into a console log: one of the testdata logs (real formats, written from the
 * kernel's printing code) edited line by line in the ways real logs go wrong: lines lost, repeated,
 * reordered, cut, glued with a bare {@code \r} or none, prefixes dropped or changed, lines of another
 * log spliced in, bytes flipped, blocks repeated. Structure survives, so the fuzzer reaches the
 * grammar's deep paths that random bytes do not.
 */
final class LogMutator {
  private final List<List<byte[]>> seeds;

  private LogMutator(List<List<byte[]>> seeds) {
    this.seeds = seeds;
  }

  /** Every testdata log, split into lines (without their {@code \n}). */
  static LogMutator ofTestdata() {
    Path root = Path.of(System.getProperty("ktriage.root", "..")).resolve("testdata/logs");
    List<List<byte[]>> seeds = new ArrayList<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : s.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
        seeds.add(lines(Files.readAllBytes(p)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (seeds.isEmpty()) {
      throw new IllegalStateException("no testdata logs under " + root);
    }
    return new LogMutator(seeds);
  }

  static List<byte[]> lines(byte[] log) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i <= log.length; i++) {
      if (i == log.length || log[i] == '\n') {
        out.add(java.util.Arrays.copyOfRange(log, start, i));
        start = i + 1;
      }
    }
    return out;
  }

  /** Console prefixes a line may get instead of its own (printk, caller ids, syslog, dmesg -x, none). */
  private static final String[] PREFIXES = {
    "", "[   12.345678] ", "[   12.345678][ T1234] ", "[   12.345678][    C1] ", "<3>[  100.000001] ",
    "Nov 21 10:00:00 host kernel: ", "kern  :err   : ", "[Sat Nov 21 10:00:00 2026] ", "[  1.2", "> ", ">> ",
    "** 12 printk messages dropped ** ", "[ 9999999999.999999] ",
  };

  /** Pieces of kernel output to splice into lines, so tokens meet in orders no log has. */
  private static final String[] PIECES = {
    "BUG: KASAN: slab-out-of-bounds in ", "BUG: KCSAN: data-race in a / b", "==================================================================",
    "Call Trace:", " <TASK>", " <IRQ>", " </IRQ>", " </TASK>", " ? ", "+0x1a/0x40", " [ext4]", "[<ffffffff81234567>] ",
    "Read of size 8 at addr ffff888012345678 by task syz/1", "Allocated by task 1:", "Freed by task 2:", "RIP: 0010:",
    " from ", "(unreliable)", " (P)", " (L)", "Memory state around the buggy address:", ">ffff888012345600: fc fc",
    "                      ^", "Disabling lock debugging due to kernel taint", "Kernel panic - not syncing: ",
    "general protection fault", "WARNING: CPU: 0 PID: 1 at ", "\r", "\u001b[31m", "\u0000", "\t", "\u00e9", "\uFFFD",
  };

  /** A log built from {@code data}. */
  byte[] log(FuzzedDataProvider data) {
    List<byte[]> lines = new ArrayList<>(seeds.get(data.consumeInt(0, seeds.size() - 1)));
    int edits = data.consumeInt(0, 12);
    for (int e = 0; e < edits && !lines.isEmpty(); e++) {
      int i = data.consumeInt(0, lines.size() - 1);
      byte[] line = lines.get(i);
      switch (data.consumeInt(0, 11)) {
        case 0 -> lines.remove(i);
        case 1 -> lines.add(i, line);
        case 2 -> {
          int j = data.consumeInt(0, lines.size() - 1);
          lines.set(i, lines.get(j));
          lines.set(j, line);
        }
        case 3 -> {
          List<byte[]> other = seeds.get(data.consumeInt(0, seeds.size() - 1));
          int from = data.consumeInt(0, other.size() - 1);
          int n = data.consumeInt(1, 40);
          lines.addAll(i, other.subList(from, Math.min(other.size(), from + n)));
        }
        case 4 -> lines.set(i, java.util.Arrays.copyOf(line, data.consumeInt(0, line.length)));
        case 5 -> lines.set(i, concat(line, bytes("\r"), lines.get(Math.min(i + 1, lines.size() - 1))));
        case 6 -> lines.set(i, concat(bytes(PREFIXES[data.consumeInt(0, PREFIXES.length - 1)]), afterPrefix(line)));
        case 7 -> {
          int at = data.consumeInt(0, line.length);
          lines.set(i, concat(java.util.Arrays.copyOf(line, at),
              bytes(PIECES[data.consumeInt(0, PIECES.length - 1)]), java.util.Arrays.copyOfRange(line, at, line.length)));
        }
        case 8 -> {
          if (line.length > 0) {
            byte[] c = line.clone();
            c[data.consumeInt(0, c.length - 1)] = data.consumeByte();
            lines.set(i, c);
          }
        }
        case 9 -> lines.add(i, data.consumeBytes(data.consumeInt(0, 200)));
        case 10 -> {
          // a block repeated: many reports, or a long trace
          int n = data.consumeInt(1, 30);
          int times = data.consumeInt(2, 50);
          List<byte[]> block = new ArrayList<>(lines.subList(i, Math.min(lines.size(), i + n)));
          for (int t = 0; t < times; t++) {
            lines.addAll(i, block);
          }
        }
        default -> lines.set(i, concat(line, lines.get(Math.min(i + 1, lines.size() - 1)))); // glued, no newline
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] nl = data.consumeBoolean() ? bytes("\n") : bytes("\r\n");
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.writeBytes(nl);
    }
    return out.toByteArray();
  }

  private static byte[] afterPrefix(byte[] line) {
    String s = new String(line, StandardCharsets.ISO_8859_1);
    int cut = s.lastIndexOf("] ");
    return cut < 0 || cut > 40 ? line : java.util.Arrays.copyOfRange(line, cut + 2, line.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }
}
