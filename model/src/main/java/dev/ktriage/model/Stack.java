package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One stack trace of a report with its role.
 *
 * @param role what the stack stands for
 * @param label the line that introduced the stack, as printed ({@code Freed by task 12:})
 * @param origin task/cpu/time the stack was recorded by, for alloc/free/aux stacks
 * @param frames the frames, outermost last, in printed order
 * @param unavailable the kernel printed {@code (stack is not available)}
 */
public record Stack(StackRole role, String label, Optional<StackOrigin> origin, List<Frame> frames,
    boolean unavailable) {
  public Stack {
    Objects.requireNonNull(role);
    frames = List.copyOf(frames);
  }

  /** This stack with its frames replaced, for symbolization. */
  public Stack withFrames(List<Frame> newFrames) {
    return new Stack(role, label, origin, newFrames, unavailable);
  }
}
