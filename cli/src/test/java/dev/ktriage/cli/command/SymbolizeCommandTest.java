package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.Run;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ktriage symbolize} against the kfix fixtures, black box: the expected output of each test
 * log is worked out from the fixtures' addr2line truth by {@link SymbolizeOracle}.
 */
class SymbolizeCommandTest {

  private static final String VMLINUX = KfixTruth.fixture(KfixTruth.VMLINUX).toString();
  private static KfixTruth truth;

  @TempDir
  static Path modulesDir;

  @BeforeAll
  static void setUp() throws IOException {
    truth = KfixTruth.load();
    // The ET_REL fixture, named as the kernel's [kfix] frames ask for it.
    Files.copy(KfixTruth.fixture(KfixTruth.MODULE), modulesDir.resolve("kfix.ko"));
  }

  private static List<String> lines(Path log) throws IOException {
    return Files.readAllLines(log, StandardCharsets.UTF_8);
  }

  private static List<String> outLines(Run r) {
    return r.out().lines().toList();
  }

  private static Run symbolize(String log, String... extra) {
    String[] base = {"symbolize", "--vmlinux", VMLINUX, "--no-cache", KfixTruth.testdata(log).toString()};
    return Run.of(Stream.concat(Arrays.stream(base), Arrays.stream(extra)).toArray(String[]::new)).noStackTrace();
  }

  /** What the addr2line truth says the raw-path output of {@code log} is (module fixture or not). */
  private static List<String> truthFor(String log, boolean modules) throws IOException {
    return new SymbolizeOracle(truth, UnaryOperator.identity(), modules).expect(lines(KfixTruth.testdata(log)));
  }

  @Test
  void kasanReportMatchesAddr2lineTruth() throws IOException {
    Run r = symbolize("kasan-x86.log", "--raw-paths");
    assertEquals(0, r.code(), r.stderr());
    assertEquals(truthFor("kasan-x86.log", false), outLines(r));
    // The log has five frames of functions the fixture does not have (dump_stack_lvl, ...): said once.
    assertTrue(r.stderr().contains("5 frames name a function that"), r.stderr());
  }

  @Test
  void pathsAreRelativeToTheSourceTree() throws IOException {
    Run r = symbolize("kasan-x86.log");
    // kfix's sources all sit in testdata/elf/kfix, its source tree: a relative path is the file name.
    List<String> expected = new SymbolizeOracle(truth, p -> p.substring(p.lastIndexOf('/') + 1), false)
        .expect(lines(KfixTruth.testdata("kasan-x86.log")));
    assertEquals(expected, outLines(r));
    for (String l : outLines(r)) {
      for (String w : l.split(" ")) {
        if (w.matches("[a-z_]+\\.[chS]:\\d+")) {
          assertTrue(Files.exists(KfixTruth.root().resolve("testdata/elf/kfix").resolve(w.substring(0, w.indexOf(':')))),
              w + " names a file of the source tree");
        }
      }
    }
  }

  @Test
  void stripPrefixRemovesALeadingPathPart() throws IOException {
    Run r = symbolize("kasan-x86.log", "--raw-paths", "--strip-prefix", "debian/build/kfix/");
    List<String> expected = new SymbolizeOracle(truth, p -> p.substring("debian/build/kfix/".length()), false)
        .expect(lines(KfixTruth.testdata("kasan-x86.log")));
    assertEquals(expected, outLines(r));
  }

  @Test
  void inlineLinesRepeatTheConsolePrefix() {
    List<String> out = outLines(symbolize("kasan-x86.log"));
    int frame = indexOf(out, "alpha_work+0x45/0xa0");
    // alpha_work+0x45 returns into code where three callees are inlined (truth: 4-frame chain).
    for (int i = frame - 3; i < frame; i++) {
      assertTrue(out.get(i).startsWith("[   31.578103][ T5131]  mix_"), out.get(i));
      assertTrue(out.get(i).endsWith(" [inline]"), out.get(i));
    }
    // The KASAN header's callees repeat the header, as syzbot's reports do.
    int header = indexOf(out, "BUG: KASAN: slab-out-of-bounds in helper+0x5/0x40");
    assertTrue(out.get(header - 1).startsWith("[   31.509972][ T5131] BUG: KASAN: slab-out-of-bounds in mix_middle "),
        out.get(header - 1));
  }

