package dev.ktriage.model;

import java.util.Objects;

/**
 * One link of the dependency chain of a circular-locking report: {@code -> #1 (&ovl_dir_file->mutex){+.+.}-{3:3}:}
 * followed by the stack that first took the locks in that order ({@link StackRole#LOCK_CHAIN}).
 *
 * @param depth the {@code #N}: 0 is the lock being acquired, the highest the lock already held
 * @param lock the lock of that link
 */
public record LockDependency(int depth, LockRef lock) {
  public LockDependency {
    Objects.requireNonNull(lock);
  }
}
