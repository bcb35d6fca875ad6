package dev.ktriage.grammar.frame;

import dev.ktriage.model.SourceLocation;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Everything one frame line says, as {@link FrameSyntax} decoded it.
 *
 * @param source what printed the line; decides whether the address is the faulting pc
 * @param function the symbol as printed ({@code .isra.0} included); "" when only a raw address was printed
 * @param offset the offset after {@code +}; empty when not printed (raw addresses, decode_stacktrace.sh)
 * @param size the kallsyms size after {@code /}, when printed
 * @param module the module in {@code [ext4]}, or decode_stacktrace.sh's bare {@code ext4} after the source
 * @param moduleBuildId the build id in {@code [ext4 0123abcd...]} (CONFIG_STACKTRACE_BUILD_ID)
 * @param address the raw (KASLR-slid) address printed with the frame: the last {@code [<...>]} or
 *     powerpc {@code [...]} before the name, or the raw-only address
 * @param reliable false for x86's {@code ? } and powerpc's {@code (unreliable)}
 * @param fromPc arm64's {@code (P)}: the frame was taken from the pc register (the faulting pc)
 * @param sources source locations printed on the line, innermost first: syzkaller's one
 *     ({@code mm/x.c:12}), or decode_stacktrace.sh's inline chain ({@code (include/x.h:3 mm/x.c:12)});
 *     the last is the frame's own
 * @param callee the callee an arm line names before {@code from}
 * @param segment the segment marker printed on the same line before the frame ({@code <IRQ>}, x86
 *     before 4.14)
 */
public record DecodedFrame(
    Source source,
    String function,
    OptionalLong offset,
    OptionalLong size,
    Optional<String> module,
    Optional<String> moduleBuildId,
    OptionalLong address,
    boolean reliable,
    boolean fromPc,
    List<SourceLocation> sources,
    Optional<Callee> callee,
    Optional<String> segment) {

  /** What printed a frame line. */
  public enum Source {
    /** A call-trace line ({@code show_trace_log_lvl()}, {@code dump_backtrace()}, {@code show_stack()}). */
    CALL_TRACE,
    /** syzkaller's {@code callee file.h:3 [inline]}: an inlined callee of the next call-trace line. */
    INLINE,
    /** A faulting-pc line: {@code RIP:}, {@code EIP:}, {@code IP:}, {@code pc :}, {@code PC is at}, {@code NIP [..]},
     * {@code epc :}, powerpc's {@code --- interrupt: 300 at}. */
    PC_REGISTER,
    /** A link register, a return address: {@code lr :}, {@code LR is at}, {@code LR [..]}, {@code LR =}, {@code ra :}. */
    LINK_REGISTER,
    /** The location of a KASAN header, {@code BUG: KASAN: <type> in f+0x1/0x2}. */
    REPORT_HEADER,
    /**
     * The location of a KCSAN header for a race at unknown origin, {@code BUG: KCSAN: data-race in
     * f+0x1/0x2}: the access stack's first entry, a return address (see {@link FrameSyntax}).
     */
    RACE_HEADER,
    /** KCSAN's {@code +-> reordered to: f+0x1/0x2}: a return address, and not a stack frame. */
    REORDERED
  }

  /**
   * The callee of an arm line ({@code [<c0123456>] (callee) from [<c0123400>] (caller+0x10/0x14)}):
   * it ran at {@code address}; its offset is printed only by kernels before 4.x, its module
   * ({@code kmalloc_oob_right [kasan_test] from ...}) when it is in one.
   */
  public record Callee(String function, OptionalLong offset, OptionalLong size, Optional<String> module,
      OptionalLong address) {}

  public DecodedFrame {
    Objects.requireNonNull(source);
    Objects.requireNonNull(function);
    sources = List.copyOf(sources);
  }

  /** Whether the line names a symbol (else it has only a raw address). */
  public boolean hasSymbol() {
    return !function.isEmpty();
  }

  /** The frame's own source location as printed: the last of {@link #sources}. */
  public Optional<SourceLocation> location() {
    return sources.isEmpty() ? Optional.empty() : Optional.of(sources.get(sources.size() - 1));
  }

  /** How a symbolizer looks the address up: exact for faulting pcs, a return address otherwise. */
  public FrameLine.Kind kind() {
    return switch (source) {
      case CALL_TRACE, INLINE -> fromPc ? FrameLine.Kind.FAULT_PC : FrameLine.Kind.TRACE;
      case PC_REGISTER -> FrameLine.Kind.FAULT_PC;
      case LINK_REGISTER -> FrameLine.Kind.LINK_REGISTER;
      case REPORT_HEADER -> FrameLine.Kind.REPORT_HEADER;
      case RACE_HEADER -> FrameLine.Kind.RACE_HEADER;
      case REORDERED -> FrameLine.Kind.TRACE;
    };
  }

  /** This frame as printed by another source (a KCSAN header's location is read like a KASAN one's). */
  DecodedFrame withSource(Source s) {
    return new DecodedFrame(s, function, offset, size, module, moduleBuildId, address, reliable, fromPc, sources,
        callee, segment);
  }

  /**
   * The line as a symbolizer sees it: a symbol with its offset, or a raw address. Lines without
   * either (decode_stacktrace.sh output, inline annotations) need no symbolizing and are not frame
   * lines for it.
   */
  public Optional<FrameLine> frameLine() {
    if (source == Source.INLINE) {
      return Optional.empty();
    }
    boolean raw = function.isEmpty() && address.isPresent();
    if (!raw && offset.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new FrameLine(kind(), function, offset, size, module, moduleBuildId, address, reliable,
        !sources.isEmpty()));
  }
}
