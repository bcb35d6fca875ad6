package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Run;
import dev.ktriage.cli.TestLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ktriage similar}: stdin, and jsonl lines that say which report they answer. */
class SimilarCommandTest {

  @TempDir Path dir;

  @Test
  void readsStdinAndEveryJsonlLineNamesItsReportAlsoWhenNothingIsClose() throws Exception {
    Path demo = TestLogs.root().resolve("testdata/demo/syzkaller-console.log");
    String store = dir.resolve("store").toString();
    // a store that knows the KASAN report only: the KCSAN one has nothing close
    Path kasanOnly = dir.resolve("kasan.log");
    List<String> lines = Files.readAllLines(demo);
    Files.write(kasanOnly, lines.subList(0, 99));
    assertEquals(0, Run.of("ingest", "--store", store, kasanOnly.toString()).noStackTrace().code());
    Run r = Run.of(Files.readAllBytes(demo), "similar", "--store", store, "--format", "jsonl", "-k", "3").noStackTrace();
    assertEquals(0, r.code(), r.stderr());
    List<String> out = r.out().lines().toList();
    assertEquals(2, out.size(), r.out());
    assertTrue(out.get(0).startsWith("{\"query\":{\"path\":\"-\",\"firstLine\":13,\"title\":\"KASAN: slab-use-after-free "
        + "Write in ext4_xattr_set_entry\"},\"rank\":1,\"cluster\":"), out.get(0));
    assertEquals("{\"query\":{\"path\":\"-\",\"firstLine\":101,\"title\":\"KCSAN: data-race in tick_nohz_next_event / "
        + "tick_nohz_stop_tick\"},\"rank\":0,\"cluster\":null,\"score\":null,\"reports\":0,\"title\":null}", out.get(1));
    Run text = Run.of(Files.readAllBytes(demo), "similar", "--store", store, "-").noStackTrace();
    assertTrue(text.out().contains("KCSAN: data-race in tick_nohz_next_event / tick_nohz_stop_tick  (-:101)\n"
        + "  no similar cluster\n"), text.out());
  }
}
