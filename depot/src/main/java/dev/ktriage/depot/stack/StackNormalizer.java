package dev.ktriage.depot.stack;

import dev.ktriage.grammar.title.SkipRule;
import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.Stack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Turns a printed stack into the frames the depot stores, applying, in order:
 *
 * <ol>
 *   <li>unreliable frames ({@code ? foo+0x1/0x2}) are dropped: they are stale return addresses the
 *       x86 unwinder found on the stack, not callers;
 *   <li>frames printed in another execution context than the first frame (the task an interrupt
 *       arrived in, after {@code </IRQ>}) are cut off, like {@code filter_irq_stacks()};
 *   <li>inlined callees (from a symbolizer or {@code [inline]} lines) become frames of their own,
 *       innermost first, so symbolized reports align on the code that actually ran;
 *   <li>clone suffixes are stripped and syscall wrappers get one name;
 *   <li>the plumbing table ({@link NormalizationRules#match}) drops sanitizer, printing and entry frames
 *       and cuts at interrupt entry;
 *   <li>repeats of the same function next to each other collapse into one (what the syscall renaming and
 *       inline expansion produce: {@code __do_sys_x}, {@code __se_sys_x}, {@code __x64_sys_x});
 *   <li>at most {@link #MAX_FRAMES} frames are kept, the kernel's {@code CONFIG_STACKDEPOT_MAX_FRAMES}.
 * </ol>
 *
 * <p>Thread-safe. It memoizes what the rules say about each printed name (the rules are regular
 * expressions and names recur in every report); the memo is dropped past {@link #MAX_MEMO} names.
 */
public final class StackNormalizer {
  static final int MAX_MEMO = 1 << 18;

  /** What the rules say about one printed function name. */
  private record Verdict(String name, Optional<SkipRule> rule) {}

  private final java.util.concurrent.ConcurrentHashMap<String, Verdict> memo = new java.util.concurrent.ConcurrentHashMap<>();

  /** The kernel's default {@code CONFIG_STACKDEPOT_MAX_FRAMES}. */
  public static final int MAX_FRAMES = 64;

  /** Normalizes the frames of one stack. */
  public List<NormalizedFrame> normalize(Stack stack) {
    return normalize(stack.frames());
  }

  /** Normalizes a list of frames, outermost last. */
  public List<NormalizedFrame> normalize(List<Frame> frames) {
    List<NormalizedFrame> out = new ArrayList<>();
    FrameContext first = null;
    for (Frame f : frames) {
      if (!f.reliable()) {
        continue;
      }
      if (first == null) {
        first = f.context();
      } else if (isInterruptContext(first) && f.context() != first) {
        break; // the interrupted context below the interrupt entry
      }
      boolean cut = false;
      for (InlinedFrame in : f.inlined()) {
        Verdict v = verdict(in.function());
        cut = add(out, v, new NormalizedFrame(v.name(), f.module(), in.location(), OptionalLong.empty(), true));
        if (cut) {
          break;
        }
      }
      if (!cut) {
        Verdict v = verdict(f.function());
        cut = add(out, v, new NormalizedFrame(v.name(), f.module(), f.location(), f.offset(), false));
      }
      if (cut || out.size() >= MAX_FRAMES) {
        break;
      }
    }
    return out.size() > MAX_FRAMES ? List.copyOf(out.subList(0, MAX_FRAMES)) : List.copyOf(out);
  }

  private static boolean isInterruptContext(FrameContext c) {
    return c == FrameContext.IRQ || c == FrameContext.SOFTIRQ || c == FrameContext.NMI
        || c == FrameContext.EXCEPTION;
  }

  private Verdict verdict(String printed) {
    Verdict v = memo.get(printed);
    if (v == null) {
      String name = NormalizationRules.canonicalSyscall(NormalizationRules.stripSuffixes(printed.strip()));
      v = new Verdict(name, NormalizationRules.match(name));
      if (memo.size() >= MAX_MEMO) {
        memo.clear();
      }
      memo.put(printed, v);
    }
    return v;
  }

  /** Adds a frame unless a rule drops it; returns true when the stack must end after it. */
  private static boolean add(List<NormalizedFrame> out, Verdict v, NormalizedFrame f) {
    if (f.function().isEmpty()) {
      return false;
    }
    Optional<SkipRule> rule = v.rule();
    if (rule.isPresent() && rule.get().action().stack() == SkipRule.StackUse.DROP) {
      return false;
    }
    if (out.isEmpty() || !out.getLast().function().equals(f.function())) {
      out.add(f);
    }
    return rule.isPresent();
  }
}
