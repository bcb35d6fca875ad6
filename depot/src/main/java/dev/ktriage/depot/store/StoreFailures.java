package dev.ktriage.depot.store;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.DepotException;
import java.io.IOException;
import org.apache.lucene.index.CorruptIndexException;

/**
 * What a failed read or write of an embedded store was: a store problem ({@link DepotException}, exit 3)
 * when damage or the surroundings explain it, otherwise the failure itself (a bug, or I/O trouble of
 * another kind). Not thread-safe: the store calls it under its lock.
 */
final class StoreFailures {
  private final LuceneIndex index;

  StoreFailures(LuceneIndex index) {
    this.index = index;
  }

  /** A read or write of the store. */
  @FunctionalInterface
  interface Work<T> {
    T run() throws IOException;
  }

  /** Runs {@code work}; a failure that damage explains becomes that damage (see {@link #explain}). */
  <T> T mapped(Work<T> work) throws IOException {
    try {
      return work.run();
    } catch (IOException e) {
      throw damaged(e);
    } catch (RuntimeException e) {
      throw damaged(e);
    }
  }

  IOException damaged(IOException failure) throws DepotException {
    explain(failure);
    return failure;
  }

  RuntimeException damaged(RuntimeException failure) throws DepotException {
    explain(failure);
    return failure;
  }

  /**
   * Throws what a failed read or write was, when it was a store problem: one it carries (a full disk
   * that Lucene met while flushing and then closed the writer for, say), a damaged file Lucene named,
   * or a damaged file the failure led to, found by checksumming the reader's commit (damage that left
   * the files' times alone, so the open did not look). Returns when it was none of these: a bug, or
   * I/O trouble of another kind.
   */
  private void explain(Throwable failure) throws DepotException {
    StoreDirectory directory = index.directory();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof DepotException d) {
        throw d;
      }
      if (t instanceof CorruptIndexException c && directory != null) {
        throw StoreIntegrity.corrupt(directory, c, ".");
      }
    }
    if (index.reader() != null && directory != null) {
      CorruptStoreException c = StoreIntegrity.diagnose(directory, index.reader(), failure);
      if (c != null) {
        throw c;
      }
    }
  }
}
