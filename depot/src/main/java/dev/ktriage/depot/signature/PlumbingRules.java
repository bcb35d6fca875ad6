package dev.ktriage.depot.signature;

import dev.ktriage.grammar.title.FrameSkipRules;
import dev.ktriage.grammar.title.SkipRule;
import java.util.Optional;

/**
 * Frames that are stored but are not evidence of which bug a report is: generic helpers that many
 * unrelated bugs pass through on their way to the bad access (the allocator, locks, string and list
 * helpers, the sanitizer runtime). The rules are the plumbing table's ({@link FrameSkipRules}): exact
 * names and documented families, never syzkaller's broad title substrings, so code under test named
 * like a helper ({@code kmalloc_*}, {@code kasan_*}) stays evidence.
 *
 * <p>Immutable and thread-safe.
 */
public final class PlumbingRules {
  private PlumbingRules() {} // no instance

  /** Whether a (normalized) function is plumbing. */
  public static boolean isPlumbing(String function) {
    return FrameSkipRules.isPlumbing(function);
  }

  /** The rule that makes a function plumbing, if any (for explanations). */
  public static Optional<SkipRule> rule(String function) {
    return FrameSkipRules.plumbingRule(function);
  }
}
