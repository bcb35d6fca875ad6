package dev.ktriage.grammar.log;

import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What the console prefix of one log line said, for example {@code <3>[  12.345678][ T1234] }.
 *
 * @param level the syslog level from {@code <3>} or {@code dmesg -x}'s {@code kern  :err   : }
 * @param uptime seconds since boot from {@code [  12.345678]}
 * @param callerId the printk caller id ({@code T1234} for a task, {@code C1} for a cpu), spaces removed
 * @param wallClock a wall-clock stamp: {@code dmesg -T}'s {@code Sat Nov 21 10:00:00 2026}, or the
 *     syslog/journald date
 * @param syslogTag the syslog/journald identifier ({@code kernel}, {@code systemd[1]}), when the line
 *     came through syslog or journald
 * @param present whether the line had any console prefix at all
 */
public record ConsolePrefix(
    OptionalInt level,
    OptionalDouble uptime,
    Optional<String> callerId,
    Optional<String> wallClock,
    Optional<String> syslogTag,
    boolean present) {

  private static final ConsolePrefix NONE = new ConsolePrefix(OptionalInt.empty(), OptionalDouble.empty(),
      Optional.empty(), Optional.empty(), Optional.empty(), false);

  /** A line without any prefix (a pasted report, executor output in a syzkaller log). */
  public static ConsolePrefix none() {
    return NONE;
  }

  /**
   * The printk context the line belongs to, used to keep the lines of concurrent tasks and cpus
   * apart: the caller id when printed ({@code CONFIG_PRINTK_CALLER}); otherwise {@code console} for
   * kernel lines with a prefix, {@code syslog:<tag>} for other programs' syslog lines, and the empty
   * string for lines without any prefix.
   */
  public String context() {
    if (callerId.isPresent()) {
      return callerId.get();
    }
    if (syslogTag.isPresent() && !syslogTag.get().equals("kernel")) {
      return "syslog:" + syslogTag.get();
    }
    return present ? "console" : "";
  }
}
