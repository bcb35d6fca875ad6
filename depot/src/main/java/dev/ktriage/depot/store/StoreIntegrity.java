package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.DepotException;
import dev.ktriage.depot.SchemaVersionException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.lucene.codecs.CodecUtil;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexFileNames;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;

/**
 * Finds a damaged index before anything reads or writes it. Opening a store reads the latest commit
 * point ({@code segments_N}, whose checksum Lucene checks, and each segment's {@code .si}), then
 * verifies the whole checksum of every file the commit names (each Lucene file ends with a CRC32 of
 * its bytes) unless {@link VerifiedFiles} shows it unchanged since it was verified, and only then
 * opens the reader on that very commit, or lets the writer in. A file that is missing, truncated or
 * fails its checksum is a {@link CorruptStoreException} naming it; so is an index whose commit point is
 * gone while its segments (or the depot files, which are written after a commit) remain, which Lucene
 * would otherwise read as an empty index, and a writer would then clear.
 *
 * <p>A reader may race a writer that commits and deletes the older commit's files: a file that
 * vanishes together with its commit point is a newer commit, and the check starts again on it.
 * Stateless.
 */
final class StoreIntegrity {
  private StoreIntegrity() {} // no instance

  /** How often a reader starts again when a writer keeps replacing the commit under it. */
  private static final int ATTEMPTS = 20;

  /** A commit whose files were verified, and their stats as verified. */
  record Verified(SegmentInfos commit, Map<String, VerifiedFiles.Stat> files) {
    String segmentsFile() {
      return commit.getSegmentsFileName();
    }
  }

  /** A verified commit and a reader open on it. */
  record Opened(Verified verified, DirectoryReader reader) {}

