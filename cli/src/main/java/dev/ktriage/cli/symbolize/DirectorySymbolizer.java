package dev.ktriage.cli.symbolize;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.ingest.Ingester;
import dev.ktriage.model.Report;
import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;

/**
 * {@code ingest --vmlinux-dir}: symbolizes each report with the kernel of {@link VmlinuxDirectory} that
 * wrote it, and counts the reports (and logs) no kernel matched, which stay unsymbolized. Thread-safe.
 */
public final class DirectorySymbolizer implements Ingester.PerLog {
  private final VmlinuxDirectory kernels;
  private final AtomicLong symbolized = new AtomicLong();
  private final AtomicLong unmatched = new AtomicLong();
  private final AtomicInteger unmatchedLogs = new AtomicInteger();
  private final AtomicReference<String> problem = new AtomicReference<>();

  public DirectorySymbolizer(VmlinuxDirectory kernels) {
    this.kernels = kernels;
  }

  @Override
  public UnaryOperator<Report> forLog(String name) throws IOException, InputException {
    LogBanners banners = LogBanners.read(name);
    AtomicInteger missed = new AtomicInteger();
    return r -> {
      Optional<VmlinuxDirectory.Match> m = kernels.match(r, banners.before(r.source().firstLine()));
      if (m.isEmpty()) {
        unmatched.incrementAndGet();
        if (missed.getAndIncrement() == 0) {
          unmatchedLogs.incrementAndGet();
        }
        return r;
      }
      try {
        Report out = kernels.symbolize(m.get(), r);
        symbolized.incrementAndGet();
        return out;
      } catch (InputException e) { // the vmlinux cannot be opened after all: keep the report, say why at the end
        problem.compareAndSet(null, e.getMessage());
        unmatched.incrementAndGet();
        if (missed.getAndIncrement() == 0) {
          unmatchedLogs.incrementAndGet();
        }
        return r;
      }
    };
  }

  /** Why a matched vmlinux could not be used, if one could not (its reports count as unmatched). */
  public Optional<String> problem() {
    return Optional.ofNullable(problem.get());
  }

  /** Reports symbolized. */
  public long symbolized() {
    return symbolized.get();
  }

  /** Reports no kernel of the directory matched. */
  public long unmatched() {
    return unmatched.get();
  }

  /** Logs with at least one such report. */
  public int unmatchedLogs() {
    return unmatchedLogs.get();
  }
}
