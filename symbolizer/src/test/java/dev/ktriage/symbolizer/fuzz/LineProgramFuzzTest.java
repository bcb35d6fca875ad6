package dev.ktriage.symbolizer.fuzz;

import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.exercise;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.fixture;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.replace;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * {@code .debug_line} from the fuzzer (headers of versions 2-5, entry formats, file tables,
 * standard and extended opcodes, the fast path), read through a kfix fixture's units. Input:
 * fixture (1 byte), the section.
 */
class LineProgramFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void lineProgram(byte[] data) {
    if (data.length < 1) {
      return;
    }
    FuzzFixtures.Fixture f = fixture(FuzzFixtures.VARIANTS.get((data[0] & 0xff) % FuzzFixtures.VARIANTS.size()));
    exercise(replace(f.sections(), ".debug_line", Arrays.copyOfRange(data, 1, data.length)), f.pcs());
  }
}
