package dev.ktriage.model;

import java.util.Objects;
import java.util.OptionalInt;

/**
 * A task as printed in {@code by task syz-executor.0/1234}: its comm and pid.
 *
 * @param comm the task name, which may contain spaces and slashes ({@code kworker/u4:2})
 * @param pid the pid after the last slash, when printed
 */
public record TaskRef(String comm, OptionalInt pid) {
  public TaskRef {
    Objects.requireNonNull(comm);
    Objects.requireNonNull(pid);
  }
}
