package dev.ktriage.symbolizer;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One place a frame may resolve to.
 *
 * @param symbol the ELF symbol's name
 * @param symbolAddress the symbol's link-time address (for modules: in the synthetic section layout,
 *     see {@link #section})
 * @param symbolSize the symbol's kallsyms size
 * @param address {@code symbolAddress + offset}: the address the frame names
 * @param lookupAddress the address looked up: {@code address - 1} for return addresses
 * @param module the module, empty for vmlinux
 * @param section the ELF section of the symbol (matters for modules, where every section starts at 0)
 * @param frames source frames at {@code lookupAddress}, innermost first; never empty
 */
public record Candidate(String symbol, long symbolAddress, long symbolSize, long address, long lookupAddress,
    Optional<String> module, String section, List<SourceFrame> frames) {

  public Candidate {
    Objects.requireNonNull(symbol);
    Objects.requireNonNull(module);
    Objects.requireNonNull(section);
    frames = List.copyOf(frames);
  }
}
