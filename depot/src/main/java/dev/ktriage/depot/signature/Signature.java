package dev.ktriage.depot.signature;

import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What identifies a report's bug: its class, its exact key and its normalized stacks.
 *
 * @param tool KASAN or KCSAN
 * @param bugClass the coarse class ({@link BugClass})
 * @param exactKey tool, class and the first meaningful frames of the identifying stack(s); reports with
 *     equal keys are the same bug
 * @param guilty the first meaningful frame of the primary stack, if any
 * @param stacks the normalized stacks by role, frame keys innermost first; KCSAN's racing stacks are
 *     under {@link StackRole#RACE_1} and {@link StackRole#RACE_2} in printed order (the pair is
 *     compared unordered)
 */
public record Signature(Tool tool, String bugClass, String exactKey, Optional<String> guilty,
    Map<StackRole, List<String>> stacks) {
  public Signature {
    Objects.requireNonNull(tool);
    Objects.requireNonNull(bugClass);
    Objects.requireNonNull(exactKey);
    stacks = Map.copyOf(stacks);
  }

  /** The frames of a role; empty if the report has no such stack. */
  public List<String> stack(StackRole role) {
    return stacks.getOrDefault(role, List.of());
  }

  /** The identifying stack: the access stack, or KCSAN's first racing stack. */
  public List<String> primary() {
    List<String> a = stack(StackRole.ACCESS);
    return a.isEmpty() ? stack(StackRole.RACE_1) : a;
  }
}
