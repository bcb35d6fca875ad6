package dev.ktriage.grammar.title;

import java.util.List;
import java.util.Objects;

/**
 * The lines of an oops report from its header on, as the grammar classified them: what the titles
 * of the oops families read their guilty frame from ({@link FrameRecipe}), in printed order. The
 * sanitizer families title from the report model instead; a tape is only made for the others.
 *
 * @param entries one per line, the header first
 */
public record TraceTape(List<Entry> entries) {

  /** An empty tape: a report whose titles need no lines. */
  public static final TraceTape EMPTY = new TraceTape(List.of());

  public TraceTape {
    entries = List.copyOf(entries);
  }

  /** What kind of line an entry is. */
  public enum Kind {
    /** A call-trace frame line. */
    FRAME,
    /** A faulting-pc register line ({@code RIP:}, {@code pc :}, {@code --- interrupt: 300 at}); user-mode ones name no function. */
    PC,
    /** A line that starts a stack: {@code Call Trace:}, {@code Allocated by task 1:}, kmemleak's {@code backtrace:}. */
    HEADING,
    /** A lockdep lock line; its function is the code location after {@code at:}, when one is printed. */
    LOCK,
    /** Any other line. */
    TEXT
  }

  /**
   * One line.
   *
   * @param kind its kind
   * @param function the function it names: a frame's, a pc's, a lock's {@code at:}; "" when none
   * @param frameLike whether that function was printed as the kernel prints code locations, with an
   *     offset or a compiler suffix ({@code f+0x1/0x2}, {@code f.isra.0}): syzkaller's frame and
   *     {@code at:} patterns need it; an inlined callee's or decode_stacktrace.sh's bare name is not
   * @param reliable false for x86's {@code ? } frames and powerpc's {@code (unreliable)}
   * @param rawPc whether a raw pc ({@code [<ffffffff81234567>]}) was printed before the function
   * @param logLine the 1-based log line
   * @param text the line as printed, console prefix removed
   */
  public record Entry(Kind kind, String function, boolean frameLike, boolean reliable, boolean rawPc, long logLine,
      String text) {
    public Entry {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(function);
      Objects.requireNonNull(text);
    }

    /** Whether the line names a function that syzkaller's frame patterns would take. */
    public boolean namesFrame() {
      return !function.isEmpty() && frameLike && reliable;
    }
  }
}
