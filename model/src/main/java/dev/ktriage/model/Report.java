package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * One kernel report found in a log.
 *
 * @param tool the facility that printed it
 * @param banner the banner its header starts with ({@code BUG: KASAN: }), as the grammar matched it
 * @param bugType the kernel's name for the bug ({@code slab-out-of-bounds}, {@code data-race})
 * @param header the header line without console prefix ({@code BUG: KASAN: slab-out-of-bounds in f+0x1/0x2})
 * @param title syzkaller-compatible title, alternatives and guilty frame
 * @param access the bad access (KASAN); KCSAN's accesses are in {@link KcsanDetails}
 * @param context CPU/PID/Comm/release/taint/hardware
 * @param time when the report was printed
 * @param stacks every stack with its role, in printed order
 * @param details tool-specific parts
 * @param corruption why the report cannot be trusted, if it cannot
 * @param elided the parts a person left out when posting it ({@code ...}, stacks removed); a report
 *     whose header and access line are whole is not corrupted by them
 * @param repairs how its text was put back together before parsing (lines a mail client broke)
 * @param complete whether the report's closing {@code ====} rule was seen; a report whose tail
 *     (object, page or shadow description) was cut off is not complete but need not be corrupted
 * @param source where the report is in its log
 * @param suppression why the report is suppressed (its log says the fuzzing machine failed), if it is
 */
public record Report(
    Tool tool,
    Banner banner,
    String bugType,
    String header,
    Title title,
    Optional<Access> access,
    KernelContext context,
    LogTime time,
    List<Stack> stacks,
    ReportDetails details,
    Optional<Corruption> corruption,
    List<Elision> elided,
    List<Repair> repairs,
    boolean complete,
    SourceSpan source,
    Optional<Suppression> suppression) {

  public Report {
    Objects.requireNonNull(tool);
    Objects.requireNonNull(suppression);
    Objects.requireNonNull(banner);
    Objects.requireNonNull(bugType);
    Objects.requireNonNull(title);
    Objects.requireNonNull(details);
    stacks = List.copyOf(stacks);
    elided = List.copyOf(elided);
    repairs = List.copyOf(repairs);
  }

  /** A report that is not suppressed: what callers built before suppression existed. */
  public Report(Tool tool, Banner banner, String bugType, String header, Title title, Optional<Access> access,
      KernelContext context, LogTime time, List<Stack> stacks, ReportDetails details,
      Optional<Corruption> corruption, List<Elision> elided, List<Repair> repairs, boolean complete,
      SourceSpan source) {
    this(tool, banner, bugType, header, title, access, context, time, stacks, details, corruption, elided,
        repairs, complete, source, Optional.empty());
  }

  /**
   * A report without elisions or repairs, its banner the tool's usual one: what callers built before
   * those components existed (tests that make reports by hand).
   */
  public Report(Tool tool, String bugType, String header, Title title, Optional<Access> access,
      KernelContext context, LogTime time, List<Stack> stacks, ReportDetails details,
      Optional<Corruption> corruption, boolean complete, SourceSpan source) {
    this(tool, tool == Tool.KCSAN ? Banner.KCSAN : Banner.KASAN, bugType, header, title, access, context, time,
        stacks, details, corruption, List.of(), List.of(), complete, source);
  }

  public boolean corrupted() {
    return corruption.isPresent();
  }

  public boolean suppressed() {
    return suppression.isPresent();
  }

  /** The first stack with the given role. */
  public Optional<Stack> stack(StackRole role) {
    return stacks.stream().filter(s -> s.role() == role).findFirst();
  }

  /** The stack that identifies the bug: the access stack, or KCSAN's first racing access. */
  public Optional<Stack> primaryStack() {
    return stack(StackRole.ACCESS).or(() -> stack(StackRole.RACE_1));
  }

  /** This report with every stack passed through {@code f} (symbolization). */
  public Report withStacks(UnaryOperator<Stack> f) {
    return new Report(tool, banner, bugType, header, title, access, context, time,
        stacks.stream().map(f).toList(), details, corruption, elided, repairs, complete, source, suppression);
  }

  /** This report with another title (the inline-aware titler adds alternatives after symbolization). */
  public Report withTitle(Title newTitle) {
    return new Report(tool, banner, bugType, header, newTitle, access, context, time, stacks, details,
        corruption, elided, repairs, complete, source, suppression);
  }

  /** This report, suppressed for {@code why} (its log said the fuzzing machine failed). */
  public Report withSuppression(Suppression why) {
    return new Report(tool, banner, bugType, header, title, access, context, time, stacks, details,
        corruption, elided, repairs, complete, source, Optional.of(why));
  }
}
