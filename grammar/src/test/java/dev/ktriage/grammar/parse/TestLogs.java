package dev.ktriage.grammar.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads and parses the hand-written logs in {@code testdata/logs}; helpers for asserting on them. */
final class TestLogs {
  private TestLogs() {}

  static Path dir() {
    return Corpora.testdata().resolve("logs");
  }

  /** Every {@code .log} under testdata/logs, as repository-relative paths. */
  static List<String> all() {
    try (Stream<Path> s = Files.walk(dir())) {
      return s.filter(p -> p.toString().endsWith(".log")).sorted()
          .map(p -> Corpora.root().relativize(p).toString().replace('\\', '/')).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static byte[] bytes(String rel) {
    try {
      return Files.readAllBytes(Corpora.root().resolve(rel));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses {@code testdata/logs/<name>}, the source path being the repository-relative path. */
  static List<Report> parse(String name) {
    String rel = "testdata/logs/" + name;
    List<Report> out = new ArrayList<>();
    try (InputStream in = Files.newInputStream(Corpora.root().resolve(rel))) {
      new KernelLogParser().parse(in, rel, out::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** The one report of a log that holds exactly one. */
  static Report only(String name) {
    List<Report> r = parse(name);
    assertEquals(1, r.size(), name + ": " + r.stream().map(x -> x.title().title()).toList());
    return r.get(0);
  }

  static Stack stack(Report r, StackRole role) {
    return r.stack(role).orElseThrow(() -> new AssertionError("no " + role + " stack"));
  }

  static List<String> functions(Stack s) {
    return s.frames().stream().map(Frame::function).toList();
  }

  static Frame frame(Stack s, String function) {
    return s.frames().stream().filter(f -> f.function().equals(function)).findFirst()
        .orElseThrow(() -> new AssertionError("no frame " + function + " in " + functions(s)));
  }
}
