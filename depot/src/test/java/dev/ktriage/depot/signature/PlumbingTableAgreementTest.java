package dev.ktriage.depot.signature;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.stack.NormalizationRules;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.depot.stack.StackNormalizer;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.grammar.title.FrameSkipRules;
import dev.ktriage.grammar.title.SkipRule;
import dev.ktriage.grammar.title.Titler;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The three uses of the plumbing table agree: for every function name printed in the testdata logs,
 * titles ({@link Titler}), stored stacks ({@link StackNormalizer}) and cluster evidence
 * ({@link FrameClassifier}) do what the table's rule for it says, and they differ from one another only
 * in the ways its actions document.
 */
class PlumbingTableAgreementTest {
  private static final Path LOGS = Path.of(System.getProperty("ktriage.root", "..")).resolve("testdata/logs");

  private static TreeSet<String> namesInTestdata() throws IOException {
    TreeSet<String> names = new TreeSet<>();
    KernelLogParser parser = new KernelLogParser();
    try (Stream<Path> files = Files.walk(LOGS)) {
      for (Path p : files.filter(f -> f.toString().endsWith(".log")).toList()) {
        String text = new String(Files.readAllBytes(p), StandardCharsets.UTF_8);
        for (Report r : parser.parse(text, p.toString())) {
          for (Stack s : r.stacks()) {
            for (Frame f : s.frames()) {
              names.add(NormalizationRules.canonicalSyscall(NormalizationRules.stripSuffixes(f.function())));
            }
          }
        }
      }
    }
    return names;
  }

  private static Frame frame(String function) {
    return new Frame(function, OptionalLong.of(1), OptionalLong.of(2), Optional.empty(), Optional.empty(), true,
        OptionalLong.empty(), FrameContext.TASK, Optional.empty(), List.of(), 1);
  }

  @Test
  void titlesStacksAndEvidenceFollowTheOneTable() throws IOException {
    TreeSet<String> names = namesInTestdata();
    assertTrue(names.size() > 300, "testdata frames found: " + names.size());
    StackNormalizer normalizer = new StackNormalizer();
    FrameClassifier classifier = new FrameClassifier();
    List<String> disagree = new ArrayList<>();
    int titleOnly = 0;
    for (String n : names) {
      Optional<SkipRule> stack = FrameSkipRules.stackRule(n);
      List<NormalizedFrame> kept = normalizer.normalize(List.of(frame(n), frame("caller_of_it")));
      boolean dropped = kept.stream().noneMatch(f -> f.function().equals(n));
      boolean cut = kept.size() == 1 && !dropped;
      boolean titleSkips = Titler.skipped(n, List.of());
      boolean plumbing = classifier.isPlumbing(n);
      // each use does what the table says
      if (dropped != (stack.isPresent() && stack.get().action().stack() == SkipRule.StackUse.DROP)
          || cut != (stack.isPresent() && stack.get().action().stack() == SkipRule.StackUse.CUT_AFTER)
          || titleSkips != FrameSkipRules.titleSkips(n, List.of())
          || plumbing != FrameSkipRules.isPlumbing(n)) {
        disagree.add(n + ": a use bypasses the table");
      }
      // and they differ only as the actions document
      if ((dropped || cut) && !plumbing) {
        disagree.add(n + ": stacks drop or cut it but evidence counts it");
      }
      if (dropped && !titleSkips && stack.get().action() != SkipRule.Action.DROP_KEEP_TITLE) {
        disagree.add(n + ": stacks drop it, titles keep it, and no rule says why");
      }
      if (titleSkips && !plumbing) {
        titleOnly++;
        boolean documented = FrameSkipRules.COMMON.stream()
            .anyMatch(r -> r.action() == SkipRule.Action.TITLE_ONLY && r.matchesFunction(n));
        if (!documented) {
          disagree.add(n + ": titles skip it, evidence counts it, and no title-only rule says why");
        }
      }
      if (plumbing && !titleSkips) {
        boolean documented = FrameSkipRules.COMMON.stream().anyMatch(r -> r.matchesFunction(n)
            && !r.action().titleSkips() && !r.action().evidence());
        if (!documented) {
          disagree.add(n + ": evidence skips it, titles keep it, and no rule says why");
        }
      }
    }
    assertEquals(List.of(), disagree);
    assertTrue(titleOnly > 0, "some names are title-only (syzkaller's broad patterns)");
  }

  @Test
  void theFaultingFunctionOfCodeUnderTestIsEvidence() {
    // syzkaller's title skips these names (they contain an allocator's or sanitizer's name), so the title
    // names a caller; the cluster evidence must still see the function that executed the bad access.
    for (String n : List.of("kmalloc_array_overflow_helper", "kasan_unit_helper", "krealloc_shrink_helper",
        "kmem_cache_ctor_under_test", "vmalloc_area_walker_test")) {
      assertTrue(Titler.skipped(n, List.of()), n + " is skipped by syzkaller-compatible titles");
      assertFalse(new FrameClassifier().isPlumbing(n), n + " is evidence");
    }
  }
}
