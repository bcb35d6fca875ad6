package dev.ktriage.grammar.title;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Keeps the plumbing table honest: no duplicates, no rule that another of the same action already
 * covers, every rule explained, and the stack and evidence families never change a title.
 */
class FrameSkipRulesTest {

  private static List<SkipRule> all() {
    List<SkipRule> rules = new ArrayList<>(FrameSkipRules.COMMON);
    rules.addAll(FrameSkipRules.KASAN_ACCESS);
    rules.addAll(FrameSkipRules.KASAN_FREE);
    return rules;
  }

  @Test
  void everyRuleHasAPatternAndAReason() {
    for (SkipRule r : all()) {
      assertFalse(r.pattern().isBlank(), r.toString());
      assertFalse(r.reason().isBlank(), r.toString());
      // Rules see names without leading underscores, so an anchored-at-start pattern beginning with
      // one never matches.
      if (r.match() == SkipRule.Match.EXACT || r.match() == SkipRule.Match.PREFIX) {
        assertFalse(r.pattern().startsWith("_"), "pattern can never match: " + r);
      }
    }
  }

  @Test
  void noRuleIsListedTwice() {
    Set<String> seen = new HashSet<>();
    List<String> dups = new ArrayList<>();
    for (SkipRule r : FrameSkipRules.COMMON) {
      if (!seen.add(r.match() + " " + r.pattern())) {
        dups.add(r.pattern());
      }
    }
    assertEquals(List.of(), dups);
  }

  @Test
  void noCommonRuleIsCoveredByAnother() {
    List<String> redundant = new ArrayList<>();
    List<SkipRule> rules = FrameSkipRules.COMMON;
    for (SkipRule r : rules) {
      for (SkipRule other : rules) {
        if (other != r && other.action() == r.action() && covers(other, r)) {
          redundant.add(r.match() + " " + r.pattern() + " (covered by " + other.match() + " " + other.pattern() + ")");
        }
      }
    }
    assertEquals(List.of(), redundant);
  }

  @Test
  void extraRulesDoNotRepeatCommonOnes() {
    for (List<SkipRule> extra : List.of(FrameSkipRules.KASAN_ACCESS, FrameSkipRules.KASAN_FREE)) {
      for (SkipRule r : extra) {
        for (SkipRule c : FrameSkipRules.COMMON) {
          assertFalse(covers(c, r), r + " is already covered by " + c);
        }
      }
    }
  }

  @Test
  void stackAndEvidenceFamiliesLeaveTitlesAsSyzkallerMakesThem() {
    // A rule beyond syzkaller's title list may skip titles only where a title rule already does, and it
    // says so with its action: a title-keeping action on a name titles skip anyway would misstate it.
    List<String> wrong = new ArrayList<>();
    for (SkipRule r : FrameSkipRules.STACK_AND_EVIDENCE_FAMILIES) {
      boolean covered = FrameSkipRules.TITLE_FAMILIES.stream()
          .anyMatch(t -> t.action().titleSkips() && covers(t, r));
      if (r.action().titleSkips() != covered) {
        wrong.add(r.match() + " " + r.pattern() + " " + r.action() + (covered ? ": titles skip it" : ": titles keep it"));
      }
    }
    assertEquals(List.of(), wrong);
  }

  @Test
  void broadTitlePatternsDoNotHideCodeUnderTestFromEvidence() {
    // syzkaller's substrings hide functions that merely contain an allocator's or sanitizer's name;
    // titles keep doing so, evidence sees them.
    for (String f : List.of("kmalloc_array_test_helper", "kasan_test_helper", "krealloc_shrink_helper",
        "kmem_cache_test_ctor", "parse_strings", "rb_reserve_next_event")) {
      assertTrue(FrameSkipRules.titleSkips(f, List.of()) || f.startsWith("rb_"), f);
      assertFalse(FrameSkipRules.isPlumbing(f), f);
    }
    for (String f : List.of("__kmalloc", "kmalloc_trace", "kfree_sensitive", "__kasan_kmalloc", "kasan_check_range",
        "strchr", "memcpy_erms", "_raw_spin_lock_irqsave", "__list_add_valid", "rb_erase", "__kmem_cache_free",
        "__kmalloc_node_track_caller", "kmalloc_noprof")) {
      assertTrue(FrameSkipRules.isPlumbing(f), f);
    }
  }

