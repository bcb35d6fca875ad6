package dev.ktriage.depot.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.store.TestReports;
import dev.ktriage.model.Frame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Title;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Evidence of reports without a header site: what any kind of report (warnings, faults, BUG:s) falls back to. */
class EvidenceExtractorTest {
  private final EvidenceExtractor extractor = new EvidenceExtractor(new FrameClassifier());

  /** A KASAN report of the test logs with a header site, as the report of a kind that prints none. */
  private static Report withoutHeaderSite(String guilty) throws Exception {
    for (Report r : TestReports.first(10)) {
      if (r.details() instanceof KasanDetails d && d.faultLocation().isPresent() && r.stack(StackRole.ACCESS).isPresent()) {
        KasanDetails none = new KasanDetails(d.mode(), d.headerForm(), Optional.empty(), d.object(), d.variable(), d.stackOwner(),
            d.page(), d.shadow());
        return new Report(r.tool(), r.bugType(), r.header(), new Title("t", List.of(), Optional.ofNullable(guilty)),
            r.access(), r.context(), r.time(), r.stacks(), none, r.corruption(), r.complete(), r.source());
      }
    }
    throw new AssertionError("no KASAN report with a header site in testdata/clusters/logs");
  }

  @Test
  void aFunctionTheTitleBlamesOutsideTheStackIsTheSiteAndTheStackItsCallers() throws Exception {
    // x86 prints a WARNING's own function in RIP:, and the Call Trace starts at its caller
    Report r = withoutHeaderSite("fires_check.isra.0");
    Evidence e = extractor.of(r);
    assertEquals("fires_check", e.anchor().orElseThrow().function());
    assertFalse(e.anchor().orElseThrow().hasOffset(), "a function known by name only");
    Evidence stackOnly = extractor.of(withoutHeaderSite(null));
    assertEquals(stackOnly.anchor().map(Site::function), e.caller().map(Site::function),
        "the first frame of the stack that is evidence is the blamed function's caller");
  }

  @Test
  void withoutABlamedFunctionTheFirstEvidenceFrameIsTheSite() throws Exception {
    Report r = withoutHeaderSite(null);
    Evidence e = extractor.of(r);
    Frame first = r.stack(StackRole.ACCESS).orElseThrow().frames().stream()
        .filter(f -> f.reliable() && !PlumbingRules.isPlumbing(EvidenceExtractor.name(f.function()))).findFirst()
        .orElseThrow();
    assertEquals(EvidenceExtractor.name(first.function()), e.anchor().orElseThrow().function());
    assertTrue(e.anchor().orElseThrow().hasOffset());
    // a title blaming a frame the stack shows changes nothing
    assertEquals(e, extractor.of(withoutHeaderSite(first.function())));
  }
}
