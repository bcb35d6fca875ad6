package dev.ktriage.depot.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ktriage.depot.StoreAccessException;
import dev.ktriage.depot.StoreAccessException.Problem;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IoFailuresTest {
  @TempDir Path tmp;

  @Test
  void theSurroundingsAreToldFromDamage() {
    Path f = tmp.resolve("index/_0.fdt");
    // as the JDK reports them: a FileSystemException with strerror's text, or a plain IOException from write()
    assertEquals(Problem.READ_ONLY, problem(new FileSystemException(f.toString(), null, "Read-only file system")));
    assertEquals(Problem.PERMISSION_DENIED, problem(new AccessDeniedException(f.toString())));
    assertEquals(Problem.PERMISSION_DENIED, problem(new FileSystemException(f.toString(), null, "Operation not permitted")));
    assertEquals(Problem.DISK_FULL, problem(new IOException("No space left on device")));
    assertEquals(Problem.QUOTA, problem(new IOException("Disk quota exceeded")));
    assertEquals(Problem.FILE_TOO_LARGE, problem(new IOException("File too large")));
    // not the surroundings: maybe damage, which the store decides
    assertNull(IoFailures.classify(f, new NoSuchFileException(f.toString()), false));
    assertNull(IoFailures.classify(f, new EOFException("read past EOF"), false));
    // a message nobody knows, on a writable file system with space: not explained
    assertNull(IoFailures.classify(tmp, new IOException("Input/output error"), true));
  }

  @Test
  void theMessageNamesTheFileAndWhy() {
    StoreAccessException e = IoFailures.classify(tmp.resolve("s/index/_3.fdt"),
        new IOException("No space left on device"), true);
    assertEquals(tmp.resolve("s/index/_3.fdt") + ": cannot write: disk full (No space left on device)", e.getMessage());
    StoreAccessException ro = IoFailures.classify(tmp.resolve("x"),
        new FileSystemException(tmp.resolve("s/index/write.lock").toString(), null, "Read-only file system"), true);
    assertEquals(tmp.resolve("s/index/write.lock") + ": cannot write: read-only file system", ro.getMessage());
  }

  private Problem problem(IOException e) {
    StoreAccessException a = IoFailures.classify(tmp.resolve("index/_0.fdt"), e, true);
    return a == null ? null : a.problem();
  }
}
