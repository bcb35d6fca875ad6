package dev.ktriage.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.KfixTruth;
import dev.ktriage.cli.Run;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Unusable kernels and options: one line on stderr, exit code 2, no stack trace; usable but
 * degraded ones (no DWARF, damaged DWARF): a notice and what can still be said.
 */
class SymbolizerInputErrorsTest {

  private static final Path VMLINUX = KfixTruth.fixture(KfixTruth.VMLINUX);
  private static final String LOG = KfixTruth.testdata("kasan-x86.log").toString();

  private static void oneLineError(Run r, String expected) {
    r.noStackTrace();
    assertEquals(2, r.code(), r.stderr());
    assertEquals("", r.out());
    List<String> lines = r.stderr().lines().toList();
    assertEquals(1, lines.size(), r.stderr());
    assertEquals(expected, lines.get(0));
  }

  @Test
  void missingVmlinux(@TempDir Path tmp) {
    Path p = tmp.resolve("vmlinux");
    oneLineError(Run.of("symbolize", "--vmlinux", p.toString(), LOG), "ktriage: " + p + ": no such file");
    oneLineError(Run.of("addr2line", "--vmlinux", p.toString(), "0x1"), "ktriage: " + p + ": no such file");
    oneLineError(Run.of("parse", "--vmlinux", p.toString(), LOG), "ktriage: " + p + ": no such file");
  }

  @Test
  void notAnElfFile(@TempDir Path tmp) throws IOException {
    Path p = Files.writeString(tmp.resolve("vmlinux"), "this is a text file, not a kernel\n");
    oneLineError(Run.of("symbolize", "--vmlinux", p.toString(), "--no-cache", LOG),
        "ktriage: " + p + ": not an ELF file (bad magic)");
    oneLineError(Run.of("parse", "--vmlinux", p.toString(), "--no-cache", LOG),
        "ktriage: " + p + ": not an ELF file (bad magic)");
    Path empty = Files.write(tmp.resolve("empty"), new byte[0]);
    oneLineError(Run.of("symbolize", "--vmlinux", empty.toString(), "--no-cache", LOG),
        "ktriage: " + empty + ": not an ELF file (bad magic)");
  }

  @Test
  void truncatedElf(@TempDir Path tmp) throws IOException {
    byte[] all = Files.readAllBytes(VMLINUX);
    for (int len : new int[] {10, 40, 100, 4096, all.length / 2}) {
      Path p = Files.write(tmp.resolve("vmlinux-" + len), Arrays.copyOf(all, len));
      Run r = Run.of("symbolize", "--vmlinux", p.toString(), "--no-cache", LOG).noStackTrace();
      assertEquals(2, r.code(), len + ": " + r.stderr());
      assertEquals(1, r.stderr().lines().count(), r.stderr());
      assertTrue(r.stderr().startsWith("ktriage: " + p + ": truncated ELF file ("), r.stderr());
    }
  }

  @Test
  void directoriesAndOptions(@TempDir Path tmp) {
    oneLineError(Run.of("symbolize", "--vmlinux", tmp.toString(), LOG),
        "ktriage: " + tmp + ": is a directory (--vmlinux takes the kernel ELF file)");
    oneLineError(Run.of("symbolize", LOG), "ktriage: symbolize: --vmlinux FILE is required (the kernel image with debug info)");
    oneLineError(Run.of("symbolize", "--vmlinux", VMLINUX.toString(), "--cache", tmp.toString(), "--no-cache", LOG),
        "ktriage: --cache and --no-cache exclude each other");
    Path missing = tmp.resolve("modules");
    oneLineError(Run.of("symbolize", "--vmlinux", VMLINUX.toString(), "--modules", missing.toString(), LOG),
        "ktriage: " + missing + ": no such directory (--modules takes the directory that holds the .ko files)");
    Path log = tmp.resolve("nope.log");
    oneLineError(Run.of("symbolize", "--vmlinux", VMLINUX.toString(), "--no-cache", log.toString()),
        "ktriage: " + log + ": no such file");
  }

