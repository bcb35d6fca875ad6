package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JVM options {@code ./ktriage} chooses per command ({@code KTRIAGE_PRINT_JVM_OPTS=1} prints them
 * and stops before building or running anything).
 */
class LauncherOptionsTest {

  private static List<String> options(String... args) throws IOException, InterruptedException {
    Path launcher = KfixTruth.root().resolve("ktriage");
    List<String> cmd = new ArrayList<>(List.of("bash", launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("KTRIAGE_PRINT_JVM_OPTS", "1");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    return List.of(out.strip().split("\\s+"));
  }

  @Test
  void eachCommandGetsItsOwnOptions() throws Exception {
    List<String> parse = options("parse", "-");
    assertTrue(parse.containsAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmn32m")), parse.toString());
    List<String> ingest = options("ingest", "--store", "s", "crashes/");
    assertTrue(ingest.contains("-XX:MaxInlineLevel=9"), ingest.toString());
    assertTrue(ingest.stream().anyMatch(o -> o.startsWith("-XX:CompilerDirectivesFile=")
        && Files.isRegularFile(Path.of(o.substring(o.indexOf('=') + 1)))), ingest.toString());
    List<String> symbolize = options("addr2line", "--vmlinux", "v");
    assertTrue(symbolize.containsAll(List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")), symbolize.toString());
  }

  @Test
  void everyCommandHasAnOptionsFileAndEveryOptionsFileACommand() throws IOException {
    // the launcher knows the commands by these files (CDS archive names); a new command needs one
    java.util.Set<String> files = new java.util.TreeSet<>();
    try (var jvm = Files.newDirectoryStream(KfixTruth.root().resolve("cli/jvm"), "*.options")) {
      jvm.forEach(f -> files.add(f.getFileName().toString().replace(".options", "")));
    }
    java.util.Set<String> commands = new java.util.TreeSet<>(Ktriage.commandNames());
    commands.remove("help");
    assertEquals(commands, files);
  }

  @Test
  void noCommandCapsTheHeap() throws Exception {
    // ingest's live set grows with the store's clusters (~200 MB at 5,700 clusters, ~500 MB at 57,000:
    // bench/ingest/RESULTS.md), so a fixed -Xmx would fail big stores; users can add one in
    // KTRIAGE_JAVA_OPTS, and running out of heap is a one-line message (ErrorReporterTest).
    for (String c : new String[] {"parse", "symbolize", "addr2line", "ingest", "search", "similar", "clusters", "gc"}) {
      List<String> o = options(c);
      assertFalse(o.stream().anyMatch(s -> s.startsWith("-Xmx")), c + ": " + o);
    }
  }
}
