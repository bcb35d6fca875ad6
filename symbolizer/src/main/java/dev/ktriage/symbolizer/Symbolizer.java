package dev.ktriage.symbolizer;

import dev.ktriage.symbolizer.Resolution.Status;
import dev.ktriage.symbolizer.cache.IndexDirectory;
import dev.ktriage.symbolizer.dwarf.AddressSearch;
import dev.ktriage.symbolizer.dwarf.DwarfFormatException;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.load.ModuleLocator;
import dev.ktriage.symbolizer.load.ObjectLoader;
import dev.ktriage.symbolizer.symbolize.DebugInfo;
import dev.ktriage.symbolizer.symbolize.ObjectSymbols;
import dev.ktriage.symbolizer.symbolize.PathStyle;
import dev.ktriage.symbolizer.symbolize.SymbolTable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * Resolves kernel stack frames against a vmlinux (and its modules) to functions, source lines and
 * inline chains. See the package documentation for how to use it.
 *
 * <p>Thread-safe: lookups may come from several threads; {@link #close()} must not race them.
 */
public final class Symbolizer implements AutoCloseable {
  private final Path vmlinuxPath;
  private final SymbolizerOptions options;
  private final ObjectSymbols vmlinux;
  private final AutoCloseable vmlinuxResource;
  private final PathStyle paths;
  private final Optional<ModuleLocator> modules;
  private final Map<String, ModuleSlot> moduleSlots = new HashMap<>();
  private final IndexState indexState;
  private final java.util.function.BiConsumer<String, DwarfFormatException> reporter = this::report;

  /** A module's loaded object, or why it could not be loaded. */
  private record ModuleSlot(ObjectSymbols object, AutoCloseable resource, Status failure, String detail) {}

  private Symbolizer(Path vmlinuxPath, SymbolizerOptions options, ObjectSymbols vmlinux, AutoCloseable resource,
      PathStyle paths, IndexState indexState) {
    this.vmlinuxPath = vmlinuxPath;
    this.indexState = indexState;
    this.options = options;
    this.vmlinux = vmlinux;
    this.vmlinuxResource = resource;
    this.paths = paths;
    this.modules = options.modulesDirectory().map(ModuleLocator::new);
  }

  /**
   * Opens a vmlinux (or any ELF file with symbols).
   *
   * @throws IOException if the file cannot be read
   * @throws ElfFormatException if it is not ELF or its headers are damaged
   */
  public static Symbolizer open(Path vmlinux, SymbolizerOptions options) throws IOException, ElfFormatException {
    PathStyle paths = new PathStyle(options.rawPaths(), options.stripPrefix());
    String label = vmlinux.toString();
    Consumer<String> problems = problemSink(options.diagnostics(), label);
    ObjectLoader.Opened opened = ObjectLoader.open(vmlinux, problems);
    try {
      Loading.Loaded loaded = Loading.vmlinux(label, opened.elf(), paths, options, problems);
      return new Symbolizer(vmlinux, options, loaded.object(), opened.resource(), paths, loaded.index());
    } catch (IOException | ElfFormatException | RuntimeException e) {
      closeQuietly(opened.resource(), e);
      throw e;
    }
  }

  static Consumer<String> problemSink(Diagnostics d, String object) {
    return msg -> d.report(new Diagnostics.Diagnostic(
        msg.startsWith("cache:") ? Diagnostics.Kind.CACHE
            : msg.contains("skipped") && msg.contains("relocation") ? Diagnostics.Kind.SKIPPED
            : Diagnostics.Kind.CORRUPT_DEBUG_INFO,
        object, msg.startsWith("cache:") ? msg.substring(6).trim() : msg));
  }

  private static void closeQuietly(AutoCloseable c, Exception primary) {
    try {
      c.close();
    } catch (Exception e) {
      primary.addSuppressed(e);
    }
  }

  /** What the persistent index did for this open (see {@link SymbolizerOptions#indexBuild()}). */
  public IndexState indexState() {
    return indexState;
  }

  /**
   * The share of the vmlinux's units this symbolizer has decoded from DWARF so far (0 when answers
   * come from an index): how much of an index build a run has already paid for.
   */
  public double decodedShare() {
    return vmlinux.debugInfo() instanceof dev.ktriage.symbolizer.symbolize.LiveDebugInfo live
        ? live.decodedShare() : 0;
  }

  /**
   * What {@link #buildIndex} did, and the index file (empty when the vmlinux has no build-id).
   */
  public record IndexResult(IndexOutcome outcome, Optional<Path> file) {}

  /** What {@link #buildIndex} did. */
  public enum IndexOutcome {
    /** The index was built. */
    BUILT,
    /** A valid index was already there. */
    UP_TO_DATE,
    /** Another process is building it ({@code wait} false). */
    BUSY,
    /** Nothing to build: the vmlinux has no build-id or no DWARF, or the index path is not a regular file. */
    NOT_INDEXABLE
  }

  /**
   * Builds the persistent index of {@code vmlinux} in {@code options}' cache directory (all units
   * decoded on {@link SymbolizerOptions#threads()} threads), under a lock that other builders of
   * the same build-id respect; does nothing when a valid index is there.
   *
   * @param wait whether to wait for another process building the same index; without, such a
   *     build is left to it ({@link IndexOutcome#BUSY})
   * @throws IllegalArgumentException without a cache directory in {@code options}
   * @throws IOException if the vmlinux cannot be read or the index cannot be written
   * @throws ElfFormatException if it is not ELF or its headers are damaged
   */
  public static IndexResult buildIndex(Path vmlinux, SymbolizerOptions options, boolean wait)
      throws IOException, ElfFormatException {
    Path dir = options.cacheDirectory().orElseThrow(() -> new IllegalArgumentException("no cache directory"));
    String label = vmlinux.toString();
    Consumer<String> problems = problemSink(options.diagnostics(), label);
    ObjectLoader.Opened opened = ObjectLoader.open(vmlinux, problems);
    try {
      Optional<String> id = opened.elf().buildId();
      if (id.isEmpty()) {
        return new IndexResult(IndexOutcome.NOT_INDEXABLE, Optional.empty());
      }
      IndexDirectory files = new IndexDirectory(dir, id.get());
      Optional<Path> file = Optional.of(files.index());
      if (files.indexPathUnusable()) {
        problems.accept("cache: " + files.index() + " is not a regular file; not using the index");
        return new IndexResult(IndexOutcome.NOT_INDEXABLE, file);
      }
      PathStyle paths = new PathStyle(options.rawPaths(), options.stripPrefix());
      ObjectSymbols live = ObjectSymbols.live(label, opened.elf(), paths, problems);
      if (!live.hasDebugInfo()) {
        return new IndexResult(IndexOutcome.NOT_INDEXABLE, file);
      }
      return new IndexResult(switch (Loading.build(files, id.get(), opened.elf().size(), live, options.threads(),
          wait)) {
        case BUILT -> IndexOutcome.BUILT;
        case UP_TO_DATE -> IndexOutcome.UP_TO_DATE;
        case BUSY -> IndexOutcome.BUSY;
      }, file);
    } finally {
      try {
        opened.resource().close();
      } catch (Exception e) {
        // read-only mapping: nothing lost
      }
    }
  }

  /** The vmlinux's GNU build-id (lowercase hex), to compare with the one a crash log prints. */
  public Optional<String> buildId() {
    return vmlinux.elf().buildId();
  }

  /** Whether the vmlinux has DWARF (else resolutions carry symbols only). */
  public boolean hasDebugInfo() {
    return vmlinux.hasDebugInfo();
  }

  /** The path this symbolizer was opened on. */
  public Path path() {
    return vmlinuxPath;
  }

  /**
   * Source frames at a vmlinux link-time address, innermost first; never empty (a frame with only a
   * symbol name, or with function "" when nothing is known).
   *
   * @param returnAddress true to look up {@code address - 1} (call-trace frames)
   */
  public List<SourceFrame> frames(long address, boolean returnAddress) {
    long pc = returnAddress ? address - 1 : address;
    try {
      return vmlinux.frames(pc);
    } catch (DwarfFormatException e) {
      report(vmlinux.name(), e);
      return List.of(vmlinux.symbolFrame(pc));
    }
  }

  /** Resolves one frame without a KASLR slide (raw addresses are then not used). */
  public Resolution resolve(FrameQuery query) {
    return resolve(query, OptionalLong.empty());
  }

  /**
   * Resolves one frame.
   *
   * @param slide the KASLR slide (runtime minus link-time address) of the object the frame is in, if
   *     known (see {@link #inferSlide}); with the frame's raw address it picks among duplicates
   */
  public Resolution resolve(FrameQuery query, OptionalLong slide) {
    ObjectSymbols object;
    if (query.module().isPresent()) {
      ModuleSlot slot = module(query.module().get());
      if (slot.object() == null) {
        return Resolution.failed(slot.failure(), slot.detail());
      }
      object = slot.object();
    } else {
      object = vmlinux;
    }
    return FrameResolver.resolve(object, query, slide, options.maxLocated(), reporter);
  }

  /**
   * Resolves a whole trace: infers the vmlinux KASLR slide from its frames, decodes the DWARF units
   * the frames need on {@link SymbolizerOptions#threads()} threads, then resolves each frame.
   */
  public List<Resolution> resolveAll(List<FrameQuery> queries) {
    OptionalLong slide = inferSlide(queries);
    int n = queries.size();
    // Per query: its object (null when its module failed to load) and its symbols by name, looked up
    // once for both the decoding pass and the resolution.
    ObjectSymbols[] objects = new ObjectSymbols[n];
    int[][] byName = new int[n][];
    Map<ObjectSymbols, Pcs> pcs = new HashMap<>();
    Pcs vmlinuxPcs = new Pcs();
    for (int i = 0; i < n; i++) {
      FrameQuery q = queries.get(i);
      ObjectSymbols object = vmlinux;
      if (q.module().isPresent()) {
        ModuleSlot slot = module(q.module().get());
        if (slot.object() == null) {
          continue;
        }
        object = slot.object();
      }
      objects[i] = object;
      byName[i] = object.symbols().byName(q.function());
      Pcs list = object == vmlinux ? vmlinuxPcs : pcs.computeIfAbsent(object, k -> new Pcs());
      FrameResolver.addLookupAddresses(object, q, byName[i],
          q.module().isPresent() ? OptionalLong.empty() : slide, options.maxLocated(), list);
    }
    if (vmlinuxPcs.n > 0) {
      pcs.put(vmlinux, vmlinuxPcs);
    }
    Map<ObjectSymbols, Decoded> decoded = new HashMap<>();
    for (Map.Entry<ObjectSymbols, Pcs> e : pcs.entrySet()) {
      long[] sorted = e.getValue().sortedDistinct();
      decoded.put(e.getKey(), new Decoded(e.getKey(), sorted,
          e.getKey().debugInfo().framesAll(sorted, options.threads())));
    }
    List<Resolution> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      FrameQuery q = queries.get(i);
      ObjectSymbols object = objects[i];
      if (object == null) {
        ModuleSlot slot = module(q.module().get());
        out.add(Resolution.failed(slot.failure(), slot.detail()));
        continue;
      }
      OptionalLong s = q.module().isPresent() ? OptionalLong.empty() : slide;
      FrameResolver.FrameSource source = decoded.get(object);
      out.add(FrameResolver.resolve(object, q, s, options.maxLocated(), reporter,
          source != null ? source : object::frames, byName[i]));
    }
    return out;
  }

  /** A growable list of addresses. */
  static final class Pcs {
    long[] a = new long[64];
    int n;

    void add(long pc) {
      if (n == a.length) {
        a = Arrays.copyOf(a, n * 2);
      }
      a[n++] = pc;
    }

    /** The addresses ascending (unsigned), without duplicates. */
    long[] sortedDistinct() {
      long[] pcs = Arrays.copyOf(a, n);
      // Ascending unsigned: sort with the sign bit flipped.
      for (int i = 0; i < pcs.length; i++) {
        pcs[i] ^= Long.MIN_VALUE;
      }
      Arrays.sort(pcs);
      int m = 0;
      for (int i = 0; i < pcs.length; i++) {
        if (m == 0 || pcs[m - 1] != pcs[i]) {
          pcs[m++] = pcs[i];
        }
      }
      for (int i = 0; i < m; i++) {
        pcs[i] ^= Long.MIN_VALUE;
      }
      return Arrays.copyOf(pcs, m);
    }
  }

  /** The frames of a batch's addresses in one object, decoded up front (sorted distinct pcs). */
  private static final class Decoded implements FrameResolver.FrameSource {
    private final ObjectSymbols object;
    private final long[] pcs;
    private final DebugInfo.Batch batch;

    Decoded(ObjectSymbols object, long[] pcs, DebugInfo.Batch batch) {
      this.object = object;
      this.pcs = pcs;
      this.batch = batch;
    }

    @Override
    public List<SourceFrame> frames(long pc) throws DwarfFormatException {
      int i = AddressSearch.indexOf(pcs, pc);
      if (i < 0) {
        return object.frames(pc);
      }
      if (batch.errors()[i] != null) {
        throw batch.errors()[i];
      }
      return object.complete(pc, batch.frames()[i]);
    }
  }

  /**
   * Resolves a raw vmlinux address (a frame printed without {@code func+off}).
   *
   * @param slide the KASLR slide, from {@link #inferSlide} or a {@code Kernel Offset:} line (0 without
   *     KASLR)
   */
  public Resolution resolveAddress(long rawAddress, long slide, boolean returnAddress) {
    return FrameResolver.resolveAddress(vmlinux, rawAddress - slide, returnAddress, this::report);
  }

  /**
   * The KASLR slide (raw minus link-time address) that most vmlinux frames with both a raw address
   * and an unambiguous {@code func+off} agree on; empty when no frame has both.
   */
  public OptionalLong inferSlide(Collection<FrameQuery> queries) {
    Map<Long, Integer> votes = new LinkedHashMap<>();
    SymbolTable symbols = vmlinux.symbols();
    for (FrameQuery q : queries) {
      if (q.module().isPresent() || q.address().isEmpty()) {
        continue;
      }
      int[] matches = FrameResolver.sizeMatches(symbols, q);
      if (matches.length != 1) {
        continue;
      }
      long slide = q.address().getAsLong() - (symbols.address(matches[0]) + q.offset());
      votes.merge(slide, 1, Integer::sum);
    }
    // The first slide with the most votes (a loop: no stream machinery on the start-up path).
    OptionalLong best = OptionalLong.empty();
    int bestVotes = 0;
    for (Map.Entry<Long, Integer> e : votes.entrySet()) {
      if (e.getValue() > bestVotes) {
        bestVotes = e.getValue();
        best = OptionalLong.of(e.getKey());
      }
    }
    return best;
  }

  private void report(String object, DwarfFormatException e) {
    options.diagnostics().report(new Diagnostics.Diagnostic(Diagnostics.Kind.CORRUPT_DEBUG_INFO, object,
        e.getMessage()));
  }

  private synchronized ModuleSlot module(String name) {
    String key = ModuleLocator.canonical(name);
    ModuleSlot slot = moduleSlots.get(key);
    if (slot != null) {
      return slot;
    }
    slot = loadModule(name);
    moduleSlots.put(key, slot);
    return slot;
  }

  private ModuleSlot loadModule(String name) {
    if (modules.isEmpty()) {
      return new ModuleSlot(null, null, Status.UNKNOWN_MODULE, "no modules directory given for module " + name);
    }
    Optional<Path> path;
    try {
      path = modules.get().find(name);
    } catch (IOException e) {
      return moduleFailure(name, "cannot search modules directory: " + e.getMessage());
    }
    if (path.isEmpty()) {
      return new ModuleSlot(null, null, Status.UNKNOWN_MODULE, "module " + name + " not found");
    }
    String label = path.get().toString();
    Consumer<String> problems = problemSink(options.diagnostics(), label);
    try {
      ObjectLoader.Opened opened = ObjectLoader.open(path.get(), problems);
      try {
        ObjectSymbols object = ObjectSymbols.live(ModuleLocator.canonical(name), opened.elf(), paths, problems);
        return new ModuleSlot(object, opened.resource(), null, null);
      } catch (IOException | ElfFormatException | RuntimeException e) {
        closeQuietly(opened.resource(), e);
        throw e;
      }
    } catch (IOException | ElfFormatException e) {
      return moduleFailure(name, label + ": " + e.getMessage());
    }
  }

  private ModuleSlot moduleFailure(String name, String detail) {
    options.diagnostics().report(new Diagnostics.Diagnostic(Diagnostics.Kind.MODULE, name, detail));
    return new ModuleSlot(null, null, Status.UNKNOWN_MODULE, detail.toLowerCase(Locale.ROOT).isEmpty() ? name : detail);
  }

  @Override
  public void close() throws IOException {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(vmlinuxResource);
    synchronized (this) {
      for (ModuleSlot s : moduleSlots.values()) {
        if (s.resource() != null) {
          all.add(s.resource());
        }
      }
      moduleSlots.clear();
    }
    IOException first = null;
    for (AutoCloseable c : all) {
      try {
        c.close();
      } catch (Exception e) {
        if (first == null) {
          first = e instanceof IOException io ? io : new IOException(e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