  @Test
  void stackRulesDropTheRuntimeAndCutAtInterruptEntry() {
    assertEquals(SkipRule.StackUse.DROP, FrameSkipRules.stackRule("kasan_save_stack").orElseThrow().action().stack());
    assertEquals(SkipRule.StackUse.DROP, FrameSkipRules.stackRule("entry_SYSCALL_64_after_hwframe").orElseThrow()
        .action().stack());
    assertEquals(SkipRule.StackUse.CUT_AFTER, FrameSkipRules.stackRule("__do_softirq").orElseThrow().action().stack());
    assertTrue(FrameSkipRules.stackRule("kfree").isEmpty(), "allocator frames stay in stored stacks");
    assertFalse(FrameSkipRules.titleSkips("do_syscall_64", List.of()), "syzkaller keeps entry glue in titles");
  }

  // Whether every name that b matches is also matched by a.
  private static boolean covers(SkipRule a, SkipRule b) {
    String p = b.pattern();
    return switch (b.match()) {
      case EXACT -> a.matches(p);
      case PREFIX -> a.match() == SkipRule.Match.PREFIX && p.startsWith(a.pattern())
          || a.match() == SkipRule.Match.CONTAINS && p.contains(a.pattern());
      case SUFFIX -> a.match() == SkipRule.Match.SUFFIX && p.endsWith(a.pattern())
          || a.match() == SkipRule.Match.CONTAINS && p.contains(a.pattern());
      case CONTAINS -> a.match() == SkipRule.Match.CONTAINS && p.contains(a.pattern());
      case RAW_PREFIX -> a.match() == SkipRule.Match.RAW_PREFIX && p.startsWith(a.pattern());
    };
  }

  @Test
  void rulesMatchNamesWithoutUnderscoresAndSuffixes() {
    assertEquals("kmalloc", SkipRule.core("__kmalloc"));
    assertEquals("slab_free", SkipRule.core("___slab_free.isra.0"));
    assertEquals("do_con_write", SkipRule.core("do_con_write.part.0"));
    assertTrue(Titler.skipped("__asan_report_load8_noabort", List.of()));
    assertTrue(Titler.skipped("_raw_spin_lock_irqsave", List.of()));
    assertTrue(Titler.skipped("kmem_cache_free.cold", List.of()));
    // Anchored: words that only contain a skipped family's name are bug sites.
    assertFalse(Titler.skipped("skb_panic", List.of()), "panic is exact, not a substring");
    assertFalse(Titler.skipped("atomic_open", List.of()), "VFS atomic_open is not an atomic op");
    assertFalse(Titler.skipped("input_user_event", List.of()), "put_user is a prefix rule");
    assertFalse(Titler.skipped("ext4_xattr_set_entry", List.of()));
    // __wake_up_common is wait-queue plumbing; wake_up_process is a call a bug site makes.
    assertTrue(Titler.skipped("__wake_up_common_lock", List.of()));
    assertFalse(Titler.skipped("wake_up_process", List.of()));
  }

  @Test
  void extraListsOnlyApplyWhereGiven() {
    assertFalse(Titler.skipped("kfree_sensitive", List.of()), "kfree_sensitive is plumbing only for free bugs");
    assertTrue(Titler.skipped("kfree_sensitive", FrameSkipRules.KASAN_FREE));
    assertFalse(Titler.skipped("el1_abort_handler", List.of()));
    assertTrue(Titler.skipped("el1_abort_handler", FrameSkipRules.KASAN_ACCESS));
  }
}
