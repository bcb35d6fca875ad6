package dev.ktriage.cli.fastpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.Ktriage;
import dev.ktriage.cli.TestLogs;
import dev.ktriage.cli.command.ParseCommand;
import dev.ktriage.cli.option.VmlinuxOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link ParseArgs} reads what it accepts exactly as picocli does, and leaves the rest to it. */
class ParseArgsTest {

  private static String picocli(String[] args) {
    Ktriage top = new Ktriage();
    ParseCommand cmd = new ParseCommand();
    return CommandLineOracle.picocli(args, top, "parse", cmd, () -> describe(cmd, top));
  }

  private static String describe(ParseCommand c, Ktriage top) {
    VmlinuxOptions v = c.vmlinux;
    return String.join("|", "format=" + c.output.format, "check=" + c.check, "color=" + c.output.color, "files=" + c.files,
        "vmlinux=" + v.vmlinux, "modules=" + v.modules, "cache=" + v.cache, "noCache=" + v.noCache,
        "strip=" + v.stripPrefix, "raw=" + v.rawPaths, "debug=" + top.debug);
  }

  private static String fast(String[] args) {
    Ktriage top = new Ktriage();
    ParseCommand c = ParseArgs.parse(args, top);
    return c == null ? null : describe(c, top);
  }

  @Test
  void everydayCommandLinesTakeTheFastPath() {
    for (String line : List.of(
        "parse", "parse crash.log", "parse --format jsonl a.log b.log.gz", "parse --format=JSON --check x",
        "--debug parse --color never log", "parse log --check --color=always --format text --debug")) {
      String[] args = line.split(" ");
      String want = picocli(args);
      assertNotNull(want, line);
      assertEquals(want, fast(args), line);
    }
  }

  @Test
  void linesItIsNotSureAboutAreLeftToPicocli() {
    for (String line : List.of(
        "parse --help", "parse -h", "parse -V", "--version", "--help parse", "help parse",
        "parse --vmlinux V log", "parse --modules M log", "parse --no-cache", "parse -", "parse -- -x.log",
        "parse --format", "parse --format xml", "parse --format=", "parse --format json --format text",
        "parse --check --check", "parse --check=true", "parse --color sometimes", "parse @args.txt",
        "parse --debug --debug", "--debug parse --debug", "parse --bogus", "addr2line --vmlinux V")) {
      assertNull(fast(line.split(" ")), line);
    }
    assertNull(fast(new String[] {"parse", ""}), "an empty argument");
    assertNull(fast(new String[0]), "no arguments");
  }

  @Test
  void randomCommandLinesAgreeWithPicocliWheneverTheFastPathTakesThem() {
    String[] words = {"--format", "json", "JSONL", "text", "--format=jsonl", "--format=", "--check", "--check=false",
        "--color", "never", "--color=ALWAYS", "auto", "--debug", "a.log", "b.log.zst", "-", "--", "-h", "@f",
        "--vmlinux", "V", "--no-cache", "x y", "-x"};
    CommandLineOracle.agreeOnRandomLines("parse", words, 7, ParseArgsTest::fast, ParseArgsTest::picocli);
  }

  @Test
  void theFastPathRunsTheSameCommand() throws Exception {
    String log = TestLogs.root().resolve("testdata/demo/syzkaller-console.log").toString();
    // The same request through picocli ("--" before the file, which the fast path leaves to picocli)
    // and through the fast path: same reports, same messages, same exit code.
    StringWriter viaPicocli = new StringWriter();
    StringWriter err1 = new StringWriter();
    int code1 = Ktriage.run(new String[] {"parse", "--format", "jsonl", "--", log},
        new PrintWriter(viaPicocli), new PrintWriter(err1));
    assertNull(fast(new String[] {"parse", "--format", "jsonl", "--", log}), "-- goes through picocli");
    StringWriter viaFast = new StringWriter();
    StringWriter err2 = new StringWriter();
    int code2 = Ktriage.run(new String[] {"parse", "--format", "jsonl", log}, new PrintWriter(viaFast),
        new PrintWriter(err2));
    assertEquals(0, code1);
    assertEquals(code1, code2);
    assertTrue(viaFast.toString().contains("\"title\""), viaFast.toString());
    assertEquals(viaPicocli.toString(), viaFast.toString());
    assertEquals(err1.toString(), err2.toString());
  }
}
