package dev.ktriage.depot.signature;

import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.Report;
import dev.ktriage.model.Tool;
import java.util.Locale;

/**
 * The coarse class of a report that is part of its exact key. Rules, with reasons:
 *
 * <ul>
 *   <li>KASAN {@code double-free}, {@code invalid-free}, {@code double-free or invalid-free} →
 *       {@code invalid-free}: a bad call to the allocator, reported from the free path (syzbot keeps
 *       {@code invalid-free in F} apart from {@code bad-access in F} too).
 *   <li>every other KASAN type → {@code bad-access}: whether KASAN says use-after-free,
 *       slab-out-of-bounds, null-ptr-deref or wild-memory-access depends on what the allocator did with
 *       the memory meanwhile (tag modes even guess it from a ring buffer), and Read vs Write on which
 *       line of the same function fired first; syzbot's {@code bad-access in F} alt title aliases them.
 *   <li>KCSAN {@code assert: race} → {@code assert}: an ASSERT_EXCLUSIVE_*() annotation fired, a
 *       developer-stated invariant, not an observed racing pair.
 *   <li>KCSAN data races, also "race at unknown origin" → {@code data-race}.
 * </ul>
 */
public final class BugClass {
  private BugClass() {} // no instance

  /** The class of a report. */
  public static String of(Report r) {
    if (r.tool() == Tool.KCSAN) {
      boolean assertion = r.details() instanceof KcsanDetails k ? k.kind() == KcsanKind.ASSERT
          : r.bugType().startsWith("assert");
      return assertion ? "assert" : "data-race";
    }
    return ofKasan(r.bugType());
  }

  /** The class of a KASAN bug type. */
  public static String ofKasan(String bugType) {
    String t = bugType.toLowerCase(Locale.ROOT);
    return t.contains("double-free") || t.contains("invalid-free") ? "invalid-free" : "bad-access";
  }
}
