package dev.ktriage.symbolizer.fuzz;

import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.exercise;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.fixture;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.le32;
import static dev.ktriage.symbolizer.fuzz.FuzzFixtures.replace;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * The clang fixture's indirect sections from the fuzzer: {@code .debug_str_offsets} (DW_FORM_strx*
 * through str_offsets_base) and {@code .debug_addr} (DW_FORM_addrx*), names and addresses of
 * every DIE read through them. Input: length of the str_offsets part (4 bytes), str_offsets, addr.
 */
class StrOffsetsFuzzTest {
  @FuzzTest(maxDuration = "10m")
  void strOffsetsAndAddr(byte[] data) {
    FuzzFixtures.Fixture f = fixture("x86_64-clang-dwarf5");
    int n = Math.min(Math.max(0, le32(data, 0)), Math.max(0, data.length - 4));
    byte[] strOffsets = data.length < 4 ? data : Arrays.copyOfRange(data, 4, 4 + n);
    byte[] addr = data.length < 4 ? new byte[0] : Arrays.copyOfRange(data, 4 + n, data.length);
    exercise(replace(replace(f.sections(), ".debug_str_offsets", strOffsets), ".debug_addr", addr), f.pcs());
  }
}
