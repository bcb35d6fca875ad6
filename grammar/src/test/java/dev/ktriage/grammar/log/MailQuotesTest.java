package dev.ktriage.grammar.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MailQuotesTest {

  private final MailQuotes q = new MailQuotes();

  @ParameterizedTest(name = "[{0}]")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "> BUG: KASAN: x | BUG: KASAN: x",
      "> > [   1.0] Call Trace: | [   1.0] Call Trace:",
      ">>  foo+0x1/0x2 | \" foo+0x1/0x2\"",
      "\">ffff888012a4a000: fa fb\" | \">ffff888012a4a000: fa fb\"",     // KASAN's buggy shadow row stays
      "\"> >ffff888012a4a000: fa fb\" | \">ffff888012a4a000: fa fb\"",   // ... also when quoted
      "\">\" | \"\"",
      "plain line | plain line",
  })
  void stripsQuoteMarkersOnly(String in, String want) {
    assertEquals(want, q.strip(in));
  }
}
