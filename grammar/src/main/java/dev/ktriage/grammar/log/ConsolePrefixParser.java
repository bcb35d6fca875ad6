package dev.ktriage.grammar.log;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Splits a sanitized log line into its console prefix and body.
 *
 * <p>Prefixes are recognized in the order they nest in real logs, each optional:
 * <pre>
 *   ** 5 printk messages dropped **          printk ring-buffer overflow notice (serial consoles)
 *   syzkaller login:                         getty noise glued to the next kernel line
 *   Nov 21 10:00:00 host kernel:             syslog / journalctl -k (also ISO 8601 dates)
 *   2026-11-21T10:00:00,123456+00:00         dmesg --time-format=iso (a comma before the fraction)
 *   kern  :err   :                           dmesg -x (facility and level, padded to six)
 *   &lt;3&gt;                                      syslog level as printk stores it (dmesg -r, /dev/kmsg)
 *   [Sat Nov 21 10:00:00 2026]               dmesg -T
 *   [  12.345678]                            CONFIG_PRINTK_TIME
 *   [ T1234] or [  C1]                       CONFIG_PRINTK_CALLER, right after the timestamp (the console),
 *                                            or after one space (util-linux dmesg: "[  12.3] [  T1234] "),
 *                                            or alone (CONFIG_PRINTK_TIME off: "[  T1234] ")
 *   [  12.345678] host kernel:               journalctl -o short-monotonic
 * </pre>
 * One space after a bracketed prefix ({@code [  12.345678] }) is part of the prefix; the rest of the line, including the
 * indentation of stack frames, is the body.
 *
 * <p>Stateless and thread-safe.
 */
public final class ConsolePrefixParser {

