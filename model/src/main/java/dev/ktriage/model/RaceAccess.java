package dev.ktriage.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One side of a KCSAN race: {@code write (marked) to 0xffff8880 of 8 bytes by task 123 on cpu 0:}.
 *
 * @param op read, write or read-write
 * @param qualifiers the parenthesized words after the op ({@code marked}, {@code reordered}, {@code assert})
 * @param address the accessed address, when printed
 * @param size the access size in bytes
 * @param task the task, absent when the access was made {@code by interrupt}
 * @param interrupt the access was made {@code by interrupt}
 * @param cpu the cpu
 * @param stack which of the report's stacks belongs to this access
 */
public record RaceAccess(AccessOp op, List<String> qualifiers, OptionalLong address, OptionalLong size,
    Optional<TaskRef> task, boolean interrupt, OptionalInt cpu, StackRole stack) {
  public RaceAccess {
    qualifiers = List.copyOf(qualifiers);
  }
}
