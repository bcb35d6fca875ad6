package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line of a call trace, such as {@code  ? ext4_fill_super+0x1f3e/0x25a0 [ext4]}.
 *
 * <p>Source positions have two origins, kept apart: what the log printed ({@code func+0x1/0x2 mm/x.c:12}
 * with {@code callee file.h:3 [inline]} lines before it, from syzkaller or decode_stacktrace.sh), which
 * is part of the report as the kernel's console showed it, and what a symbolizer resolved later
 * ({@link #symbolization()}), which is not. {@link #location()} and {@link #inlined()} give the best
 * known: the symbolizer's when there is one, else the printed one.
 *
 * @param function the symbol as printed, suffixes such as {@code .isra.0} included
 * @param offset the offset after {@code +}
 * @param size the symbol size after {@code /} (kallsyms' size: distance to the next symbol)
 * @param module the module in {@code [ext4]}; absent for vmlinux
 * @param moduleBuildId the build id in {@code [ext4 0123abcd...]} (CONFIG_STACKTRACE_BUILD_ID)
 * @param reliable false for x86's {@code ? } frames and powerpc's {@code (unreliable)}
 * @param address the raw address printed with the frame ({@code [<ffffffff81234567>]}), if any
 * @param context the IRQ/NMI/task segment the frame was printed in
 * @param printedLocation source position of the frame's own code as the log printed it
 * @param printedInlined inlined callees as the log printed them, innermost first
 * @param logLine 1-based line of the frame in the log
 * @param symbolization what a symbolizer resolved for this frame after parsing, if it was asked
 */
public record Frame(
    String function,
    OptionalLong offset,
    OptionalLong size,
    Optional<String> module,
    Optional<String> moduleBuildId,
    boolean reliable,
    OptionalLong address,
    FrameContext context,
    Optional<SourceLocation> printedLocation,
    List<InlinedFrame> printedInlined,
    long logLine,
    Optional<Symbolization> symbolization) {

  public Frame {
    Objects.requireNonNull(function);
    Objects.requireNonNull(printedLocation);
    printedInlined = List.copyOf(printedInlined);
    Objects.requireNonNull(symbolization);
  }

  /** A frame as parsed from a log: its source positions, if any, are the printed ones. */
  public Frame(String function, OptionalLong offset, OptionalLong size, Optional<String> module,
      Optional<String> moduleBuildId, boolean reliable, OptionalLong address, FrameContext context,
      Optional<SourceLocation> printedLocation, List<InlinedFrame> printedInlined, long logLine) {
    this(function, offset, size, module, moduleBuildId, reliable, address, context, printedLocation, printedInlined,
        logLine, Optional.empty());
  }

  /** The best known source position: the symbolizer's, else the printed one. */
  public Optional<SourceLocation> location() {
    return symbolization.isPresent() ? symbolization.get().location() : printedLocation;
  }

  /** The best known inlined callees, innermost first: the symbolizer's, else the printed ones. */
  public List<InlinedFrame> inlined() {
    return symbolization.isPresent() ? symbolization.get().inlined() : printedInlined;
  }

  /** This frame with what a symbolizer resolved for it (the printed positions are kept). */
  public Frame withSymbolization(Symbolization s) {
    return new Frame(function, offset, size, module, moduleBuildId, reliable, address, context, printedLocation,
        printedInlined, logLine, s.isEmpty() ? Optional.empty() : Optional.of(s));
  }

  /** {@link #withSymbolization} from its parts (what the symbolizer produces). */
  public Frame withSource(Optional<SourceLocation> newLocation, List<InlinedFrame> newInlined) {
    return withSymbolization(new Symbolization(newLocation, newInlined));
  }

  /** Whether a file and line are known, printed or resolved. */
  public boolean isSymbolized() {
    return location().isPresent();
  }

  /** Whether the log itself printed a source position or inlined callees for this frame. */
  public boolean hasPrintedSource() {
    return printedLocation.isPresent() || !printedInlined.isEmpty();
  }
}
