package dev.ktriage.symbolizer.bench;

import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.FrameQuery;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.Symbolizer;
import dev.ktriage.symbolizer.SymbolizerOptions;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Benchmark driver, not the product CLI: reads {@code func+0xoff/0xsize} frames (or {@code 0xADDR}
 * lines) on stdin, resolves them as exact (faulting) addresses, and prints addr2line-like output:
 * {@code 0xADDR}, then a function and a {@code file:line} line per frame, innermost first. One block
 * per input; an ambiguous frame prints every candidate, the later ones marked {@code # AMBIGUOUS+}.
 *
 * <p>Usage: {@code BatchResolve VMLINUX [--cache DIR] [--raw-paths] [--threads N]}.
 */
public final class BatchResolve {
  private BatchResolve() {
    // no instance
  }

  public static void main(String[] args) throws Exception {
    Path vmlinux = Path.of(args[0]);
    long t0 = System.nanoTime();
    boolean timing = false;
    int repeat = 1;
    SymbolizerOptions opts = SymbolizerOptions.defaults();
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--cache" -> opts = opts.withCacheDirectory(Path.of(args[++i]));
        case "--raw-paths" -> opts = opts.withRawPaths(true);
        case "--threads" -> opts = opts.withThreads(Integer.parseInt(args[++i]));
        case "--timing" -> timing = true;
        case "--repeat" -> repeat = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    List<String> inputs = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16)) {
      String l;
      while ((l = in.readLine()) != null) {
        if (!l.isBlank()) {
          inputs.add(l.trim());
        }
      }
    }
    try (Symbolizer s = Symbolizer.open(vmlinux, opts);
        Writer out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16)) {
      List<FrameQuery> queries = new ArrayList<>();
      List<Integer> queryOf = new ArrayList<>();
      for (String l : inputs) {
        FrameQuery q = parse(l);
        queryOf.add(q == null ? -1 : queries.size());
        if (q != null) {
          queries.add(q);
        }
      }
      long t1 = System.nanoTime();
      for (int k = 1; k < repeat; k++) {
        // A fresh symbolizer each time: measures a cold open + resolve with the JIT already warm.
        long r0 = System.nanoTime();
        try (Symbolizer again = Symbolizer.open(vmlinux, opts)) {
          again.resolveAll(queries);
        }
        if (timing) {
          System.err.printf("repeat %d (fresh open): %.0f ms%n", k, (System.nanoTime() - r0) / 1e6);
        }
      }
      t1 = System.nanoTime();
      List<Resolution> rs = s.resolveAll(queries);
      long t2 = System.nanoTime();
      if (timing) {
        System.err.println("open " + (t1 - t0) / 1_000_000 + " ms, resolve " + (t2 - t1) / 1_000_000 + " ms");
      }
      StringBuilder b = new StringBuilder(256);
      for (int i = 0; i < inputs.size(); i++) {
        b.setLength(0);
        int q = queryOf.get(i);
        if (q < 0) {
          long addr = Long.parseUnsignedLong(inputs.get(i).replaceFirst("^0x", ""), 16);
          b.append("0x").append(Long.toHexString(addr)).append('\n');
          appendFrames(b, s.frames(addr, false));
        } else {
          Resolution r = rs.get(q);
          if (r.candidates().isEmpty()) {
            b.append("# ").append(inputs.get(i)).append(' ').append(r.status()).append('\n');
          }
          boolean first = true;
          for (Candidate c : r.candidates()) {
            b.append("0x").append(Long.toHexString(c.lookupAddress()));
            if (r.status() != Resolution.Status.RESOLVED) {
              b.append(" # ").append(r.status()).append(first ? "" : "+");
            }
            b.append('\n');
            appendFrames(b, c.frames());
            first = false;
          }
        }
        out.append(b);
      }
    }
  }

  /** {@code name+0xoff[/0xsize]} without regular expressions (they cost startup time). */
  private static FrameQuery parse(String l) {
    int plus = l.lastIndexOf("+0x");
    if (plus <= 0) {
      return null;
    }
    int slash = l.indexOf("/0x", plus);
    try {
      long off = Long.parseUnsignedLong(l, plus + 3, slash < 0 ? l.length() : slash, 16);
      OptionalLong size = slash < 0 ? OptionalLong.empty()
          : OptionalLong.of(Long.parseUnsignedLong(l, slash + 3, l.length(), 16));
      return new FrameQuery(l.substring(0, plus), off, size, Optional.empty(), OptionalLong.empty(), false);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static void appendFrames(StringBuilder b, List<SourceFrame> frames) {
    for (SourceFrame f : frames) {
      b.append(f.function().isEmpty() ? "??" : f.function()).append('\n');
      b.append(f.file().orElse("??")).append(':');
      if (f.line().isPresent()) {
        b.append(f.line().getAsInt());
      } else {
        b.append('0');
      }
      b.append('\n');
    }
  }
}
