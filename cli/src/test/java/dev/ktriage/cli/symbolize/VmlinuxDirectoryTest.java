package dev.ktriage.cli.symbolize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.option.VmlinuxOptions;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Report;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ingest --vmlinux-dir}: which kernel of a directory wrote a report, by build id, by banner, or by
 * release and #N with the printed symbol sizes checked, on two small kernel-like ELF files that print the
 * same {@code release #N} (as a gcc and a clang build of one tree do) but lay out {@code foo} differently.
 */
class VmlinuxDirectoryTest {
  private static final String GCC = "Linux version 6.1.0 (dev@host) (gcc (Debian 12.2.0-14) 12.2.0) #1 SMP";
  private static final String CLANG = "Linux version 6.1.0 (dev@host) (clang version 16.0.6) #1 SMP PREEMPT";
  private static final String GCC_ID = "aa".repeat(20);
  private static final String CLANG_ID = "bb".repeat(20);

  @TempDir Path tmp;

  /**
   * A minimal x86_64 ELF executable as the symbolizer reads a vmlinux: {@code .text} with function
   * {@code foo} of {@code fooSize} bytes (kallsyms' size: up to the next function, {@code bar}), {@code .rodata} holding {@code linux_banner} (init/version.c),
   * a GNU build-id note, and its symbol and string tables. No DWARF.
   */
  static byte[] kernel(String banner, String buildId, int fooSize) {
    long text = 0xffffffff81000000L;
    long rodata = 0xffffffff82000000L;
    byte[] textBytes = new byte[0x200];
    java.util.Arrays.fill(textBytes, (byte) 0xcc);
    byte[] bannerBytes = (banner + "\n\0").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer note = le(16 + 20);
    note.putInt(4).putInt(20).putInt(3).put("GNU\0".getBytes(StandardCharsets.ISO_8859_1));
    for (int i = 0; i < 20; i++) {
      note.put((byte) Integer.parseInt(buildId.substring(2 * i, 2 * i + 2), 16));
    }
    byte[] strtab = "\0foo\0linux_banner\0bar\0".getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer sym = le(24 * 4);
    sym.put(new byte[24]);
    sym.putInt(1).put((byte) 0x12).put((byte) 0).putShort((short) 1).putLong(text + 0x40).putLong(fooSize);
    sym.putInt(5).put((byte) 0x11).put((byte) 0).putShort((short) 2).putLong(rodata).putLong(bannerBytes.length);
    sym.putInt(18).put((byte) 0x12).put((byte) 0).putShort((short) 1).putLong(text + 0x40 + fooSize).putLong(0x20);
    String names = "\0.text\0.rodata\0.note.gnu.build-id\0.symtab\0.strtab\0.shstrtab\0";
    byte[] shstr = names.getBytes(StandardCharsets.ISO_8859_1);
    List<byte[]> data = List.of(textBytes, bannerBytes, note.array(), sym.array(), strtab, shstr);
    long[] offsets = new long[data.size()];
    long at = 64;
    for (int i = 0; i < data.size(); i++) {
      offsets[i] = at;
      at += data.get(i).length;
    }
    long shoff = (at + 7) & ~7L;
    ByteBuffer f = le((int) shoff + 64 * 7);
    f.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0});
    f.putShort((short) 2).putShort((short) 62).putInt(1).putLong(0).putLong(0).putLong(shoff).putInt(0)
        .putShort((short) 64).putShort((short) 56).putShort((short) 0).putShort((short) 64).putShort((short) 7)
        .putShort((short) 6);
    for (int i = 0; i < data.size(); i++) {
      f.position((int) offsets[i]);
      f.put(data.get(i));
    }
    f.position((int) shoff);
    f.put(new byte[64]);
    section(f, names.indexOf(".text"), 1, 6, text, offsets[0], textBytes.length, 0, 0, 16, 0);
    section(f, names.indexOf(".rodata"), 1, 2, rodata, offsets[1], bannerBytes.length, 0, 0, 8, 0);
    section(f, names.indexOf(".note.gnu.build-id"), 7, 2, 0, offsets[2], note.capacity(), 0, 0, 4, 0);
    section(f, names.indexOf(".symtab"), 2, 0, 0, offsets[3], sym.capacity(), 5, 1, 8, 24);
    section(f, names.indexOf(".strtab"), 3, 0, 0, offsets[4], strtab.length, 0, 0, 1, 0);
    section(f, names.indexOf(".shstrtab"), 3, 0, 0, offsets[5], shstr.length, 0, 0, 1, 0);
    return f.array();
  }

  private static ByteBuffer le(int n) {
    return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
  }

  private static void section(ByteBuffer f, int name, int type, long flags, long addr, long off, long size, int link,
      int info, long align, long entsize) {
    f.putInt(name).putInt(type).putLong(flags).putLong(addr).putLong(off).putLong(size).putInt(link).putInt(info)
        .putLong(align).putLong(entsize);
  }

  /** A KASAN report as mm/kasan/report.c prints it, faulting in {@code foo+0x10/SIZE}. */
  static String log(String banner, String cpuTail, int fooSize) {
    String foo = String.format(java.util.Locale.ROOT, "foo+0x10/0x%x", fooSize);
    List<String> lines = new ArrayList<>();
    if (banner != null) {
      lines.add("[    0.000000] " + banner);
    }
    lines.addAll(List.of(
        "[   12.000001] ==================================================================",
        "[   12.000001] BUG: KASAN: slab-out-of-bounds in " + foo,
        "[   12.000001] Read of size 8 at addr ffff888000123450 by task sh/1",
        "[   12.000001] ",
        "[   12.000001] CPU: 0 PID: 1 Comm: sh Not tainted " + cpuTail,
        "[   12.000001] Call Trace:",
        "[   12.000001]  <TASK>",
        "[   12.000001]  dump_stack_lvl+0x33/0x42",
        "[   12.000001]  kasan_report+0xca/0x100",
        "[   12.000001]  " + foo,
        "[   12.000001]  </TASK>",
        "[   12.000001] ",
        "[   12.000001] =================================================================="));
    return String.join("\n", lines) + "\n";
  }

  private VmlinuxDirectory kernels(StringWriter err) throws Exception {
    Path dir = tmp.resolve("kernels");
    Files.createDirectories(dir.resolve("gcc"));
    Files.write(dir.resolve("gcc/vmlinux"), kernel(GCC, GCC_ID, 0x40));
    Files.write(dir.resolve("vmlinux-clang.elf"), kernel(CLANG, CLANG_ID, 0x48));
    Files.writeString(dir.resolve("README"), "not a kernel");
    VmlinuxOptions flags = new VmlinuxOptions();
    flags.cache = tmp.resolve("cache");
    return VmlinuxDirectory.scan(dir, flags, new PrintWriter(err));
  }

  private static Report report(String log) {
    return new KernelLogParser().parse(log, "t.log").getFirst();
  }

  private static Optional<String> matched(VmlinuxDirectory d, String log, Optional<String> banner) {
    return d.match(report(log), banner).map(m -> m.kernel().path().getFileName() + " by " + m.how());
  }

  @Test
  void findsTheKernelThatWroteAReport() throws Exception {
    StringWriter err = new StringWriter();
    try (VmlinuxDirectory d = kernels(err)) {
      assertEquals(2, d.size(), d.describe());
      assertEquals(Optional.of("vmlinux-clang.elf by build id"),
          matched(d, log(null, "6.1.0 #1 " + CLANG_ID, 0x40), Optional.empty()));
      assertEquals(Optional.of("vmlinux by banner"), matched(d, log(GCC, "6.1.0 #1", 0x48), Optional.of(GCC)));
      // the same release #N: the printed function size tells the builds apart
      assertEquals(Optional.of("vmlinux by release and #N, symbol sizes checked"),
          matched(d, log(null, "6.1.0 #1", 0x40), Optional.empty()));
      assertEquals(Optional.of("vmlinux-clang.elf by release and #N, symbol sizes checked"),
          matched(d, log(null, "6.1.0 #1", 0x48), Optional.empty()));
      assertEquals(Optional.empty(), matched(d, log(null, "6.1.0 #1", 0x50), Optional.empty()), "fits neither");
      assertEquals(Optional.empty(), matched(d, log(null, "6.1.0 #2", 0x40), Optional.empty()), "another #N");
    }
  }

  @Test
  void ingestSymbolizesMatchedLogsAndCountsTheOthers() throws Exception {
    StringWriter err = new StringWriter();
    kernels(err).close();
    Files.writeString(tmp.resolve("boot-gcc.log"), log(GCC, "6.1.0 #1", 0x40));
    Files.writeString(tmp.resolve("boot-other.log"), log("Linux version 6.2.0 (x@y) (gcc) #3 SMP", "6.2.0 #3", 0x40));
    StringWriter out = new StringWriter();
    StringWriter e2 = new StringWriter();
    int code = Ktriage.run(new String[] {"ingest", "--no-progress", "--store", tmp.resolve("store").toString(),
        "--cache", tmp.resolve("cache").toString(), "--vmlinux-dir", tmp.resolve("kernels").toString(),
        tmp.resolve("boot-gcc.log").toString(), tmp.resolve("boot-other.log").toString()},
        new PrintWriter(out), new PrintWriter(e2));
    assertEquals(0, code, e2.toString());
    assertTrue(out.toString().contains("; symbolized 1 reports with " + tmp.resolve("kernels")
        + ", 1 reports of 1 logs matched no vmlinux there and stay unsymbolized"), out.toString());
    StringWriter o2 = new StringWriter();
    int bad = Ktriage.run(new String[] {"ingest", "--no-progress", "--store", tmp.resolve("store2").toString(),
        "--vmlinux-dir", tmp.resolve("boot-gcc.log").toString(), tmp.resolve("boot-gcc.log").toString()},
        new PrintWriter(o2), new PrintWriter(o2));
    assertEquals(2, bad, o2.toString());
    assertTrue(o2.toString().startsWith("ktriage: ") && o2.toString().contains("not a directory"), o2.toString());
    assertTrue(!o2.toString().contains("\tat "), o2.toString());
  }
}
