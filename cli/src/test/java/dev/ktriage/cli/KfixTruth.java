package dev.ktriage.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What the kfix fixtures say, independently of ktriage: their function symbols
 * ({@code testdata/symbolize/symbols.txt}, from readelf) with kallsyms-style sizes, and the committed
 * addr2line truth at every address of every function. Where addr2line 2.40 and llvm-symbolizer
 * disagree only on a frame's file (binutils PR 30783 in DWARF 5 line tables), llvm-symbolizer's file
 * is the truth, as in the symbolizer's own golden test.
 */
public final class KfixTruth {

  public static final String VMLINUX = "x86_64-dwarf5";
  public static final String MODULE = "module-x86_64";

  /** A function symbol; {@code value} is section-relative in the module. */
  public record Symbol(String fixture, String section, long value, long stSize, String name, long kallsymsSize) {}

  /** One source frame of the truth, innermost first. */
  public record SourceFrame(String function, String file, int line) {
    public String location() {
      return file + ":" + line;
    }
  }

  private final List<Symbol> symbols;
  private final Map<String, Map<String, List<SourceFrame>>> truth = new HashMap<>();

  private KfixTruth(List<Symbol> symbols) {
    this.symbols = symbols;
  }

  public static Path root() {
    String root = System.getProperty("ktriage.root");
    return (root == null ? Path.of("..") : Path.of(root)).toAbsolutePath().normalize();
  }

  public static Path fixture(String name) {
    return root().resolve("testdata/elf/kfix").resolve(name).resolve("kfix.elf");
  }

  public static Path testdata(String name) {
    return root().resolve("testdata/symbolize").resolve(name);
  }

