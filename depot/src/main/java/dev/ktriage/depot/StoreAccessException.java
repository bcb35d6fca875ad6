package dev.ktriage.depot;

/**
 * The store's files (or its server) could not be read or written for a reason outside ktriage: a
 * read-only file system, missing permissions, a full disk, a file size limit, a server that does not
 * answer. The store itself is not damaged; the message says why, so the user can fix it.
 */
public final class StoreAccessException extends DepotException {
  private static final long serialVersionUID = 1L;

  /** Why the store could not be used. */
  public enum Problem {
    READ_ONLY("read-only file system"),
    PERMISSION_DENIED("permission denied"),
    DISK_FULL("disk full"),
    QUOTA("disk quota exceeded"),
    FILE_TOO_LARGE("file size limit exceeded"),
    UNREACHABLE("no answer"),
    FAILED("i/o error");

    private final String words;

    Problem(String words) {
      this.words = words;
    }

    /** The problem in a few words, for messages. */
    public String words() {
      return words;
    }
  }

  private final String location;
  private final Problem problem;
  private final boolean writing;

  /**
   * @param location the file, directory or URL that could not be used
   * @param problem why
   * @param writing whether it was being written (else read)
   * @param detail what the system said, or null
   */
  public StoreAccessException(String location, Problem problem, boolean writing, String detail, Throwable cause) {
    super(location + ": cannot " + (writing ? "write" : "read") + ": " + problem.words()
        + (detail == null || detail.isBlank() || detail.equalsIgnoreCase(problem.words()) ? "" : " (" + detail + ")"),
        cause);
    this.location = location;
    this.problem = problem;
    this.writing = writing;
  }

  /** The file, directory or URL that could not be used. */
  public String location() {
    return location;
  }

  public Problem problem() {
    return problem;
  }

  /** Whether the store was being written (else read). */
  public boolean writing() {
    return writing;
  }
}
