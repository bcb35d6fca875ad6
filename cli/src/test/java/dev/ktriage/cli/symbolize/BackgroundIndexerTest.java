package dev.ktriage.cli.symbolize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The background index build runs with {@code ktriage index}'s options, cli/jvm/index.options. */
class BackgroundIndexerTest {
  @Test
  void readsTheLaunchersOptionsFileBesideTheJar(@TempDir Path root) throws Exception {
    Path jar = Files.createDirectories(root.resolve("cli/target")).resolve("ktriage.jar");
    Files.write(jar, new byte[0]);
    Path jvm = Files.createDirectories(root.resolve("cli/jvm"));
    Files.writeString(jvm.resolve("index.options"), "# why\n-XX:+UseSerialGC  # the collector\n\n  -Da=@JVM_DIR@/x\n");
    assertEquals(List.of("-XX:+UseSerialGC", "-Da=" + jvm + "/x"), BackgroundIndexer.jvmOptions(jar.toString()));
  }

  @Test
  void elsewhereTheDefaults(@TempDir Path root) {
    assertEquals(List.of("-XX:+UseSerialGC", "-Djdk.reflect.useNativeAccessorOnly=true"),
        BackgroundIndexer.jvmOptions(root.resolve("classes").toString()));
  }

  @Test
  void theRepositorysFileIsTheLaunchers() {
    Path jar = Path.of(System.getProperty("ktriage.root", "..")).resolve("cli/target/ktriage.jar");
    List<String> opts = BackgroundIndexer.jvmOptions(jar.toString());
    assertEquals("-XX:+UseSerialGC", opts.get(0), opts.toString());
  }
}
