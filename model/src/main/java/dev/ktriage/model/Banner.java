package dev.ktriage.model;

/**
 * The banner a report's header starts with: which facility printed it, and in which of its
 * spellings. It is what the grammar matched, so titles and report families are chosen from it and
 * never by reading the header text again. Stable identifiers: they appear in JSON as
 * lowercase-with-dashes.
 *
 * <p>The sanitizer banners name their tool. The generic headers ({@link #BUG}, {@link #WARNING},
 * {@link #INFO}, syzkaller's oops headers) start reports of several facilities: the grammar tells
 * which from the rest of the header, and the report's {@link Report#tool()} says so; {@link #tool()}
 * is then only the fallback.
 */
public enum Banner {
  /** {@code BUG: KASAN: }, mm/kasan/report.c since 4.4. */
  KASAN("BUG: KASAN: ", Tool.KASAN),
  /** {@code BUG: KASan: }, Linux 4.0-4.3; its bug kinds are words ({@code use after free}). */
  KASAN_4_0("BUG: KASan: ", Tool.KASAN),
  /** {@code BUG: AddressSanitizer: }, the 2015 patches for 3.x; bug kinds in words, {@code on address}. */
  ADDRESS_SANITIZER("BUG: AddressSanitizer: ", Tool.KASAN),
  /** {@code BUG: KCSAN: }, kernel/kcsan/report.c. */
  KCSAN("BUG: KCSAN: ", Tool.KCSAN),
  /** {@code BUG: KMSAN: }, mm/kmsan/report.c kmsan_report() (uninit-value, kernel-infoleak, kernel-usb-infoleak). */
  KMSAN("BUG: KMSAN: ", Tool.KMSAN),
  /** {@code BUG: KFENCE: }, mm/kfence/report.c kfence_report_error(). */
  KFENCE("BUG: KFENCE: ", Tool.KFENCE),
  /**
   * {@code UBSAN: }, lib/ubsan.c ubsan_prologue(): {@code UBSAN: array-index-out-of-bounds in
   * file.c:12:3}; before 5.11 {@code UBSAN: Undefined behaviour in file.c:12:3}.
   */
  UBSAN("UBSAN: ", Tool.UBSAN),
  /**
   * {@code BUG:}: any other {@code BUG:} line (spinlock and sched checks, soft lockups, lockdep's old
   * {@code [ BUG: ... ]} headers, a bare {@code BUG:}). What printed it is decided by the grammar from
   * the rest of the line; the tool here is the fallback.
   */
  BUG("BUG:", Tool.KERNEL),
  /** {@code WARNING:}: {@code __warn()}'s line, lockdep's reports, the unwinder's complaints. */
  WARNING("WARNING:", Tool.WARNING),
  /** {@code INFO:}: hung tasks, RCU stalls, lockdep's old {@code [ INFO: ... ]} headers. */
  INFO("INFO:", Tool.KERNEL),
  // h-oops-a: headers of reports that are no BUG:, WARNING: or INFO: line.
  /**
   * {@code Kernel panic - not syncing: }, kernel/panic.c panic(). After another oops of its context it
   * only continues that report (panic_on_oops, panic_on_warn, {@code Fatal exception}).
   */
  PANIC("Kernel panic - not syncing: ", Tool.KERNEL);

  private final String text;
  private final Tool tool;

  Banner(String text, Tool tool) {
    this.text = text;
    this.tool = tool;
  }

  /** The banner as printed, with its trailing space. */
  public String text() {
    return text;
  }

  /** The facility that prints it. */
  public Tool tool() {
    return tool;
  }

  /** The JSON spelling: {@code kasan-4-0}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
