package dev.ktriage.cli.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A seeded sample of the store fault matrix ({@link StoreFaultMatrix}): each file kind of a real
 * store damaged once, then a reader and {@code ingest} run on it. The seed is fixed and printed; set
 * {@code -Dktriage.faults.seed=N} to run another sample, and run {@code bench/faults/run.sh} for all of it.
 */
class StoreFaultMatrixTest {
  @TempDir Path tmp;

  @Test
  void everyCommandWorksOrRefusesTheDamagedFileByName() throws Exception {
    // A fixed sample by default: a build must give the same verdict on every machine and every run.
    // Other seeds (-Dktriage.faults.seed=N) and bench/faults/run.sh (all of the matrix) explore more.
    long seed = Long.getLong("ktriage.faults.seed", 68_474);
    System.out.println("StoreFaultMatrixTest: seed " + seed);
    StoreFaultMatrix m = new StoreFaultMatrix(tmp);
    List<String> kinds = m.kinds();
    for (String k : List.of("segments_N", ".si", ".fnm", ".fdt", ".fdx", ".fdm", ".tim", ".tip", ".tmd", ".doc",
        ".pos", ".psm", ".dvd", ".dvm", ".kdd", ".kdi", ".kdm", ".nvd", ".nvm", ".liv", "depot.snapshot",
        "clusters.state", "index.verified")) {
      assertTrue(kinds.contains(k), "the store has no " + k + " file to damage: " + kinds);
    }
    List<StoreFaultMatrix.Failure> failures = m.sample(seed);
    assertEquals(List.of(), failures.stream().map(Object::toString).toList(), "seed " + seed);
  }
}
