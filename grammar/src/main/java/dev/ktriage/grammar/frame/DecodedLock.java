package dev.ktriage.grammar.frame;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Everything one lockdep lock line says, as {@link LockSyntax} decoded it.
 *
 * @param shape which kind of lock line
 * @param index the {@code #N} of a held-locks entry or of a dependency-chain link
 * @param address the lock's address, when printed before its class
 * @param lockClass the class name between the outer parentheses ({@code &(&ctx->ctx_lock)->rlock})
 * @param usage the usage bits and wait types ({@code {+.+.}-{3:3}}), when printed
 * @param at the code location after {@code at:}, when printed
 * @param atPc whether a raw pc ({@code [<ffffffff81844c6b>]}) came before that location
 */
public record DecodedLock(Shape shape, OptionalInt index, OptionalLong address, String lockClass,
    Optional<String> usage, Optional<DecodedFrame> at, boolean atPc) {

  /** What printed a lock line. */
  public enum Shape {
    /** A lock on its own line ({@code ffff888012345678 (&lock){+.+.}-{3:3}, at: f+0x1/0x2}). */
    LOCK,
    /** An entry of a held-locks list ({@code  #0: ffff888012345678 (&lock){+.+.}-{3:3}, at: f+0x1/0x2}). */
    HELD,
    /** A link of a dependency chain or path ({@code -> #1 (&lock){+.+.}-{3:3}:}, {@code -> (&lock){+.+.} ops: 3 {}). */
    CHAIN
  }

  public DecodedLock {
    Objects.requireNonNull(shape);
    Objects.requireNonNull(lockClass);
  }

  /**
   * Whether the location after {@code at:} is a code location that the kernel printed, with an
   * offset or a compiler suffix ({@code f+0x47/0x560}, {@code f.isra.9+0x23d/0x38f0}): what syzkaller's
   * {@code at: FUNC} patterns take. An inlined callee's line ({@code at: lock_sock include/net/sock.h:1463
   * [inline]}) names no such location.
   */
  public boolean atCodeLocation() {
    return at.isPresent() && (at.get().offset().isPresent() || at.get().function().indexOf('.') > 0);
  }
}
