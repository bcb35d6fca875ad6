package dev.ktriage.symbolizer.cache;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The files of one vmlinux in a cache directory, by build-id: the index ({@code <id>.ktidx}), the
 * lock a builder holds while it builds ({@code <id>.ktidx.lock}), and the marker of a vmlinux seen
 * before without an index ({@code <id>.seen}). The directory is made {@code 0700} and the files
 * {@code 0600} where the file system has POSIX permissions (addresses in them defeat KASLR).
 *
 * <p>Immutable; the file operations are safe between processes (a lock, atomic creates and renames).
 */
public final class IndexDirectory {
  private final Path dir;
  private final String buildId;

  public IndexDirectory(Path dir, String buildId) {
    this.dir = dir;
    this.buildId = buildId;
  }

  /** The index file. */
  public Path index() {
    // concat, not +: the first indy string concatenation of a run spins classes (docs/performance.md).
    return dir.resolve(buildId.concat(".ktidx"));
  }

  /** The lock file a builder holds. */
  public Path lock() {
    return dir.resolve(buildId.concat(".ktidx.lock"));
  }

  private Path seenMarker() {
    return dir.resolve(buildId.concat(".seen"));
  }

  /**
   * Whether something other than a regular file sits at the index path (a FIFO, a directory, a
   * device): such a path is neither opened (a FIFO would block) nor replaced.
   */
  public boolean indexPathUnusable() {
    Path p = index();
    return Files.exists(p) && !Files.isRegularFile(p);
  }

  /** Creates the directory ({@code 0700}) if it is missing. */
  public void create() throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  /**
   * Records that the vmlinux was opened without an index and says whether it had been before: the
   * marker is an empty file, created atomically.
   *
   * @return true when the marker already existed (a later run of the same vmlinux)
   * @throws IOException when the directory cannot be written
   */
  public boolean markSeen() throws IOException {
    Path m = seenMarker();
    if (Files.exists(m)) {
      return true;
    }
    create();
    try {
      try {
        Files.createFile(m, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(m);
      }
      return false;
    } catch (FileAlreadyExistsException e) {
      return true;
    }
  }

  /** Drops the seen marker (once the index exists it says nothing more). */
  public void forgetSeen() {
    try {
      Files.deleteIfExists(seenMarker());
    } catch (IOException e) {
      // a stale marker only makes a later run build sooner
    }
  }

  /**
   * Takes the builder's lock: with {@code wait}, waits for another builder to finish; without,
   * gives up at once when one holds it.
   *
   * @return the held lock (close to release), or empty when another builder holds it and
   *     {@code wait} is false
   */
  public Optional<AutoCloseable> acquire(boolean wait) throws IOException {
    create();
    FileChannel ch;
    try {
      ch = FileChannel.open(lock(), java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      ch = FileChannel.open(lock(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
    try {
      FileLock l = wait ? ch.lock() : ch.tryLock();
      if (l == null) {
        ch.close();
        return Optional.empty();
      }
      FileChannel held = ch;
      return Optional.of(() -> {
        l.release();
        held.close();
      });
    } catch (OverlappingFileLockException e) {
      // this process already builds it (another thread)
      ch.close();
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }
}
