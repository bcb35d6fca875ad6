package dev.ktriage.grammar.scan;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a log in blocks on one thread and summarizes each block (newline count, first banner) on
 * worker threads, so that the scanner's sequential pass can skip over most of a large log at the
 * speed of the reads. Blocks come out in input order.
 *
 * <p>The first {@link #FIRST_BLOCKS} bytes are read in small blocks on the consumer's thread: most logs
 * (a syzkaller crash directory holds thousands of 10 KB ones) end there, and pay for neither threads
 * nor big buffers. Past that, memory is at most {@link #BUFFERS} blocks, allocated as needed, and
 * threads are one reader and one worker per core (at most four), all daemons named
 * {@code ktriage-scan-*}, stopped by {@link #close}.
 *
 * <p>Used by one consumer thread.
 */
public final class BlockPipeline implements AutoCloseable {

  /**
   * Block size for real logs: large enough that per-block costs vanish, small enough that blocks
   * with a banner (decoded on the consumer thread from the banner on) stay a small share.
   */
  public static final int BLOCK = 1 << 20;
  private static final int BUFFERS = 16;
  /** Bytes read synchronously, in blocks of {@link #SMALL_BLOCK}, before the pipeline starts. */
  static final int FIRST_BLOCKS = 64 * 1024;
  /** Block size of the synchronous phase: about the size of a single-report log. */
  static final int SMALL_BLOCK = 16 * 1024;

  /** A block of input and the pending summary of it. */
  record Block(byte[] data, int length, Future<BlockSummary> summary) {}

  private static final Block END = new Block(new byte[0], 0, null);

  private final InputStream in;
  private final int blockSize;
  private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
  private final BlockingQueue<Block> ready = new ArrayBlockingQueue<>(BUFFERS + 1);
  private int allocated; // buffers made for the threaded phase (reader thread only)
  private ExecutorService workers;
  private Thread reader;
  private volatile IOException failure;
  private volatile boolean closed;
  // Synchronous phase: the small buffer, the bytes read so far, and whether the input has ended.
  private byte[] small;
  private long syncRead;
  private boolean syncEnded;

  BlockPipeline(InputStream in, int blockSize) {
    this.in = in;
    this.blockSize = blockSize;
  }

  private void start() {
    int n = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    workers = Executors.newFixedThreadPool(n, named("ktriage-scan-worker"));
    reader = named("ktriage-scan-reader").newThread(this::readAll);
    reader.start();
  }

  // Reader thread: a free buffer, or a new one while fewer than BUFFERS exist.
  private byte[] takeBuffer() throws InterruptedException {
    byte[] b = free.poll();
    if (b == null && allocated < BUFFERS) {
      allocated++;
      return new byte[blockSize];
    }
    return b != null ? b : free.take();
  }

  private static ThreadFactory named(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private void readAll() {
    try {
      while (!closed) {
        byte[] b = takeBuffer();
        int len = fill(b);
        if (len < 0) {
          free.add(b);
          break;
        }
        Future<BlockSummary> s = workers.submit(() -> BlockSummary.of(b, len));
        ready.put(new Block(b, len, s));
      }
    } catch (IOException e) {
      failure = e;
    } catch (RejectedExecutionException e) {
      // close() shut the workers down between the loop's test and the submit (the consumer stopped
      // early: `parse | head`); without this the JVM printed the exception's stack trace on stderr.
      if (!closed) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        ready.put(END);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  // Reads until the buffer is full or nothing more is available right now (so that a log that is
  // still being written, "dmesg -w | ktriage parse", is not held back); -1 at the end.
  private int fill(byte[] b) throws IOException {
    int len = 0;
    while (len < b.length) {
      int n = in.read(b, len, b.length - len);
      if (n < 0) {
        return len == 0 ? -1 : len;
      }
      len += n;
      if (n == 0 || in.available() <= 0) {
        break;
      }
    }
    return len;
  }

  /** The next block, or null at the end of the input. */
  Block next() throws IOException {
    if (reader == null) {
      if (syncEnded) {
        return null;
      }
      if (syncRead < FIRST_BLOCKS) {
        if (small == null) {
          small = new byte[Math.min(blockSize, SMALL_BLOCK)];
        }
        int len = fill(small);
        if (len < 0) {
          syncEnded = true;
          return null;
        }
        syncRead += len;
        return new Block(small, len, CompletableFuture.completedFuture(BlockSummary.of(small, len)));
      }
      start();
    }
    Block b;
    try {
      b = ready.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while reading");
    }
    if (b == END) {
      if (failure != null) {
        throw failure;
      }
      return null;
    }
    return b;
  }

  /** The summary of a block, waiting for it if needed. */
  static BlockSummary summary(Block b) throws IOException {
    try {
      return b.summary().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while scanning");
    } catch (ExecutionException e) {
      throw new IllegalStateException("block summary failed", e.getCause());
    }
  }

  /** Gives a block's buffer back for reuse. */
  void recycle(Block b) {
    if (b.data() != small) {
      free.add(b.data());
    }
  }

  @Override
  public void close() {
    closed = true;
    if (reader != null) {
      reader.interrupt();
      workers.shutdownNow();
    }
  }
}
