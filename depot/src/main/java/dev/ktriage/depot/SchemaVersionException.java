package dev.ktriage.depot;

import java.nio.file.Path;

/**
 * A store or depot file was written by another schema version of ktriage. It is refused rather
 * than misread; the caller decides whether to use another store or rebuild.
 */
public final class SchemaVersionException extends DepotException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final int found;
  private final int supported;

  public SchemaVersionException(Path file, int found, int supported) {
    super(file + ": schema version " + found + " (this ktriage reads version " + supported + ")"
        + (found >= 0 && found < supported ? "; written by an older ktriage: ingest its logs into a new store" : ""),
        null);
    this.file = file;
    this.found = found;
    this.supported = supported;
  }

  /** A store on a server ({@code location}: its URL) of another schema version. */
  public SchemaVersionException(String location, int found, int supported) {
    super(location + ": schema version " + found + " (this ktriage reads version " + supported + ")", null);
    this.file = null;
    this.found = found;
    this.supported = supported;
  }

  /** The store's file, or null for a store on a server. */
  public Path file() {
    return file;
  }

  /** The version recorded in the file. */
  public int found() {
    return found;
  }

  /** The one version this build reads and writes. */
  public int supported() {
    return supported;
  }
}
