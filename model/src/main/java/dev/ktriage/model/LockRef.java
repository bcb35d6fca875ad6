package dev.ktriage.model;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A lock as lockdep prints it: {@code #0: ffff88802b8e8428 (&ovl_dir_file->mutex){+.+.}-{3:3}, at:
 * ovl_dir_llseek+0x47/0x560}.
 *
 * @param index the {@code #N} of a held-locks list, when printed
 * @param address the lock's address (printed since 4.15; hashed since 4.15 too)
 * @param lockClass the lock class name ({@code &ovl_dir_file->mutex}, {@code rtnl_mutex})
 * @param usage the usage bits and wait types as printed ({@code {+.+.}-{3:3}})
 * @param at the function that took (or is taking) the lock, as printed after {@code at:}
 * @param atLocation the source position printed after that function, if any
 */
public record LockRef(OptionalInt index, OptionalLong address, String lockClass, Optional<String> usage,
    Optional<String> at, Optional<SourceLocation> atLocation) {
  public LockRef {
    Objects.requireNonNull(lockClass);
  }
}
