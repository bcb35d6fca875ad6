package dev.ktriage.cli.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.command.Addr2lineCommand;
import dev.ktriage.cli.option.VmlinuxOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Addr2lineArgs} reads what it accepts exactly as picocli does, and leaves the rest to it. */
class Addr2lineArgsTest {

  private static String picocli(String[] args) {
    Ktriage top = new Ktriage();
    Addr2lineCommand cmd = new Addr2lineCommand();
    return CommandLineOracle.picocli(args, top, "addr2line", cmd, () -> describe(cmd, top));
  }

  private static String describe(Addr2lineCommand c, Ktriage top) {
    VmlinuxOptions v = c.vmlinux;
    return String.join("|", "vmlinux=" + v.vmlinux, "exe=" + c.exe, "modules=" + v.modules, "cache=" + v.cache,
        "noCache=" + v.noCache, "strip=" + v.stripPrefix, "raw=" + v.rawPaths, "f=" + c.functions,
        "i=" + c.inlines, "a=" + c.addresses, "exact=" + c.exact, "inputs=" + c.inputs, "debug=" + top.debug);
  }

  private static String fast(String[] args) {
    Ktriage top = new Ktriage();
    Addr2lineCommand c = Addr2lineArgs.parse(args, top);
    return c == null ? null : describe(c, top);
  }

  @Test
  void theBenchmarkAndTestCommandLinesTakeTheFastPath() {
    for (String line : List.of(
        "addr2line --vmlinux V -a -f -i --exact --raw-paths --cache DIR",
        "addr2line --vmlinux V -a -f -i --exact --raw-paths --no-cache",
        "addr2line -e V --no-cache --raw-paths -fi 0x401093 kfix_main+0x21/0x40",
        "addr2line --vmlinux=V --modules M -afi beta_work+0x10/0x85 [kfix]",
        "--debug addr2line --strip-prefix /build/ --vmlinux V ffffffff81234567",
        "addr2line --functions --inlines --addresses --vmlinux V --debug", "addr2line")) {
      String[] args = line.split(" ");
      String want = picocli(args);
      assertNotNull(want, line);
      assertEquals(want, fast(args), line);
    }
  }

  @Test
  void linesItIsNotSureAboutAreLeftToPicocli() {
    for (String line : List.of(
        "addr2line --help", "addr2line -h", "addr2line -V", "--version", "--help addr2line",
        "addr2line --vmlinux V --vmlinux W", "addr2line -f -f", "addr2line -ff", "addr2line -fx",
        "addr2line --exact=true", "addr2line -eV", "addr2line -e=V", "addr2line --vmlinux",
        "addr2line --vmlinux -f", "addr2line --vmlinux= 0x1", "addr2line --vmlinux V -- -0x1",
        "addr2line @args.txt", "addr2line --cache @dir", "addr2line --debug --debug", "--debug addr2line --debug",
        "addr2line --bogus", "addr2line --exe V -e W", "addr2line --vmlinux V -", "parse --vmlinux V",
        "addr2line --vmlinux V --functions -f", "help addr2line")) {
      assertNull(fast(line.split(" ")), line);
    }
    assertNull(fast(new String[] {"addr2line", ""}), "an empty argument");
    assertNull(fast(new String[0]), "no arguments");
  }

  @Test
  void randomCommandLinesAgreeWithPicocliWheneverTheFastPathTakesThem() {
    String[] words = {"--vmlinux", "V", "--vmlinux=W", "-e", "--exe", "X", "--modules", "M", "--cache", "C",
        "--cache=D", "--no-cache", "--strip-prefix", "/p/", "--raw-paths", "-a", "-f", "-i", "-fi", "-afi", "-ia",
        "--functions", "--inlines", "--addresses", "--exact", "--debug", "0x401093", "f+0x1/0x2", "[mod]",
        "ffffffff81000000", "a b", "-x", "--", "-h", "@f", "--strip-prefix=", "-e=V"};
    CommandLineOracle.agreeOnRandomLines("addr2line", words, 9, Addr2lineArgsTest::fast, Addr2lineArgsTest::picocli);
  }
}
