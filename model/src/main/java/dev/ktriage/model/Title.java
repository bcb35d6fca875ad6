package dev.ktriage.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A syzkaller/syzbot-compatible title.
 *
 * @param title the primary title ({@code KASAN: slab-out-of-bounds Read in foo})
 * @param alternatives alternative titles that syzbot also matches ({@code bad-access in foo})
 * @param guiltyFrame the function the title blames, if any
 */
public record Title(String title, List<String> alternatives, Optional<String> guiltyFrame) {
  public Title {
    Objects.requireNonNull(title);
    alternatives = List.copyOf(alternatives);
  }
}
