package dev.ktriage.grammar.scan;

import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.FrameSyntax;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which of two oops reports printed at once, without caller ids to tell their lines apart, a line
 * belongs to (issue 16, "interleaved output without caller ids").
 *
 * <p>How the kernel prints two oopses at once decides the rules. Each oops prints every line of its
 * header block once (the fault line, the abort or {@code #PF:} lines, {@code CPU:}, {@code Hardware
 * name:}, the pc and registers, {@code Modules linked in:}); the part of an oops under {@code
 * die_lock} (x86 {@code oops_begin()}, arm64 {@code die()}: the registers and the stack) is printed
 * whole before the next cpu's, while the lines a fault handler prints before it ({@code
 * show_fault_oops()}, {@code die_kernel_fault()}'s abort info) fall anywhere into the other's. So:
 * <ul>
 *   <li>a header-block line of a kind the first report already holds is the second's;</li>
 *   <li>a line of the kind the second report's block expects next (in the order the first printed its
 *       own) is the second's, also inside the first's stack;</li>
 *   <li>frames go to the stack whose heading was printed last and has not ended; a second heading is
 *       the second report's;</li>
 *   <li>after the first report's end marker, the lines it prints again as they were (x86's register
 *       summary) and its panic are its own; the first other line starts the second's own output;</li>
 *   <li>anything else stays with the first report, whose output is the one under way.</li>
 * </ul>
 * A line of a kind both already hold belongs to neither (a third cpu's) and is left out.
 *
 * <p>Stateless; thread-safe.
 */
final class Interleave {
  private Interleave() {} // no instance

  /** Where a line goes. */
  enum Route { FIRST, SECOND, NEITHER }

  // "CPU: 0 PID: 1 Comm: ...", "  ESR = 0x96000004", "pc : f+0x1/0x2", "Mem abort info:": the name
  // before the colon or equals sign is the kind; a value may follow.
  private static final Pattern NAMED = Pattern.compile("^([A-Za-z][A-Za-z0-9_ ]{0,24}?)\\s*[:=](\\s|$)");
  // Digits and hex words vary between two reports of one kind: a line's kind is its text without them.
  private static final Pattern NUMBERS = Pattern.compile("(0x)?[0-9a-fA-F]*[0-9][0-9a-fA-F]*");

  /**
   * The kind of a line: the name of a {@code name: value} line, else its text with every number as
   * {@code #}. Empty for a blank line (no kind: blank lines go with the report under way).
   */
  static String kind(String body) {
    String s = body.strip();
    if (s.isEmpty()) {
      return "";
    }
    Matcher m = NAMED.matcher(s);
    if (m.find()) {
      return m.group(1).strip();
    }
    return NUMBERS.matcher(s).replaceAll("#");
  }

  /** Whether the line is a stack frame ({@code  f+0x1/0x2}, {@code [<...>] f+0x1/0x2}, {@code ? f+...}). */
  static boolean frame(String body) {
    String s = body.strip();
    return !NAMED.matcher(s).find() && FrameSyntax.line(s).filter(DecodedFrame::hasSymbol).isPresent();
  }

  /**
   * Whether the line heads a stack: {@code Call Trace:}, arm64's {@code Call trace:}, arm's {@code Backtrace:},
   * kmemleak's {@code backtrace:}.
   */
  static boolean heading(String body) {
    String s = body.strip();
    return s.startsWith("Call Trace") || s.startsWith("Call trace:") || s.startsWith("Backtrace:")
        || s.startsWith("backtrace"); // kmemleak's "backtrace:", "backtrace (crc 6bd2b8c2):"
  }

  /** Whether the line ends an oops's output: its end-trace marker or the panic after it. */
  static boolean ending(String body) {
    return body.contains("---[ end trace") || body.contains("Kernel panic - not syncing");
  }

  /** Where {@code body}, printed while both {@code first} and {@code second} were open, belongs. */
  static Route route(Island first, Island second, String body) {
    if (heading(body)) {
      return first.stackSeen() ? (second.stackSeen() ? Route.NEITHER : Route.SECOND) : Route.FIRST;
    }
    if (frame(body)) {
      if (second.stackOpen() && (!first.stackOpen() || second.stackSince() > first.stackSince())) {
        return Route.SECOND;
      }
      return first.stackEnded() && !first.repeats(body) ? Route.SECOND : Route.FIRST;
    }
    if (first.stackEnded()) {
      // after its end marker x86 prints the registers again (oops_end()'s executive summary), as they
      // were, then panics; any other line is the second report's, which may now print its own
      return first.repeats(body) || ending(body) ? Route.FIRST : Route.SECOND;
    }
    if (ending(body) && first.stackOpen()) {
      return Route.FIRST;
    }
    String kind = kind(body);
    if (kind.isEmpty()) {
      return Route.FIRST;
    }
    if (second.expects(kind, first)) {
      return Route.SECOND;
    }
    if (first.stackOpen()) {
      return Route.FIRST; // the first report's stack region: its own lines (<TASK>, the user registers)
    }
    if (first.holds(kind)) {
      return second.holds(kind) ? Route.NEITHER : Route.SECOND;
    }
    return Route.FIRST;
  }
}
