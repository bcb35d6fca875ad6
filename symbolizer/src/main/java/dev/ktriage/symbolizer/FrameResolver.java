package dev.ktriage.symbolizer;

import dev.ktriage.symbolizer.Resolution.Status;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.RandomAccess;
import java.util.function.BiConsumer;

/**
 * Turns {@code func+off/size} into candidates, the way the kernel's scripts/faddr2line does: the
 * address is recomputed from the symbol table (the printed absolute address is never trusted alone),
 * duplicate static names are told apart by kallsyms size, and {@code off == size} is accepted
 * (a call to a noreturn function at the very end of a function leaves that return address).
 *
 * <p>Stateless.
 */
final class FrameResolver {
  private FrameResolver() {
    // no instance
  }

  /** Symbols with the query's name, narrowed to those whose kallsyms size matches when it is given. */
  static int[] sizeMatches(SymbolTable symbols, FrameQuery q) {
    return sizeMatches(symbols, q, symbols.byName(q.function()));
  }

  /** Of {@code byName}, those whose kallsyms size is the query's; all of them when it gives none. */
  private static int[] sizeMatches(SymbolTable symbols, FrameQuery q, int[] byName) {
    if (q.size().isEmpty() || byName.length == 0) {
      return byName;
    }
    long want = q.size().getAsLong();
    int n = 0;
    for (int i : byName) {
      if (symbols.kallsymsSize(i) == want) {
        n++;
      }
    }
    if (n == byName.length) {
      return byName;
    }
    int[] out = new int[n];
    n = 0;
    for (int i : byName) {
      if (symbols.kallsymsSize(i) == want) {
        out[n++] = i;
      }
    }
    return out;
  }

  /**
   * Adds the addresses {@link #resolve} would look up, given the symbols named as the query: none for
   * a frame naming more than {@code maxLocated} symbols unless the raw address and the slide pick one
   * (see {@link SymbolizerOptions#maxLocated()}).
   */
  static void addLookupAddresses(ObjectSymbols object, FrameQuery q, int[] byName, OptionalLong slide,
      int maxLocated, Symbolizer.Pcs out) {
    SymbolTable symbols = object.symbols();
    int[] matches = sizeMatches(symbols, q, byName);
    if (matches.length > maxLocated && inRange(symbols, q, matches).length > maxLocated) {
      int pick = pickByAddress(symbols, q, matches, slide);
      if (pick < 0) {
        return;
      }
      matches = new int[] {pick};
    }
    for (int i : matches) {
      long a = symbols.address(i) + q.offset();
      out.add(q.returnAddress() ? a - 1 : a);
      if (fallsBack(q)) {
        out.add(a - 1);
      }
    }
  }

  /** Of {@code matches}, those whose kallsyms size the query's offset does not exceed. */
  private static int[] inRange(SymbolTable symbols, FrameQuery q, int[] matches) {
    int[] in = new int[matches.length];
    int n = 0;
    for (int i : matches) {
      // off == size is legal for return addresses (see class comment).
      if (Long.compareUnsigned(q.offset(), symbols.kallsymsSize(i)) <= 0) {
        in[n++] = i;
      }
    }
    return n == in.length ? in : Arrays.copyOf(in, n);
  }

  /** The one of {@code idx} at the query's raw address less the slide, or -1. */
  private static int pickByAddress(SymbolTable symbols, FrameQuery q, int[] idx, OptionalLong slide) {
    if (q.address().isEmpty() || slide.isEmpty()) {
      return -1;
    }
    long linkTime = q.address().getAsLong() - slide.getAsLong();
    for (int i : idx) {
      if (symbols.address(i) + q.offset() == linkTime) {
        return i;
      }
    }
    return -1;
  }

  /** Whether the query may fall back to the call before its address (a header with an offset). */
  private static boolean fallsBack(FrameQuery q) {
    return q.lookup() == FrameQuery.Lookup.EXACT_ELSE_CALL && q.offset() > 0;
  }

  /** Whether the innermost frame has a line. */
  private static boolean hasLine(List<SourceFrame> frames) {
    return !frames.isEmpty() && frames.get(0).line().isPresent();
  }

  /** Where a resolution gets the frames at a pc: the object itself, or answers decoded for a batch. */
  @FunctionalInterface
  interface FrameSource {
    List<SourceFrame> frames(long pc) throws DwarfFormatException;
  }