  @Test
  void returnAddressesLookUpTheCallFaultingPcsTheInstruction() {
    List<String> out = outLines(symbolize("kasan-x86.log", "--raw-paths"));
    String call = out.get(indexOf(out, " kfix_main+0x21/0x40"));
    String rip = out.get(indexOf(out, "RIP: 0010:kfix_main+0x21/0x40"));
    // Same func+off on both lines: the trace frame is a return address (pc - 1), RIP is exact.
    String callLoc = lastWord(call);
    String ripLoc = lastWord(rip);
    assertEquals(truth.at(truth.symbols(KfixTruth.VMLINUX, "kfix_main", java.util.OptionalLong.empty()).get(0), 0x21,
        false).get(0).location(), callLoc);
    assertEquals(truth.at(truth.symbols(KfixTruth.VMLINUX, "kfix_main", java.util.OptionalLong.empty()).get(0), 0x21,
        true).get(0).location(), ripLoc);
    assertNotEquals(callLoc, ripLoc, "the fixture offset was chosen where pc and pc-1 differ");
  }

  @Test
  void offsetEqualToSizeIsAReturnAddressAtTheEnd() {
    List<String> out = outLines(symbolize("kasan-x86.log", "--raw-paths"));
    String l = out.get(indexOf(out, "alpha_report+0xf/0xf"));
    assertTrue(l.endsWith(" debian/build/kfix/debian/build/kfix/alpha.c:15"), l);
  }

  @Test
  void duplicateStaticNamesResolveBySizeAndAmbiguityListsEveryPlace() throws IOException {
    Path log = Files.createTempFile("dup", ".log");
    Files.writeString(log, String.join("\n",
        "Call Trace:",
        " helper+0x5/0x40",
        " helper+0x5/0x30",
        " helper+0x5",
        ""));
    Run r = Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", log.toString()).noStackTrace();
    List<String> out = outLines(r);
    // The two static helper()s (alpha.c, beta.c) have kallsyms sizes 0x40 and 0x30.
    assertEquals(" helper+0x5/0x40 alpha.c:8", out.get(3));
    assertEquals(" helper+0x5/0x30 beta.c:6", out.get(4));
    assertEquals(" helper+0x5 alpha.c:8 | beta.c:6", out.get(5));
    assertEquals(List.of("Call Trace:", " mix_inner inl.h:10 [inline]", " mix_middle inl.h:15 [inline]"),
        out.subList(0, 3));
    assertTrue(r.stderr().contains("1 frame names a function that " + VMLINUX + " has several different copies"),
        r.stderr());
  }

  @Test
  void kaslrSlideIsInferredPerBootAndAppliedToRawFrames() throws IOException {
    Run r = symbolize("kaslr.log", "--raw-paths");
    assertEquals(0, r.code(), r.stderr());
    // Boot 1: func+off frames with raw addresses give the slide; boot 2 has none and says
    // "Kernel Offset:" after its trace.
    List<String> expected = new SymbolizeOracle(truth, UnaryOperator.identity(), false)
        .expect(lines(KfixTruth.testdata("kaslr.log")), 0x11000000L, 0x22000000L);
    assertEquals(expected, outLines(r));
  }

  @Test
  void registerLinesAndArm64FrameMarkers() throws IOException {
    Run r = symbolize("arm64.log", "--raw-paths");
    assertEquals(truthFor("arm64.log", false), outLines(r));
    // pc : and the (P) frame are exact, lr : and (L) return addresses: the one alpha_work+0x45 of
    // this log looks up 0x4010d0 + 0x45 itself, with one inlined callee there (mix_outer).
    List<String> out = outLines(r);
    assertEquals("[  100.000002] mix_outer debian/build/kfix/debian/build/kfix/inl.h:24 [inline]",
        out.get(indexOf(out, "pc : alpha_work") - 1));
  }

  @Test
  void armCallersAreReturnAddresses() throws IOException {
    Run r = symbolize("arm32.log", "--raw-paths", "--modules", modulesDir.toString());
    assertEquals(0, r.code(), r.stderr());
    assertEquals(truthFor("arm32.log", true), outLines(r));
    // Each form names its caller: verbose, 5.18+ and pre-4.x lines all gain a location; the
    // callee-only "Function entered at" line (no kallsyms) and "PC is at" keep their usual handling.
    List<String> out = outLines(r);
    for (String stamp : List.of("[   60.000006]", "[   61.000003]", "[   61.000004]", "[   62.000002]")) {
      String line = out.stream().filter(l -> l.startsWith(stamp) && l.contains(" from ")).findFirst().orElseThrow();
      assertTrue(line.matches(".* [^ ]+\\.[ch]:\\d+$"), line);
    }
    assertTrue(out.contains("[   62.000004] Function entered at [<004010d0>] from [<00401071>]"), "no kallsyms: left alone");
  }

