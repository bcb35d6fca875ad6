package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ktriage} itself, run in a copy of the repository's layout whose JDK, Maven wrapper and jar
 * are stand-ins that record how they were called: when the launcher rebuilds the jar, and how it
 * trains, uses and gives up on the AOT cache of the symbolizing commands.
 */
class LauncherTest {
  private static final Instant BUILT = Instant.now().minus(Duration.ofMinutes(10));

  @TempDir Path root;
  private Path jar;
  private Path javaLog;
  private Path buildLog;

  @BeforeEach
  void layout() throws IOException {
    Files.copy(KfixTruth.root().resolve("ktriage"), root.resolve("ktriage"));
    // the per-command JVM options, as the repository has them (they also tell the launcher what a command is)
    Files.createDirectories(root.resolve("cli/jvm"));
    try (var jvm = Files.newDirectoryStream(KfixTruth.root().resolve("cli/jvm"), "{*.options,options.sh}")) {
      for (Path f : jvm) {
        Files.copy(f, root.resolve("cli/jvm").resolve(f.getFileName()));
      }
    }
    script(".mvn/find-jdk", """
        echo "$FAKE_JDK"
        if [ "${1:-}" = --with-version ]; then sed -n 's/^JAVA_VERSION="\\(.*\\)"$/\\1/p' "$FAKE_JDK/release"; fi
        """);
    // The wrapper "builds" by touching the jar, and says so in its log.
    script("mvnw", "echo build >> \"$FAKE_BUILD_LOG\"; touch cli/target/ktriage.jar");
    // The JVM: logs its arguments; as a training run prints an answer (and, recording, the line the
    // JDK adds), creates the cache file it is asked for unless told to fail.
    script("jdk/bin/java", """
        printf '%s\\n' "$*" >> "$FAKE_JAVA_LOG"
        mode= cache=
        for a in "$@"; do
          case $a in -XX:AOTMode=*) mode=${a#*=} ;; -XX:AOTCache=*) cache=${a#*=} ;; esac
        done
        case $mode in
          record) echo answers; echo " AOTConfiguration recorded: conf" ;;
          create) [ -z "${FAKE_AOT_FAIL:-}" ] || exit 134; echo cache > "$cache" ;;
          on) echo "${FAKE_CHECK_OUTPUT:-answers}" ;;
          *) echo ran ;;
        esac
        """);
    script("jdk/bin/javac", "exit 0");
    jdkVersion("25.0.3");
    for (String f : List.of("pom.xml", "cli/pom.xml", "cli/src/main/java/A.java", "cli/jvm/addr2line-training.txt",
        "testdata/elf/kfix/x86_64-dwarf5/kfix.elf", "testdata/symbolize/kasan-x86.log",
        "testdata/demo/syzkaller-console.log")) {
      write(f, "x\n");
      age(f, BUILT.minus(Duration.ofHours(1)));
    }
    age("cli/src/main/java", BUILT.minus(Duration.ofHours(1)));
    age("cli/src/main", BUILT.minus(Duration.ofHours(1)));
    jar = write("cli/target/ktriage.jar", "jar");
    Files.setLastModifiedTime(jar, FileTime.from(BUILT));
    javaLog = root.resolve("java.log");
    buildLog = root.resolve("build.log");
  }

  @Test
  void aFreshJarIsUsedAndAChangedSourceTreeRebuildsIt() throws Exception {
    assertEquals("ran", run("parse", "x").strip());
    assertEquals(0, builds(), "nothing changed: no build");
    assertTrue(Files.isRegularFile(root.resolve("cli/target/.sources")), "the walked paths are kept");
    run("parse", "x");
    assertEquals(0, builds(), "the kept paths say the same");

    age("cli/src/main/java/A.java", BUILT.plus(Duration.ofMinutes(1))); // edited in place
    run("parse", "x");
    assertEquals(1, builds(), "an edited source rebuilds");
    run("parse", "x"); // after a build the paths are walked again
    assertEquals(1, builds(), "and once is enough");

    // Added with an old time (as cp -p or an unpacked archive gives): its directory's time gives it away.
    settle();
    Path added = write("cli/src/main/java/B.java", "y\n");
    age("cli/src/main/java/B.java", BUILT.minus(Duration.ofHours(2)));
    run("parse", "x");
    assertEquals(2, builds(), "an added source rebuilds");
    run("parse", "x");

    settle();
    Files.delete(added);
    run("parse", "x");
    assertEquals(3, builds(), "a removed source rebuilds");
    run("parse", "x");

    settle();
    age("pom.xml", BUILT.plus(Duration.ofMinutes(1)));
    run("parse", "x");
    assertEquals(4, builds(), "a changed pom rebuilds");
  }

  /** Back to a jar built after every source was last changed. */
  private void settle() throws IOException {
    for (String f : List.of("pom.xml", "cli/pom.xml", "cli/src/main/java/A.java", "cli/src/main/java",
        "cli/src/main")) {
      age(f, BUILT.minus(Duration.ofHours(1)));
    }
    age("cli/target/ktriage.jar", BUILT);
  }

