package dev.ktriage.depot.signature;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A place in the kernel's code, as a report shows it: a function (compiler suffixes stripped), its
 * module, the offset and symbol size printed after it ({@code +0x385/0x3a0}), and, when the frame was
 * symbolized, the innermost source line that is evidence ({@code lineFunction} at {@code line}, which
 * is an inlined callee when the compiler inlined one there).
 *
 * <p>An offset names one instruction only within one build of the kernel: gcc and clang builds, and
 * two releases, place the same code at other offsets. Compare offsets only between reports of the same
 * build ({@link Evidence#build()}); file:line is stable across builds, compilers and KASLR.
 *
 * @param function the function, {@code kmalloc_oob_right}
 * @param module the module in {@code [ext4]}; absent for vmlinux
 * @param offset the offset after {@code +}
 * @param size the symbol size after {@code /}
 * @param lineFunction the (possibly inlined) function the source line belongs to; empty when not symbolized
 * @param line {@code file:line}; empty when not symbolized
 */
public record Site(String function, Optional<String> module, OptionalLong offset, OptionalLong size,
    String lineFunction, String line) {
  public Site {
    Objects.requireNonNull(function);
    Objects.requireNonNull(module);
    Objects.requireNonNull(offset);
    Objects.requireNonNull(size);
    Objects.requireNonNull(lineFunction);
    Objects.requireNonNull(line);
  }

  /** A site known by its name only. */
  public static Site of(String function) {
    return new Site(function, Optional.empty(), OptionalLong.empty(), OptionalLong.empty(), "", "");
  }

  /** Whether a symbolizer gave it a source line. */
  public boolean symbolized() {
    return !line.isEmpty();
  }

  /** Whether it has an offset and a symbol size, so it names one instruction within a build. */
  public boolean hasOffset() {
    return offset.isPresent() && size.isPresent();
  }

  /** The same function in the same module. */
  public boolean sameFunction(Site o) {
    return function.equals(o.function) && module.equals(o.module);
  }

  /**
   * The same instruction: the same source line of the same (inlined) function when both are symbolized;
   * otherwise the same function, offset and symbol size, which only means something when
   * {@code sameBuild}.
   */
  public boolean sameInstruction(Site o, boolean sameBuild) {
    if (symbolized() && o.symbolized()) {
      return lineFunction.equals(o.lineFunction) && line.equals(o.line) && module.equals(o.module);
    }
    return sameBuild && sameFunction(o) && hasOffset() && offset.equals(o.offset) && size.equals(o.size);
  }

  /** {@code f+0x1a/0x40 [mod]}, with {@code (g at file:line)} when symbolized: how a triager reads it in a log. */
  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(function);
    if (hasOffset()) {
      appendOffset(b);
    }
    module.ifPresent(m -> b.append(" [").append(m).append(']'));
    if (symbolized()) {
      b.append(" (").append(lineFunction.equals(function) ? "" : lineFunction + " at ").append(line).append(')');
    }
    return b.toString();
  }

  /** {@code f+0x1a/0x40} or {@code f} (no line): the part of an exact key that names an instruction. */
  String offsetKey() {
    StringBuilder b = new StringBuilder(function);
    if (hasOffset()) {
      appendOffset(b);
    }
    module.ifPresent(m -> b.append('[').append(m).append(']'));
    return b.toString();
  }

  /**
   * {@code +0x1a/0x40}, as the kernel prints it: what {@code String.format("+0x%x/0x%x")} gives, without a
   * Formatter (exact keys are built for every report).
   */
  public String offsetText() {
    return appendOffset(new StringBuilder(24)).toString();
  }

  private StringBuilder appendOffset(StringBuilder b) {
    return b.append("+0x").append(Long.toHexString(offset.getAsLong())).append("/0x")
        .append(Long.toHexString(size.getAsLong()));
  }

  /** {@code g@file:line}: the part of an exact key that names a symbolized instruction. */
  String lineKey() {
    return lineFunction + "@" + line + module.map(m -> "[" + m + "]").orElse("");
  }
}
