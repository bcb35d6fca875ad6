package dev.ktriage.depot.signature;

import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KcsanKind;
import dev.ktriage.model.Report;
import dev.ktriage.model.Tool;
import java.util.Locale;
import java.util.regex.Pattern;

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
 *   <li>every other tool (warnings, lockdep, the kernel's own {@code BUG:} checks, hangs, stalls) → its
 *       bug type in lower case with numbers and addresses blanked out ({@code possible circular locking
 *       dependency}, {@code scheduling while atomic}): the check that fired is what tells those bugs
 *       apart, the numbers in it (a CPU, a pid, an address) are the occurrence's.
 * </ul>
 */
public final class BugClass {
  private BugClass() {} // no instance

  /** The class of a report. */
  public static String of(Report r) {
    if (r.tool() == Tool.KCSAN && r.details() instanceof KcsanDetails k) {
      return k.kind() == KcsanKind.ASSERT ? "assert" : "data-race";
    }
    return of(r.tool(), r.bugType());
  }

  /** The class of a report of a tool and bug type (a stored report, whose details are not at hand). */
  public static String of(Tool tool, String bugType) {
    if (tool == Tool.KCSAN) {
      return bugType.startsWith("assert") ? "assert" : "data-race";
    }
    if (tool == Tool.KASAN) {
      return ofKasan(bugType);
    }
    return ofCheck(bugType);
  }

  private static final Pattern NUMBER = Pattern.compile("\\b(0x)?[0-9a-f]{8,}\\b|\\d+");
  private static final Pattern SPACE = Pattern.compile("[\\s/]+");

  /** The class of a report of any other tool: its check, without the numbers of one occurrence. */
  public static String ofCheck(String bugType) {
    String t = NUMBER.matcher(bugType.toLowerCase(Locale.ROOT).strip()).replaceAll("#");
    t = SPACE.matcher(t).replaceAll("-");
    return t.isEmpty() ? "other" : t;
  }

  /** The class of a KASAN bug type. */
  public static String ofKasan(String bugType) {
    String t = bugType.toLowerCase(Locale.ROOT);
    return t.contains("double-free") || t.contains("invalid-free") ? "invalid-free" : "bad-access";
  }
}