  @Test
  void addr2lineOnJdk25TrainsAnAotCacheOnceAndUsesIt() throws Exception {
    assertEquals("ran", run("addr2line", "--vmlinux", "v", "0x1").strip());
    List<String> calls = javaCalls();
    assertEquals(5, calls.size(), calls.toString()); // index, record, create, check, the command itself
    assertTrue(calls.get(0).contains("--vmlinux " + root.resolve("testdata/elf/kfix/x86_64-dwarf5/kfix.elf")));
    assertTrue(calls.get(1).contains("-XX:AOTMode=record"), calls.get(1));
    assertTrue(calls.get(2).contains("-XX:AOTMode=create"), calls.get(2));
    assertTrue(calls.get(3).contains("-XX:AOTMode=on"), calls.get(3));
    Path cache = root.resolve("cli/target/ktriage-addr2line-jdk25.0.3.aot");
    assertTrue(calls.get(4).contains("-XX:AOTCache=" + cache), calls.get(4));
    assertTrue(calls.get(4).endsWith("addr2line --vmlinux v 0x1"), calls.get(4));
    assertTrue(Files.isRegularFile(cache));
    // Training uses the command's own JVM options, or the JVM would refuse the cache; and it keeps
    // the classes only, not the fixture run's method profiles (which slowed large runs down).
    assertTrue(calls.get(1).contains("-XX:+UseSerialGC"), calls.get(1));
    assertTrue(calls.get(1).contains("-XX:-AOTRecordTraining"), calls.get(1));
    // A crashing JVM's report goes to the training's temporary directory, not the working directory.
    assertTrue(calls.stream().limit(4).allMatch(c -> c.contains("-XX:ErrorFile=")), calls.toString());

    Files.delete(javaLog);
    run("addr2line", "--vmlinux", "v", "0x1");
    assertEquals(1, javaCalls().size(), "trained once");

    age("cli/target/ktriage.jar", Instant.now().plus(Duration.ofMinutes(1))); // a new build
    Files.delete(javaLog);
    run("addr2line", "--vmlinux", "v", "0x1");
    assertEquals(5, javaCalls().size(), "a new jar trains again");
  }

  @Test
  void aCacheThatCannotBeMadeOrDoesNotAnswerAlikeIsGivenUpUntilTheNextBuild() throws Exception {
    for (Map.Entry<String, String> failure : List.of(Map.entry("FAKE_AOT_FAIL", "1"),
        Map.entry("FAKE_CHECK_OUTPUT", "other answers"))) {
      Files.deleteIfExists(javaLog);
      Path marker = root.resolve("cli/target/ktriage-addr2line-jdk25.0.3.aot.failed");
      Files.deleteIfExists(marker);
      assertEquals("ran", run(Map.of(failure.getKey(), failure.getValue()), "addr2line", "--vmlinux", "v").strip());
      List<String> calls = javaCalls();
      String last = calls.get(calls.size() - 1);
      assertTrue(last.contains("-XX:SharedArchiveFile="), failure + ": " + last);
      assertFalse(last.contains("-XX:AOTCache"), failure + ": " + last);
      assertTrue(Files.exists(marker), failure.toString());
      assertFalse(Files.exists(root.resolve("cli/target/ktriage-addr2line-jdk25.0.3.aot")), failure.toString());

      Files.delete(javaLog);
      run(Map.of(failure.getKey(), failure.getValue()), "addr2line", "--vmlinux", "v");
      assertEquals(1, javaCalls().size(), failure + ": not tried again");
    }
  }

  @Test
  void olderJdksAndOtherCommandsKeepTheClassDataSharingArchive() throws Exception {
    jdkVersion("21.0.5");
    run("addr2line", "--vmlinux", "v", "0x1");
    String last = lastCall();
    assertTrue(last.contains("-XX:SharedArchiveFile=" + root.resolve("cli/target/ktriage-addr2line.jsa")), last);
    assertEquals(1, javaCalls().size(), "no training on JDK 21");

    jdkVersion("25.0.3");
    Files.delete(javaLog);
    for (String command : List.of("symbolize", "search")) {
      Files.deleteIfExists(javaLog);
      run(command, "x");
      last = lastCall();
      assertTrue(last.contains("-XX:SharedArchiveFile=" + root.resolve("cli/target/ktriage-" + command + ".jsa")), last);
      assertEquals(1, javaCalls().size(), command + " is not trained");
    }
  }

  private String lastCall() throws IOException {
    List<String> calls = javaCalls();
    return calls.get(calls.size() - 1);
  }

  private void jdkVersion(String version) throws IOException {
    write("jdk/release", "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
    // A new version is only read when the launcher looks for its JDK again.
    Files.deleteIfExists(root.resolve("cli/target/.jdk-home"));
  }

  private String run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  private String run(Map<String, String> env, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("ktriage").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
    pb.environment().put("FAKE_JDK", root.resolve("jdk").toString());
    pb.environment().put("FAKE_JAVA_LOG", root.resolve("java.log").toString());
    pb.environment().put("FAKE_BUILD_LOG", root.resolve("build.log").toString());
    pb.environment().remove("KTRIAGE_JAVA_OPTS");
    pb.environment().putAll(env);
    Path err = root.resolve("stderr.txt");
    pb.redirectError(err.toFile());
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out + Files.readString(err));
    return out;
  }

  private List<String> javaCalls() throws IOException {
    return Files.exists(javaLog) ? Files.readAllLines(javaLog) : List.of();
  }

  private int builds() throws IOException {
    return Files.exists(buildLog) ? Files.readAllLines(buildLog).size() : 0;
  }

  private void script(String path, String body) throws IOException {
    Path p = write(path, "#!/usr/bin/env bash\n" + body + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private Path write(String path, String text) throws IOException {
    Path p = root.resolve(path);
    Files.createDirectories(p.getParent());
    return Files.writeString(p, text);
  }

  private void age(String path, Instant when) throws IOException {
    Files.setLastModifiedTime(root.resolve(path), FileTime.from(when));
  }
}
