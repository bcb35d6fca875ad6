package dev.ktriage.depot.store;

import dev.ktriage.model.Report;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A writer process for {@link CrashSafetyTest}: ingests the corpus over and over (each round with
 * another source path, so every report is new), commits every {@code batch} reports and prints
 * {@code committed N} after each commit, until it is killed. {@code args}: store, batch size, run number
 * (salts the time stamps so that every run's reports are new).
 */
public final class IngestWorker {
  private IngestWorker() {} // no instance

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int batch = Integer.parseInt(args[1]);
    long salt = Long.parseLong(args[2]) * 1_000_000_000L;
    List<Report> base = TestReports.first(20);
    long committed = 0;
    try (ReportStore s = ReportStore.open(dir, ReportStore.Mode.READ_WRITE, Duration.ZERO)) {
      for (int round = 0; ; round++) {
        int added = 0;
        for (Report r : base) {
          // another occurrence: same content but another time stamp, so another fingerprint
          Report v = new Report(r.tool(), r.bugType(), r.header(), r.title(), r.access(), r.context(),
              new dev.ktriage.model.LogTime(java.util.OptionalDouble.of(salt + round * 100_000.0 + added), java.util.Optional.empty()),
              r.stacks(), r.details(), r.corruption(), r.complete(), r.source());
          if (!(s.add(v) instanceof IngestResult.Added)) {
            throw new IllegalStateException("not new: " + v.source());
          }
          if (++added % batch == 0) {
            s.commit();
            committed += batch;
            System.out.println("committed " + committed);
            System.out.flush();
          }
        }
      }
    }
  }
}
