package dev.ktriage.symbolizer.fuzz;

import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.exercise;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.fixture;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.le32;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.replace;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.ktriage.symbolizer.dwarf.DwarfSections;
import java.util.Arrays;

/**
 * {@code .debug_info} and {@code .debug_abbrev} from the fuzzer (unit headers, abbreviation
 * tables, DIEs, forms, function scans, inline trees, names), the other sections from a kfix
 * fixture. Input: fixture (1 byte), length of the info part (4 bytes, little-endian), info, abbrev.
 */
class DebugInfoFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void infoAndAbbrev(byte[] data) {
    if (data.length < 5) {
      return;
    }
    FuzzFixtures.Fixture f = fixture(FuzzFixtures.VARIANTS.get((data[0] & 0xff) % FuzzFixtures.VARIANTS.size()));
    int n = Math.min(Math.max(0, le32(data, 1)), data.length - 5);
    DwarfSections s = replace(f.sections(), ".debug_info", Arrays.copyOfRange(data, 5, 5 + n));
    s = replace(s, ".debug_abbrev", Arrays.copyOfRange(data, 5 + n, data.length));
    exercise(s, f.pcs());
  }
}
