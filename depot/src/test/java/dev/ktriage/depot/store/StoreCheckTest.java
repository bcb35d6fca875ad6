package dev.ktriage.depot.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Report;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code store check}: what is damaged, what can be read back, and the recovery into a new store. */
class StoreCheckTest {
  @TempDir Path tmp;

  private static void flip(Path file) throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(f.length() / 2);
      int b = f.read();
      f.seek(f.length() / 2);
      f.write(b ^ 0x10);
    }
  }

  private static Path file(Path store, String ending) throws Exception {
    try (Stream<Path> s = Files.list(store.resolve("index"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(ending)).sorted().findFirst().orElseThrow();
    }
  }

  @Test
  void damageIsNamedAndTheReportsThatCanBeReadBackAreRecovered() throws Exception {
    Path store = tmp.resolve("s");
    List<Report> reports = TestReports.first(10);
    try (ReportStore s = ReportStore.open(store, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      for (int i = 0; i < reports.size(); i++) {
        s.add(reports.get(i), Instant.EPOCH.plusSeconds(i));
      }
      s.commit();
    }
    StoreCheck.Result intact = StoreCheck.check(store);
    assertFalse(intact.damaged(), intact.toString());
    long n = intact.reports();
    assertTrue(n > 10, intact.toString());

    // terms and stored fields damaged: the reports come back from their JSON (doc values)
    flip(file(store, ".tim"));
    flip(file(store, ".fdt"));
    StoreCheck.Result damaged = StoreCheck.check(store);
    assertTrue(damaged.damaged());
    assertEquals(n, damaged.recoverable(), damaged.toString());
    assertTrue(damaged.segments().stream().flatMap(s -> s.damaged().stream()).anyMatch(d -> d.contains(".tim: checksum mismatch")),
        damaged.toString());
    Path target = tmp.resolve("recovered");
    assertEquals(n, StoreCheck.recover(damaged, target, x -> { }));
    try (ReportStore r = ReportStore.open(target, ReportStore.Mode.READ_ONLY, Duration.ZERO)) {
      assertEquals(n, r.stats().reports());
    }

    // the doc values too: nothing to read back
    flip(file(store, ".dvd"));
    StoreCheck.Result lost = StoreCheck.check(store);
    assertEquals(0, lost.recoverable(), lost.toString());
  }
}
