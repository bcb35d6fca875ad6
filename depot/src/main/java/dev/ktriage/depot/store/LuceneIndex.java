package dev.ktriage.depot.store;

import dev.ktriage.depot.StoreAccessException;
import dev.ktriage.depot.StoreLockedException;
import dev.ktriage.depot.io.IoFailures;
import dev.ktriage.depot.io.PrivateFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.Lock;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The Lucene index of an embedded store ({@code DIR/index}) as the store uses it: opened only after
 * its commit is verified ({@link StoreIntegrity}) and its schema checked ({@link StoreSchema}), with
 * the write lock, the writer and the reader of the last commit, and the record of the files known
 * intact ({@link VerifiedFiles}) kept up to date after each commit.
 *
 * <p>Not thread-safe: the store calls it under its lock.
 */
final class LuceneIndex implements Closeable {
  static final String INDEX = "index";

  private final Path dir;
  /** Null for a read-only open of a store that does not exist. */
  private final StoreDirectory directory;
  /** Null when read-only. */
  private final IndexWriter writer;
  private DirectoryReader reader;
  /** The commit verified on open (null for a new store). */
  private StoreIntegrity.Verified verified;
  /** The files known intact, as last recorded. */
  private VerifiedFiles known = VerifiedFiles.none();

  private LuceneIndex(Path dir, StoreDirectory directory, IndexWriter writer) {
    this.dir = dir;
    this.directory = directory;
    this.writer = writer;
  }

