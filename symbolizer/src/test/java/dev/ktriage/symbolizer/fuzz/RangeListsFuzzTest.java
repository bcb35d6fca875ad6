package dev.ktriage.symbolizer.fuzz;

import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.exercise;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.fixture;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.replace;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Range lists from the fuzzer: DWARF 4 {@code .debug_ranges} under the gcc DWARF 4 fixture, DWARF
 * 5 {@code .debug_rnglists} under the gcc (offsets) and clang (DW_FORM_rnglistx, rnglists_base)
 * ones, with {@code .debug_aranges} emptied half the time so that unit ranges come from the lists.
 * Input: choice (1 byte), the section.
 */
class RangeListsFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void rangeLists(byte[] data) {
    if (data.length < 1) {
      return;
    }
    int choice = data[0] & 0xff;
    String variant = FuzzFixtures.VARIANTS.get((choice & 0x7f) % FuzzFixtures.VARIANTS.size());
    FuzzFixtures.Fixture f = fixture(variant);
    byte[] section = Arrays.copyOfRange(data, 1, data.length);
    var s = replace(f.sections(), variant.contains("dwarf4") ? ".debug_ranges" : ".debug_rnglists", section);
    if ((choice & 0x80) != 0) {
      s = replace(s, ".debug_aranges", new byte[0]);
    }
    exercise(s, f.pcs());
  }
}