  @Test
  void kcsanAccessStacksStartWithAReturnAddress() throws IOException {
    Run r = symbolize("kcsan.log", "--raw-paths");
    assertEquals(truthFor("kcsan.log", false), outLines(r));
    // kfix_main+0x21 is the first frame after an access line on one side, a caller on the other:
    // both return addresses (the access's first frame is the _RET_IP_ of the __tsan_* call), one line.
    List<String> out = outLines(r);
    assertEquals("[   77.499082]  kfix_main+0x21/0x40 debian/build/kfix/debian/build/kfix/main.c:15", out.get(indexOf(out,
        "[   77.499082]")));
    assertEquals("[   77.450275]  kfix_main+0x21/0x40 debian/build/kfix/debian/build/kfix/main.c:15", out.get(indexOf(out,
        "[   77.450275]")));
  }

  @Test
  void kcsanUnknownOriginHeaderAndReorderedToAreReturnAddresses() throws IOException {
    // kernel/kcsan/report.c print_report(): "BUG: KCSAN: data-race in %pS" of the access stack's
    // first entry and "  +-> reordered to: %pS" of the entry it replaced: both return addresses.
    Run r = symbolize("kcsan-unknown-origin-reordered.log", "--raw-paths");
    assertEquals(0, r.code(), r.stderr());
    List<String> out = outLines(r);
    assertEquals(truthFor("kcsan-unknown-origin-reordered.log", false), out);
    String header = out.get(indexOf(out, "BUG: KCSAN: data-race in alpha_work+0x45/0xa0"));
    String first = out.get(indexOf(out, "[   81.100211]  alpha_work+0x45/0xa0"));
    assertEquals(lastWord(first), lastWord(header), "the header is the access stack's first frame");
    assertTrue(lastWord(out.get(indexOf(out, "reordered to: beta_loop+0x21/0x40"))).contains("beta.c:"),
        out.toString());
    // syzbot-style: the header is repeated for each inlined callee, as the KASAN one is.
    assertTrue(out.stream().anyMatch(l -> l.contains("BUG: KCSAN: data-race in mix_outer ") && l.endsWith("[inline]")),
        out.toString());
  }

  @Test
  void modulesResolveInTheirOwnObjectAndMissingOnesAreSaidOnce() throws IOException {
    Run r = symbolize("modules.log", "--raw-paths", "--modules", modulesDir.toString());
    assertEquals(0, r.code(), r.stderr());
    assertEquals(truthFor("modules.log", true), outLines(r));
    assertEquals(1, r.stderr().lines().filter(l -> l.contains("nosuch")).count(), r.stderr());
    assertFalse(r.stderr().contains("build id mismatch"), "the log's kfix build id is the fixture's");

    Run without = symbolize("modules.log", "--raw-paths");
    assertEquals(truthFor("modules.log", false), outLines(without));
    assertTrue(without.stderr().contains("module kfix: no --modules DIR given"), without.stderr());
  }

  @Test
  void modulesBesideADistributionsDebugVmlinuxAreFoundWithoutModulesOption(@TempDir Path root) throws IOException {
    // Debian's -dbg layout: /usr/lib/debug/boot/vmlinux-<release> and lib/modules/<release>/kernel/...
    Path debug = root.resolve("usr/lib/debug");
    Path vmlinux = debug.resolve("boot/vmlinux-6.8.0-kfix");
    Path tree = debug.resolve("lib/modules/6.8.0-kfix");
    Files.createDirectories(vmlinux.getParent());
    Files.createDirectories(tree.resolve("kernel/drivers/misc"));
    Files.copy(KfixTruth.fixture(KfixTruth.VMLINUX), vmlinux);
    Path log = KfixTruth.testdata("modules.log");
    Run empty = Run.of("symbolize", "--vmlinux", vmlinux.toString(), "--no-cache", "--raw-paths", log.toString())
        .noStackTrace();
    assertTrue(empty.stderr().contains("module kfix: not found under " + tree + " (the modules beside the vmlinux"),
        empty.stderr());

    Files.copy(KfixTruth.fixture(KfixTruth.MODULE), tree.resolve("kernel/drivers/misc/kfix.ko"));
    Run r = Run.of("symbolize", "--vmlinux", vmlinux.toString(), "--no-cache", "--raw-paths", log.toString())
        .noStackTrace();
    assertEquals(0, r.code(), r.stderr());
    assertEquals(new SymbolizeOracle(truth, UnaryOperator.identity(), true).expect(lines(log)), outLines(r));
    // --modules still decides when given.
    Run named = Run.of("symbolize", "--vmlinux", vmlinux.toString(), "--no-cache", "--raw-paths",
        "--modules", root.resolve("usr/lib/debug/boot").toString(), log.toString()).noStackTrace();
    assertTrue(named.stderr().contains("module kfix: not found under " + root.resolve("usr/lib/debug/boot") + ";"),
        named.stderr());
  }