  static Resolution resolve(ObjectSymbols object, FrameQuery q, OptionalLong slide, int maxLocated,
      BiConsumer<String, DwarfFormatException> report) {
    return resolve(object, q, slide, maxLocated, report, object::frames, object.symbols().byName(q.function()));
  }

  /**
   * @param maxLocated see {@link SymbolizerOptions#maxLocated()}
   * @param byName the object's symbols named {@code q.function()} ({@link SymbolTable#byName})
   */
  static Resolution resolve(ObjectSymbols object, FrameQuery q, OptionalLong slide, int maxLocated,
      BiConsumer<String, DwarfFormatException> report, FrameSource source, int[] byName) {
    SymbolTable symbols = object.symbols();
    if (byName.length == 0) {
      return Resolution.failed(Status.UNKNOWN_SYMBOL, "no text symbol " + q.function() + " in " + object.name());
    }
    int[] matches = sizeMatches(symbols, q, byName);
    Status status = Status.RESOLVED;
    String detail = null;
    if (matches.length == 0) {
      status = Status.SIZE_MISMATCH;
      detail = new StringBuilder("no ").append(q.function()).append(" has size 0x")
          .append(Long.toHexString(q.size().getAsLong())).append(" (sizes: ").append(sizes(symbols, byName))
          .append(')').toString();
      matches = byName;
    }
    int[] inRange = inRange(symbols, q, matches);
    int nIn = inRange.length;
    if (nIn == 0) {
      return Resolution.failed(Status.OFFSET_OUT_OF_RANGE, new StringBuilder("offset 0x")
          .append(Long.toHexString(q.offset())).append(" beyond ").append(q.function()).append(" (size 0x")
          .append(Long.toHexString(symbols.kallsymsSize(matches[0]))).append(')').toString());
    }
    if (nIn > maxLocated) {
      int pick = pickByAddress(symbols, q, inRange, slide);
      if (pick < 0) {
        return unlocated(object, q, inRange, maxLocated);
      }
      inRange = new int[] {pick};
      nIn = 1;
    }
    Candidate[] found = new Candidate[nIn];
    boolean dwarfError = false;
    for (int k = 0; k < nIn; k++) {
      int i = inRange[k];
      long addr = symbols.address(i) + q.offset();
      long pc = q.returnAddress() ? addr - 1 : addr;
      List<SourceFrame> frames;
      try {
        frames = source.frames(pc);
        if (fallsBack(q) && !hasLine(frames)) {
          try {
            List<SourceFrame> before = source.frames(addr - 1);
            if (hasLine(before)) {
              frames = before;
              pc = addr - 1;
            }
          } catch (DwarfFormatException e) {
            // the answer at the address itself stands
          }
        }
      } catch (DwarfFormatException e) {
        report.accept(object.name(), e);
        frames = List.of(object.symbolFrame(pc));
        dwarfError = true;
        detail = e.getMessage();
      }
      found[k] = new Candidate(symbols.name(i), symbols.address(i), symbols.kallsymsSize(i), addr, pc,
          q.module(), object.sectionName(i), frames);
    }
    // Immutable lists throughout: the records holding them then need not copy.
    List<Candidate> candidates = List.of(found);
    if (candidates.size() > 1) {
      candidates = narrow(candidates, q, slide);
    }
    if (candidates.size() > 1) {
      // No String.format on this path: its first use loads locale data (tens of ms in a short run).
      return new Resolution(Status.AMBIGUOUS, candidates, Optional.of(new StringBuilder()
          .append(candidates.size()).append(" symbols named ").append(q.function()).append(" with size 0x")
          .append(Long.toHexString(symbols.kallsymsSize(inRange[0]))).append(" resolve to different places")
          .toString()));
    }
    if (status == Status.RESOLVED && dwarfError) {
      status = Status.DEBUG_INFO_ERROR;
    } else if (status == Status.RESOLVED && !object.hasDebugInfo()) {
      status = Status.NO_DEBUG_INFO;
      detail = object.name() + " has no dwarf";
    }
    return new Resolution(status, candidates, Optional.ofNullable(detail));
  }

