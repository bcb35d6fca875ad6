package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth.SourceFrame;
import dev.ktriage.cli.KfixTruth.Symbol;
import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.Run;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage addr2line} against the kfix fixtures' addr2line truth. */
class Addr2lineCommandTest {

  private static final String VMLINUX = KfixTruth.fixture(KfixTruth.VMLINUX).toString();
  private static KfixTruth truth;

  @BeforeAll
  static void load() {
    truth = KfixTruth.load();
  }

  /** What {@code addr2line -f -i} prints for the truth frames, with --raw-paths. */
  private static List<String> block(List<SourceFrame> frames, boolean functions, boolean inlines) {
    List<String> out = new ArrayList<>();
    for (SourceFrame f : inlines ? frames : frames.subList(0, 1)) {
      if (functions) {
        out.add(f.function());
      }
      out.add(f.location());
    }
    return out;
  }

  private static Symbol only(String fixture, String name, long size) {
    List<Symbol> s = truth.symbols(fixture, name, OptionalLong.of(size));
    assertEquals(1, s.size(), name);
    return s.get(0);
  }

  @Test
  void everyAddressOfSomeFunctionsMatchesAddr2line() {
    // Bare addresses are exact, as for addr2line itself.
    List<String> args = new ArrayList<>(List.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "-a",
        "-f", "-i"));
    List<String> expected = new ArrayList<>();
    for (String name : List.of("alpha_work", "beta_loop", "kfix_main", "gops_first")) {
      Symbol s = truth.symbols(KfixTruth.VMLINUX, name, OptionalLong.empty()).get(0);
      for (long off = 0; off < s.stSize(); off++) {
        long a = s.value() + off;
        args.add(off % 2 == 0 ? "0x" + Long.toHexString(a) : Long.toHexString(a));
        expected.add(String.format(Locale.ROOT, "0x%016x", a));
        expected.addAll(block(truth.at(s, off, true), true, true));
      }
    }
    Run r = Run.of(args.toArray(String[]::new)).noStackTrace();
    assertEquals(0, r.code(), r.stderr());
    assertEquals(expected, r.out().lines().toList());
  }

  @Test
  void i386AndCompressedDebugSections() throws IOException {
    for (String fixture : List.of("i386-dwarf5", "x86_64-dwarf4-zdebug", "x86_64-dwarf5-zstd")) {
      var t = KfixTruth.truthOf(fixture);
      List<String> args = new ArrayList<>(List.of("addr2line", "-e", KfixTruth.fixture(fixture).toString(),
          "--no-cache", "--raw-paths", "-fi"));
      List<String> expected = new ArrayList<>();
      int n = 0;
      for (var e : t.entrySet()) {
        if (n++ % 7 == 0) { // a spread of addresses over every function
          args.add(e.getKey());
          e.getValue().forEach(f -> {
            expected.add(f.function());
            expected.add(f.location());
          });
        }
      }
      Run r = Run.of(args.toArray(String[]::new)).noStackTrace();
      assertEquals(0, r.code(), r.stderr());
      assertEquals(expected, r.out().lines().toList(), fixture);
    }
  }

  @Test
  void withoutInlinesOnlyTheInnermostFrame() {
    Symbol helper = only(KfixTruth.VMLINUX, "helper", 0x40);
    Run r = Run.of("addr2line", "-e", VMLINUX, "--no-cache", "--raw-paths", "-f", "0x401093").noStackTrace();
    assertEquals(block(truth.at(helper, 3, true), true, false), r.out().lines().toList());
    Run noF = Run.of("addr2line", "-e", VMLINUX, "--no-cache", "--raw-paths", "0x401093").noStackTrace();
    assertEquals(block(truth.at(helper, 3, true), false, false), noF.out().lines().toList());
  }

  @Test
  void framesAreReturnAddressesUnlessExact() {
    Symbol main = only(KfixTruth.VMLINUX, "kfix_main", 0x40);
    Run ret = Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "-fi", "kfix_main+0x21/0x40")
        .noStackTrace();
    assertEquals(block(truth.at(main, 0x21, false), true, true), ret.out().lines().toList());
    Run exact = Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "-fi", "--exact",
        "kfix_main+0x21/0x40").noStackTrace();
    assertEquals(block(truth.at(main, 0x21, true), true, true), exact.out().lines().toList());
    assertTrue(!ret.out().equals(exact.out()), "the offset was chosen where the two differ");
  }

  @Test
  void stdinTakesAddressesFramesAndPastedLogLines() {
    Symbol main = only(KfixTruth.VMLINUX, "kfix_main", 0x40);
    Symbol alpha = only(KfixTruth.VMLINUX, "alpha_work", 0xa0);
    String in = String.join("\n",
        "0x401093",
        "kfix_main+0x21/0x40",
        "[   31.593427][ T5131] RIP: 0010:kfix_main+0x21/0x40",
        "[   31.578103][ T5131]  ? alpha_work+0x45/0xa0",
        "this is not an address",
        "");
    Run r = Run.of(in.getBytes(StandardCharsets.UTF_8), "addr2line", "--vmlinux", VMLINUX, "--no-cache",
        "--raw-paths", "-f", "-i").noStackTrace();
    List<String> expected = new ArrayList<>();
    expected.addAll(block(truth.at(only(KfixTruth.VMLINUX, "helper", 0x40), 3, true), true, true));
    expected.addAll(block(truth.at(main, 0x21, false), true, true));
    expected.addAll(block(truth.at(main, 0x21, true), true, true)); // RIP: exact
    expected.addAll(block(truth.at(alpha, 0x45, false), true, true));
    expected.addAll(List.of("??", "??:0")); // unreadable input still answered, in step
    assertEquals(expected, r.out().lines().toList());
    assertTrue(r.stderr().contains("cannot read 'this is not an address'"), r.stderr());
  }

  @Test
  void largeStdinBatchesAnswerInInputOrder() {
    // 24,000 lines: a full batch, split over the cores (Addr2lineCommand.answer) where there are
    // several, then the rest; answers must come back in input order, each in step with its question.
    StringBuilder in = new StringBuilder();
    List<String> expected = new ArrayList<>();
    List<Symbol> symbols = new ArrayList<>();
    for (String name : List.of("alpha_work", "beta_loop", "kfix_main", "gops_first")) {
      symbols.add(truth.symbols(KfixTruth.VMLINUX, name, OptionalLong.empty()).get(0));
    }
    for (int i = 0; i < 24_000; i++) {
      Symbol s = symbols.get(i % symbols.size());
      long off = (i * 7L) % s.stSize();
      if (i % 997 == 0) {
        in.append("not a frame ").append(i).append('\n');
        expected.addAll(List.of("0x0000000000000000", "??", "??:0"));
      } else if (i % 3 == 0) {
        long a = s.value() + off;
        in.append(Long.toHexString(a)).append('\n');
        expected.add(String.format(Locale.ROOT, "0x%016x", a));
        expected.addAll(block(truth.at(s, off, true), true, true));
      } else {
        in.append(s.name()).append("+0x").append(Long.toHexString(off)).append("/0x")
            .append(Long.toHexString(s.kallsymsSize())).append('\n');
        expected.add(String.format(Locale.ROOT, "0x%016x", s.value() + off));
        expected.addAll(block(truth.at(s, off, true), true, true));
      }
    }
    Run r = Run.of(in.toString().getBytes(StandardCharsets.UTF_8), "addr2line", "--vmlinux", VMLINUX, "--no-cache",
        "--raw-paths", "--exact", "-a", "-f", "-i").noStackTrace();
    assertEquals(0, r.code(), r.stderr());
    assertEquals(expected, r.out().lines().toList());
    assertTrue(r.stderr().contains("cannot read 'not a frame 0'"), r.stderr());
  }

  @Test
  void ambiguousFramesPrintEveryCandidate() {
    Run r = Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "-a", "--exact", "helper+0x5")
        .noStackTrace();
    Symbol a = only(KfixTruth.VMLINUX, "helper", 0x40);
    Symbol b = only(KfixTruth.VMLINUX, "helper", 0x30);
    List<String> expected = new ArrayList<>();
    expected.add(String.format(Locale.ROOT, "0x%016x # AMBIGUOUS", a.value() + 5));
    expected.addAll(block(truth.at(a, 5, true), false, false));
    expected.add(String.format(Locale.ROOT, "0x%016x # AMBIGUOUS+", b.value() + 5));
    expected.addAll(block(truth.at(b, 5, true), false, false));
    assertEquals(expected, r.out().lines().toList());
    assertTrue(r.stderr().contains("helper+0x5") && r.stderr().contains("all 2 printed"), r.stderr());
  }

  @Test
  void moduleFrames(@TempDir Path mods) throws IOException {
    Files.copy(KfixTruth.fixture(KfixTruth.MODULE), mods.resolve("kfix.ko"));
    Symbol beta = only(KfixTruth.MODULE, "beta_work", 0x85);
    // "[kfix]" as its own argument, as the shell passes it.
    Run r = Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "--modules", mods.toString(), "-fi",
        "beta_work+0x10/0x85", "[kfix]").noStackTrace();
    assertEquals(block(truth.at(beta, 0x10, false), true, true), r.out().lines().toList());
    // Issue 18: the module without brackets, as an argument and on a stdin line, means the same.
    Run bare = Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "--modules", mods.toString(),
        "-fi", "beta_work+0x10/0x85", "kfix").noStackTrace();
    assertEquals(r.out(), bare.out());
    Run stdin = Run.of("beta_work+0x10/0x85 kfix\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "addr2line",
        "--vmlinux", VMLINUX, "--no-cache", "--raw-paths", "--modules", mods.toString(), "-fi").noStackTrace();
    assertEquals(r.out(), stdin.out());
  }

  @Test
  void withoutDwarfTheFunctionLineIsSymbolAndOffset() {
    String nodwarf = KfixTruth.root().resolve("testdata/elf/kfix-nodwarf/kfix.elf").toString();
    Run r = Run.of("addr2line", "--vmlinux", nodwarf, "--no-cache", "-f", "0x401093").noStackTrace();
    assertEquals(0, r.code());
    assertEquals(List.of("helper+0x3/0x40", "??:0"), r.out().lines().toList());
    assertEquals(1, r.stderr().lines().filter(l -> l.contains("no DWARF")).count(), r.stderr());
  }

  @Test
  void aBadArgumentIsAUsageError() {
    Run r = Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "0x401093", "nonsense!").noStackTrace();
    assertEquals(2, r.code());
    assertEquals("", r.out());
    assertTrue(r.stderr().startsWith("ktriage: addr2line: cannot read 'nonsense!'"), r.stderr());
  }
}
