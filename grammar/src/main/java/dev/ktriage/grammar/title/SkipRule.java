package dev.ktriage.grammar.title;

import java.util.Objects;

/**
 * One entry of the plumbing table ({@link FrameSkipRules}): which function names it matches, what
 * each use of the table does with such a frame, and why. Names are compared without their leading
 * underscores ({@code __kmalloc} and {@code kmalloc} are one family) and without compiler suffixes
 * ({@code .isra.0}, {@code .cold}).
 *
 * @param match how {@code pattern} is compared with the name
 * @param pattern the text to compare
 * @param action what titles, stack normalization and cluster evidence do with a matching frame
 * @param reason why such frames are plumbing, not the bug
 */
public record SkipRule(Match match, String pattern, Action action, String reason) {

  /** How a rule compares. There is deliberately no unanchored regex. */
  public enum Match {
    /** The whole name. */
    EXACT,
    /** The start of the name. */
    PREFIX,
    /** The end of the name. */
    SUFFIX,
    /** Anywhere in the name; only for words no real bug site contains ({@code kasan}). */
    CONTAINS,
    /**
     * The start of the name with its leading underscores: for families whose double-underscore
     * internals are plumbing while the plain name is not ({@code __wake_up_common} but not
     * {@code wake_up_process}).
     */
    RAW_PREFIX
  }

  /** What a stored stack does with a matching frame. */
  public enum StackUse {
    /** The frame stays. */
    KEEP,
    /** The frame goes; the frames around it stay. */
    DROP,
    /**
     * The frame stays and every frame after it (its callers) is cut off: what the kernel's
     * {@code filter_irq_stacks()} does at the first frame in {@code .irqentry.text}/{@code .softirqentry.text}.
     */
    CUT_AFTER
  }

  /**
   * What the three uses of the table do with a matching frame: the syzkaller-compatible title's
   * guilty frame skips it or not; the stored (normalized) stack keeps, drops or cuts after it; and
   * cluster evidence (fault site, allocation and free sites, stack similarity) counts it or treats it
   * as plumbing. Only these combinations exist, so the uses cannot disagree in any other way.
   */
  public enum Action {
    /** Sanitizer runtime, report printing, stack walking: the same in every report. */
    DROP(true, StackUse.DROP, false),
    /**
     * Stacks drop it and evidence never counts it, but syzkaller's titles do not skip it, so ours do
     * not either: arch entry glue, and sanitizer or printing helpers missing from syzkaller's list (a
     * title reaches them only when every frame before them was skipped).
     */
    DROP_KEEP_TITLE(false, StackUse.DROP, false),
    /** Interrupt entry: what was interrupted is unrelated to the bug. Titles keep it, as syzkaller does. */
    CUT_AFTER(false, StackUse.CUT_AFTER, false),
    /** Generic helpers a bad pointer passes through (allocator, locks, string helpers): the caller is the bug. */
    PLUMBING(true, StackUse.KEEP, false),
    /** Generic helpers syzkaller's titles do not skip (titles stay syzbot's); evidence still looks past them. */
    PLUMBING_KEEP_TITLE(false, StackUse.KEEP, false),
    /**
     * Title-only: syzkaller's broad patterns (substrings such as {@code malloc}) that also hide code under
     * test ({@code kmalloc_oob_right}). Titles skip it to stay syzbot-compatible; evidence keeps it,
     * and the family's real plumbing is listed by exact names or anchored prefixes with another action.
     */
    TITLE_ONLY(true, StackUse.KEEP, true);

    private final boolean titleSkips;
    private final StackUse stack;
    private final boolean evidence;

    Action(boolean titleSkips, StackUse stack, boolean evidence) {
      this.titleSkips = titleSkips;
      this.stack = stack;
      this.evidence = evidence;
    }

    /** Whether the title's guilty frame skips a matching frame. */
    public boolean titleSkips() {
      return titleSkips;
    }

    /** What the stored stack does with a matching frame. */
    public StackUse stack() {
      return stack;
    }

    /** Whether a matching frame counts as evidence of which bug it is (false: plumbing). */
    public boolean evidence() {
      return evidence;
    }
  }

  public SkipRule {
    Objects.requireNonNull(match);
    Objects.requireNonNull(pattern);
    Objects.requireNonNull(action);
    Objects.requireNonNull(reason);
  }

  /** Whether the rule matches {@code function} (as printed, suffixes allowed). */
  public boolean matchesFunction(String function) {
    return matches(function, core(function));
  }

  /** Like {@link #matchesFunction} with the function's {@link #core} already computed. */
  public boolean matches(String function, String core) {
    return match == Match.RAW_PREFIX ? function.startsWith(pattern) : matches(core);
  }

  /** Whether the rule matches {@code core}, a name already stripped of underscores and suffixes. */
  public boolean matches(String core) {
    return switch (match) {
      case EXACT -> core.equals(pattern);
      case PREFIX -> core.startsWith(pattern);
      case SUFFIX -> core.endsWith(pattern);
      case CONTAINS -> core.contains(pattern);
      case RAW_PREFIX -> false; // needs the underscores: see matchesFunction
    };
  }

  /** The part of a function name that rules look at: no leading underscores, no {@code .suffix}. */
  public static String core(String function) {
    int i = 0;
    while (i < function.length() && function.charAt(i) == '_') {
      i++;
    }
    int dot = function.indexOf('.', i);
    return function.substring(i, dot < 0 ? function.length() : dot);
  }
}
