package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.CharStreams;
import org.junit.jupiter.api.Test;

/** The elision marks the island tracker keeps and the ones the lexer makes ELLIPSIS of are the same. */
class ElisionsTest {

  @Test
  void theTrackerAndTheLexerKnowTheSameMarks() {
    List<String> marks = new ArrayList<>(Elisions.MARKS);
    marks.add("...");
    marks.add("......");
    for (String m : marks) {
      assertTrue(Elisions.isMarker("  " + m + " "), m);
      var t = new KernelReportLexer(CharStreams.fromString(m + "\n")).getAllTokens();
      assertEquals(KernelReportLexer.ELLIPSIS, t.get(0).getType(), m);
    }
    assertFalse(Elisions.isMarker(".."));
    assertFalse(Elisions.isMarker("... and more"));
  }
}
