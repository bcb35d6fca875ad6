package dev.ktriage.grammar.scan;

import dev.ktriage.model.Banner;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Where a line holds a report banner ({@link Banner}: {@code BUG: KASAN: }, {@code BUG: KCSAN: }, ...).
 * The banners are the model's vocabulary: the byte scanner ({@link BlockSummary}), this class and
 * the lexer's banner tokens all spell them from {@link Banner#text()} (the lexer's literals are checked
 * against it by BannerVocabularyTest).
 */
final class Banners {
  private Banners() {} // no instance

  /** A banner found in a line, and the index its text starts at. */
  record Found(Banner banner, int index) {}

  /** The first words banners start with ({@code BUG: KASAN: }, {@code UBSAN: }); a line holds none without one. */
  static final List<String> STARTS = Arrays.stream(Banner.values()).map(b -> b.text().substring(0, b.text().indexOf(' ') + 1))
      .distinct().toList();

  /** The leftmost banner in the line; at one place, the longest banner that starts there. */
  static Optional<Found> find(String body) {
    Found best = null;
    for (String start : STARTS) {
      int i = body.indexOf(start);
      while (i >= 0 && (best == null || i < best.index())) {
        Banner b = longestAt(body, i);
        if (b != null) {
          best = new Found(b, i);
          break;
        }
        i = body.indexOf(start, i + 1);
      }
    }
    return Optional.ofNullable(best);
  }

  private static Banner longestAt(String body, int i) {
    Banner best = null;
    for (Banner b : Banner.values()) {
      if (body.startsWith(b.text(), i) && (best == null || b.text().length() > best.text().length())) {
        best = b;
      }
    }
    return best;
  }
}
