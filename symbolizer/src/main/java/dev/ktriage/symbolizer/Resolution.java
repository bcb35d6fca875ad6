package dev.ktriage.symbolizer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of resolving one frame.
 *
 * @param status what happened
 * @param candidates where the frame resolves: one for {@link Status#RESOLVED}, several for
 *     {@link Status#AMBIGUOUS}, none when the symbol or module is unknown
 * @param detail a short lowercase fact explaining a status other than RESOLVED
 * @param located whether the candidates say where the frame is: false for a frame naming more
 *     same-name, same-size symbols than {@link SymbolizerOptions#maxLocated()}, whose candidates were
 *     not looked up (they carry their symbol only)
 */
public record Resolution(Status status, List<Candidate> candidates, Optional<String> detail, boolean located) {

  /** Outcome categories. */
  public enum Status {
    /** One place, with source frames when the object has DWARF there. */
    RESOLVED,
    /**
     * Several same-name, same-size symbols resolve to different source; all are listed. Beyond
     * {@link SymbolizerOptions#maxLocated()} of them, none is located: each carries its symbol only
     * ({@code located} is false).
     */
    AMBIGUOUS,
    /** No text symbol has this name. */
    UNKNOWN_SYMBOL,
    /** The module's {@code .ko} was not found under the modules directory (or none was given). */
    UNKNOWN_MODULE,
    /** Symbols with the name exist but none has the printed size: likely a different build. */
    SIZE_MISMATCH,
    /** The offset is larger than the symbol's size. */
    OFFSET_OUT_OF_RANGE,
    /** The object has no DWARF: candidates carry the symbol only. */
    NO_DEBUG_INFO,
    /** The DWARF of this address's unit is damaged: candidates carry the symbol only. */
    DEBUG_INFO_ERROR,
    /** A raw address outside every known symbol. */
    UNKNOWN_ADDRESS
  }

  public Resolution {
    Objects.requireNonNull(status);
    // An unlocated frame's candidates are made when read (FrameResolver.Unlocated), and unmodifiable.
    candidates = candidates instanceof FrameResolver.Unlocated ? candidates : List.copyOf(candidates);
    Objects.requireNonNull(detail);
  }

  static Resolution failed(Status status, String detail) {
    return new Resolution(status, List.of(), Optional.of(detail));
  }

  /** A located outcome (every one but a frame naming too many symbols). */
  public Resolution(Status status, List<Candidate> candidates, Optional<String> detail) {
    this(status, candidates, detail, true);
  }

  /** The only candidate of a RESOLVED (or single-candidate) outcome. */
  public Optional<Candidate> single() {
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }
}
