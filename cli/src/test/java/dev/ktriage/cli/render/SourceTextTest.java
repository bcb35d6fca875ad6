package dev.ktriage.cli.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Absolute paths of assembler units cut down to the kernel tree. */
class SourceTextTest {

  private final SourceText tree = new SourceText(true);

  @Test
  void absolutePathsStartAtTheKernelTree() {
    // Debian's GNU as units record the build machine's absolute path.
    assertEquals("arch/x86/entry/entry_64.S",
        tree.path("/build/reproducible-path/linux-6.1.170/arch/x86/entry/entry_64.S"));
    // A checkout under a directory that is itself called "kernel": the last /arch/ wins.
    assertEquals("arch/x86/lib/memcpy_64.S", tree.path("/home/u/kernel/linux/arch/x86/lib/memcpy_64.S"));
    assertEquals("lib/crc32.S", tree.path("/src/linux/lib/crc32.S"));
    assertEquals("/opt/x/y.S", tree.path("/opt/x/y.S"), "nothing kernel-like: left alone");
  }

  @Test
  void relativePathsAndRawModeAreLeftAlone() {
    assertEquals("mm/slub.c", tree.path("mm/slub.c"));
    assertEquals("/build/linux/arch/x86/entry/entry_64.S",
        new SourceText(false).path("/build/linux/arch/x86/entry/entry_64.S"));
  }
}
