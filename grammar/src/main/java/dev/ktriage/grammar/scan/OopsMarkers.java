package dev.ktriage.grammar.scan;

import java.util.List;

/**
 * Lines that start another oops. When one of them shows up in the middle of a KASAN or KCSAN report
 * (in the same printk context), the report is over: what follows belongs to the other oops.
 *
 * <p>The markers are matched anywhere in the line body, like syzkaller does, because printk lines
 * of two CPUs can be glued together; {@code BUG: } and {@code WARNING: } must not follow a letter
 * ({@code ODEBUG: }, {@code XFS_WARNING: }).
 */
final class OopsMarkers {
  private OopsMarkers() {} // no instance

  private record Marker(String text, String why) {}

  private static final List<Marker> MARKERS = List.of(
      new Marker("BUG: ", "every BUG: header (page faults, lockups, bad page state, ...)"),
      new Marker("WARNING: ", "WARN() and lockdep reports"),
      new Marker("------------[ cut here ]------------", "printed just before a WARNING or kernel BUG"),
      new Marker("general protection fault", "x86 GPF, often right after a KASAN wild-memory-access header"),
      new Marker("Unable to handle kernel", "arm/arm64/riscv page fault"),
      new Marker("Internal error:", "arm/arm64 die()"),
      new Marker("kernel BUG at", "BUG_ON()"),
      new Marker("Kernel panic - not syncing", "panic(); panic_on_warn follows a complete report"),
      new Marker("divide error:", "x86 #DE"),
      new Marker("invalid opcode:", "x86 #UD (BUG() on older kernels)"),
      new Marker("stack segment:", "x86 #SS"),
      new Marker("PANIC: double fault", "x86 #DF"),
      new Marker("UBSAN: ", "UBSAN reports"),
      new Marker("INFO: task ", "hung task detector"),
      new Marker("INFO: rcu_", "RCU stall detector"),
      new Marker("Unhandled fault:", "arm unhandled fault"));

  /** Whether {@code body} starts another oops. KASAN and KCSAN banners are checked separately. */
  static boolean startsOops(String body) {
    for (Marker m : MARKERS) {
      int i = body.indexOf(m.text());
      while (i >= 0) {
        if (i == 0 || !Character.isLetterOrDigit(body.charAt(i - 1)) && body.charAt(i - 1) != '_') {
          return true;
        }
        i = body.indexOf(m.text(), i + 1);
      }
    }
    return false;
  }
}
