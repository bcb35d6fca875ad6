package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Run;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A group without its subcommand says how to use it, on stderr, with the usage exit code. */
class CommandGroupTest {
  @ParameterizedTest
  @CsvSource({"depot, stats", "store, check"})
  void aGroupAloneShowsItsUsage(String group, String subcommand) {
    Run r = Run.of(group);
    assertEquals(ExitCodes.USAGE_OR_INPUT, r.code());
    assertEquals("", r.out());
    assertTrue(r.stderr().contains("Usage: ktriage " + group) && r.stderr().contains(subcommand), r.stderr());
  }
}
