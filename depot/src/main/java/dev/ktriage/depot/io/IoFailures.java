package dev.ktriage.depot.io;

import dev.ktriage.depot.StoreAccessException;
import dev.ktriage.depot.StoreAccessException.Problem;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Tells an I/O failure caused by the store's surroundings (a read-only file system, missing
 * permissions, a full disk, a file size limit) from the others, which may mean damage or a bug.
 *
 * <p>The JDK gives these as {@link AccessDeniedException} or as an {@link IOException} whose message is
 * the C library's {@code strerror} text. That text is matched first; when it is not one of the known
 * ones (another C library, a translated message), the file system is asked: is it mounted read-only,
 * is the directory writable, is there space left.
 */
public final class IoFailures {
  private IoFailures() {} // no instance

  /** glibc's strerror texts of the errors that are the surroundings' fault, lower case. */
  private static final List<Map.Entry<String, Problem>> TEXTS = List.of(
      Map.entry("read-only file system", Problem.READ_ONLY), // EROFS
      Map.entry("permission denied", Problem.PERMISSION_DENIED), // EACCES
      Map.entry("operation not permitted", Problem.PERMISSION_DENIED), // EPERM: immutable files, some mounts
      Map.entry("no space left on device", Problem.DISK_FULL), // ENOSPC
      Map.entry("disk quota exceeded", Problem.QUOTA), // EDQUOT
      Map.entry("file too large", Problem.FILE_TOO_LARGE)); // EFBIG: RLIMIT_FSIZE (ulimit -f), or the file system's limit

  /**
   * The problem behind a failure that only a write can have (a full disk, a quota, a file size limit),
   * read from the C library's text alone; null otherwise. For a failure that escaped without naming
   * its file: it was a write, whatever the code around it was doing.
   */
  public static Problem writeOnlyProblem(IOException e) {
    String reason = e instanceof FileSystemException fse && fse.getReason() != null ? fse.getReason() : e.getMessage();
    if (reason == null) {
      return null;
    }
    String r = reason.toLowerCase(Locale.ROOT);
    for (Map.Entry<String, Problem> t : TEXTS) {
      Problem p = t.getValue();
      if ((p == Problem.DISK_FULL || p == Problem.QUOTA || p == Problem.FILE_TOO_LARGE) && r.contains(t.getKey())) {
        return p;
      }
    }
    return null;
  }

  /**
   * The access problem behind {@code e}, or null when it is not one (a missing or truncated file, a
   * checksum: possibly damage, which the caller decides).
   *
   * @param file the file (or directory) being read or written when it failed
   * @param writing whether it was being written
   */
  public static StoreAccessException classify(Path file, IOException e, boolean writing) {
    if (e instanceof StoreAccessException a) {
      return a;
    }
    Path named = file;
    String reason = e.getMessage();
    if (e instanceof FileSystemException fse) {
      reason = fse.getReason();
      if (fse.getFile() != null) {
        named = Path.of(fse.getFile());
      }
    }
    Problem p = null;
    if (e instanceof AccessDeniedException) {
      p = Problem.PERMISSION_DENIED;
    } else if (reason != null) {
      String r = reason.toLowerCase(Locale.ROOT);
      for (Map.Entry<String, Problem> t : TEXTS) {
        if (r.contains(t.getKey())) {
          p = t.getValue();
          break;
        }
      }
    }
    if (p == null && (e.getClass() == FileSystemException.class || e.getClass() == IOException.class)) {
      // a failure of no particular kind (NoSuchFile, EOF and the like are not the surroundings' fault)
      p = probe(named, writing);
    }
    if (p == null) {
      return null;
    }
    return new StoreAccessException(named.toString(), p, writing, reason, e);
  }

  /**
   * What the file system says about {@code file}'s surroundings, for a failure whose message was not
   * recognized; null when nothing there explains it.
   */
  static Problem probe(Path file, boolean writing) {
    Path existing = file;
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return null;
    }
    try {
      FileStore fs = Files.getFileStore(existing);
      if (writing && fs.isReadOnly()) {
        return Problem.READ_ONLY;
      }
      if (writing && fs.getUsableSpace() == 0) {
        return Problem.DISK_FULL;
      }
    } catch (IOException ignored) {
      // no answer: fall through to the permission checks
    }
    Path dir = Files.isDirectory(existing) ? existing : existing.getParent();
    if (writing && dir != null && !Files.isWritable(dir)) {
      return Problem.PERMISSION_DENIED;
    }
    if (!writing && !Files.isReadable(existing)) {
      return Problem.PERMISSION_DENIED;
    }
    return null;
  }
}
