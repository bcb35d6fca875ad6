package dev.ktriage.symbolizer.bench;

import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.FrameQuery;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.Symbolizer;
import dev.ktriage.symbolizer.SymbolizerOptions;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
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
        Out out = new Out(new FileOutputStream(FileDescriptor.out))) {
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
          System.err.printf(java.util.Locale.ROOT, "repeat %d (fresh open): %.0f ms%n", k, (System.nanoTime() - r0) / 1e6);
        }
      }
      t1 = System.nanoTime();
      List<Resolution> rs = s.resolveAll(queries);
      long t2 = System.nanoTime();
      if (timing) {
        System.err.println("open " + (t1 - t0) / 1_000_000 + " ms, resolve " + (t2 - t1) / 1_000_000 + " ms");
      }
      Out b = out;
      for (int i = 0; i < inputs.size(); i++) {
        int q = queryOf.get(i);
        if (q < 0) {
          long addr = Long.parseUnsignedLong(inputs.get(i).replaceFirst("^0x", ""), 16);
          b.append("0x").hex(addr).append('\n');
          appendFrames(b, s.frames(addr, false));
        } else {
          Resolution r = rs.get(q);
          if (r.candidates().isEmpty()) {
            b.append("# ").append(inputs.get(i)).append(' ').append(r.status().name()).append('\n');
          }
          boolean first = true;
          for (Candidate c : r.candidates()) {
            b.append("0x").hex(c.lookupAddress());
            if (r.status() != Resolution.Status.RESOLVED) {
              b.append(" # ").append(r.status().name()).append(first ? "" : "+");
            }
            b.append('\n');
            appendFrames(b, c.frames());
            first = false;
          }
        }
      }
    }
  }

  /** Buffered output of ASCII-mostly text as UTF-8, without a charset encoder per write. */
  private static final class Out implements AutoCloseable {
    private final OutputStream os;
    private final byte[] buf = new byte[1 << 16];
    private int n;

    Out(OutputStream os) {
      this.os = os;
    }

    Out append(char c) throws IOException {
      if (c >= 0x80) {
        return append(String.valueOf(c));
      }
      if (n == buf.length) {
        flush();
      }
      buf[n++] = (byte) c;
      return this;
    }

    Out append(String s) throws IOException {
      int len = s.length();
      if (len > buf.length - n) {
        flush();
      }
      if (len > buf.length) {
        os.write(s.getBytes(StandardCharsets.UTF_8));
        return this;
      }
      for (int i = 0; i < len; i++) {
        char c = s.charAt(i);
        if (c >= 0x80) {
          // Non-ASCII: encode the rest properly.
          byte[] rest = s.substring(i).getBytes(StandardCharsets.UTF_8);
          flush();
          os.write(rest);
          return this;
        }
        buf[n++] = (byte) c;
      }
      return this;
    }

    Out append(int v) throws IOException {
      return append(Integer.toString(v));
    }

    Out hex(long v) throws IOException {
      if (buf.length - n < 16) {
        flush();
      }
      int digits = Math.max(1, (64 - Long.numberOfLeadingZeros(v) + 3) / 4);
      for (int d = digits - 1; d >= 0; d--) {
        buf[n++] = (byte) "0123456789abcdef".charAt((int) (v >>> (4 * d)) & 0xf);
      }
      return this;
    }

    void flush() throws IOException {
      os.write(buf, 0, n);
      n = 0;
    }

    @Override
    public void close() throws IOException {
      flush();
      os.flush();
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

  private static void appendFrames(Out b, List<SourceFrame> frames) throws IOException {
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
