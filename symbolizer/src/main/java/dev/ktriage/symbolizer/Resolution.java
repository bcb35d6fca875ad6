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
 */
public record Resolution(Status status, List<Candidate> candidates, Optional<String> detail) {

  /** Outcome categories. */
  public enum Status {
    /** One place, with source frames when the object has DWARF there. */
    RESOLVED,
    /** Several same-name, same-size symbols resolve to different source; all are listed. */
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
    candidates = List.copyOf(candidates);
    Objects.requireNonNull(detail);
  }

  static Resolution failed(Status status, String detail) {
    return new Resolution(status, List.of(), Optional.of(detail));
  }

  /** The only candidate of a RESOLVED (or single-candidate) outcome. */
  public Optional<Candidate> single() {
    return candidates.size() == 1 ? Optional.of(candidates.get(0)) : Optional.empty();
  }
}
