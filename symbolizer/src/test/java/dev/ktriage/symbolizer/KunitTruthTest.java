package dev.ktriage.symbolizer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.symbolizer.FrameQuery.Lookup;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every frame of the four KUnit boots in {@code ../shared/corpus/kunit} (KASAN and KCSAN, gcc 12,
 * DWARF 5) against what {@code addr2line -f -i} says there, per the way the kernel printed it:
 * call-trace frames and KCSAN's "reordered to:" lines are return addresses (pc - 1; KCSAN's first
 * access-stack frame included: {@code replace_stack_entry()} puts the {@code _RET_IP_} of the
 * {@code __tsan_*}/{@code __kcsan_check_access} call there), so is the KCSAN unknown-origin header
 * (the same entry) and a vmalloc region's "allocated at" caller; the KASAN header is read at its
 * address, or at pc - 1 when that has no line ({@link Lookup#EXACT_ELSE_CALL}); the function owning
 * a stack slot ("... in frame:") at its entry. Files where addr2line 2.40 names the unit's file for
 * a header's row (PR 30783) come from llvm-symbolizer, which the truth files also hold.
 * Skipped, with a message, without {@code ../shared}.
 */
class KunitTruthTest {
  @TempDir
  static Path tmp;

  private static Path corpus() {
    String root = System.getProperty("ktriage.root");
    return (root == null ? Path.of("..") : Path.of(root)).resolve("../shared/corpus/kunit");
  }

  @TestFactory
  Stream<DynamicTest> everyFrameAgreesWithTheTruth() {
    Path dir = corpus();
    if (!Files.isRegularFile(dir.resolve("symbolize-truth-kasan.jsonl"))) {
      System.err.println("SKIPPED: " + dir + " is absent; the KUnit truth is not checked");
      Assumptions.abort(dir + " is absent");
    }
    return Stream.of("kasan", "kcsan").map(k -> DynamicTest.dynamicTest(k, () -> check(dir, k)));
  }

  private static Path unpack(Path dir, String kernel) throws Exception {
    Path out = tmp.resolve("vmlinux-" + kernel);
    if (!Files.exists(out)) {
      try (InputStream in = new XZInputStream(Files.newInputStream(dir.resolve("vmlinux-" + kernel + ".xz")));
          OutputStream os = Files.newOutputStream(out)) {
        in.transferTo(os);
      }
    }
    return out;
  }

  private record Expect(String line, FrameQuery query, List<String> frames) {}

  private static List<String> frames(JsonNode tool, JsonNode llvm) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tool.size(); i++) {
      JsonNode f = tool.get(i);
      String file = f.get("file").asString();
      int line = f.get("line").isNull() ? 0 : f.get("line").asInt();
      if (llvm != null && llvm.size() == tool.size()) {
        JsonNode g = llvm.get(i);
        int gl = g.get("line").isNull() ? 0 : g.get("line").asInt();
        if (gl == line && !g.get("file").asString().equals(file)) {
          file = g.get("file").asString(); // PR 30783
        }
      }
      out.add(render(f.get("function").asString(), line == 0 ? "" : file, line));
    }
    return out;
  }

  private static String render(String function, String file, int line) {
    String f = file.startsWith("./") ? file.substring(2) : file.equals("??") ? "" : file;
    return function + " " + f + ":" + line;
  }

  private static boolean hasLine(JsonNode tool) {
    return tool.size() > 0 && !tool.get(0).get("line").isNull() && tool.get(0).get("line").asInt() > 0;
  }

  private static void check(Path dir, String kernel) throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Expect> expects = new ArrayList<>();
    int[] kinds = new int[6];
    for (String l : Files.readAllLines(dir.resolve("symbolize-truth-" + kernel + ".jsonl"))) {
      JsonNode e = json.readTree(l);
      if (!e.has("symbol_address_hex") || e.get("nm_candidates").size() == 0) {
        continue; // data symbols and raw addresses: not code
      }
      String kind = e.get("kind").asString();
      String text = e.get("line_text").asString();
      Lookup lookup;
      JsonNode tool;
      JsonNode llvm;
      switch (kind) {
        case "stack_frame", "reordered_to", "alloc_caller" -> {
          lookup = Lookup.RETURN_ADDRESS;
          kinds[kind.equals("stack_frame") ? 0 : kind.equals("reordered_to") ? 1 : 2]++;
        }
        case "title" -> {
          lookup = text.contains("BUG: KCSAN:") ? Lookup.RETURN_ADDRESS : Lookup.EXACT_ELSE_CALL;
          kinds[3]++;
        }
        case "frame_owner" -> {
          lookup = Lookup.EXACT;
          kinds[4]++;
        }
        default -> {
          continue;
        }
      }
      if (lookup == Lookup.RETURN_ADDRESS) {
        tool = e.get("addr2line_minus1");
        llvm = e.get("llvm_symbolizer_minus1");
      } else if (lookup == Lookup.EXACT_ELSE_CALL && !hasLine(e.get("addr2line")) && e.get("offset").asLong() > 0
          && hasLine(e.get("addr2line_minus1"))) {
        tool = e.get("addr2line_minus1");
        llvm = e.get("llvm_symbolizer_minus1");
      } else {
        tool = e.get("addr2line");
        llvm = e.get("llvm_symbolizer");
      }
      long linkTime = Long.parseUnsignedLong(e.get("address_hex").asString().substring(2), 16);
      FrameQuery q = new FrameQuery(e.get("symbol").asString(), e.get("offset").asLong(),
          OptionalLong.of(e.get("size").asLong()), Optional.empty(), OptionalLong.of(linkTime), lookup);
      expects.add(new Expect(e.get("log").asString() + ":" + e.get("line_no").asInt() + " " + text, q,
          frames(tool, llvm.isNull() ? null : llvm)));
    }
    List<String> failures = new ArrayList<>();
    try (Symbolizer s = Symbolizer.open(unpack(dir, kernel), SymbolizerOptions.defaults())) {
      for (Expect x : expects) {
        // The address is the link-time one (KASLR taken out): slide 0 picks among duplicates.
        Resolution r = s.resolve(x.query(), OptionalLong.of(0));
        List<String> got = new ArrayList<>();
        if (r.candidates().size() == 1) {
          for (SourceFrame f : r.candidates().get(0).frames()) {
            got.add(render(f.function(), f.file().orElse(""), f.line().orElse(0)));
          }
        }
        if (!got.equals(x.frames())) {
          failures.add(x.line() + ": expected " + x.frames() + " got " + got);
        }
      }
    }
    System.err.println("KunitTruthTest " + kernel + ": " + expects.size() + " frames (call trace " + kinds[0]
        + ", reordered-to " + kinds[1] + ", allocated-at " + kinds[2] + ", headers " + kinds[3] + ", frame owners "
        + kinds[4] + "), " + failures.size() + " differ");
    assertTrue(expects.size() > 100, "truth read");
    assertTrue(failures.isEmpty(), failures.size() + " of " + expects.size() + " differ, first: "
        + failures.subList(0, Math.min(5, failures.size())));
  }
}
