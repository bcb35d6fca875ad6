package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth.SourceFrame;
import dev.ktriage.cli.KfixTruth.Symbol;
import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.Run;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** {@code ktriage parse --vmlinux}: frames filled from the kfix truth, the inline-aware alt title. */
class ParseVmlinuxTest {

  private static final String VMLINUX = KfixTruth.fixture(KfixTruth.VMLINUX).toString();
  private static KfixTruth truth;

  @BeforeAll
  static void load() {
    truth = KfixTruth.load();
  }

  private static JsonNode parse(String log, String... extra) {
    List<String> args = new ArrayList<>(List.of("parse", "--format", "jsonl", "--no-cache", "--raw-paths"));
    args.addAll(List.of(extra));
    args.add(KfixTruth.testdata(log).toString());
    Run r = Run.of(args.toArray(String[]::new)).noStackTrace();
    assertEquals(0, r.code(), r.stderr());
    return new ObjectMapper().readTree(r.out().lines().findFirst().orElseThrow());
  }

  @Test
  void everyResolvableFrameGetsFileLineAndInlinedCallees() {
    JsonNode report = parse("kasan-x86.log", "--vmlinux", VMLINUX);
    int checked = 0;
    for (JsonNode stack : report.get("stacks")) {
      for (JsonNode f : stack.get("frames")) {
        List<Symbol> s = truth.symbols(KfixTruth.VMLINUX, f.get("function").asString(),
            OptionalLong.of(f.get("size").asLong()));
        if (s.isEmpty()) {
          // dump_stack_lvl and the like: not in the fixture, left empty.
          assertTrue(f.get("file").isNull() && f.get("inlined").isEmpty(), f.toString());
          continue;
        }
        List<SourceFrame> expected = truth.at(s.get(0), f.get("offset").asLong(), false);
        SourceFrame own = expected.get(expected.size() - 1);
        assertEquals(own.file(), f.get("file").asString(), f.toString());
        assertEquals(own.line(), f.get("line").asInt(), f.toString());
        JsonNode inl = f.get("inlined");
        assertEquals(expected.size() - 1, inl.size(), f.toString());
        for (int i = 0; i < inl.size(); i++) {
          assertEquals(expected.get(i).function(), inl.get(i).get("function").asString());
          assertEquals(expected.get(i).file(), inl.get(i).get("file").asString());
          assertEquals(expected.get(i).line(), inl.get(i).get("line").asInt());
        }
        checked++;
      }
    }
    assertEquals(12, checked, "the fixture functions of kasan-x86.log");
  }

  @Test
  void kcsanAccessFramesAreReturnAddresses() {
    JsonNode report = parse("kcsan.log", "--vmlinux", VMLINUX);
    Symbol main = truth.symbols(KfixTruth.VMLINUX, "kfix_main", OptionalLong.empty()).get(0);
    JsonNode race2 = report.get("stacks").get(1).get("frames");
    assertEquals("race-2", report.get("stacks").get(1).get("role").asString());
    // The first frame of an access stack: the _RET_IP_ of the __tsan_* call (replace_stack_entry()).
    assertEquals(truth.at(main, 0x21, false).get(0).line(), race2.get(0).get("line").asInt(), "the access: pc - 1");
    JsonNode race1 = report.get("stacks").get(0).get("frames");
    assertEquals(truth.at(main, 0x21, false).get(0).line(), race1.get(1).get("line").asInt(), "a caller: pc - 1");
  }

  @Test
  void withoutVmlinuxNothingIsFilled() {
    JsonNode report = parse("kasan-x86.log");
    for (JsonNode stack : report.get("stacks")) {
      for (JsonNode f : stack.get("frames")) {
        assertTrue(f.get("file").isNull() && f.get("line").isNull() && f.get("inlined").isEmpty(), f.toString());
      }
    }
  }

  @Test
  void inlineAwareTitleIsAnAlternative() {
    // The header is in KASAN's own code; the first guilty frame is helper+0x12, which returns into
    // mix_inner inlined through mix_middle (truth).
    Symbol helper = truth.symbols(KfixTruth.VMLINUX, "helper", OptionalLong.of(0x40)).get(0);
    assertEquals("mix_inner", truth.at(helper, 0x12, false).get(0).function());
    JsonNode plain = parse("inline-title.log");
    JsonNode symbolized = parse("inline-title.log", "--vmlinux", VMLINUX);
    assertEquals("KASAN: use-after-free Read in helper", plain.get("title").asString());
    assertEquals(plain.get("title"), symbolized.get("title"), "the title stays syzkaller's");
    List<String> alts = new ArrayList<>();
    symbolized.get("altTitles").forEach(a -> alts.add(a.asString()));
    assertTrue(alts.contains("KASAN: use-after-free Read in mix_inner"), alts.toString());
    List<String> plainAlts = new ArrayList<>();
    plain.get("altTitles").forEach(a -> plainAlts.add(a.asString()));
    assertEquals(plainAlts, alts.subList(0, plainAlts.size()), "the raw alternatives come first, unchanged");
    // Where inlining changes nothing, no alternative is added.
    JsonNode same = parse("kasan-x86.log", "--vmlinux", VMLINUX);
    assertEquals(parse("kasan-x86.log").get("altTitles"), same.get("altTitles"));
  }

  @Test
  void aBuildIdOnTheCpuLineIsCheckedAgainstTheVmlinux() throws java.io.IOException {
    String log = java.nio.file.Files.readString(KfixTruth.testdata("kasan-x86.log"));
    java.nio.file.Path other = java.nio.file.Files.createTempFile("bid", ".log");
    java.nio.file.Files.writeString(other, log.replace("6.8.0-kfix #1\n",
        "6.8.0-kfix #1 00112233445566778899aabbccddeeff00112233\n"));
    Run r = Run.of("parse", "--no-cache", "--vmlinux", VMLINUX, other.toString()).noStackTrace();
    assertEquals(0, r.code());
    assertTrue(r.stderr().contains("build id mismatch: the log's kernel is 00112233445566778899aabbccddeeff00112233, "
        + VMLINUX + " is b597f97358245fbbd1b174b095ed5ecc67b155d6"), r.stderr());
    java.nio.file.Files.writeString(other, log.replace("6.8.0-kfix #1\n",
        "6.8.0-kfix #1 b597f97358245fbbd1b174b095ed5ecc67b155d6\n"));
    Run same = Run.of("parse", "--no-cache", "--vmlinux", VMLINUX, other.toString()).noStackTrace();
    assertTrue(!same.stderr().contains("build id"), same.stderr());
  }

  @Test
  void textOutputShowsTheInlineChain() {
    Run r = Run.of("parse", "--no-cache", "--color", "never", "--vmlinux", VMLINUX,
        KfixTruth.testdata("kasan-x86.log").toString()).noStackTrace();
    List<String> lines = r.out().lines().toList();
    int i = lines.indexOf("      alpha_work+0x45/0xa0 alpha.c:30");
    assertTrue(i > 2, r.out());
    assertEquals("      mix_inner inl.h:10 [inline]", lines.get(i - 3));
  }
}
