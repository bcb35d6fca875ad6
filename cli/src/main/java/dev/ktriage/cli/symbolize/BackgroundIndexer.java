package dev.ktriage.cli.symbolize;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts {@code ktriage index} on a vmlinux in a process of its own that outlives this one, so that
 * the user, who has the answer already, does not wait for the index: its own session ({@code setsid},
 * so a Ctrl-C at the terminal afterwards does not reach it), at a low priority ({@code nice}), with
 * no standard streams (a pipeline or {@code $(...)} around the command ends when this process does).
 *
 * <p>While it runs, {@code <index>.building} holds its pid, for whoever wants to wait for it (the
 * benchmark, tests); the builder removes the file when it is done.
 *
 * <p>{@code KTRIAGE_BACKGROUND_INDEX=0} in the environment turns it off (the index is then built by
 * {@code ktriage index} only).
 */
public final class BackgroundIndexer {
  /** The builder's JVM options when the launcher's cli/jvm/index.options is not found. */
  private static final List<String> DEFAULT_OPTIONS = List.of("-XX:+UseSerialGC",
      "-Djdk.reflect.useNativeAccessorOnly=true");

  private BackgroundIndexer() {
    // no instance
  }

  /** Whether background builds are allowed in this environment. */
  public static boolean enabled() {
    return !"0".equals(System.getenv("KTRIAGE_BACKGROUND_INDEX"));
  }

  /** The marker that holds the builder's pid while it runs. */
  public static Path marker(Path index) {
    return index.resolveSibling(index.getFileName().toString().concat(".building"));
  }

  /**
   * Starts the builder for {@code vmlinux} into {@code cacheDir}.
   *
   * @return the builder's pid, or empty when it could not be started (the caller says so)
   */
  public static Optional<Long> start(Path vmlinux, Path cacheDir, Path index) {
    String java = ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    List<String> cmd = new ArrayList<>();
    // setsid and nice where they are (util-linux, coreutils); without them the build still runs
    if (executable("/usr/bin/setsid")) {
      cmd.add("/usr/bin/setsid");
    }
    if (executable("/usr/bin/nice")) {
      cmd.add("/usr/bin/nice");
      cmd.add("-n");
      cmd.add("10");
    }
    cmd.add(java);
    cmd.add("--enable-native-access=ALL-UNNAMED");
    String classPath = System.getProperty("java.class.path");
    cmd.addAll(jvmOptions(classPath));
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add("dev.ktriage.cli.Main");
    cmd.add("index");
    cmd.add("--background");
    cmd.add("--cache");
    cmd.add(cacheDir.toAbsolutePath().toString());
    cmd.add(vmlinux.toAbsolutePath().toString());
    try {
      Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
      long pid = p.pid();
      try {
        Files.writeString(marker(index), Long.toString(pid), StandardCharsets.US_ASCII);
      } catch (IOException e) {
        // only for those who wait for it
      }
      return Optional.of(pid);
    } catch (IOException | UnsupportedOperationException e) {
      return Optional.empty();
    }
  }

  /** Removes the marker if it names this process (the builder, at its end). */
  public static void done(Path index) {
    Path m = marker(index);
    try {
      if (Files.exists(m) && Files.readString(m, StandardCharsets.US_ASCII).strip()
          .equals(Long.toString(ProcessHandle.current().pid()))) {
        Files.deleteIfExists(m);
      }
    } catch (IOException e) {
      // a stale marker names a process that is gone: waiters check that
    }
  }

  /**
   * The options of {@code ktriage index}: cli/jvm/index.options when this runs from the launcher's jar
   * (cli/target/ktriage.jar), read as cli/jvm/options.sh reads it; else {@link #DEFAULT_OPTIONS}.
   */
  static List<String> jvmOptions(String classPath) {
    Path jar = Path.of(classPath.split(File.pathSeparator, -1)[0]).toAbsolutePath();
    Path dir = jar.getParent() == null || jar.getParent().getParent() == null ? null
        : jar.getParent().getParent().resolve("jvm");
    if (dir == null || !Files.isRegularFile(dir.resolve("index.options"))) {
      return DEFAULT_OPTIONS;
    }
    try {
      List<String> out = new ArrayList<>();
      for (String line : Files.readAllLines(dir.resolve("index.options"), StandardCharsets.UTF_8)) {
        int hash = line.indexOf('#');
        String opt = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (!opt.isEmpty()) {
          out.add(opt.replace("@JVM_DIR@", dir.toString()));
        }
      }
      return out;
    } catch (IOException e) {
      return DEFAULT_OPTIONS;
    }
  }

  private static boolean executable(String p) {
    return Files.isExecutable(Path.of(p));
  }
}
