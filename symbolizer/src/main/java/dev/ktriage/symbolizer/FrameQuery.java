package dev.ktriage.symbolizer;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One kernel stack frame to resolve, as printed: {@code function+0xoffset/0xsize [module]}.
 *
 * @param function the symbol as printed, suffixes such as {@code .isra.0} or {@code .cold} included
 * @param offset the offset after {@code +}
 * @param size the size after {@code /} (kallsyms' size); used to pick among duplicate names
 * @param module the module in {@code [ext4]}; empty for vmlinux
 * @param address the raw address printed with the frame ({@code [<ffffffff81234567>]}), used only
 *     to choose among otherwise ambiguous duplicates once a KASLR slide is known
 * @param lookup which address is looked up
 */
public record FrameQuery(String function, long offset, OptionalLong size, Optional<String> module,
    OptionalLong address, Lookup lookup) {

  /** Which address a frame's location is read at. */
  public enum Lookup {
    /** The instruction itself: a faulting pc ({@code RIP:}, {@code pc :}, arm64's {@code (P)}). */
    EXACT,
    /**
     * A return address (call-trace frames, link registers, KCSAN's access frames and headers): the
     * call before it, {@code pc - 1}; {@code off == size} is accepted.
     */
    RETURN_ADDRESS,
    /**
     * A KASAN report header's location: the return address of the sanitizer's check call, whose
     * instruction is the checked access, so the address itself, as syzkaller reads it; but where
     * that instruction has no line (clang gives the instruction after a call line 0), the call
     * before it, whose line is the access's. Never a line-less answer when {@code pc - 1} has a line.
     */
    EXACT_ELSE_CALL
  }

  public FrameQuery {
    Objects.requireNonNull(function);
    Objects.requireNonNull(size);
    Objects.requireNonNull(module);
    Objects.requireNonNull(address);
    Objects.requireNonNull(lookup);
  }

  /**
   * @param returnAddress true for call-trace frames ({@link Lookup#RETURN_ADDRESS}), false for the
   *     faulting frame ({@link Lookup#EXACT})
   */
  public FrameQuery(String function, long offset, OptionalLong size, Optional<String> module, OptionalLong address,
      boolean returnAddress) {
    this(function, offset, size, module, address, returnAddress ? Lookup.RETURN_ADDRESS : Lookup.EXACT);
  }

  /** Whether the call before the address is looked up ({@link Lookup#RETURN_ADDRESS}). */
  public boolean returnAddress() {
    return lookup == Lookup.RETURN_ADDRESS;
  }
}
