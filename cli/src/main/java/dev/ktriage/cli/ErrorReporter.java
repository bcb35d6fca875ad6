package dev.ktriage.cli;

import dev.ktriage.cli.input.InputException;
import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.store.QuerySyntaxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.function.BooleanSupplier;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine;

/**
 * The one place that turns what a command threw into one line on stderr and an exit code
 * ({@link ExitCodes}): usage errors, unusable input and unusable queries 2, store problems 3, a bug
 * or no memory 70;
 * stack traces only with {@code --debug}. Known problems say what went wrong; anything else is a bug in
 * ktriage and says so.
 */
public final class ErrorReporter implements IExecutionExceptionHandler {

  private final BooleanSupplier debug;

  ErrorReporter(BooleanSupplier debug) {
    this.debug = debug;
  }

  @Override
  public int handleExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    return report(ex, cl.getErr(), debug.getAsBoolean());
  }

  /** What {@link #handleExecutionException} says and returns, for a command run without picocli. */
  static int report(Exception ex, PrintWriter err, boolean debug) {
    int code;
    OutOfMemoryError oom = outOfMemory(ex);
    if (oom != null) {
      err.println(outOfMemoryMessage(oom));
      code = ExitCodes.INTERNAL;
    } else if (ex instanceof InputException || ex instanceof QuerySyntaxException) {
      err.println("ktriage: " + ex.getMessage());
      code = ExitCodes.USAGE_OR_INPUT;
    } else if (ex instanceof DepotException) {
      // locked, corrupt, another schema version, read-only: the store cannot be used
      err.println("ktriage: " + ex.getMessage() + (ex instanceof CorruptStoreException
          ? "; the store is left as it is ('ktriage store check' says what can be recovered)" : ""));
      code = ExitCodes.STORE;
    } else if ((ex instanceof IOException || ex instanceof UncheckedIOException)
        && writeOnly(ex instanceof UncheckedIOException u ? u.getCause() : ex) != null) {
      // ENOSPC, EDQUOT, EFBIG from a write that did not name its file: a store problem, not a read error
      IOException io = (IOException) (ex instanceof UncheckedIOException u ? u.getCause() : ex);
      return report(new dev.ktriage.depot.StoreAccessException("a file the command was writing", writeOnly(io), true,
          io.getMessage(), io), err, debug);
    } else if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      Throwable io = ex instanceof UncheckedIOException u ? u.getCause() : ex;
      err.println("ktriage: read error: " + io.getMessage());
      code = ExitCodes.USAGE_OR_INPUT;
    } else {
      err.println("ktriage: internal error: " + ex + (debug ? "" : " (rerun with --debug for details)"));
      code = ExitCodes.INTERNAL;
    }
    if (debug) {
      ex.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  private static dev.ktriage.depot.StoreAccessException.Problem writeOnly(Throwable t) {
    return t instanceof IOException io ? dev.ktriage.depot.io.IoFailures.writeOnlyProblem(io) : null;
  }

  /**
   * A command line picocli could not read. Like grep: the problem and where to look, not the whole
   * usage text.
   */
  static int usage(ParameterException ex) {
    CommandLine c = ex.getCommandLine();
    c.getErr().println("ktriage: " + ex.getMessage());
    c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
    c.getErr().flush();
    return ExitCodes.USAGE_OR_INPUT;
  }

  /** The out-of-memory error in {@code t}'s cause chain (a worker's arrives wrapped), or null. */
  static OutOfMemoryError outOfMemory(Throwable t) {
    for (int depth = 0; t != null && depth < 16; t = t.getCause(), depth++) {
      if (t instanceof OutOfMemoryError oom) {
        return oom;
      }
    }
    return null;
  }

  /**
   * What to say when the heap ran out: the limit and how to raise it. The limit is the JVM's default
   * (a quarter of RAM) or what {@code KTRIAGE_JAVA_OPTS} set, so this is a failure a user can fix.
   */
  static String outOfMemoryMessage(OutOfMemoryError oom) {
    long maxMb = Runtime.getRuntime().maxMemory() >> 20;
    return "ktriage: out of memory (" + oom.getMessage() + ", heap limit " + maxMb
        + " MB); rerun with a larger heap, e.g. KTRIAGE_JAVA_OPTS=-Xmx4g";
  }
}
