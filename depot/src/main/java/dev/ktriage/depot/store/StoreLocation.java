package dev.ktriage.depot.store;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Where the store lives: {@code --store DIR}, else {@code $KTRIAGE_STORE}, else
 * {@code $XDG_DATA_HOME/ktriage}, else {@code ~/.local/share/ktriage} (the XDG base-directory default).
 */
public final class StoreLocation {
  private StoreLocation() {} // no instance

  /** The store directory for an optional explicit option and an environment. */
  public static Path resolve(Optional<Path> option, Map<String, String> env, Path home) {
    if (option.isPresent()) {
      return option.get();
    }
    String s = env.get("KTRIAGE_STORE");
    if (s != null && !s.isBlank()) {
      return Path.of(s);
    }
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute()) {
      return Path.of(xdg, "ktriage");
    }
    return home.resolve(".local/share/ktriage");
  }
}
