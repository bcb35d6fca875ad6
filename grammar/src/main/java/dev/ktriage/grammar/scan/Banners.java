package dev.ktriage.grammar.scan;

import dev.ktriage.model.Banner;
import java.util.Optional;

/**
 * Where a line holds a report banner ({@link Banner}: {@code BUG: KASAN: }, {@code BUG: KCSAN: },
 * {@code WARNING:}, ...). The banners are the model's vocabulary: the byte scanner ({@link BlockSummary}),
 * this class and the lexer's banner tokens all spell them from {@link Banner#text()} (the lexer's
 * literals are checked against it by BannerVocabularyTest). Which lines hold one, and which lines that
 * contain a banner's text are no report, is {@link OopsHeaders}' table.
 */
final class Banners {
  private Banners() {} // no instance

  /** A banner found in a line, and the index its text starts at. */
  record Found(Banner banner, int index) {}

  static Optional<Found> find(String body) {
    return OopsHeaders.find(body).map(f -> new Found(f.banner(), f.index()));
  }

  /**
   * Whether the banner is a sanitizer's, which opens and closes its report with a rule of {@code =}
   * (KMSAN's is 53 long, UBSAN's 80 before 6.5; UBSAN since 6.5 prints the cut-here block and
   * {@code ---[ end trace ]---} instead, and its report then ends like a sanitizer's without a rule).
   */
  static boolean sanitizer(Banner b) {
    return switch (b) {
      case KASAN, KASAN_4_0, ADDRESS_SANITIZER, KCSAN, KMSAN, KFENCE, UBSAN -> true;
      case BUG, WARNING, INFO, PANIC, NETDEV_WAIT, VFS_BUSY_INODES, VFS_FILE_COUNT, SYZFAIL, SYZFATAL, GO_FATAL, TRUSTY_PANIC,
          RUST_PANIC, REBOOT -> false;
      // faults and traps (h-oops-c): die() and the fault handlers print no rule; their oops ends at the
      // end-trace line or the next oops
      case GENERAL_PROTECTION, STACK_SEGMENT, UNABLE_TO_HANDLE, KERNEL_BUG, KERNEL_BUG_CAPITAL, SLAB_KMALLOC,
          DIVIDE_ERROR, DIVIDE_ERROR_OLD, INVALID_OPCODE, INT3, DOUBLE_FAULT, INTERNAL_ERROR, UNHANDLED_FAULT,
          ALIGNMENT_TRAP -> false;
    };
  }
}