  /** Whether {@code dir} holds a store (one that cannot be looked into counts: opening it says why). */
  static boolean exists(Path dir) {
    try {
      return Files.readAttributes(dir.resolve(INDEX), BasicFileAttributes.class).isDirectory();
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }

  /** See {@link ReportStore#open}. */
  static LuceneIndex open(Path dir, ReportStore.Mode mode, Duration wait) throws IOException {
    Path indexDir = dir.resolve(INDEX);
    StoreIntegrity.requireIndexIfCommitted(dir, indexDir);
    if (mode == ReportStore.Mode.READ_ONLY && !exists(dir)) {
      return new LuceneIndex(dir, null, null);
    }
    if (mode == ReportStore.Mode.READ_WRITE) {
      try {
        PrivateFiles.createDirectories(indexDir);
      } catch (IOException e) {
        StoreAccessException a = IoFailures.classify(indexDir, e, true);
        throw a != null ? a : e;
      }
    }
    StoreDirectory directory = new StoreDirectory(indexDir);
    Lock lock = null;
    LuceneIndex index = null;
    try {
      VerifiedFiles known = VerifiedFiles.read(dir);
      if (mode == ReportStore.Mode.READ_ONLY) {
        StoreIntegrity.Opened o = StoreIntegrity.openReader(directory, dir, known);
        index = new LuceneIndex(dir, directory, null);
        if (o != null) {
          index.reader = o.reader();
          index.verified = o.verified();
          StoreSchema.check(o.verified().commit(), indexDir);
        }
      } else {
        // The lock first, then the check, then the writer: an IndexWriter deletes the files its commit
        // does not name as it opens, which, on an index whose commit point is lost, would be all of them.
        lock = lock(directory, dir, wait);
        StoreIntegrity.Verified v = StoreIntegrity.latestCommit(directory, dir, known);
        StoreSchema.check(v == null ? null : v.commit(), indexDir);
        index = new LuceneIndex(dir, directory, openWriter(directory));
        lock = null; // the writer has it
        index.verified = v;
      }
      index.known = known;
      if (index.writer != null) {
        index.openForWriting();
      }
      return index;
    } catch (IOException | RuntimeException e) {
      if (index != null) {
        index.closeQuietly(e);
      } else {
        if (lock != null) {
          lock.close();
        }
        directory.close();
      }
      throw e;
    }
  }

  /** Takes the write lock for the writer to come, waiting up to {@code wait} for another writer. */
  private static Lock lock(StoreDirectory directory, Path dir, Duration wait) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    while (true) {
      try {
        return directory.lend(IndexWriter.WRITE_LOCK_NAME);
      } catch (LockObtainFailedException e) {
        if (System.nanoTime() >= deadline) {
          throw new StoreLockedException(dir, e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new StoreLockedException(dir, e);
        }
      }
    }
  }

  private static IndexWriter openWriter(StoreDirectory directory) throws IOException {
    IndexWriterConfig cfg = new IndexWriterConfig(Fields.analyzer());
    cfg.setCommitOnClose(false);
    cfg.setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
    cfg.setRAMBufferSizeMB(128);
    // no compound files: building one copies a whole new segment once more, and merges redo it
    cfg.setUseCompoundFile(false);
    cfg.getMergePolicy().setNoCFSRatio(0.0);
    return new IndexWriter(directory, cfg);
  }

  /** A writer's reader of its commit; a new store gets its first, empty commit (it says the schema). */
  private void openForWriting() throws IOException {
    if (verified == null) {
      writer.setLiveCommitData(new StoreSchema.CommitData(0, 1, 0, 0).userData().entrySet());
      writer.commit();
    }
    reader = DirectoryReader.open(directory);
    recordVerified();
  }

  /** The writer; null when opened read-only. */
  IndexWriter writer() {
    return writer;
  }

  /** The reader of the last commit; null when there is no store. */
  DirectoryReader reader() {
    return reader;
  }

  /** The directory; null when there is no store. */
  StoreDirectory directory() {
    return directory;
  }

  /** What the last commit recorded. */
  StoreSchema.CommitData commitData() throws IOException {
    return StoreSchema.CommitData.of(reader == null ? Map.of() : reader.getIndexCommit().getUserData());
  }

  /** Commits what the writer holds with {@code data}. A RuntimeException is a failed flush: see {@link StoreFailures}. */
  void commit(StoreSchema.CommitData data) throws IOException {
    writer.setLiveCommitData(data.userData().entrySet());
    writer.commit();
  }

  /** After a commit: the reader sees it, and the files it wrote are recorded as intact. */
  void refresh() throws IOException {
    DirectoryReader r = DirectoryReader.openIfChanged(reader);
    if (r != null) {
      reader.close();
      reader = r;
    }
    recordVerified();
  }

  /**
   * A writer's record of the files of its commit that are known intact: those verified on open and
   * those it wrote itself; any other is verified now. Written only when it changed.
   */
  private void recordVerified() throws IOException {
    var commit = reader.getIndexCommit();
    Map<String, VerifiedFiles.Stat> stats = new HashMap<>();
    Set<String> mine = directory.written();
    for (String f : commit.getFileNames()) {
      VerifiedFiles.Stat now = VerifiedFiles.Stat.of(directory.path().resolve(f));
      boolean intact = verified != null && now.equals(verified.files().get(f)) || known.covers(f, now)
          || mine.contains(f);
      if (!intact) {
        StoreIntegrity.checksum(directory, f);
      }
      stats.put(f, now);
    }
    if (!stats.equals(known.files()) || !known.commit().equals(Optional.of(commit.getSegmentsFileName()))) {
      known = new VerifiedFiles(commit.getSegmentsFileName(), stats);
      known.write(dir);
    }
  }

  /** The bytes of the index's files. */
  long bytes() throws IOException {
    long bytes = 0;
    Path idx = dir.resolve(INDEX);
    if (Files.isDirectory(idx)) {
      try (Stream<Path> files = Files.list(idx)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          bytes += Files.isRegularFile(p) ? Files.size(p) : 0;
        }
      }
    }
    return bytes;
  }

  private void closeQuietly(Exception failure) {
    try {
      close();
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  /** Closes without committing: what was added since the last commit is dropped. */
  @Override
  public void close() throws IOException {
    IOException first = null;
    for (Closeable c : new Closeable[] {reader, writer == null ? null : (Closeable) writer::rollback, directory}) {
      if (c == null) {
        continue;
      }
      try {
        c.close();
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    reader = null;
    if (first != null) {
      throw first;
    }
  }
}
