package dev.ktriage.depot.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Directories {@code 0700} and files {@code 0600}, as the store creates them: crash logs carry kernel
 * addresses, and a kernel address read by another user defeats KASLR. Existing directories keep the
 * permissions their owner gave them. On a file system without POSIX permissions, the defaults.
 */
public final class PrivateFiles {
  private PrivateFiles() {} // no instance

  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  private static final Set<PosixFilePermission> DIR = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
  private static final Set<PosixFilePermission> FILE = EnumSet.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE);

  /** {@code dir} and the parents that are missing, each created {@code 0700}. */
  public static Path createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return dir; // also when a parent may not be listed: createDirectories would fail there
    }
    return POSIX ? Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR)) : Files.createDirectories(dir);
  }

  /** A new file (replacing none: it must not exist), created {@code 0600}, opened for writing. */
  public static OutputStream createNew(Path file) throws IOException {
    FileAttribute<?>[] attrs = POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)}
        : new FileAttribute<?>[0];
    return Channels.newOutputStream(Files.newByteChannel(file,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs));
  }

  /** Makes a file that another library created {@code 0600}. */
  public static void restrict(Path file) throws IOException {
    if (POSIX) {
      Files.setPosixFilePermissions(file, FILE);
    }
  }
}
