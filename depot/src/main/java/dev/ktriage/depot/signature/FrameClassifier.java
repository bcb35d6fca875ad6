package dev.ktriage.depot.signature;

import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.grammar.title.FrameSkipRules;
import dev.ktriage.grammar.title.SkipRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Applies {@link PlumbingRules} to frame keys, remembering each answer: the rules are regular
 * expressions and the same few thousand functions recur in every report, so the memo turns the
 * dominant cost of signing and scoring into a map lookup. Thread-safe; the memo is dropped when it
 * grows past {@link #MAX_MEMO} keys, so memory stays bounded on a store of millions of reports.
 */
public final class FrameClassifier {
  static final int MAX_MEMO = 1 << 18;

  private final ConcurrentHashMap<String, Boolean> memo = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Boolean> cuts = new ConcurrentHashMap<>();

  /** Whether a frame key's function is plumbing. */
  public boolean isPlumbing(String frameKey) {
    Boolean b = memo.get(frameKey);
    if (b == null) {
      b = PlumbingRules.isPlumbing(NormalizedFrame.functionOf(frameKey));
      if (memo.size() >= MAX_MEMO) {
        memo.clear();
      }
      memo.put(frameKey, b);
    }
    return b;
  }

  /**
   * Whether a stored stack ends after this function (interrupt entry: what it interrupted is not the
   * bug's code), by the plumbing table's stack rule; remembered like {@link #isPlumbing}, as the table
   * is scanned rule by rule and the same allocator and entry frames recur in every report.
   */
  public boolean cutsStack(String function) {
    Boolean b = cuts.get(function);
    if (b == null) {
      Optional<SkipRule> rule = FrameSkipRules.stackRule(function);
      b = rule.isPresent() && rule.get().action().stack() == SkipRule.StackUse.CUT_AFTER;
      if (cuts.size() >= MAX_MEMO) {
        cuts.clear();
      }
      cuts.put(function, b);
    }
    return b;
  }

  /** The first {@code n} meaningful frames, or the first {@code n} frames if none is meaningful. */
  public List<String> keyFrames(List<String> frames, int n) {
    List<String> out = new ArrayList<>(n);
    for (String f : frames) {
      if (!isPlumbing(f)) {
        out.add(f);
        if (out.size() == n) {
          break;
        }
      }
    }
    if (out.isEmpty()) {
      return frames.subList(0, Math.min(n, frames.size()));
    }
    return out;
  }

  /** The meaningful frames of a stack in order, or the whole stack if none is meaningful. */
  public List<String> meaningful(List<String> frames) {
    List<String> out = new ArrayList<>(frames.size());
    for (String f : frames) {
      if (!isPlumbing(f)) {
        out.add(f);
      }
    }
    return out.isEmpty() ? frames : out;
  }
}
