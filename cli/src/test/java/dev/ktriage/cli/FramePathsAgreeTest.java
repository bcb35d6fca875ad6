package dev.ktriage.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.cli.fastpath.PlainFrame;
import dev.ktriage.cli.symbolize.Addr2lineInput;
import dev.ktriage.grammar.frame.DecodedFrame;
import dev.ktriage.grammar.frame.FrameLine;
import dev.ktriage.grammar.frame.FrameLineRecognizer;
import dev.ktriage.grammar.frame.FrameSyntax;
import dev.ktriage.grammar.log.ConsolePrefixParser;
import dev.ktriage.grammar.log.LineSanitizer;
import dev.ktriage.grammar.log.MailQuotes;
import dev.ktriage.grammar.parse.KernelLogParser;
import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.symbolizer.FrameQuery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every frame line of every test log goes down every path that reads frames, and they agree: the
 * report parser ({@code parse}), the recognizer that {@code symbolize} uses, {@code addr2line}'s
 * input reader and its plain-frame fast path. They all read frames with {@link FrameSyntax}; this
 * checks that none of them classifies lines on its own (the grammar decides which lines are frames
 * only through it), so a frame shape taught to one path is known to all.
 */
class FramePathsAgreeTest {

  private static final LineSanitizer SANITIZER = new LineSanitizer();
  private static final MailQuotes QUOTES = new MailQuotes();
  private static final ConsolePrefixParser PREFIXES = new ConsolePrefixParser();
  private static final FrameLineRecognizer RECOGNIZER = new FrameLineRecognizer();

  private static List<Path> logs() {
    Path root = TestLogs.root().resolve("testdata");
    try (Stream<Path> s = Stream.concat(Files.walk(root.resolve("logs")), Files.walk(root.resolve("symbolize")))) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @TestFactory
  List<DynamicTest> everyFrameLineOfEveryLog() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Path log : logs()) {
      tests.add(DynamicTest.dynamicTest(TestLogs.root().relativize(log).toString(), () -> check(log)));
    }
    assertFalse(tests.isEmpty());
    return tests;
  }

  private static void check(Path log) throws IOException {
    String text = new String(Files.readAllBytes(log), StandardCharsets.UTF_8);
    String[] lines = text.split("\n", -1);
    List<Report> reports = new KernelLogParser().parse(text, log.toString());
    Map<Long, List<Frame>> parsed = new HashMap<>();
    List<long[]> stackRanges = new ArrayList<>();
    for (Report r : reports) {
      for (Stack s : r.stacks()) {
        for (Frame f : s.frames()) {
          parsed.computeIfAbsent(f.logLine(), k -> new ArrayList<>()).add(f);
        }
        if (!s.frames().isEmpty()) {
          stackRanges.add(new long[] {s.frames().get(0).logLine(), s.frames().get(s.frames().size() - 1).logLine()});
        }
      }
    }
    for (int i = 0; i < lines.length; i++) {
      long number = i + 1;
      String line = lines[i];
      String body = PREFIXES.split(QUOTES.strip(SANITIZER.sanitize(line))).body();
      Optional<DecodedFrame> d = FrameSyntax.line(body);
      String where = log.getFileName() + ":" + number + ": " + line;

      // symbolize
      Optional<FrameLine> sym = RECOGNIZER.recognize(body);
      assertEquals(d.flatMap(DecodedFrame::frameLine), sym, where);

      // addr2line: a whole pasted line (a bare hex number is an address there, not a frame)
      String stripped = SANITIZER.sanitize(line).strip();
      if (sym.isPresent() && !isHex(stripped)) {
        FrameLine f = sym.get();
        Optional<Addr2lineInput> a = Addr2lineInput.general(line, false);
        assertTrue(a.isPresent(), where);
        if (f.hasSymbol()) {
          FrameQuery q = a.get().query();
          assertEquals(f.function(), q.function(), where);
          assertEquals(f.offset().getAsLong(), q.offset(), where);
          assertEquals(f.size(), q.size(), where);
          assertEquals(f.module(), q.module(), where);
          assertEquals(!f.exactPc(), q.returnAddress(), where);
        } else {
          assertEquals(f.address().getAsLong(), a.get().address(), where);
        }
        FrameQuery plain = PlainFrame.parse(stripped, false);
        if (plain != null) {
          assertEquals(a.get().query(), plain, where);
        }
      }

      // parse: every frame the parser made from this line is one the line names ...
      for (Frame f : parsed.getOrDefault(number, List.of())) {
        assertTrue(d.isPresent(), where + " gave frame " + f.function() + " but is no frame line");
        DecodedFrame df = d.get();
        if (df.callee().isPresent() && f.function().equals(df.callee().get().function())
            && !f.function().equals(df.function())) {
          assertEquals(df.callee().get().offset(), f.offset(), where);
          assertEquals(df.callee().get().address(), f.address(), where);
          continue;
        }
        assertEquals(df.function(), f.function(), where);
        assertEquals(df.offset(), f.offset(), where);
        assertEquals(df.size(), f.size(), where);
        assertEquals(df.module(), f.module(), where);
        assertEquals(df.moduleBuildId(), f.moduleBuildId(), where);
        assertEquals(df.address(), f.address(), where);
        assertEquals(df.reliable(), f.reliable(), where);
        assertEquals(df.location(), f.location(), where);
      }
      // ... and no call-trace line inside a stack is left out of it (a raw address alone names no
      // function: stacks keep frames that name one).
      boolean insideStack = stackRanges.stream().anyMatch(r -> number >= r[0] && number <= r[1]);
      if (insideStack && d.isPresent() && d.get().source() == DecodedFrame.Source.CALL_TRACE
          && d.get().hasSymbol()) {
        assertTrue(parsed.containsKey(number), where + " is a frame line inside a stack but gave no frame");
      }
    }
  }

  private static boolean isHex(String t) {
    return FrameSyntax.hex(t).isPresent();
  }
}
