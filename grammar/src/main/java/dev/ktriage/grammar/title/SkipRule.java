package dev.ktriage.grammar.title;

import java.util.Objects;

/**
 * One entry of a skip table: which function names it matches and why they are never the guilty
 * frame. Names are compared without their leading underscores ({@code __kmalloc} and
 * {@code kmalloc} are one family) and without compiler suffixes ({@code .isra.0}, {@code .cold}).
 *
 * @param match how {@code pattern} is compared with the name
 * @param pattern the text to compare
 * @param reason why such frames are plumbing, not the bug
 */
public record SkipRule(Match match, String pattern, String reason) {

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

  public SkipRule {
    Objects.requireNonNull(match);
    Objects.requireNonNull(pattern);
    Objects.requireNonNull(reason);
  }

  /** Whether the rule matches {@code function} (as printed, suffixes allowed). */
  public boolean matchesFunction(String function) {
    return matches(function, core(function));
  }

  /** Like {@link #matchesFunction} with the function's {@link #core} already computed. */
  boolean matches(String function, String core) {
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