  @Test
  void truncatedCompressedLogKeepsWhatWasRead(@TempDir Path tmp) throws IOException {
    java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream();
    try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz)) {
      z.write(Files.readAllBytes(Path.of(LOG)));
    }
    byte[] all = gz.toByteArray();
    Path cut = Files.write(tmp.resolve("cut.log.gz"), Arrays.copyOf(all, all.length * 4 / 5));
    Run r = Run.of("symbolize", "--vmlinux", VMLINUX.toString(), "--no-cache", cut.toString()).noStackTrace();
    assertEquals(0, r.code());
    List<String> said = r.stderr().lines().toList();
    assertTrue(said.get(said.size() - 1).matches("ktriage: " + java.util.regex.Pattern.quote(cut.toString())
        + ": compressed data ends early after \\d+ bytes of log; the lines before that were copied"), r.stderr());
    // The report's frames were read before the cut: they come out symbolized.
    assertTrue(r.out().contains(" kfix_main+0x21/0x40 main.c:15"), r.out());
  }

  @Test
  void withoutDwarfFramesKeepFunctionAndOffsetAndRawOnesGetThem() {
    String nodwarf = KfixTruth.root().resolve("testdata/elf/kfix-nodwarf/kfix.elf").toString();
    String log = "Call Trace:\n kfix_main+0x21/0x40\n ? 0x0000000000401071\n";
    Run r = Run.of(log.getBytes(StandardCharsets.UTF_8), "symbolize", "--vmlinux", nodwarf, "--no-cache", "-")
        .noStackTrace();
    assertEquals(0, r.code());
    assertEquals("Call Trace:\n kfix_main+0x21/0x40\n ? 0x0000000000401071 kfix_main+0x21/0x40\n", r.out());
    List<String> notice = r.stderr().lines().toList();
    assertEquals(1, notice.size(), r.stderr());
    assertTrue(notice.get(0).startsWith("ktriage: " + nodwarf + " has no DWARF debug info"), notice.get(0));
  }

  @Test
  void damagedDwarfGivesWhatItCanWithAWarning(@TempDir Path tmp) throws IOException {
    byte[] elf = Files.readAllBytes(VMLINUX);
    long[] info = section(elf, ".debug_info");
    // Garbage over every unit after the first header: abbreviation codes and forms make no sense.
    for (long i = info[0] + 11; i < info[0] + info[1]; i++) {
      elf[(int) i] = (byte) 0xff;
    }
    Path p = Files.write(tmp.resolve("vmlinux"), elf);
    for (String cache : new String[] {"--no-cache", "--cache=" + tmp.resolve("cache")}) {
      Run r = Run.of("symbolize", "--vmlinux", p.toString(), cache, LOG).noStackTrace();
      assertEquals(0, r.code(), r.stderr());
      // Line tables are intact, so lines may still come; the log itself passes through.
      assertTrue(r.out().contains("BUG: KASAN: slab-out-of-bounds in helper+0x5/0x40"), r.out());
      assertTrue(r.stderr().contains("damaged debug info"), cache + ": " + r.stderr());
      assertTrue(r.stderr().lines().allMatch(l -> l.startsWith("ktriage: ")), r.stderr());
    }
  }

  /** {offset, size} of an ELF64 little-endian section, read from the section headers. */
  private static long[] section(byte[] elf, String name) {
    ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
    long shoff = b.getLong(0x28);
    int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
    int shnum = Short.toUnsignedInt(b.getShort(0x3c));
    int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
    long strOff = b.getLong((int) (shoff + (long) shstrndx * shentsize + 0x18));
    for (int i = 0; i < shnum; i++) {
      int h = (int) (shoff + (long) i * shentsize);
      int nameOff = b.getInt(h);
      int s = (int) (strOff + nameOff);
      int e = s;
      while (elf[e] != 0) {
        e++;
      }
      if (new String(elf, s, e - s, StandardCharsets.US_ASCII).equals(name)) {
        return new long[] {b.getLong(h + 0x18), b.getLong(h + 0x20)};
      }
    }
    throw new AssertionError("no section " + name);
  }

  @Test
  void aVmlinuxOfAnotherBuildIsRefusedUnlessForced(@TempDir Path tmp) throws Exception {
    // dump_stack_print_info() appends the build id with CONFIG_STACKTRACE_BUILD_ID; this one is not kfix.elf's
    String other = "0123456789abcdef0123456789abcdef01234567";
    List<String> lines = new java.util.ArrayList<>(Files.readAllLines(Path.of(LOG)));
    int cpu = 0;
    while (!lines.get(cpu).contains("CPU: ")) {
      cpu++;
    }
    lines.set(cpu, lines.get(cpu) + " " + other);
    Path log = Files.write(tmp.resolve("other-build.log"), lines);
    String ours = dev.ktriage.symbolizer.Symbolizer.open(VMLINUX, dev.ktriage.symbolizer.SymbolizerOptions.defaults()
        .withoutCache()).buildId().orElseThrow();
    Run r = Run.of("symbolize", "--vmlinux", VMLINUX.toString(), "--no-cache", log.toString()).noStackTrace();
    assertEquals(2, r.code());
    assertEquals("", r.out(), "refused before a line is written");
    assertEquals("ktriage: " + VMLINUX + " does not match the log: line " + (cpu + 1) + " says build id " + other + ", "
        + VMLINUX + " has " + ours + "; --force annotates anyway\n", r.stderr());
    Run forced = Run.of("symbolize", "--vmlinux", VMLINUX.toString(), "--no-cache", "--force", log.toString())
        .noStackTrace();
    assertEquals(0, forced.code(), forced.stderr());
    assertTrue(forced.out().contains(" kfix_main+0x21/0x40 main.c:15"), forced.out());
    assertTrue(forced.stderr().startsWith("ktriage: warning: " + VMLINUX + " does not match the log"), forced.stderr());
  }
}
