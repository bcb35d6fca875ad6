package dev.ktriage.depot.stack;

import dev.ktriage.model.SourceLocation;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One frame after normalization: the function without compiler suffixes, its module, and what the
 * log or a symbolizer said about its position.
 *
 * <p>Identity ({@link #key()}) is the function and module only. Offsets change with every rebuild of
 * the kernel and source lines with every patch, so two reports of one bug on two builds must still
 * produce the same key; both are kept as data for display and alignment evidence.
 *
 * @param function the normalized function name ({@code ext4_fill_super}, not {@code ext4_fill_super.isra.0})
 * @param module the module ({@code ext4}); absent for vmlinux
 * @param location the source position, when symbolized
 * @param offset the offset printed after {@code +}; absent for inlined frames
 * @param inlined whether the compiler inlined this function into the next frame
 */
public record NormalizedFrame(String function, Optional<String> module, Optional<SourceLocation> location,
    OptionalLong offset, boolean inlined) {
  public NormalizedFrame {
    Objects.requireNonNull(function);
    Objects.requireNonNull(module);
    Objects.requireNonNull(location);
    Objects.requireNonNull(offset);
  }

  /** A frame known only by its function name (tests, queries). */
  public static NormalizedFrame of(String function) {
    return new NormalizedFrame(function, Optional.empty(), Optional.empty(), OptionalLong.empty(), false);
  }

  /** The identity the depot interns: {@code function} or {@code function [module]}. */
  public String key() {
    return module.map(m -> function + " [" + m + "]").orElse(function);
  }

  /** The function name part of a {@link #key()}. */
  public static String functionOf(String key) {
    int sp = key.indexOf(' ');
    return sp < 0 ? key : key.substring(0, sp);
  }

  /** The module part of a {@link #key()}, if any. */
  public static Optional<String> moduleOf(String key) {
    int lb = key.indexOf(" [");
    return lb < 0 ? Optional.empty() : Optional.of(key.substring(lb + 2, key.length() - 1));
  }
}
