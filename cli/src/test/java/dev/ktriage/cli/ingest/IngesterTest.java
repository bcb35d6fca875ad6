package dev.ktriage.cli.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.TestLogs;
import dev.ktriage.depot.store.ReportStore;
import dev.ktriage.model.Report;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Ingester}: cancelling keeps what was parsed; problems with single files do not stop the others. */
class IngesterTest {

  @TempDir Path dir;

  static List<String> logs(Path dir, int files, int copies) throws IOException {
    return TestLogs.manyReports(dir, files, copies);
  }

  private static final class Said implements Ingester.Listener {
    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();

    @Override
    public void problem(String line) {
      problems.add(line);
    }

    @Override
    public void note(String line) {
      notes.add(line);
    }
  }

  @Test
  void cancellingCommitsWhatWasParsedAndSaysHowFarItGot() throws Exception {
    List<String> files = logs(dir, 12, 60);
    Path storeDir = dir.resolve("store");
    Ingester.Summary s;
    try (ReportStore store = ReportStore.open(storeDir, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      // Cancelled from another thread after the fifth report, as Ctrl-C would: a progress tick comes
      // only every 200 ms, and a fast machine ingests all twelve logs before the first one.
      AtomicReference<Ingester> ingester = new AtomicReference<>();
      AtomicInteger seen = new AtomicInteger();
      UnaryOperator<Report> cancelAtFifth = r -> {
        if (seen.incrementAndGet() == 5) {
          Thread.ofPlatform().start(() -> ingester.get().cancel());
        }
        return r;
      };
      ingester.set(new Ingester(store, cancelAtFifth, new ByteArrayInputStream(new byte[0]), new Said()));
      s = ingester.get().ingest(files, 2);
      assertTrue(s.interrupted());
      assertTrue(s.filesRead() < files.size(), "stopped before the end: " + s);
    }
    try (ReportStore store = ReportStore.open(storeDir, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      assertEquals(s.added(), store.stats().reports(), "every report counted as added was committed");
    }
  }

  @Test
  void aFileThatCannotBeReadIsSaidAndTheOthersAreIngested() throws Exception {
    List<String> files = new ArrayList<>(logs(dir, 2, 1));
    files.add(1, dir.resolve("gone.log").toString());
    try (ReportStore store = ReportStore.open(dir.resolve("store"), ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      Said said = new Said();
      Ingester.Summary s = new Ingester(store, UnaryOperator.identity(), new ByteArrayInputStream(new byte[0]), said)
          .ingest(files, 2);
      assertEquals(1, s.failedFiles());
      assertEquals(2, s.filesRead());
      assertEquals(List.of(dir.resolve("gone.log") + ": no such file"), said.problems);
      assertEquals(4, s.reports(), "both reports of both readable logs");
    }
  }

  @Test
  void stdinIsReadForDash() throws Exception {
    byte[] demo = Files.readAllBytes(TestLogs.root().resolve("testdata/demo/syzkaller-console.log"));
    try (ReportStore store = ReportStore.open(dir.resolve("store"), ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      Ingester.Summary s = new Ingester(store, UnaryOperator.identity(), new ByteArrayInputStream(demo), new Said())
          .ingest(List.of("-"), 1);
      assertEquals(2, s.reports());
      assertEquals(new String(demo, StandardCharsets.UTF_8).contains("KCSAN") ? 2 : 1, s.added());
    }
  }
}
