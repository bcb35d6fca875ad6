package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.symbolize.BackgroundIndexer;
import dev.ktriage.cli.symbolize.Notices;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import dev.ktriage.symbolizer.Symbolizer;
import dev.ktriage.symbolizer.SymbolizerOptions;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ktriage index}: builds the symbol index of each vmlinux now, for people who prepare a
 * machine; {@code symbolize}, {@code addr2line} and {@code parse --vmlinux} otherwise build it in the
 * background after answering, once it pays (a later run, or a large input).
 */
@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Build the symbol index of each VMLINUX (by its build id, in the cache directory), so that symbolize, addr2line"
          + " and parse --vmlinux answer from it at once. An index that is there and valid is kept.",
      "Prints one line per VMLINUX: built (with the time it took) or up to date, and the index file."
    })
public final class IndexCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @Option(names = "--cache", paramLabel = "DIR", order = 1,
      description = "Where the index is kept (default: $XDG_CACHE_HOME/ktriage, else ~/.cache/ktriage).")
  Path cache;

  @Option(names = "--background", hidden = true,
      description = "The build another command started after answering: quiet, and leaves a build in progress to it.")
  boolean background;

  @Parameters(paramLabel = "VMLINUX", arity = "1..*", description = "Kernel ELF files with DWARF.")
  List<Path> vmlinux = new ArrayList<>();

  @Override
  public Integer call() throws InputException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Path dir = cache != null ? cache : SymbolizerOptions.defaultCacheDirectory();
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new InputException(dir + ": not a directory (--cache takes a directory)");
    }
    Notices notices = new Notices();
    SymbolizerOptions options = SymbolizerOptions.defaults().withCacheDirectory(dir).withDiagnostics(notices);
    int code = ExitCodes.OK;
    for (Path v : vmlinux) {
      try {
        code = Math.max(code, one(v, options, out, err));
      } finally {
        notices.flush(err);
      }
    }
    out.flush();
    return code;
  }

  private int one(Path v, SymbolizerOptions options, PrintWriter out, PrintWriter err) throws InputException {
    String label = v.toString();
    Path index = null;
    long started = System.nanoTime();
    try {
      SymbolizerSession.checkReadable(v);
      Symbolizer.IndexResult r = Symbolizer.buildIndex(v, options, !background);
      index = r.file().orElse(null);
      if (background) {
        return ExitCodes.OK;
      }
      switch (r.outcome()) {
        case BUILT -> out.println(label + ": indexed in " + String.format(Locale.ROOT, "%.1f",
            (System.nanoTime() - started) / 1e9) + " s into " + index);
        case UP_TO_DATE -> out.println(label + ": index up to date (" + index + ")");
        case BUSY -> out.println(label + ": another process is building its index (" + index + ")");
        case NOT_INDEXABLE -> err.println("ktriage: " + label + ": nothing to index (no build id, no DWARF, or "
            + "the index path is not a regular file)");
      }
      return ExitCodes.OK;
    } catch (ElfFormatException e) {
      throw new InputException(label + ": " + SymbolizerSession.describe(e), e);
    } catch (IOException e) {
      throw new InputException(label + ": cannot index: " + e.getMessage(), e);
    } finally {
      if (background && index != null) {
        BackgroundIndexer.done(index);
      }
    }
  }
}
