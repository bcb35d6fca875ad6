package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Run;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.XZInputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * {@code ktriage symbolize} on the four KUnit boots of {@code ../shared/corpus/kunit} (KASAN and
 * KCSAN, each without and with KASLR): every line it annotates agrees with the truth files on every
 * frame of its chain (the inlined callees' lines before it, then its own), read the way the kernel
 * printed it: call-trace frames at pc - 1 (KCSAN's first access-stack frame too: the {@code _RET_IP_}
 * of the {@code __tsan_*} call, put there by {@code replace_stack_entry()}), the KASAN header at its
 * address (pc - 1 where that has no line), the KCSAN unknown-origin header and its "reordered to:"
 * lines at pc - 1 (return addresses too), a stack slot's owning function at its entry. And every
 * call-trace frame, header and stack-slot owner is annotated. Skipped without {@code ../shared}.
 */
class KunitSymbolizeTest {
  @TempDir
  static Path tmp;

  private static Path corpus() {
    String root = System.getProperty("ktriage.root");
    return (root == null ? Path.of("..") : Path.of(root)).resolve("../shared/corpus/kunit");
  }

  @TestFactory
  Stream<DynamicTest> everyAnnotatedFrameAgrees() {
    Path dir = corpus();
    if (!Files.isRegularFile(dir.resolve("symbolize-truth-kcsan.jsonl"))) {
      System.err.println("SKIPPED: " + dir + " is absent; the KUnit boots are not symbolized");
      Assumptions.abort(dir + " is absent");
    }
    return Stream.of("kasan-nokaslr.log", "kasan-kaslr.log", "kcsan.log", "kcsan-kaslr.log")
        .map(log -> DynamicTest.dynamicTest(log, () -> check(dir, log)));
  }

  private static synchronized Path vmlinux(Path dir, String kernel) throws Exception {
    Path out = tmp.resolve("vmlinux-" + kernel);
    if (!Files.exists(out)) {
      try (InputStream in = new XZInputStream(Files.newInputStream(dir.resolve("vmlinux-" + kernel + ".xz")));
          OutputStream os = Files.newOutputStream(out)) {
        in.transferTo(os);
      }
    }
    return out;
  }

  /** {@code function file:line} per frame, innermost first, from a truth entry's tool output. */
  private static List<String> chain(JsonNode tool, JsonNode llvm) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < tool.size(); i++) {
      JsonNode f = tool.get(i);
      String file = f.get("file").asString();
      int line = f.get("line").isNull() ? 0 : f.get("line").asInt();
      if (llvm != null && !llvm.isNull() && llvm.size() == tool.size()) {
        JsonNode g = llvm.get(i);
        if ((g.get("line").isNull() ? 0 : g.get("line").asInt()) == line && !g.get("file").asString().equals(file)) {
          file = g.get("file").asString(); // binutils 2.40 names the unit's file (PR 30783)
        }
      }
      file = file.startsWith("./") ? file.substring(2) : file;
      out.add(line == 0 ? "" : file + ":" + line);
    }
    return out;
  }

  private static boolean hasLine(JsonNode tool) {
    return tool.size() > 0 && !tool.get(0).get("line").isNull() && tool.get(0).get("line").asInt() > 0;
  }

  private static void check(Path dir, String log) throws Exception {
    String kernel = log.startsWith("kasan") ? "kasan" : "kcsan";
    ObjectMapper json = new ObjectMapper();
    // Expected chains (locations only, innermost first) by 1-based line number of the log.
    Map<Integer, List<String>> expect = new TreeMap<>();
    Map<Integer, String> kinds = new HashMap<>();
    for (String l : Files.readAllLines(dir.resolve("symbolize-truth-" + kernel + ".jsonl"))) {
      JsonNode e = json.readTree(l);
      if (!e.get("log").asString().equals(log) || !e.has("symbol_address_hex")
          || e.get("nm_candidates").size() == 0) {
        continue;
      }
      String kind = e.get("kind").asString();
      boolean kasanHeader = kind.equals("title") && e.get("line_text").asString().contains("BUG: KASAN:");
      boolean exact = kind.equals("frame_owner") || kasanHeader && (hasLine(e.get("addr2line"))
          || !hasLine(e.get("addr2line_minus1")));
      if (!List.of("stack_frame", "title", "reordered_to", "frame_owner").contains(kind)) {
        continue; // a vmalloc region's "allocated at": not a frame line
      }
      expect.put(e.get("line_no").asInt(), exact ? chain(e.get("addr2line"), e.get("llvm_symbolizer"))
          : chain(e.get("addr2line_minus1"), e.get("llvm_symbolizer_minus1")));
      kinds.put(e.get("line_no").asInt(), kind);
    }
    Path vm = vmlinux(dir, kernel);
    Run r = Run.of("symbolize", "--vmlinux", vm.toString(), "--no-cache", dir.resolve(log).toString());
    assertEquals(0, r.code(), r.stderr());
    // The log's lines (CRLF in these serial logs) against the output: the lines before an
    // annotated line that are not in the log are its inlined callees.
    List<String> in = List.of(new String(Files.readAllBytes(dir.resolve(log)), StandardCharsets.UTF_8).split("\r?\n"));
    List<String> out = List.of(r.out().split("\r?\n"));
    List<String> failures = new ArrayList<>();
    int o = 0;
    int agreed = 0;
    for (int i = 0; i < in.size(); i++) {
      String line = in.get(i);
      List<String> inlines = new ArrayList<>();
      while (o < out.size() && !out.get(o).startsWith(line)) {
        inlines.add(out.get(o++));
      }
      if (o >= out.size()) {
        failures.add("line " + (i + 1) + " lost");
        break;
      }
      String annotated = out.get(o++);
      List<String> want = expect.get(i + 1);
      if (want == null) {
        continue;
      }
      List<String> got = new ArrayList<>();
      for (String inl : inlines) {
        String body = inl.substring(0, inl.length() - " [inline]".length());
        got.add(body.contains(" ") ? body.substring(body.lastIndexOf(' ') + 1) : "");
      }
      String suffix = annotated.substring(line.length()).strip();
      got.add(suffix);
      if (!got.equals(want)) {
        failures.add(log + ":" + (i + 1) + " (" + kinds.get(i + 1) + ") " + line.strip() + ": expected " + want
            + " got " + got);
      } else {
        agreed++;
      }
    }
    System.err.println("KunitSymbolizeTest " + log + ": " + expect.size() + " frame lines, " + agreed + " agree");
    assertTrue(failures.isEmpty(), failures.size() + " of " + expect.size() + " differ: "
        + failures.subList(0, Math.min(8, failures.size())));
  }
}
