package dev.ktriage.cli.symbolize;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.render.SourceText;
import dev.ktriage.symbolizer.IndexState;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.Symbolizer;
import dev.ktriage.symbolizer.SymbolizerOptions;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.load.ModuleLocator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An opened {@link Symbolizer} as a command uses it: the checks and one-line errors around opening
 * it, the notices about its cache and debug info, the build-id comparisons with what the log says,
 * and the end-of-run summary of frames that could not be resolved.
 *
 * <p>Not thread-safe: one command's thread uses it (the symbolizer's own threads only reach
 * {@link #notices}).
 */
public final class SymbolizerSession implements AutoCloseable {

  // A run that decoded this share of the units did a quarter of an index build's work: the next
  // such run would too (1,000 random frames touch ~28% of a distribution kernel's units, a
  // 30-frame report a few).
  private static final double LARGE_SHARE = 0.25;

  private final Symbolizer symbolizer;
  private final String label;
  private final Notices notices;
  private final Optional<Path> modulesDir;
  private final Optional<Path> cacheDir;
  private final boolean modulesGuessed;
  private final SourceText text;
  private final ModuleBuildIds moduleBuildIds;
  private final Map<Resolution.Status, Integer> failures = new EnumMap<>(Resolution.Status.class);
  private final Map<Resolution.Status, String> firstFailure = new EnumMap<>(Resolution.Status.class);

  private SymbolizerSession(Symbolizer symbolizer, String label, Notices notices, SymbolizerOptions options,
      boolean modulesGuessed) {
    this.symbolizer = symbolizer;
    this.label = label;
    this.notices = notices;
    this.modulesDir = options.modulesDirectory();
    this.moduleBuildIds = new ModuleBuildIds(modulesDir);
    this.cacheDir = options.cacheDirectory();
    this.modulesGuessed = modulesGuessed;
    this.text = new SourceText(!options.rawPaths() && options.stripPrefix().isEmpty());
  }

  /**
   * Opens the vmlinux the options name. Problems that make it unusable are an
   * {@link InputException} with one line such as {@code vmlinux: not an ELF file (bad magic)}.
   */
  public static SymbolizerSession open(Path vmlinux, VmlinuxOptions flags, PrintWriter err) throws InputException {
    String label = vmlinux.toString();
    checkReadable(vmlinux);
    Notices notices = new Notices();
    // The index is never built before answering: a small input is answered from DWARF sooner than
    // an index is built (see indexAfterwards).
    SymbolizerOptions options = flags.toOptions(notices).withIndexBuild(SymbolizerOptions.IndexBuild.NEVER);
    Symbolizer s;
    try {
      s = Symbolizer.open(vmlinux, options);
    } catch (ElfFormatException e) {
      throw new InputException(label + ": " + describe(e), e);
    } catch (IOException e) {
      throw new InputException(label + ": cannot read: " + e.getMessage(), e);
    }
    SymbolizerSession session = new SymbolizerSession(s, label, notices, options,
        flags.guessedModules().isPresent());
    session.openingNotices();
    notices.flush(err);
    return session;
  }

  /** The one-line problem that makes {@code vmlinux} unusable before it is opened, if any. */
  public static void checkReadable(Path vmlinux) throws InputException {
    String label = vmlinux.toString();
    if (Files.isDirectory(vmlinux)) {
      throw new InputException(label + ": is a directory (--vmlinux takes the kernel ELF file)");
    }
    if (!Files.exists(vmlinux)) {
      throw new InputException(label + ": no such file");
    }
    if (!Files.isReadable(vmlinux)) {
      throw new InputException(label + ": permission denied");
    }
  }

  /** The one-line reason an ELF file cannot be used. */
  public static String describe(ElfFormatException e) {
    String detail = e.getMessage().replaceAll("\\belf\\b", "ELF");
    return switch (e.kind()) {
      case NOT_ELF -> "not an ELF file (bad magic)";
      case TRUNCATED -> "truncated ELF file (" + detail + ")";
      case UNSUPPORTED -> "unsupported ELF file (" + detail + ")";
      default -> "damaged ELF file (" + detail + ")";
    };
  }

  private void openingNotices() {
    if (!symbolizer.hasDebugInfo()) {
      notices.warn("no-dwarf", label + " has no DWARF debug info: frames keep function+offset only "
          + "(raw addresses still get one); use the image with debug info (a -dbg package, CONFIG_DEBUG_INFO)");
    }
  }

  /**
   * After the answer: builds the index in the background when it pays, and says so in one line. It
   * pays on a later run against the same vmlinux (the first run only remembers it), or when this run
   * has decoded a large share of the DWARF already (a large input: the next one would too).
   */
  public void indexAfterwards() {
    IndexState st = symbolizer.indexState();
    if (st.status() != IndexState.Status.MISSING || st.file().isEmpty() || cacheDir.isEmpty()
        || !symbolizer.hasDebugInfo()) {
      return;
    }
    double share = symbolizer.decodedShare();
    String why;
    if (st.seenBefore()) {
      why = "a later run against it";
    } else if (share >= LARGE_SHARE) {
      why = new StringBuilder("this run decoded ").append(Math.round(share * 100)).append("% of its debug info")
          .toString();
    } else {
      return;
    }
    if (!BackgroundIndexer.enabled()) {
      return;
    }
    if (BackgroundIndexer.start(symbolizer.path(), cacheDir.get(), st.file().get()).isPresent()) {
      notices.warn("indexing", "building the symbol index of " + label + " in the background (" + why
          + "); later runs start fast");
    } else {
      notices.warn("indexing", "could not start building the symbol index of " + label + "; 'ktriage index "
          + label + "' builds it");
    }
  }

  public Symbolizer symbolizer() {
    return symbolizer;
  }

  public Notices notices() {
    return notices;
  }

  /** How locations are printed. */
  public SourceText text() {
    return text;
  }

  /** Warns (once per id) when the log's kernel build id is not the vmlinux's. */
  void checkKernelBuildId(String logBuildId) {
    Optional<String> ours = symbolizer.buildId();
    if (ours.isEmpty() || ours.get().equalsIgnoreCase(logBuildId)) {
      return;
    }
    notices.warn("buildid:" + logBuildId.toLowerCase(Locale.ROOT), "build id mismatch: the log's kernel is "
        + logBuildId.toLowerCase(Locale.ROOT) + ", " + label + " is " + ours.get()
        + "; source lines are likely wrong");
  }

  /**
   * Warns (once per module) when a {@code [module buildid]} frame names another build of the module
   * (symbolize refuses such a log before it starts, {@link LogIdentity#moduleMismatch}, as far as it
   * looks; this is for the frames past that, and for the commands that only warn).
   */
  void checkModuleBuildId(String module, String logBuildId) {
    Optional<ModuleBuildIds.Found> ours = moduleBuildIds.of(module);
    if (ours.isEmpty() || ours.get().buildId().equalsIgnoreCase(logBuildId)) {
      return;
    }
    notices.warn("modbuildid:" + ModuleLocator.canonical(module), "build id mismatch: the log's module " + module
        + " is " + logBuildId.toLowerCase(Locale.ROOT) + ", the one under " + modulesDir.get() + " is "
        + ours.get().buildId() + "; its source lines are likely wrong");
  }

  /** Counts a frame the symbolizer could not place, and warns once per missing module. */
  public void note(Resolution r, Optional<String> module, String frameText) {
    switch (r.status()) {
      case UNKNOWN_MODULE -> {
        String m = module.orElse("?");
        String why = modulesDir.isEmpty() ? "no --modules DIR given"
            : modulesGuessed ? "not found under " + modulesDir.get() + " (the modules beside the vmlinux; --modules DIR names others)"
            : "not found under " + modulesDir.get();
        notices.warn("module:" + m, "module " + m + ": " + why + "; its frames are left as they are");
      }
      case UNKNOWN_SYMBOL, OFFSET_OUT_OF_RANGE, SIZE_MISMATCH, AMBIGUOUS -> {
        failures.merge(r.status(), 1, Integer::sum);
        // No + on this path (nor on opening's): the first indy string concatenation of a run
        // bootstraps method handles (docs/performance.md#the-launcher).
        if (!firstFailure.containsKey(r.status())) {
          firstFailure.put(r.status(), frameText.concat(": ").concat(r.detail().orElse(r.status().name())));
        }
      }
      default -> { }
    }
  }

  /**
   * Prints the pending notices and one line per kind of frame that did not match the vmlinux; then,
   * the answer being out, starts the index build when it pays.
   */
  public void finish(PrintWriter err) {
    // StringBuilder, not +: see note().
    for (Map.Entry<Resolution.Status, Integer> e : failures.entrySet()) {
      int n = e.getValue();
      StringBuilder what = new StringBuilder();
      if (n == 1) {
        what.append("1 frame names");
      } else {
        what.append(n).append(" frames name");
      }
      switch (e.getKey()) {
        case UNKNOWN_SYMBOL -> what.append(" a function that ").append(label).append(" does not have (left as they are)");
        case OFFSET_OUT_OF_RANGE -> what.append(" an offset beyond the end of its function in ").append(label)
            .append(" (left as they are)");
        case AMBIGUOUS -> what.append(" a function that ").append(label)
            .append(" has several different copies of, and nothing in the log tells them apart");
        default -> what.append(" a function whose size differs in ").append(label).append(" (resolved anyway)");
      }
      what.append(e.getKey() == Resolution.Status.AMBIGUOUS ? "; first: "
          : "; is this the kernel that wrote the log? first: ").append(firstFailure.get(e.getKey()));
      notices.warn("summary:".concat(e.getKey().name()), what.toString());
    }
    failures.clear();
    indexAfterwards();
    notices.finish(err);
  }

  @Override
  public void close() throws IOException {
    symbolizer.close();
  }
}
