package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One line of a call trace, such as {@code  ? ext4_fill_super+0x1f3e/0x25a0 [ext4]}.
 *
 * <p>{@code location} and {@code inlined} come from a symbolizer, or from input that was already
 * symbolized ({@code func+0x1/0x2 mm/x.c:12} with {@code callee file.h:3 [inline]} lines before it).
 *
 * @param function the symbol as printed, suffixes such as {@code .isra.0} included
 * @param offset the offset after {@code +}
 * @param size the symbol size after {@code /} (kallsyms' size: distance to the next symbol)
 * @param module the module in {@code [ext4]}; absent for vmlinux
 * @param moduleBuildId the build id in {@code [ext4 0123abcd...]} (CONFIG_STACKTRACE_BUILD_ID)
 * @param reliable false for x86's {@code ? } frames and powerpc's {@code (unreliable)}
 * @param address the raw address printed with the frame ({@code [<ffffffff81234567>]}), if any
 * @param context the IRQ/NMI/task segment the frame was printed in
 * @param location source position of the frame's own code
 * @param inlined inlined callees at this frame, innermost first
 * @param logLine 1-based line of the frame in the log
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
    Optional<SourceLocation> location,
    List<InlinedFrame> inlined,
    long logLine) {

  public Frame {
    Objects.requireNonNull(function);
    inlined = List.copyOf(inlined);
  }

  /** This frame with source information replaced (what a symbolizer produces). */
  public Frame withSource(Optional<SourceLocation> newLocation, List<InlinedFrame> newInlined) {
    return new Frame(function, offset, size, module, moduleBuildId, reliable, address, context,
        newLocation, newInlined, logLine);
  }

  /** Whether a symbolizer (or the input) supplied a file and line. */
  public boolean isSymbolized() {
    return location.isPresent();
  }
}
