package dev.ktriage.cli.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.symbolize.Addr2lineInput;
import dev.ktriage.symbolizer.FrameQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The plain-frame fast path of {@code addr2line}'s input answers exactly as the general parser. */
class PlainFrameTest {

  /** Every line of the test logs, as given and with its console prefix cut to the frame. */
  private static List<String> corpus() throws IOException {
    List<String> lines = new ArrayList<>();
    Path root = KfixTruth.root().resolve("testdata");
    List<Path> logs;
    try (Stream<Path> s = Files.walk(root)) {
      logs = s.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".txt")).sorted().toList();
    }
    for (Path p : logs) {
      for (String l : new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1).split("\n", -1)) {
        lines.add(l);
        String t = l.strip();
        lines.add(t);
        int sp = t.lastIndexOf(' ');
        lines.add(sp < 0 ? t : t.substring(sp + 1)); // the last word: often "func+0x1a/0x40"
      }
    }
    return lines;
  }

  @Test
  void agreesWithTheGeneralParserOnEveryTestLog() throws IOException {
    int plain = 0;
    for (String line : corpus()) {
      for (boolean exact : new boolean[] {false, true}) {
        FrameQuery fast = PlainFrame.parse(line, exact);
        if (fast == null) {
          continue; // the general parser decides, as before
        }
        plain++;
        Optional<Addr2lineInput> general = Addr2lineInput.general(line, exact);
        assertTrue(general.isPresent() && !general.get().isAddress(), line);
        assertEquals(general.get().query(), fast, line);
        assertEquals(general.get().exact(), exact, line);
      }
    }
    assertTrue(plain > 500, "the logs hold many plain frames: " + plain);
  }

  @Test
  void plainShapes() {
    assertEquals(new FrameQuery("ext4_fill_super", 0x1f3e, OptionalLong.of(0x25a0), Optional.empty(),
        OptionalLong.empty(), true), PlainFrame.parse("ext4_fill_super+0x1f3e/0x25a0", false));
    assertEquals(new FrameQuery("xfs_btree.cold", 0x4, OptionalLong.empty(), Optional.empty(), OptionalLong.empty(),
        false), PlainFrame.parse("xfs_btree.cold+0x4", true));
    assertEquals(new FrameQuery("f", -1L, OptionalLong.of(0x10), Optional.empty(), OptionalLong.empty(), true),
        PlainFrame.parse("f+0xffffffffffffffff/10", false));
    assertNotNull(PlainFrame.parse("$x+0xA/0xB", false));
  }

  @Test
  void everythingElseIsLeftToTheGeneralParser() {
    for (String s : List.of("", "ffffffff81234567", "0x401093", " f+0x1/0x2", "f+0x1/0x2 ", "f+0x1/0x2\r",
        "f+0x1/0x2 [mod]", "f+0x1/", "f+0x/0x2", "f+1/0x2", "1f+0x1", "f+0x1/0x2/0x3", "f+0x12345678901234567",
        "RIP: 0010:f+0x1/0x2", "? f+0x1/0x2", "f+0x1)", "fé+0x1/0x2", "f+0x1/0x2g")) {
      assertNull(PlainFrame.parse(s, false), s);
    }
  }
}
