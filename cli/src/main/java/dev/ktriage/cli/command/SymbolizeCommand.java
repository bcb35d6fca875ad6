package dev.ktriage.cli.command;

import dev.ktriage.cli.ExitCodes;
import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.input.LogErrors;
import dev.ktriage.cli.input.LogSource;
import dev.ktriage.cli.input.LogStream;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.cli.render.OutputClosedException;
import dev.ktriage.cli.symbolize.KernelIdentity;
import dev.ktriage.cli.symbolize.LogAnnotator;
import dev.ktriage.cli.symbolize.LogIdentity;
import dev.ktriage.cli.symbolize.ModuleBuildIds;
import dev.ktriage.cli.symbolize.SymbolizerSession;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ktriage symbolize}: the log back, with source locations on the lines that name code. */
@Command(
    name = "symbolize",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Copy a kernel log to stdout, adding ' file:line' to every line that names code (call-trace frames, "
          + "'?' frames, arm's 'f from g+0x..' lines, RIP:/pc :/lr : lines, the KASAN header) and a 'callee file:line [inline]' line before it "
          + "for each inlined callee, innermost first, as syzkaller does. Every other line is copied byte for byte.",
      "Logs may be gzip, xz or zstd compressed; '-' or no FILE reads stdin.",
      "A vmlinux that is not the log's kernel (the release or build id of the log's CPU: and 'Linux version' "
          + "lines disagree with the file's banner or build id) is refused, and so is a module file whose build id "
          + "is not the one the log's '[module buildid]' frames print; --force annotates anyway."
    })
public final class SymbolizeCommand implements Callable<Integer> {

  @Spec
  CommandSpec spec;

  @ParentCommand
  Ktriage top;

  @Mixin
  VmlinuxOptions vmlinux;

  @Parameters(paramLabel = "FILE", arity = "0..1", description = "The log; '-' is stdin (the default).")
  String file = LogSource.STDIN;

  @Option(names = "--force", order = 20,
      description = "Annotate even when the log names another kernel release or build id than the vmlinux, "
          + "or another module build id than the module file's.")
  boolean force;

  /** How far into the log its kernel's identity is looked for before anything is written. */
  private static final int IDENTITY_WINDOW = 8 << 20;

  @Override
  public Integer call() throws InputException, IOException {
    PrintWriter err = spec.commandLine().getErr();
    Path image = vmlinux.requireVmlinux("symbolize");
    LogSource source = new LogSource(file);
    if (!source.isStdin() && !Files.exists(Path.of(file))) {
      throw new InputException(file + ": no such file");
    }
    spec.commandLine().getOut().flush();
    try (LogStream log = source.open(top.stdin());
        BufferedInputStream in = new BufferedInputStream(log, 1 << 16)) {
      // Checked before the vmlinux is opened (perhaps indexed) and before a line is written.
      LogIdentity said = LogIdentity.scan(in, IDENTITY_WINDOW);
      List<String> mismatches = new ArrayList<>();
      if (!said.claims().isEmpty()) {
        said.mismatch(KernelIdentity.of(image), image.toString()).ifPresent(mismatches::add);
      }
      if (!said.moduleClaims().isEmpty()) {
        said.moduleMismatch(new ModuleBuildIds(vmlinux.modulesDirectory())).ifPresent(mismatches::add);
      }
      if (!mismatches.isEmpty() && !force) {
        throw new InputException(mismatches.get(0) + "; --force annotates anyway");
      }
      mismatches.forEach(m -> err.println("ktriage: warning: " + m + "; annotating anyway (--force)"));
      return annotate(image, in, log, err);
    }
  }

  private int annotate(Path image, InputStream in, LogStream log, PrintWriter err) throws InputException, IOException {
    try (SymbolizerSession session = SymbolizerSession.open(image, vmlinux, err)) {
      OutputStream out = new BufferedOutputStream(top.stdoutBytes(), 1 << 16);
      LogAnnotator annotator = new LogAnnotator(session, err);
      try {
        annotator.run(in, out);
      } catch (OutputClosedException e) {
        return ExitCodes.OK; // the reader has gone; nothing left to say
      } catch (IOException e) {
        throw new InputException(file + ": " + LogErrors.describe(e), e);
      }
      session.finish(err);
      log.damage().ifPresent(d -> err.println("ktriage: " + file + ": " + d + "; the lines before that were copied"));
    }
    return ExitCodes.OK;
  }
}
