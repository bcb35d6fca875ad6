package dev.ktriage.grammar.frame;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One console line that names a code location, as {@link FrameLineRecognizer} found it: a call-trace
 * frame ({@code  ? ext4_fill_super+0x1f3e/0x25a0 [ext4]}), a register line
 * ({@code RIP: 0010:foo+0x12/0x40}, {@code pc : foo+0x1c/0x40}, {@code lr : bar+0x8/0x20}) or a
 * KASAN header ({@code BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40}).
 *
 * @param kind what kind of line it is; it decides whether the address is exact or a return address
 * @param function the symbol as printed ({@code .isra.0} included); "" when only a raw address was
 *     printed ({@code  ? 0xffffffffc0123456}, kernels without kallsyms)
 * @param offset the offset after {@code +}; empty for raw-only lines
 * @param size the kallsyms size after {@code /}, when printed
 * @param module the module in {@code [ext4]}; empty for vmlinux
 * @param moduleBuildId the build id in {@code [ext4 0123abcd...]} (CONFIG_STACKTRACE_BUILD_ID)
 * @param address the raw (KASLR-slid) address printed with the frame ({@code [<ffffffff81234567>]}
 *     or, for raw-only lines, {@code 0xffffffff81234567})
 * @param reliable false for x86's {@code ? } frames and powerpc's {@code (unreliable)}
 * @param symbolized the line already carries a source location ({@code mm/x.c:12},
 *     {@code (mm/x.c:12)}), from syzkaller, decode_stacktrace.sh or an earlier run
 */
public record FrameLine(
    Kind kind,
    String function,
    OptionalLong offset,
    OptionalLong size,
    Optional<String> module,
    Optional<String> moduleBuildId,
    OptionalLong address,
    boolean reliable,
    boolean symbolized) {

  /** Where a frame line came from; decides how its address is looked up. */
  public enum Kind {
    /** A call-trace frame: the address is a return address (the call is at {@code pc - 1}). */
    TRACE,
    /**
     * The faulting instruction: {@code RIP:}, {@code EIP:}, {@code IP:}, {@code pc :}, {@code PC is at},
     * {@code NIP}, {@code epc :}, and arm64's call-trace frame marked {@code (P)} (taken from the pc).
     */
    FAULT_PC,
    /** A link register holds a return address: {@code lr :}, {@code LR is at}, {@code LR [..]}, {@code ra :}. */
    LINK_REGISTER,
    /** The location in a KASAN header, {@code BUG: KASAN: <type> in f+0x1/0x2}. */
    REPORT_HEADER,
    /**
     * The location in a KCSAN header ({@code BUG: KCSAN: data-race in f+0x1/0x2}, a race at unknown
     * origin): a return address, as the access stack's first frame is.
     */
    RACE_HEADER
  }

  public FrameLine {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(function);
    Objects.requireNonNull(offset);
    Objects.requireNonNull(size);
    Objects.requireNonNull(module);
    Objects.requireNonNull(moduleBuildId);
    Objects.requireNonNull(address);
  }

  /**
   * Whether the address is the instruction itself rather than a return address. The KASAN header
   * counts as exact: it prints the return address of the outline check ({@code __asan_load8}), and
   * the instruction there is the checked access itself, so its line is the access's line.
   */
  public boolean exactPc() {
    return kind == Kind.FAULT_PC || kind == Kind.REPORT_HEADER;
  }

  /** Whether the line names a symbol and offset (else it has only a raw address). */
  public boolean hasSymbol() {
    return !function.isEmpty() && offset.isPresent();
  }
}
