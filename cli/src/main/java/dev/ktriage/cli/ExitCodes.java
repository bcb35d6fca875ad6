package dev.ktriage.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Every exit code ktriage uses, in one place; {@code --help} lists them. */
public final class ExitCodes {
  private ExitCodes() {} // no instance

  /** The command worked (for {@code parse}: whether or not reports were found). */
  public static final int OK = 0;
  /** {@code --check} was given and reports were found. */
  public static final int REPORTS_FOUND = 1;
  /** Bad usage or unusable input: a missing file, a directory, not an ELF file, corrupt DWARF. */
  public static final int USAGE_OR_INPUT = 2;
  /** The report store cannot be used: locked by another writer, read-only, corrupt, or from another schema. */
  public static final int STORE = 3;
  /** A bug in ktriage; rerun with --debug for the stack trace and report it. */
  public static final int INTERNAL = 70;
  /** Interrupted (Ctrl-C, SIGINT): 128 + 2, as shells report it; what was done so far is kept. */
  public static final int INTERRUPTED = 130;

  /** The help section picocli prints under "Exit codes:", in order. */
  static Map<String, String> helpList() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(Integer.toString(OK), "ok (for parse: whether or not reports were found)");
    m.put(Integer.toString(REPORTS_FOUND), "--check given and reports were found");
    m.put(Integer.toString(USAGE_OR_INPUT), "usage error or unusable input (missing file, directory, not ELF, ...)");
    m.put(Integer.toString(STORE), "the report store cannot be used: locked, read-only, corrupt or of another schema version");
    m.put(Integer.toString(INTERNAL), "internal error (rerun with --debug and report it), or out of memory");
    m.put(Integer.toString(INTERRUPTED), "interrupted (Ctrl-C); ingest keeps what it parsed");
    return m;
  }
}
