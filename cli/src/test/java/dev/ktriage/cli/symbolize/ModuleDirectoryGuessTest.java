package dev.ktriage.cli.symbolize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktriage.cli.FakeElf;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The module trees found beside a vmlinux, in the layouts distributions and kbuild really use. */
class ModuleDirectoryGuessTest {

  @TempDir
  Path root;

  private Path file(String path) throws IOException {
    return FakeElf.at(root, path);
  }

  private Path dir(String path) throws IOException {
    return Files.createDirectories(root.resolve(path));
  }

  @Test
  void debianAndUbuntuDebugPackages() throws IOException {
    Path vmlinux = file("usr/lib/debug/boot/vmlinux-6.1.0-47-cloud-amd64");
    Path modules = dir("usr/lib/debug/lib/modules/6.1.0-47-cloud-amd64");
    dir("usr/lib/debug/lib/modules/6.1.0-46-cloud-amd64"); // another kernel's: not this one
    assertEquals(Optional.of(modules), ModuleDirectoryGuess.forVmlinux(vmlinux));
    // Debian's link /usr/lib/debug/vmlinux-<release>, as a copy and as a link.
    Path link = root.resolve("usr/lib/debug/vmlinux-6.1.0-47-cloud-amd64");
    Files.createSymbolicLink(link, vmlinux);
    assertEquals(Optional.of(modules), ModuleDirectoryGuess.forVmlinux(link));
    Path elsewhere = dir("tmp").resolve("vmlinux-6.1.0-47-cloud-amd64");
    Files.createSymbolicLink(elsewhere, vmlinux);
    assertEquals(Optional.of(modules), ModuleDirectoryGuess.forVmlinux(elsewhere), "a link is followed once");
  }

  @Test
  void fedoraKernelDebuginfo() throws IOException {
    Path vmlinux = file("usr/lib/debug/lib/modules/6.8.9-300.fc40.x86_64/vmlinux");
    assertEquals(Optional.of(vmlinux.getParent()), ModuleDirectoryGuess.forVmlinux(vmlinux));
  }

  @Test
  void kernelBuildTrees() throws IOException {
    Path vmlinux = file("src/linux/vmlinux");
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(vmlinux), "no sign of kbuild yet");
    file("src/linux/modules.order");
    assertEquals(Optional.of(vmlinux.getParent()), ModuleDirectoryGuess.forVmlinux(vmlinux));
    Path out = file("build/out/vmlinux");
    file("build/out/Module.symvers");
    assertEquals(Optional.of(out.getParent()), ModuleDirectoryGuess.forVmlinux(out));
  }

  @Test
  void anythingElseIsNotGuessed() throws IOException {
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(file("boot/vmlinux-6.2.0")), "no modules tree");
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(file("a/vmlinux")));
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(file("b/vmlinux-")));
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(file("c/kernel.elf")));
    dir("d/lib/modules/6.3.0");
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(file("d/boot/vmlinux-6.3.1")), "another release");
    assertEquals(Optional.empty(), ModuleDirectoryGuess.forVmlinux(Path.of("vmlinux")), "a bare relative name");
  }
}
