package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.io.ChecksummedFile;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Which index files had their whole checksum verified, and what they looked like then
 * ({@code index.verified} beside the index). Lucene writes a file once and never changes it, so a
 * file whose size, modification time, change time and inode are those recorded still holds the bytes
 * that were verified; a file written into since (a damaged byte, a file copied over it) differs in
 * its times and is verified again. This keeps the checksum pass of an open to the files that are new
 * to it. Damage that leaves a file's times alone (a failing disk) is for {@code store check}, which
 * reads every byte.
 *
 * <p>Only a writer writes it: after verifying on open and after each commit (the files it wrote
 * itself count as verified). Readers use it as it is. A missing or damaged one verifies everything.
 * Immutable.
 */
final class VerifiedFiles {
  static final String FILE = "index.verified";
  private static final ChecksummedFile FORMAT = new ChecksummedFile("KTVERIFY", 1, "list of verified index files");

  /** What a file looked like: its size and times, which any write changes, and its inode. */
  record Stat(long size, long modifiedNanos, long changedNanos, String key) {
    /** The file's stat now. */
    static Stat of(Path file) throws IOException {
      if (UNIX) {
        Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
        return new Stat((Long) a.get("size"), nanos((FileTime) a.get("lastModifiedTime")),
            nanos((FileTime) a.get("ctime")), a.get("dev") + ":" + a.get("ino"));
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new Stat(a.size(), nanos(a.lastModifiedTime()), -1, String.valueOf(a.fileKey()));
    }

    private static long nanos(FileTime t) {
      return t.to(java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  private static final boolean UNIX = java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("unix");

  private final String commit;
  private final Map<String, Stat> files;

  VerifiedFiles(String commit, Map<String, Stat> files) {
    this.commit = commit;
    this.files = Map.copyOf(files);
  }

  static VerifiedFiles none() {
    return new VerifiedFiles("", Map.of());
  }

  /** The list in store directory {@code dir}; empty when there is none or it cannot be read. */
  static VerifiedFiles read(Path dir) {
    try {
      return FORMAT.read(dir.resolve(FILE), VerifiedFiles::readBody);
    } catch (IOException e) {
      return none(); // a cache: without it every file is verified, which is always right
    }
  }

  private static VerifiedFiles readBody(DataInputStream in, int fileLength) throws IOException, CorruptStoreException {
    String commit = in.readUTF();
    int n = in.readInt();
    if (n < 0 || n > fileLength / 8) {
      throw new CorruptStoreException(Path.of(FILE), "bad count " + n);
    }
    Map<String, Stat> files = new HashMap<>();
    for (int i = 0; i < n; i++) {
      files.put(in.readUTF(), new Stat(in.readLong(), in.readLong(), in.readLong(), in.readUTF()));
    }
    ChecksummedFile.requireEnd(in, Path.of(FILE));
    return new VerifiedFiles(commit, files);
  }

  /** Writes the list into store directory {@code dir}. */
  void write(Path dir) throws IOException {
    FORMAT.write(dir.resolve(FILE), out -> {
      out.writeUTF(commit);
      out.writeInt(files.size());
      for (var e : files.entrySet()) {
        out.writeUTF(e.getKey());
        out.writeLong(e.getValue().size());
        out.writeLong(e.getValue().modifiedNanos());
        out.writeLong(e.getValue().changedNanos());
        out.writeUTF(e.getValue().key());
      }
    });
  }

  /** Whether {@code name} was verified and has not changed since. */
  boolean covers(String name, Stat now) {
    return Objects.equals(files.get(name), now);
  }

  /** The commit point ({@code segments_N}) the list was written for; empty if unknown. */
  Optional<String> commit() {
    return commit.isEmpty() ? Optional.empty() : Optional.of(commit);
  }

  /** The stats recorded. */
  Map<String, Stat> files() {
    return files;
  }

  /** Whether a list is there (for tests and {@code store check}). */
  static boolean exists(Path dir) {
    return Files.exists(dir.resolve(FILE));
  }

  /** Removes nothing it does not know: a missing file is not an error here. */
  static Stat statOrNull(Path file) throws IOException {
    try {
      return Stat.of(file);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
