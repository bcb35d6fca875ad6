package dev.ktriage.cli.symbolize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.FakeElf;
import dev.ktriage.cli.Run;
import dev.ktriage.cli.input.InputException;
import dev.ktriage.cli.option.VmlinuxOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --release: where each distribution puts a release's vmlinux, and what is used when several exist. */
class VmlinuxLocationsTest {

  private static final String RELEASE = "6.1.0-47-cloud-amd64";

  @TempDir
  Path root;

  private Path file(String path) throws IOException {
    return FakeElf.at(root, path);
  }

  @Test
  void debugPackagesComeBeforeTheStrippedBootImage() throws IOException {
    VmlinuxLocations at = new VmlinuxLocations(root);
    assertEquals(Optional.empty(), at.find(RELEASE));
    Path boot = file("boot/vmlinux-" + RELEASE);
    assertEquals(Optional.of(boot), at.find(RELEASE));
    Path built = file("lib/modules/" + RELEASE + "/build/vmlinux");
    assertEquals(Optional.of(built), at.find(RELEASE));
    Path fedora = file("usr/lib/debug/lib/modules/" + RELEASE + "/vmlinux");
    assertEquals(Optional.of(fedora), at.find(RELEASE));
    Path debian = file("usr/lib/debug/boot/vmlinux-" + RELEASE);
    assertEquals(Optional.of(debian), at.find(RELEASE));
    assertEquals(Optional.empty(), at.find("6.1.0-46-cloud-amd64"), "another release");
    Files.createDirectories(root.resolve("usr/lib/debug/boot/vmlinux-7.0.0"));
    assertEquals(Optional.empty(), at.find("7.0.0"), "a directory is not an image");
  }

  @Test
  void releaseSetsTheImageAndItsModuleTree() throws IOException, InputException {
    Path debian = file("usr/lib/debug/boot/vmlinux-" + RELEASE);
    Path modules = Files.createDirectories(root.resolve("usr/lib/debug/lib/modules/" + RELEASE));
    VmlinuxOptions o = new VmlinuxOptions();
    o.locations = new VmlinuxLocations(root);
    o.release = RELEASE;
    assertTrue(o.given());
    assertEquals(debian, o.requireVmlinux("symbolize"));
    assertEquals(Optional.of(modules), o.guessedModules());
  }

  @Test
  void missingReleaseAndBothOptionsAreUsageErrors() {
    VmlinuxOptions o = new VmlinuxOptions();
    o.locations = new VmlinuxLocations(root);
    o.release = "9.9.9-nosuch";
    InputException e = assertThrows(InputException.class, o::image);
    assertTrue(e.getMessage().startsWith("--release 9.9.9-nosuch: no vmlinux found (looked for "
        + root.resolve("usr/lib/debug/boot/vmlinux-9.9.9-nosuch")), e.getMessage());
    VmlinuxOptions both = new VmlinuxOptions();
    both.release = RELEASE;
    both.vmlinux = Path.of("vmlinux");
    assertEquals("--vmlinux and --release exclude each other", assertThrows(InputException.class, both::image).getMessage());
  }

  @Test
  void theCommandSaysWhereItLookedInOneLine() {
    Run r = Run.of("symbolize", "--release", "0.0.0-ktriage-test-nosuch", "--no-cache", "-").noStackTrace();
    assertEquals(2, r.code(), r.stderr());
    assertEquals(1, r.stderr().lines().count(), r.stderr());
    assertTrue(r.stderr().contains("--release 0.0.0-ktriage-test-nosuch: no vmlinux found (looked for "
        + "/usr/lib/debug/boot/vmlinux-0.0.0-ktriage-test-nosuch and 5 other places)"), r.stderr());
  }
}