  public static KfixTruth load() {
    try {
      List<String[]> rows = new ArrayList<>();
      for (String l : Files.readAllLines(testdata("symbols.txt"))) {
        if (!l.isBlank()) {
          rows.add(l.trim().split(" "));
        }
      }
      List<Symbol> out = new ArrayList<>();
      for (String[] r : rows) {
        long value = Long.parseLong(r[2], 16);
        long stSize = Long.parseLong(r[3], 16);
        // kallsyms prints the distance to the next symbol of the section; the last one keeps st_size.
        long next = rows.stream()
            .filter(o -> o[0].equals(r[0]) && o[1].equals(r[1]) && Long.parseLong(o[2], 16) > value)
            .mapToLong(o -> Long.parseLong(o[2], 16)).min().orElse(value + stSize);
        out.add(new Symbol(r[0], r[1], value, stSize, r[4], next - value));
      }
      out.sort(Comparator.comparing(Symbol::fixture).thenComparing(Symbol::section).thenComparingLong(Symbol::value));
      KfixTruth t = new KfixTruth(out);
      t.truth.put(VMLINUX, truthOf(VMLINUX));
      t.truth.put(MODULE, truthOf(MODULE));
      return t;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The symbols named {@code name} whose kallsyms size is {@code size} (any size when absent). */
  public List<Symbol> symbols(String fixture, String name, OptionalLong size) {
    return symbols.stream()
        .filter(s -> s.fixture().equals(fixture) && s.name().equals(name)
            && (size.isEmpty() || s.kallsymsSize() == size.getAsLong()))
        .toList();
  }

  /** The symbol containing a vmlinux-fixture address (within its kallsyms size). */
  public Symbol symbolAt(long address) {
    return symbols.stream()
        .filter(s -> s.fixture().equals(VMLINUX) && address >= s.value() && address < s.value() + s.kallsymsSize())
        .findFirst().orElseThrow(() -> new AssertionError("no symbol at 0x" + Long.toHexString(address)));
  }

  /** The truth at {@code symbol + offset} (minus one for a return address). */
  public List<SourceFrame> at(Symbol s, long offset, boolean exact) {
    long a = s.value() + offset - (exact ? 0 : 1);
    String key = (s.fixture().equals(MODULE) ? s.section() + " " : "") + "0x" + Long.toHexString(a);
    List<SourceFrame> f = truth.get(s.fixture()).get(key);
    if (f == null) {
      throw new AssertionError("no truth for " + s.fixture() + " " + key);
    }
    return f;
  }

  /** Address key ({@code 0x401093}, or {@code .text.helper 0x5} in the module) -> truth frames. */
  public static Map<String, List<SourceFrame>> truthOf(String fixture) throws IOException {
    Path dir = root().resolve("testdata/elf/kfix").resolve(fixture);
    Map<String, List<SourceFrame>> a2l = parse(Files.readAllLines(dir.resolve("addr2line.txt")));
    Path llvmFile = dir.resolve("llvm-symbolizer.txt");
    Map<String, List<SourceFrame>> llvm = Files.exists(llvmFile) ? parse(Files.readAllLines(llvmFile)) : Map.of();
    Map<String, String> borrowed = fixture.equals(VMLINUX) ? Map.of() : fileCorrections();
    for (Map.Entry<String, List<SourceFrame>> e : a2l.entrySet()) {
      List<SourceFrame> frames = new ArrayList<>(e.getValue());
      List<SourceFrame> other = llvm.get(e.getKey());
      for (int i = 0; i < frames.size(); i++) {
        SourceFrame x = frames.get(i);
        if (other != null && other.size() == frames.size() && !other.get(i).file().equals(x.file())
            && other.get(i).line() == x.line()) {
          frames.set(i, new SourceFrame(x.function(), other.get(i).file(), x.line()));
        } else if (other == null && borrowed.containsKey(x.toString())) {
          frames.set(i, new SourceFrame(x.function(), borrowed.get(x.toString()), x.line()));
        }
      }
      e.setValue(List.copyOf(frames));
    }
    return a2l;
  }

  // (function, addr2line file, line) -> llvm-symbolizer's file, from the DWARF 5 build of the same sources.
  private static Map<String, String> fileCorrections() throws IOException {
    Path dir = root().resolve("testdata/elf/kfix").resolve(VMLINUX);
    Map<String, List<SourceFrame>> a = parse(Files.readAllLines(dir.resolve("addr2line.txt")));
    Map<String, List<SourceFrame>> b = parse(Files.readAllLines(dir.resolve("llvm-symbolizer.txt")));
    Map<String, String> out = new HashMap<>();
    for (Map.Entry<String, List<SourceFrame>> e : a.entrySet()) {
      List<SourceFrame> y = b.get(e.getKey());
      if (y == null || y.size() != e.getValue().size()) {
        continue;
      }
      for (int i = 0; i < y.size(); i++) {
        SourceFrame x = e.getValue().get(i);
        if (!x.file().equals(y.get(i).file()) && x.line() == y.get(i).line()) {
          out.put(x.toString(), y.get(i).file());
        }
      }
    }
    return out;
  }

  // addr2line -a -f -i / llvm-symbolizer --output-style=GNU output; "@ section" lines for the module.
  private static Map<String, List<SourceFrame>> parse(List<String> lines) {
    Map<String, List<SourceFrame>> out = new LinkedHashMap<>();
    String section = null;
    List<SourceFrame> cur = null;
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (l.startsWith("@ ")) {
        section = l.substring(2).trim();
      } else if (l.matches("0x[0-9a-f]+")) {
        cur = new ArrayList<>();
        out.put((section == null ? "" : section + " ") + "0x" + Long.toHexString(Long.parseUnsignedLong(l.substring(2), 16)),
            cur);
      } else if (!l.isEmpty()) {
        String loc = lines.get(++i).replaceAll(" \\(discriminator \\d+\\)", "");
        int colon = loc.lastIndexOf(':');
        cur.add(new SourceFrame(l, loc.substring(0, colon), Integer.parseInt(loc.substring(colon + 1))));
      }
    }
    return out;
  }
}