  /**
   * A frame naming more than {@code maxLocated} symbols, none picked by its raw address: every
   * candidate with its symbol only, nothing decoded. The candidates are made when read
   * ({@link Unlocated}): addr2line prints the first only, and a KASAN kernel's frame naming one of
   * its ~440 same-name constructors made 440 of them (100k frames drawn by name: 2.9 million
   * candidates, 600 MB of heap, for 6,500 frames printed as one line each).
   */
  private static Resolution unlocated(ObjectSymbols object, FrameQuery q, int[] idx, int maxLocated) {
    SymbolTable symbols = object.symbols();
    return new Resolution(Status.AMBIGUOUS, new Unlocated(object, q, idx), Optional.of(new StringBuilder()
        .append(idx.length).append(" symbols named ").append(q.function()).append(" with size 0x")
        .append(Long.toHexString(symbols.kallsymsSize(idx[0]))).append(", more than ").append(maxLocated)
        .append(": not located (a raw address with a known kaslr slide picks one)").toString()), false);
  }

  /**
   * The candidates of an unlocated frame, each made (symbol only) when read; unmodifiable, as
   * {@link Resolution#candidates()} is ({@link AbstractList} refuses changes).
   */
  static final class Unlocated extends AbstractList<Candidate> implements RandomAccess {
    private final ObjectSymbols object;
    private final FrameQuery q;
    private final int[] idx;

    Unlocated(ObjectSymbols object, FrameQuery q, int[] idx) {
      this.object = object;
      this.q = q;
      this.idx = idx.clone();
    }

    @Override
    public Candidate get(int k) {
      SymbolTable symbols = object.symbols();
      int i = idx[k];
      long addr = symbols.address(i) + q.offset();
      long pc = q.returnAddress() ? addr - 1 : addr;
      return new Candidate(symbols.name(i), symbols.address(i), symbols.kallsymsSize(i), addr, pc,
          q.module(), object.sectionName(i), List.of(object.symbolFrame(pc)));
    }

    @Override
    public int size() {
      return idx.length;
    }
  }

  private static String sizes(SymbolTable symbols, int[] idx) {
    StringBuilder b = new StringBuilder();
    for (int i : idx) {
      if (b.length() > 0) {
        b.append(", ");
      }
      b.append("0x").append(Long.toHexString(symbols.kallsymsSize(i)));
    }
    return b.toString();
  }

  /**
   * Duplicates that resolve to identical frames are one answer; otherwise a raw address plus a
   * known slide names the right copy.
   */
  private static List<Candidate> narrow(List<Candidate> candidates, FrameQuery q, OptionalLong slide) {
    boolean allSame = true;
    for (Candidate c : candidates) {
      allSame &= c.frames().equals(candidates.get(0).frames());
    }
    if (allSame) {
      return List.of(candidates.get(0));
    }
    if (q.address().isPresent() && slide.isPresent()) {
      long linkTime = q.address().getAsLong() - slide.getAsLong();
      for (Candidate c : candidates) {
        if (c.address() == linkTime) {
          return List.of(c);
        }
      }
    }
    return candidates;
  }

  private static String hex16(long v) {
    String h = Long.toHexString(v);
    return "0000000000000000".substring(h.length()).concat(h);
  }

  static Resolution resolveAddress(ObjectSymbols object, long address, boolean returnAddress,
      BiConsumer<String, DwarfFormatException> report) {
    int s = object.symbols().symbolAt(address);
    if (s < 0) {
      return Resolution.failed(Status.UNKNOWN_ADDRESS,
          new StringBuilder("no symbol at 0x").append(hex16(address)).append(" in ").append(object.name())
              .toString());
    }
    long pc = returnAddress ? address - 1 : address;
    List<SourceFrame> frames;
    Status status = object.hasDebugInfo() ? Status.RESOLVED : Status.NO_DEBUG_INFO;
    String detail = object.hasDebugInfo() ? null : object.name() + " has no dwarf";
    try {
      frames = object.frames(pc);
    } catch (DwarfFormatException e) {
      report.accept(object.name(), e);
      frames = List.of(object.symbolFrame(pc));
      status = Status.DEBUG_INFO_ERROR;
      detail = e.getMessage();
    }
    SymbolTable symbols = object.symbols();
    Candidate c = new Candidate(symbols.name(s), symbols.address(s), symbols.kallsymsSize(s), address, pc,
        Optional.empty(), object.sectionName(s), frames);
    return new Resolution(status, List.of(c), Optional.ofNullable(detail));
  }
}