  @Test
  void buildIdMismatchesAreWarnedWhenForced() throws IOException {
    // Issue 18: a vmlinux or a module of another build is refused (SymbolizerInputErrorsTest,
    // aModuleOfAnotherBuildIsRefusedUnlessForced); --force annotates anyway, and the mismatches are still said.
    Path log = Files.createTempFile("bid", ".log");
    Files.writeString(log, String.join("\n",
        "CPU: 1 PID: 5131 Comm: kfix Not tainted 6.8.0-kfix #1 0123456789abcdef0123456789abcdef01234567",
        "Call Trace:",
        " beta_work+0x10/0x85 [kfix 00000000000000000000000000000000000000aa]",
        " kfix_main+0x21/0x40",
        ""));
    Run r = Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", "--modules", modulesDir.toString(), "--force",
        log.toString()).noStackTrace();
    assertEquals(0, r.code());
    List<String> warnings = r.stderr().lines().filter(l -> l.contains("build id mismatch")).toList();
    assertEquals(2, warnings.size(), r.stderr());
    assertTrue(warnings.get(0).contains("0123456789abcdef0123456789abcdef01234567")
        && warnings.get(0).contains("b597f97358245fbbd1b174b095ed5ecc67b155d6"), warnings.get(0));
    assertTrue(warnings.get(1).contains("module kfix") && warnings.get(1).contains("7f859a22ad0426ec5938b89526a8157698d2a218"),
        warnings.get(1));
    // Forced: the frames are still symbolized.
    assertTrue(r.out().contains(" kfix_main+0x21/0x40 main.c:15"), r.out());
  }

  @Test
  void aModuleOfAnotherBuildIsRefusedUnlessForced() throws IOException {
    // A [module buildid] frame (CONFIG_STACKTRACE_BUILD_ID: "%s+%#lx/%#lx [%s %20phN]") naming a build of
    // kfix that the kfix.ko under --modules is not; the CPU: line has no build id, so the vmlinux passes.
    String ours = "7f859a22ad0426ec5938b89526a8157698d2a218";
    String other = "00000000000000000000000000000000000000aa";
    Path log = Files.createTempFile("modbid", ".log");
    Files.writeString(log, String.join("\n",
        "[   12.345678] CPU: 1 PID: 5131 Comm: kfix Not tainted 6.8.0-kfix #1",
        "[   12.345679] Call Trace:",
        "[   12.345680]  kfix_main+0x21/0x40",
        "[   12.345681]  beta_work+0x10/0x85 [kfix " + other + "]",
        ""));
    Run r = Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", "--modules", modulesDir.toString(),
        log.toString()).noStackTrace();
    assertEquals(2, r.code(), r.stderr());
    assertEquals("", r.out(), "refused before a line is written");
    Path ko = modulesDir.resolve("kfix.ko");
    assertEquals("ktriage: " + ko + " does not match the log: line 4 says module kfix has build id " + other + ", "
        + ko + " has " + ours + "; --force annotates anyway\n", r.stderr());

    Run forced = Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", "--modules", modulesDir.toString(), "--force",
        log.toString()).noStackTrace();
    assertEquals(0, forced.code(), forced.stderr());
    assertTrue(forced.out().contains(" kfix_main+0x21/0x40 main.c:15"), forced.out());
    assertTrue(forced.stderr().startsWith("ktriage: warning: " + ko + " does not match the log: line 4 says module kfix"),
        forced.stderr());

    // The build the log names: annotated without a word about it; without --modules nothing is compared.
    Files.writeString(log, Files.readString(log).replace(other, ours));
    for (boolean withModules : new boolean[] {true, false}) {
      Run same = withModules
          ? Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", "--modules", modulesDir.toString(), log.toString())
          : Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", log.toString());
      assertEquals(0, same.noStackTrace().code(), same.stderr());
      assertFalse(same.stderr().contains("does not match") || same.stderr().contains("mismatch"), same.stderr());
    }
  }

  @Test
  void untouchedLinesPassThroughByteForByte() {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    byte[][] others = {
      "plain text line\r\n".getBytes(StandardCharsets.US_ASCII),
      {'b', 'a', 'd', ' ', (byte) 0xff, (byte) 0xfe, ' ', 0x00, 'n', 'u', 'l', '\n'},
      "\u001b[31mred\u001b[0m [   1.0] caf\u00e9 0xdeadbeef\n".getBytes(StandardCharsets.UTF_8),
      " dump_stack_lvl+0x1e7/0x2e0\r\n".getBytes(StandardCharsets.US_ASCII),
      "\r\n".getBytes(StandardCharsets.US_ASCII),
    };
    byte[] frame = "[  1.5] Call: kfix_main+0x21/0x40\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] traceFrame = "[  1.5]  alpha_work+0x45/0xa0\r\n".getBytes(StandardCharsets.US_ASCII);
    for (byte[] o : others) {
      in.writeBytes(o);
    }
    in.writeBytes(frame);
    in.writeBytes(traceFrame);
    in.writeBytes("last line without newline \u00ff".getBytes(StandardCharsets.ISO_8859_1));
    Run r = Run.of(in.toByteArray(), "symbolize", "--vmlinux", VMLINUX, "--no-cache", "-").noStackTrace();
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    for (byte[] o : others) {
      expected.writeBytes(o);
    }
    expected.writeBytes(frame); // "Call: f+off" is not a frame shape: untouched
    expected.writeBytes(("[  1.5]  mix_inner inl.h:10 [inline]\r\n[  1.5]  mix_middle inl.h:15 [inline]\r\n"
        + "[  1.5]  mix_outer inl.h:27 [inline]\r\n[  1.5]  alpha_work+0x45/0xa0 alpha.c:30\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    expected.writeBytes("last line without newline \u00ff".getBytes(StandardCharsets.ISO_8859_1));
    assertEquals(new String(expected.toByteArray(), StandardCharsets.ISO_8859_1),
        new String(r.stdout(), StandardCharsets.ISO_8859_1));
    assertTrue(Arrays.equals(expected.toByteArray(), r.stdout()));
  }

  @Test
  void symbolizingTwiceChangesNothingMore() throws IOException {
    Run once = symbolize("kasan-x86.log");
    Path tmp = Files.createTempFile("once", ".log");
    Files.write(tmp, once.stdout());
    Run twice = Run.of("symbolize", "--vmlinux", VMLINUX, "--no-cache", tmp.toString()).noStackTrace();
    assertEquals(once.out(), twice.out());
  }

  @Test
  void parseReadsSymbolizedOutputLikeParseVmlinux() throws IOException {
    Path tmp = Files.createTempFile("sym", ".log");
    Files.write(tmp, symbolize("kasan-x86.log").stdout());
    Run viaText = Run.of("parse", "--format", "jsonl", tmp.toString());
    Run direct = Run.of("parse", "--format", "jsonl", "--vmlinux", VMLINUX, "--no-cache",
        KfixTruth.testdata("kasan-x86.log").toString());
    // Same frames, files, lines and inline chains; only the log line numbers differ, and where the
    // positions came from: the symbolizer's for --vmlinux, the log's for the symbolized text.
    assertTrue(direct.out().contains("\"locationFrom\":\"symbolizer\""), direct.out());
    assertFalse(viaText.out().contains("\"locationFrom\":\"symbolizer\""), viaText.out());
    assertEquals(stacksWithoutLines(direct.out()).replace("\"locationFrom\":\"symbolizer\"", "\"locationFrom\":\"log\""),
        stacksWithoutLines(viaText.out()));
  }

  private static String stacksWithoutLines(String json) {
    String stacks = json.substring(json.indexOf("\"stacks\""), json.indexOf("\"kasan\""));
    return stacks.replaceAll("\"logLine\":\\d+", "");
  }

  @Test
  void indexedAnswersAreTheSame(@TempDir Path cache) throws IOException {
    String log = KfixTruth.testdata("kasan-x86.log").toString();
    Run index = Run.of("index", "--cache", cache.toString(), VMLINUX).noStackTrace();
    assertEquals(0, index.code(), index.stderr());
    Path file = cache.resolve("b597f97358245fbbd1b174b095ed5ecc67b155d6.ktidx");
    assertTrue(Files.isRegularFile(file), "index named by build id");
    long built = Files.getLastModifiedTime(file).toMillis();
    Run indexed = Run.of("symbolize", "--vmlinux", VMLINUX, "--cache", cache.toString(), log).noStackTrace();
    assertEquals(built, Files.getLastModifiedTime(file).toMillis(), "not rebuilt");
    assertFalse(indexed.stderr().contains("index"), indexed.stderr());
    assertEquals(symbolize("kasan-x86.log").out(), indexed.out(), "same answers without a cache");
  }

  private static int indexOf(List<String> lines, String needle) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(needle)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + needle + " in " + lines);
  }

  private static String lastWord(String l) {
    return l.substring(l.lastIndexOf(' ') + 1);
  }
}
