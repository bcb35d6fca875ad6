package dev.ktriage.grammar.scan;

import dev.ktriage.model.Banner;
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

  /** Every banner starts with this; the byte scanner looks for its first two bytes. */
  static final String COMMON_START = "BUG: ";

  static Optional<Found> find(String body) {
    int i = body.indexOf(COMMON_START);
    while (i >= 0) {
      for (Banner b : Banner.values()) {
        if (body.startsWith(b.text(), i)) {
          return Optional.of(new Found(b, i));
        }
      }
      i = body.indexOf(COMMON_START, i + 1);
    }
    return Optional.empty();
  }
}
