package dev.ktriage.cli.symbolize;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.symbolizer.FrameQuery;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.elf.ElfSection;
import dev.ktriage.symbolizer.elf.ElfSymbol;
import dev.ktriage.symbolizer.load.ObjectLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The kernels of {@code ingest --vmlinux-dir DIR}: every ELF file under DIR (any name, searched
 * recursively) with the {@code linux_banner} it holds, and which of them wrote a report, decided in
 * this order:
 *
 * <ol>
 *   <li>the build id {@code dump_stack_print_info()} appends to the {@code CPU:} line
 *       (CONFIG_STACKTRACE_BUILD_ID) equals the vmlinux's GNU build id;
 *   <li>the log's {@code Linux version ...} line (the last one before the report: a log can hold several
 *       boots) is the vmlinux's {@code linux_banner}, which init/version.c prints at boot;
 *   <li>the release and {@code #N} of the report's {@code CPU: ... <release> #N} line are the banner's,
 *       and the report's {@code +off/size} frames fit the vmlinux's symbols (a gcc and a clang build of
 *       one tree print the same {@code release #N}, but not the same function sizes).
 * </ol>
 *
 * <p>Each vmlinux is opened once, on first use, with the options of the other symbolizing commands (its
 * index cached per build id); reports of logs no vmlinux matches stay unsymbolized and are counted.
 * Thread-safe: matching only reads, and each kernel's session is used under its own lock.
 */
public final class VmlinuxDirectory implements AutoCloseable {

  /** One vmlinux of the directory. */
  record Kernel(Path path, Optional<String> buildId, String banner, String release, String version) {}

  /** Which kernel wrote a report, and how that was decided. */
  public record Match(Kernel kernel, String how) {}

  private static final Pattern BANNER = Pattern.compile("Linux version (\\S+) .*?(#\\S+)");
  private static final Pattern BUILD_ID = Pattern.compile("(?:^|\\s)([0-9a-f]{40})(?:\\s|$)");

  private final Path dir;
  private final List<Kernel> kernels;
  private final VmlinuxOptions flags;
  private final PrintWriter err;
  private final Map<Path, Opened> sessions = new HashMap<>();

  /** A kernel's session and its symbolizer, used under the session's lock. */
  private record Opened(SymbolizerSession session, FrameSymbolizer frames) {}

  private VmlinuxDirectory(Path dir, List<Kernel> kernels, VmlinuxOptions flags, PrintWriter err) {
    this.dir = dir;
    this.kernels = List.copyOf(kernels);
    this.flags = flags;
    this.err = err;
  }

  /**
   * Reads the banner and build id of every ELF file under {@code dir} that holds a {@code linux_banner}.
   *
   * @throws InputException if {@code dir} is not a readable directory or holds no kernel
   */
  public static VmlinuxDirectory scan(Path dir, VmlinuxOptions flags, PrintWriter err) throws InputException {
    if (!Files.isDirectory(dir)) {
      throw new InputException(dir + ": not a directory (--vmlinux-dir takes a directory of vmlinux files)");
    }
    List<Kernel> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        kernel(p).ifPresent(found::add);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new InputException(dir + ": cannot read: " + e.getMessage(), e);
    }
    if (found.isEmpty()) {
      throw new InputException(dir + ": no vmlinux (an ELF file with a linux_banner) in it");
    }
    return new VmlinuxDirectory(dir, found, flags, err);
  }

  /** The kernel in an ELF file, or empty for a file that is not a kernel (anything else in DIR). */
  static Optional<Kernel> kernel(Path p) {
    if (!isElf(p)) {
      return Optional.empty();
    }
    ObjectLoader.Opened opened = null;
    try {
      opened = ObjectLoader.open(p, w -> { });
      ElfFile elf = opened.elf();
      Optional<String> banner = banner(elf);
      if (banner.isEmpty()) {
        return Optional.empty();
      }
      Matcher m = BANNER.matcher(banner.get());
      if (!m.find()) {
        return Optional.empty();
      }
      return Optional.of(new Kernel(p, elf.buildId(), banner.get(), m.group(1), m.group(2)));
    } catch (IOException | ElfFormatException | RuntimeException e) {
      return Optional.empty(); // a damaged or foreign file in DIR is not a kernel
    } finally {
      if (opened != null) {
        try {
          opened.resource().close();
        } catch (Exception e) {
          // read only; nothing to lose
        }
      }
    }
  }

  private static boolean isElf(Path p) {
    try (var in = Files.newInputStream(p)) {
      byte[] magic = in.readNBytes(4);
      return magic.length == 4 && magic[0] == 0x7f && magic[1] == 'E' && magic[2] == 'L' && magic[3] == 'F';
    } catch (IOException e) {
      return false;
    }
  }

  /** The NUL-terminated {@code linux_banner} string (init/version.c), without its newline. */
  private static Optional<String> banner(ElfFile elf) throws IOException, ElfFormatException {
    for (ElfSymbol s : elf.symbols()) {
      if (!s.name().equals("linux_banner") || s.sectionIndex() <= 0 || s.sectionIndex() >= elf.sections().size()) {
        continue;
      }
      ElfSection sec = elf.sections().get(s.sectionIndex());
      long at = s.value() - sec.address();
      long len = s.size() > 0 ? s.size() : 512;
      if (at < 0 || at >= sec.size()) {
        continue;
      }
      ByteBuffer data = elf.rawData(sec);
      int from = (int) at;
      int to = (int) Math.min(sec.size(), at + len);
      byte[] b = new byte[to - from];
      data.get(from, b);
      int nul = 0;
      while (nul < b.length && b[nul] != 0) {
        nul++;
      }
      return Optional.of(new String(b, 0, nul, StandardCharsets.ISO_8859_1).strip());
    }
    return Optional.empty();
  }

  /** How many kernels the directory holds. */
  public int size() {
    return kernels.size();
  }

  public Path directory() {
    return dir;
  }

  /**
   * The kernel that wrote {@code r}, by build id, banner, or release and {@code #N} with the symbol
   * sizes checked; empty when none did.
   *
   * @param banner the log's {@code Linux version ...} line before the report, without console prefix
   */
  public Optional<Match> match(Report r, Optional<String> banner) {
    Optional<String> id = r.context().build().flatMap(b -> {
      Matcher m = BUILD_ID.matcher(b);
      return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    });
    if (id.isPresent()) {
      for (Kernel k : kernels) {
        if (k.buildId().equals(id)) {
          return Optional.of(new Match(k, "build id"));
        }
      }
    }
    if (banner.isPresent()) {
      for (Kernel k : kernels) {
        if (k.banner().equals(banner.get().strip())) {
          return Optional.of(new Match(k, "banner"));
        }
      }
    }
    Optional<String> release = r.context().release();
    Optional<String> version = r.context().build().map(b -> b.strip().split("\\s+")[0]);
    if (release.isEmpty() || version.isEmpty()) {
      return Optional.empty();
    }
    List<Kernel> candidates = kernels.stream()
        .filter(k -> k.release().equals(release.get()) && k.version().equals(version.get())).toList();
    Kernel best = null;
    int bestResolved = 0;
    for (Kernel k : candidates) {
      int resolved = sizesFit(k, r);
      if (resolved > bestResolved) {
        best = k;
        bestResolved = resolved;
      } else if (resolved == bestResolved && resolved > 0) {
        best = null; // two builds fit as well: not decidable
      }
    }
    return best == null ? Optional.empty() : Optional.of(new Match(best, "release and #N, symbol sizes checked"));
  }

  /**
   * How many of the report's {@code +off/size} frames the kernel's symbols fit; 0 when any frame names a
   * function of another size (another build) or none could be checked.
   */
  private int sizesFit(Kernel k, Report r) {
    List<FrameQuery> queries = new ArrayList<>();
    for (Stack s : r.stacks()) {
      for (Frame f : s.frames()) {
        if (f.offset().isPresent() && f.size().isPresent() && f.module().isEmpty()) {
          queries.add(new FrameQuery(f.function(), f.offset().getAsLong(), f.size(), f.module(), f.address(), true));
        }
      }
    }
    if (queries.isEmpty()) {
      return 0;
    }
    Opened o;
    try {
      o = open(k);
    } catch (InputException e) {
      return 0;
    }
    int fit = 0;
    synchronized (o) {
      for (Resolution res : o.session().symbolizer().resolveAll(queries)) {
        if (res.status() == Resolution.Status.SIZE_MISMATCH || res.status() == Resolution.Status.OFFSET_OUT_OF_RANGE) {
          return 0;
        }
        if (res.status() != Resolution.Status.UNKNOWN_SYMBOL) {
          fit++;
        }
      }
    }
    return fit;
  }

  /** The report symbolized with the kernel that wrote it. */
  public Report symbolize(Match m, Report r) throws InputException {
    Opened o = open(m.kernel());
    synchronized (o) {
      return o.frames().symbolize(r);
    }
  }

  private Opened open(Kernel k) throws InputException {
    synchronized (sessions) {
      Opened o = sessions.get(k.path());
      if (o == null) {
        SymbolizerSession s = SymbolizerSession.open(k.path(), flags.forImage(k.path()), err);
        o = new Opened(s, new FrameSymbolizer(s));
        sessions.put(k.path(), o);
      }
      return o;
    }
  }

  /** Says what each opened kernel could not resolve, as the other symbolizing commands do. */
  public void finish() {
    synchronized (sessions) {
      for (Opened o : sessions.values().stream().sorted(Comparator.comparing(x -> x.session().toString())).toList()) {
        synchronized (o) {
          o.session().finish(err);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    synchronized (sessions) {
      for (Opened o : sessions.values()) {
        try {
          o.session().close();
        } catch (IOException e) {
          if (first == null) {
            first = e;
          }
        }
      }
      sessions.clear();
    }
    if (first != null) {
      throw first;
    }
  }

  /** The kernels, for {@code --vmlinux-dir} notes: {@code path (release #N)}. */
  public String describe() {
    return String.join(", ", kernels.stream().map(k -> String.format(Locale.ROOT, "%s (%s %s)",
        dir.relativize(k.path()), k.release(), k.version())).toList());
  }
}