  private static final Set<String> MONTHS = Set.of(
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec");
  private static final Set<String> WEEKDAYS = Set.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
  // dmesg -x: the facility and level names of syslog(3), as util-linux prints them.
  private static final Set<String> FACILITIES = Set.of("kern", "user", "mail", "daemon", "auth",
      "syslog", "lpr", "news", "uucp", "cron", "authpriv", "ftp", "local0", "local1", "local2",
      "local3", "local4", "local5", "local6", "local7");
  private static final List<String> LEVELS = List.of("emerg", "alert", "crit", "err", "warn", "notice", "info", "debug");

  /** The parsed line: its prefix and where the body starts. */
  public record Split(ConsolePrefix prefix, String body) {}

  public Split split(String line) {
    Cursor c = new Cursor(line);
    OptionalInt level = OptionalInt.empty();
    OptionalDouble uptime = OptionalDouble.empty();
    Optional<String> caller = Optional.empty();
    Optional<String> wall = Optional.empty();
    Optional<String> tag = Optional.empty();
    boolean present = false;

    if (c.skipDroppedNotice()) {
      present = true;
    }
    c.skipLoginNoise();

    Optional<SyslogHead> syslog = c.syslogHead();
    if (syslog.isPresent()) {
      wall = Optional.of(syslog.get().date());
      tag = syslog.get().tag();
      present = true;
    }
    OptionalInt dmesgLevel = c.dmesgFacilityLevel();
    if (dmesgLevel.isPresent()) {
      level = dmesgLevel;
      present = true;
    }
    OptionalInt angle = c.syslogLevel();
    if (angle.isPresent()) {
      level = angle;
      present = true;
    }
    Optional<String> human = c.humanTime();
    if (human.isPresent()) {
      wall = human;
      present = true;
    }
    OptionalDouble t = c.uptime();
    boolean journalHead = false;
    if (t.isPresent()) {
      uptime = t;
      present = true;
      caller = c.callerId();
      if (caller.isEmpty() && c.journalKernelHead()) {
        tag = Optional.of("kernel");
        journalHead = true;
      }
    } else if (present) {
      caller = c.callerId();
    } else {
      // CONFIG_PRINTK_TIME=n, CONFIG_PRINTK_CALLER=y: info_print_prefix() prints the caller id alone.
      caller = c.bareCallerId();
      present = caller.isPresent();
    }
    // Only "[...]" prefixes are followed by a separating space. The syslog/journald head, dmesg -x's
    // "kern  :err   : " and the dropped-messages notice end with their own space, and "<3>" is glued
    // to the message (dmesg -r): a space after them is the message's, as in the shadow dump's
    // " ffff888012a4a000:" rows that the caret line lines up with
    // (testdata/logs/kasan/global-out-of-bounds-x86_64-module-buildid-syslog-levels.log).
    if ((t.isPresent() || human.isPresent() || caller.isPresent()) && !journalHead) {
      c.skipOneSpace();
    }
    return new Split(new ConsolePrefix(level, uptime, caller, wall, tag, present), line.substring(c.pos));
  }

  /** A syslog/journald date with its identifier, or dmesg's ISO date alone (no tag). */
  private record SyslogHead(String date, Optional<String> tag) {}

  /** A position in the line with the recognizers for each prefix; each one moves only on success. */
  private static final class Cursor {
    private final String s;
    private int pos;

    Cursor(String s) {
      this.s = s;
    }

    private boolean at(int i, char ch) {
      return i < s.length() && s.charAt(i) == ch;
    }

    private boolean isDigit(int i) {
      return i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9';
    }

    private int skipSpaces(int i) {
      while (i < s.length() && s.charAt(i) == ' ') {
        i++;
      }
      return i;
    }

    private int digitsEnd(int i) {
      while (isDigit(i)) {
        i++;
      }
      return i;
    }

    void skipOneSpace() {
      if (at(pos, ' ')) {
        pos++;
      }
    }

    // "** 12 printk messages dropped ** "
    boolean skipDroppedNotice() {
      if (!s.startsWith("** ", pos)) {
        return false;
      }
      int end = s.indexOf(" printk messages dropped ** ", pos);
      if (end < 0 || digitsEnd(pos + 3) != end) {
        return false;
      }
      pos = end + " printk messages dropped ** ".length();
      return true;
    }

    private static final String LOGIN = " login: ";
    // The prompt ends before this index ("syzkaller login: " and host names like it).
    private static final int LOGIN_BEFORE = 64;

    // "syzkaller login: [   12.3] ..." — a getty prompt with the kernel line glued after it.
    void skipLoginNoise() {
      if (pos >= LOGIN_BEFORE) {
        return;
      }
      // Only the head of the line is searched: every line comes here, and most are longer.
      int i = s.indexOf(LOGIN, pos, Math.min(s.length(), LOGIN_BEFORE + LOGIN.length()));
      if (i > 0 && i < LOGIN_BEFORE && at(i + 8, '[')) {
        pos = i + 8;
      }
    }

    // "Nov 21 10:00:00 host kernel: " or "2026-11-21T10:00:00.123+0000 host kernel: "
    Optional<SyslogHead> syslogHead() {
      // A log indented when pasted into a commit message or an issue ("    Sep 28 14:48:15 host
      // kernel: ..."), as "[  12.3]" lines are: the indentation goes with the prefix.
      int i = skipSpaces(pos);
      int dateEnd;
      // A capital and a space first: they rule out nearly every line ("[   12.3", "<3>[") before a
      // substring is made to look up.
      if (i + 15 <= s.length() && s.charAt(i) >= 'A' && s.charAt(i) <= 'Z' && at(i + 3, ' ')
          && MONTHS.contains(s.substring(i, i + 3))) {
        int d = skipSpaces(i + 4);
        int dEnd = digitsEnd(d);
        if (dEnd == d || dEnd - d > 2 || !at(dEnd, ' ')) {
          return Optional.empty();
        }
        int t = timeOfDay(dEnd + 1);
        if (t < 0) {
          return Optional.empty();
        }
        dateEnd = t;
      } else if (isDigit(i) && digitsEnd(i) == i + 4 && at(i + 4, '-') && at(i + 7, '-') && at(i + 10, 'T')) {
        int t = timeOfDay(i + 11);
        if (t < 0) {
          return Optional.empty();
        }
        // util-linux dmesg --time-format=iso writes a comma before the microseconds and no host or
        // tag after the date; syslog and journald write a dot.
        boolean dmesgIso = at(i + 19, ',');
        // Offset: Z, +0000 or +00:00.
        if (at(t, 'Z')) {
          t++;
        } else if (at(t, '+') || at(t, '-')) {
          int e = digitsEnd(t + 1);
          if (at(e, ':')) {
            e = digitsEnd(e + 1);
          }
          t = e;
        }
        dateEnd = t;
        if (dmesgIso) {
          if (!at(dateEnd, ' ')) {
            return Optional.empty();
          }
          pos = dateEnd + 1;
          return Optional.of(new SyslogHead(s.substring(i, dateEnd), Optional.empty()));
        }
      } else {
        return Optional.empty();
      }
      if (!at(dateEnd, ' ')) {
        return Optional.empty();
      }
      int hostStart = dateEnd + 1;
      int hostEnd = s.indexOf(' ', hostStart);
      if (hostEnd <= hostStart) {
        return Optional.empty();
      }
      int tagStart = hostEnd + 1;
      int colon = s.indexOf(": ", tagStart);
      int space = s.indexOf(' ', tagStart);
      if (colon <= tagStart || (space >= 0 && space < colon)) {
        return Optional.empty();
      }
      if (s.indexOf(':', hostStart) < hostEnd) {
        return Optional.empty(); // "BUG: KASAN: ..." after a date is a message, not a host and a tag
      }
      String date = s.substring(i, dateEnd);
      String tag = s.substring(tagStart, colon);
      pos = colon + 2;
      return Optional.of(new SyslogHead(date, Optional.of(tag)));
    }

    // journalctl -o short-monotonic: "[  20.143962] host kernel: " (the host has no ':' or '[', so
    // a message such as "usb 1-1: ..." is not taken for one: its second word is not "kernel").
    boolean journalKernelHead() {
      if (!at(pos, ' ')) {
        return false;
      }
      int hostStart = pos + 1;
      int hostEnd = s.indexOf(' ', hostStart);
      if (hostEnd <= hostStart || !s.startsWith("kernel: ", hostEnd + 1)) {
        return false;
      }
      for (int k = hostStart; k < hostEnd; k++) {
        char ch = s.charAt(k);
        if (ch == ':' || ch == '[' || ch == ']') {
          return false;
        }
      }
      pos = hostEnd + 1 + "kernel: ".length();
      return true;
    }

    // hh:mm:ss with optional fraction; returns the end or -1.
    private int timeOfDay(int i) {
      if (!(isDigit(i) && isDigit(i + 1) && at(i + 2, ':') && isDigit(i + 3) && isDigit(i + 4)
          && at(i + 5, ':') && isDigit(i + 6) && isDigit(i + 7))) {
        return -1;
      }
      int e = i + 8;
      if (at(e, '.') || at(e, ',')) {
        e = digitsEnd(e + 1);
      }
      return e;
    }

    // dmesg -x: "kern  :err   : "
    OptionalInt dmesgFacilityLevel() {
      int colon1 = s.indexOf(':', pos);
      if (colon1 < 0 || colon1 - pos > 8) {
        return OptionalInt.empty();
      }
      String facility = s.substring(pos, colon1).strip();
      if (!FACILITIES.contains(facility)) {
        return OptionalInt.empty();
      }
      int colon2 = s.indexOf(':', colon1 + 1);
      if (colon2 < 0 || colon2 - colon1 > 8 || !at(colon2 + 1, ' ')) {
        return OptionalInt.empty();
      }
      String level = s.substring(colon1 + 1, colon2).strip().toLowerCase(Locale.ROOT);
      for (int n = 0; n < LEVELS.size(); n++) {
        if (LEVELS.get(n).equals(level)) {
          pos = colon2 + 2;
          return OptionalInt.of(n);
        }
      }
      return OptionalInt.empty();
    }

    // "<3>"
    OptionalInt syslogLevel() {
      if (!at(pos, '<')) {
        return OptionalInt.empty();
      }
      int e = digitsEnd(pos + 1);
      if (e == pos + 1 || e - pos > 4 || !at(e, '>')) {
        return OptionalInt.empty();
      }
      int v = Integer.parseInt(s, pos + 1, e, 10);
      pos = e + 1;
      return OptionalInt.of(v & 7); // the low three bits are the level, the rest the facility
    }

    // dmesg -T: "[Sat Nov 21 10:00:00 2026]"
    Optional<String> humanTime() {
      int open = skipSpaces(pos); // indented, as uptime() allows
      if (!at(open, '[') || open + 26 > s.length()) {
        return Optional.empty();
      }
      int i = open + 1;
      // Most lines are "[   12.345678]": a capital first spares them the substrings.
      if (s.charAt(i) < 'A' || s.charAt(i) > 'Z' || !at(i + 3, ' ') || !WEEKDAYS.contains(s.substring(i, i + 3))
          || !MONTHS.contains(s.substring(i + 4, i + 7))) {
        return Optional.empty();
      }
      int close = s.indexOf(']', i);
      if (close < 0 || close - i > 32) {
        return Optional.empty();
      }
      String stamp = s.substring(i, close);
      pos = close + 1;
      return Optional.of(stamp);
    }

    // "[  12.345678]"
    OptionalDouble uptime() {
      if (at(pos, ' ')) {
        // "kern  :err   : [   1.2]" leaves no space, but dmesg -T output is followed by a space.
        // (Leading spaces before a '[' are dropped even when no time follows: the trees and the
        // goldens of unprefixed "    [<ffffffff81234567>] f+0x1/0x2" frames are read that way.)
        int j = skipSpaces(pos);
        if (!at(j, '[')) {
          return OptionalDouble.empty();
        }
        pos = j;
      }
      int open = pos;
      if (!at(open, '[')) {
        return OptionalDouble.empty();
      }
      int i = skipSpaces(open + 1);
      int intEnd = digitsEnd(i);
      if (intEnd == i || !at(intEnd, '.')) {
        return OptionalDouble.empty();
      }
      int fracEnd = digitsEnd(intEnd + 1);
      if (fracEnd == intEnd + 1 || !at(fracEnd, ']')) {
        return OptionalDouble.empty();
      }
      double v = decimal(i, intEnd, fracEnd);
      pos = fracEnd + 1;
      return OptionalDouble.of(v);
    }

    /**
     * The value of the digits {@code [from, dot)} "." {@code (dot, end)}. Timestamps have at most 15
     * digits, so the digits are an exact long and one division by an exact power of ten gives the
     * correctly rounded double, the same as {@link Double#parseDouble} (whose own fast path this is)
     * without its string and buffer: every line of a log has a timestamp.
     */
    private double decimal(int from, int dot, int end) {
      int fraction = end - dot - 1;
      if (end - from - 1 > 15) {
        return Double.parseDouble(s.substring(from, end));
      }
      long digits = 0;
      for (int k = from; k < end; k++) {
        if (k != dot) {
          digits = digits * 10 + (s.charAt(k) - '0');
        }
      }
      double scale = 1;
      for (int k = 0; k < fraction; k++) {
        scale *= 10; // exact: powers of ten up to 1e22 are doubles
      }
      return digits / scale;
    }

    // "[ T1234]", "[T1234]", "[    C1]"; the console glues it to the timestamp, util-linux's dmesg
    // (print_record) writes "[%*s] " after the timestamp's own space.
    Optional<String> callerId() {
      return callerIdAt(at(pos, ' ') && at(pos + 1, '[') ? pos + 1 : pos);
    }

    // The caller id first on the line, followed by the console's space: "[  T1234] ".
    Optional<String> bareCallerId() {
      int mark = pos;
      Optional<String> id = callerIdAt(pos);
      if (id.isPresent() && !at(pos, ' ')) {
        pos = mark;
        return Optional.empty();
      }
      return id;
    }

    private Optional<String> callerIdAt(int open) {
      if (!at(open, '[')) {
        return Optional.empty();
      }
      int i = skipSpaces(open + 1);
      if (!(at(i, 'T') || at(i, 'C'))) {
        return Optional.empty();
      }
      int e = digitsEnd(i + 1);
      if (e == i + 1 || !at(e, ']')) {
        return Optional.empty();
      }
      String id = s.substring(i, e);
      pos = e + 1;
      return Optional.of(id);
    }
  }
}
