package dev.ktriage.depot.store;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.io.TempDir;

/** The contract, on the embedded store. */
class LuceneReportStoreContractTest extends ReportStoreContract {
  @TempDir Path dir;

  @Override
  protected ReportStore newWriter() throws Exception {
    return ReportStore.open(dir, ReportStore.Mode.READ_WRITE, Duration.ZERO);
  }

  @Override
  protected ReportStore reopen() throws Exception {
    return ReportStore.open(dir, ReportStore.Mode.READ_ONLY, Duration.ZERO);
  }
}
