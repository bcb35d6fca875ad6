package dev.ktriage.grammar.scan;

import java.util.Set;

/**
 * The marks people type where they cut a report they post: {@code ...}, {@code [...]},
 * {@code <snip>}. The lexer's ELLIPSIS token knows the same marks (ElisionsTest checks they agree).
 */
public final class Elisions {
  private Elisions() {} // no instance

  /** The marks, beside any run of three or more dots. */
  static final Set<String> MARKS = Set.of("[...]", "<...>", "<snip>", "[snip]", "\u2026");

  /** Whether {@code body} is nothing but an elision mark. */
  public static boolean isMarker(String body) {
    String t = body.strip();
    if (t.length() >= 3 && t.chars().allMatch(c -> c == '.')) {
      return true;
    }
    return MARKS.contains(t);
  }
}
