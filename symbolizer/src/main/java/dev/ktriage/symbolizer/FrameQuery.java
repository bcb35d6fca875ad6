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
 * @param returnAddress true for call-trace frames (a return address: the call is at {@code pc - 1}),
 *     false for the faulting frame ({@code RIP:}, {@code pc :}), whose address is exact
 */
public record FrameQuery(String function, long offset, OptionalLong size, Optional<String> module,
    OptionalLong address, boolean returnAddress) {

  public FrameQuery {
    Objects.requireNonNull(function);
    Objects.requireNonNull(size);
    Objects.requireNonNull(module);
    Objects.requireNonNull(address);
  }
}