  /**
   * Verifies the latest commit and opens a reader on it; null when the index has no commit and never
   * had one (a new store).
   *
   * @param storeDir the store directory, where the depot files show whether a commit existed
   */
  static Opened openReader(StoreDirectory index, Path storeDir, VerifiedFiles known) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Verified v = latestCommit(index, storeDir, known);
      if (v == null) {
        return null;
      }
      try {
        IndexCommit commit = commitOf(index, v.segmentsFile());
        if (commit != null) {
          return new Opened(v, DirectoryReader.open(commit));
        }
      } catch (NoSuchFileException e) {
        if (!superseded(index, v.segmentsFile()) || attempt >= ATTEMPTS) {
          throw corrupt(index, e, v.segmentsFile());
        }
      } catch (CorruptIndexException | EOFException e) {
        throw corrupt(index, e, v.segmentsFile());
      }
      if (attempt >= ATTEMPTS) {
        throw new IOException("the index changed under this reader " + ATTEMPTS + " times; try again");
      }
    }
  }

  /** The commit {@code segmentsFile} names, or null when it is no longer there. */
  private static IndexCommit commitOf(StoreDirectory index, String segmentsFile) throws IOException {
    for (IndexCommit c : DirectoryReader.listCommits(index)) {
      if (c.getSegmentsFileName().equals(segmentsFile)) {
        return c;
      }
    }
    return null;
  }

  /**
   * Verifies the latest commit: its commit point, the segment infos, and every file it names; null
   * when the index has no commit and never had one.
   */
  static Verified latestCommit(StoreDirectory index, Path storeDir, VerifiedFiles known) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String[] names = index.listAll();
      String segmentsFile = SegmentInfos.getLastCommitSegmentsFileName(names);
      if (segmentsFile == null) {
        requireNeverCommitted(index, storeDir, names, known);
        return null;
      }
      try {
        return verify(index, segmentsFile, known, false);
      } catch (NoSuchFileException e) {
        if (!superseded(index, segmentsFile) || attempt >= ATTEMPTS) {
          throw corrupt(index, e, segmentsFile);
        }
      }
    }
  }

  /**
   * Verifies the commit {@code segmentsFile} and its files; {@code everything}: also the files
   * {@code known} covers.
   *
   * @throws NoSuchFileException when a file is missing (the caller tells a newer commit from damage)
   */
  static Verified verify(StoreDirectory index, String segmentsFile, VerifiedFiles known, boolean everything)
      throws IOException {
    SegmentInfos sis = readCommit(index, segmentsFile);
    Map<String, VerifiedFiles.Stat> stats = new HashMap<>();
    for (String f : sis.files(true)) {
      VerifiedFiles.Stat now = VerifiedFiles.Stat.of(index.path().resolve(f)); // NoSuchFile goes to the caller
      if (everything || !known.covers(f, now)) {
        checksum(index, f);
      }
      stats.put(f, now);
    }
    return new Verified(sis, stats);
  }

  /** Reads a commit point; damage to it or to a segment's {@code .si} names the file. */
  private static SegmentInfos readCommit(StoreDirectory index, String segmentsFile) throws IOException {
    try {
      return SegmentInfos.readCommit(index, segmentsFile);
    } catch (NoSuchFileException | DepotException e) {
      throw e;
    } catch (IndexFormatTooOldException | IndexFormatTooNewException e) {
      // another Lucene format: another ktriage's store, unless the bytes that say so are damaged
      if (checksumFails(index, segmentsFile)) {
        throw new CorruptStoreException(index.path().resolve(segmentsFile), "checksum mismatch", e);
      }
      throw new SchemaVersionException(index.path(), -1, StoreSchema.VERSION);
    } catch (IOException | RuntimeException e) {
      // Lucene checks the commit point's checksum after any failure to read it and adds that failure
      throw corrupt(index, e, segmentsFile);
    }
  }

  /** Reads all of {@code file}, checking its footer and checksum. */
  static void checksum(StoreDirectory index, String file) throws IOException {
    try (IndexInput in = index.openInput(file, IOContext.READONCE)) {
      CodecUtil.checksumEntireFile(in);
    } catch (CorruptIndexException | EOFException e) {
      throw corrupt(index, e, file);
    }
  }

  private static boolean checksumFails(StoreDirectory index, String file) {
    try {
      checksum(index, file);
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /**
   * After a failure that may be damage: the first file of the reader's commit whose checksum fails,
   * or null when every one is intact (then the failure is something else).
   */
  static CorruptStoreException diagnose(StoreDirectory index, DirectoryReader reader, Throwable failure) {
    try {
      String segmentsFile = reader.getIndexCommit().getSegmentsFileName();
      for (String f : reader.getIndexCommit().getFileNames()) {
        try {
          checksum(index, f);
        } catch (CorruptStoreException e) {
          e.addSuppressed(failure);
          return e;
        } catch (NoSuchFileException e) {
          if (!superseded(index, segmentsFile)) {
            return new CorruptStoreException(index.path().resolve(f), "missing", failure);
          }
          return null; // a writer replaced the commit: not damage
        }
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
    return null;
  }

  /** Refuses an index without a commit point whose segments or depot files show that it had one. */
  private static void requireNeverCommitted(StoreDirectory index, Path storeDir, String[] names, VerifiedFiles known)
      throws CorruptStoreException {
    List<String> segments = Arrays.stream(names).filter(n -> IndexFileNames.CODEC_FILE_PATTERN.matcher(n).matches())
        .sorted().toList();
    List<String> derived = List.of(DerivedState.SNAPSHOT, DerivedState.CLUSTER_STATE).stream()
        .filter(n -> Files.exists(storeDir.resolve(n))).toList();
    if (segments.isEmpty() && derived.isEmpty()) {
      return;
    }
    String what = !segments.isEmpty()
        ? "the index holds " + segments.size() + " segment files (" + segments.get(0) + ", ...) but no commit point"
        : "the index has no commit point, yet " + String.join(" and ", derived) + " (written after a commit) remain";
    throw new CorruptStoreException(index.path().resolve(known.commit().orElse("segments_N")), "missing: " + what);
  }

  /**
   * Refuses a store whose index directory is gone while the depot files, which are only written after
   * a commit, remain: read as empty (or recreated by a writer) it would lose every report without a word.
   */
  static void requireIndexIfCommitted(Path storeDir, Path indexDir) throws CorruptStoreException {
    if (Files.exists(indexDir) || Files.isSymbolicLink(indexDir)) {
      return;
    }
    List<String> derived = List.of(DerivedState.SNAPSHOT, DerivedState.CLUSTER_STATE).stream()
        .filter(n -> Files.exists(storeDir.resolve(n))).toList();
    if (!derived.isEmpty()) {
      throw new CorruptStoreException(indexDir, "missing, yet " + String.join(" and ", derived)
          + " (written after a commit) remain");
    }
  }

  /** Whether {@code segmentsFile} is gone: a writer committed since and deleted it. */
  private static boolean superseded(StoreDirectory index, String segmentsFile) {
    return !Files.exists(index.path().resolve(segmentsFile));
  }

  private static final Pattern PATH = Pattern.compile("path=\"([^\"]+)\"");

  /**
   * {@code e} as damage to a file of the index: the file Lucene's message names (its resource
   * description), else the file being read.
   */
  static CorruptStoreException corrupt(StoreDirectory index, Throwable e, String reading) {
    if (e instanceof CorruptStoreException c) {
      return c;
    }
    if (e instanceof CorruptIndexException c && c.getCause() instanceof IOException cause) {
      // SegmentInfos wraps what went wrong with a segment's .si ("Unexpected file read error ..."): that names the file
      CorruptStoreException inner = corrupt(index, cause, reading);
      inner.addSuppressed(e);
      return inner;
    }
    Path file = index.path().resolve(reading);
    String reason;
    if (e instanceof NoSuchFileException nsf) {
      file = nsf.getFile() != null ? Path.of(nsf.getFile()) : file;
      reason = "missing";
    } else {
      String msg = e instanceof CorruptIndexException c ? c.getOriginalMessage() : e.getMessage();
      Matcher m = PATH.matcher(String.valueOf(e.getMessage()));
      if (m.find()) {
        file = Path.of(m.group(1));
      }
      reason = reason(e, msg);
    }
    return new CorruptStoreException(file, reason, e);
  }

  /** Lucene's words for what is wrong, shortened to what a user can act on. */
  private static String reason(Throwable e, String msg) {
    boolean checksum = msg != null && msg.startsWith("checksum failed");
    for (Throwable s : e.getSuppressed()) {
      checksum |= s instanceof CorruptIndexException c && c.getOriginalMessage().startsWith("checksum failed");
    }
    if (checksum) {
      return "checksum mismatch";
    }
    if (e instanceof EOFException || msg != null && msg.contains("truncated")) {
      return "truncated"; // Lucene: "read past EOF", "codec footer mismatch (file truncated?)", ...
    }
    if (msg == null || msg.isBlank()) {
      return e.getClass().getSimpleName();
    }
    int cut = msg.indexOf(" (resource=");
    return cut > 0 ? msg.substring(0, cut) : msg;
  }
}
