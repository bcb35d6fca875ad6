package dev.ktriage.depot.store;

import dev.ktriage.depot.StoreAccessException;
import dev.ktriage.depot.io.IoFailures;
import dev.ktriage.depot.io.PrivateFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.FilterDirectory;
import org.apache.lucene.store.FilterIndexOutput;
import org.apache.lucene.store.IOContext;
import org.apache.lucene.store.IndexInput;
import org.apache.lucene.store.IndexOutput;
import org.apache.lucene.store.Lock;

/**
 * The index directory as the store uses it: files created {@code 0600} ({@link PrivateFiles}); I/O
 * failures of the surroundings (read-only, permission denied, disk full, file size limit) turned into
 * {@link StoreAccessException} where they happen, naming the file, so that they pass through Lucene as
 * what they are; and the names of the files this process wrote, which need no checksum pass
 * ({@link VerifiedFiles}). Thread-safe.
 */
final class StoreDirectory extends FilterDirectory {
  private final Path path;
  private final Set<String> written = ConcurrentHashMap.newKeySet();
  /** A lock taken before the IndexWriter was made, handed to it when it asks (see {@link #lend}). */
  private final AtomicReference<Lock> lent = new AtomicReference<>();

  StoreDirectory(Path path) throws IOException {
    super(fsDirectory(path));
    this.path = path;
  }

  private static FSDirectory fsDirectory(Path path) throws IOException {
    try {
      return FSDirectory.open(path);
    } catch (IOException e) {
      StoreAccessException a = IoFailures.classify(path, e, false);
      throw a != null ? a : e;
    }
  }

  /** Where it is. */
  Path path() {
    return path;
  }

  /** The files this process created here (some may have been deleted since). */
  Set<String> written() {
    return Set.copyOf(written);
  }

  @Override
  public IndexOutput createOutput(String name, IOContext context) throws IOException {
    try {
      IndexOutput out = in.createOutput(name, context);
      written.add(name);
      PrivateFiles.restrict(path.resolve(name));
      return new Output(out, name);
    } catch (IOException e) {
      throw failure(name, e, true);
    }
  }

  @Override
  public IndexOutput createTempOutput(String prefix, String suffix, IOContext context) throws IOException {
    try {
      IndexOutput out = in.createTempOutput(prefix, suffix, context);
      written.add(out.getName());
      PrivateFiles.restrict(path.resolve(out.getName()));
      return new Output(out, out.getName());
    } catch (IOException e) {
      throw failure(prefix + "*" + suffix, e, true);
    }
  }

  @Override
  public IndexInput openInput(String name, IOContext context) throws IOException {
    try {
      return in.openInput(name, context);
    } catch (IOException e) {
      throw failure(name, e, false);
    }
  }

  @Override
  public String[] listAll() throws IOException {
    try {
      return in.listAll();
    } catch (IOException e) {
      throw failure(".", e, false);
    }
  }

  @Override
  public void sync(Collection<String> names) throws IOException {
    try {
      in.sync(names);
    } catch (IOException e) {
      throw failure(names.size() == 1 ? names.iterator().next() : ".", e, true);
    }
  }

  @Override
  public void syncMetaData() throws IOException {
    try {
      in.syncMetaData();
    } catch (IOException e) {
      throw failure(".", e, true);
    }
  }

  @Override
  public void rename(String source, String dest) throws IOException {
    try {
      in.rename(source, dest);
      if (written.contains(source)) {
        written.add(dest);
      }
    } catch (IOException e) {
      throw failure(dest, e, true);
    }
  }

  @Override
  public void deleteFile(String name) throws IOException {
    try {
      in.deleteFile(name);
    } catch (IOException e) {
      throw failure(name, e, true);
    }
  }

  /**
   * Takes the lock {@code name} for a caller that checks the index before an IndexWriter is made: the
   * next {@link #obtainLock} of that name (the writer's) gets this very lock instead of waiting for it.
   */
  Lock lend(String name) throws IOException {
    Lock l = obtainLock(name);
    lent.set(l);
    return l;
  }

  @Override
  public Lock obtainLock(String name) throws IOException {
    Lock l = lent.getAndSet(null);
    if (l != null) {
      return l;
    }
    try {
      // made here so that it is 0600 too (Lucene's lock factory would create it with the umask's bits)
      try (OutputStream o = PrivateFiles.createNew(path.resolve(name))) {
        // empty: the lock is the OS's lock on it, not its content
      } catch (FileAlreadyExistsException e) {
        // an earlier writer's: locks are taken on the file, which stays
      }
      return in.obtainLock(name);
    } catch (IOException e) {
      throw failure(name, e, true);
    }
  }

  /** {@code e} as an access problem naming the file, or itself when it is something else. */
  private IOException failure(String name, IOException e, boolean writing) {
    StoreAccessException a = IoFailures.classify(path.resolve(name).normalize(), e, writing);
    return a != null ? a : e;
  }

  /** An output whose failures say what they are. */
  private final class Output extends FilterIndexOutput {
    private final String name;

    Output(IndexOutput out, String name) {
      super("StoreDirectory.Output(" + name + ")", name, out);
      this.name = name;
    }

    @Override
    public void writeByte(byte b) throws IOException {
      try {
        out.writeByte(b);
      } catch (IOException e) {
        throw failure(name, e, true);
      }
    }

    @Override
    public void writeBytes(byte[] b, int offset, int length) throws IOException {
      try {
        out.writeBytes(b, offset, length);
      } catch (IOException e) {
        throw failure(name, e, true);
      }
    }

    // The wide writes too: the delegate writes them into its buffer at once, where DataOutput's
    // defaults would make one call per byte.
    @Override
    public void writeShort(short v) throws IOException {
      try {
        out.writeShort(v);
      } catch (IOException e) {
        throw failure(name, e, true);
      }
    }

    @Override
    public void writeInt(int v) throws IOException {
      try {
        out.writeInt(v);
      } catch (IOException e) {
        throw failure(name, e, true);
      }
    }

    @Override
    public void writeLong(long v) throws IOException {
      try {
        out.writeLong(v);
      } catch (IOException e) {
        throw failure(name, e, true);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        out.close();
      } catch (IOException e) {
        throw failure(name, e, true);
      }
    }
  }
}
