package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.Run;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first run against a vmlinux answers from DWARF and never builds the index first; the index is
 * built after the answer, in a process of its own, when it pays (a later run of the same vmlinux, or
 * a run that decoded a large share of the DWARF), and by {@code ktriage index}.
 */
class FirstRunIndexTest {
  private static final String VMLINUX = KfixTruth.fixture(KfixTruth.VMLINUX).toString();
  private static final String ID = "b597f97358245fbbd1b174b095ed5ecc67b155d6";
  // One frame of one unit (of the fixture's five): a small input.
  private static final String ONE_FRAME = "helper+0x5/0x40";

  @TempDir
  Path tmp;

  /** Waits for the background builder that {@code <index>.building} names, if any, to end. */
  private static void waitForBuilder(Path index) throws Exception {
    Path marker = index.resolveSibling(index.getFileName() + ".building");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
    while (Files.exists(marker) && Instant.now().isBefore(deadline)) {
      String pid = Files.readString(marker, StandardCharsets.US_ASCII).strip();
      if (ProcessHandle.of(Long.parseLong(pid)).map(ProcessHandle::isAlive).orElse(false)) {
        Thread.sleep(100);
      } else {
        break;
      }
    }
  }

  @Test
  void aSmallInputNeverBuildsTheIndexBeforeAnswering() throws Exception {
    Path cache = tmp.resolve("cache");
    Path index = cache.resolve(ID + ".ktidx");
    Run first = Run.of("addr2line", "--vmlinux", VMLINUX, "--cache", cache.toString(), "-f", ONE_FRAME).noStackTrace();
    assertEquals(0, first.code());
    assertFalse(Files.exists(index), "no index before (or instead of) the answer");
    assertFalse(Files.exists(index.resolveSibling(ID + ".ktidx.building")), "nor one in the background");
    assertFalse(first.stderr().contains("index"), first.stderr());
    assertTrue(Files.exists(cache.resolve(ID + ".seen")), "the vmlinux is remembered");
    String answer = first.out();
    assertEquals(answer, Run.of("addr2line", "--vmlinux", VMLINUX, "--no-cache", "-f", ONE_FRAME).out());

    // A later run against it: the answer first, then the build, in the background, said in one line.
    Run second = Run.of("addr2line", "--vmlinux", VMLINUX, "--cache", cache.toString(), "-f", ONE_FRAME).noStackTrace();
    assertEquals(answer, second.out());
    assertTrue(second.stderr().contains("ktriage: building the symbol index of " + VMLINUX
        + " in the background (a later run against it); later runs start fast"), second.stderr());
    assertEquals(1, second.stderr().lines().count(), second.stderr());
    waitForBuilder(index);
    assertTrue(Files.isRegularFile(index), "the background build wrote the index");

    Run third = Run.of("addr2line", "--vmlinux", VMLINUX, "--cache", cache.toString(), "-f", ONE_FRAME).noStackTrace();
    assertEquals(answer, third.out());
    assertEquals("", third.stderr());
  }

  @Test
  void aLargeInputBuildsItAfterTheFirstAnswer() throws Exception {
    Path cache = tmp.resolve("cache");
    Path index = cache.resolve(ID + ".ktidx");
    // Frames in every unit of the fixture: all of its DWARF decoded.
    Run r = Run.of("symbolize", "--vmlinux", VMLINUX, "--cache", cache.toString(),
        KfixTruth.testdata("kasan-x86.log").toString()).noStackTrace();
    assertEquals(0, r.code());
    assertTrue(r.stderr().matches("(?s).*building the symbol index of .* in the background \\(this run decoded "
        + "\\d+% of its debug info\\).*"), r.stderr());
    waitForBuilder(index);
    assertTrue(Files.isRegularFile(index));
    Run again = Run.of("symbolize", "--vmlinux", VMLINUX, "--cache", cache.toString(),
        KfixTruth.testdata("kasan-x86.log").toString()).noStackTrace();
    assertEquals(r.out(), again.out());
    assertFalse(again.stderr().contains("index"), again.stderr());
  }

  @Test
  void indexCommandBuildsNow() throws Exception {
    Path cache = tmp.resolve("cache");
    Run built = Run.of("index", "--cache", cache.toString(), VMLINUX).noStackTrace();
    assertEquals(0, built.code(), built.stderr());
    assertTrue(built.out().matches(VMLINUX.replace(".", "\\.") + ": indexed in \\d+\\.\\d s into .*" + ID
        + "\\.ktidx\\n"), built.out());
    assertTrue(Files.isRegularFile(cache.resolve(ID + ".ktidx")));
    Run again = Run.of("index", "--cache", cache.toString(), VMLINUX).noStackTrace();
    assertTrue(again.out().startsWith(VMLINUX + ": index up to date ("), again.out());
    Run missing = Run.of("index", "--cache", cache.toString(), tmp.resolve("nope").toString()).noStackTrace();
    assertEquals(2, missing.code());
    assertEquals("ktriage: " + tmp.resolve("nope") + ": no such file\n", missing.stderr());
    Path text = tmp.resolve("text");
    Files.writeString(text, "not an elf file");
    Run notElf = Run.of("index", "--cache", cache.toString(), text.toString()).noStackTrace();
    assertEquals(2, notElf.code());
    assertTrue(notElf.stderr().startsWith("ktriage: " + text + ": not an ELF file"), notElf.stderr());
  }
}
