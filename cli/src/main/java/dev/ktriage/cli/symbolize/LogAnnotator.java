package dev.ktriage.cli.symbolize;

import dev.ktriage.cli.input.RawLineReader;
import dev.ktriage.cli.render.OutputClosedException;
import dev.ktriage.cli.render.SourceText;
import dev.ktriage.grammar.log.ConsolePrefixParser;
import dev.ktriage.grammar.log.LineSanitizer;
import dev.ktriage.grammar.frame.FrameLine;
import dev.ktriage.grammar.frame.FrameLineRecognizer;
import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.FrameQuery;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.SourceFrame;
import dev.ktriage.symbolizer.Symbolizer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The engine of {@code ktriage symbolize}: copies a log from bytes to bytes and adds source
 * locations to the lines that name code (see {@link FrameLineRecognizer}), the way syzkaller does:
 * {@code  foo+0x1a/0x40 mm/foo.c:12} with each inlined callee on a line of its own before it,
 * {@code  bar include/linux/bar.h:3 [inline]}, innermost first, under the same console prefix. Every
 * other line, and every line it cannot improve, is written back byte for byte.
 *
 * <p>Frame lines are collected into trace segments (a segment ends {@link #GAP} lines after its last
 * frame, at a boot banner, or when the input pauses) and each segment is resolved in one batch, so
 * that the KASLR slide is inferred from the segment's own frames (raw address next to
 * {@code func+off}) and the DWARF units it needs are decoded in parallel. A slide, once known, holds
 * until the next boot banner: later raw-only frames use it.
 *
 * <p>Not thread-safe; one run per instance.
 */
public final class LogAnnotator {

  /** Lines without frames after which a trace segment is resolved and written. */
  static final int GAP = 64;
  // Bound the memory a segment holds when a log is one endless trace or has long lines in it.
  private static final int MAX_SEGMENT_LINES = 50_000;
  private static final long MAX_SEGMENT_BYTES = 16L << 20;

  private final SymbolizerSession session;
  private final Symbolizer symbolizer;
  private final PrintWriter err;
  private final FrameLineRecognizer recognizer = new FrameLineRecognizer();
  private final ConsolePrefixParser prefixes = new ConsolePrefixParser();
  private final LineSanitizer sanitizer = new LineSanitizer();

  private final List<Pending> segment = new ArrayList<>();
  private int sinceFrame;
  private long segmentBytes;
  private OptionalLong bootSlide = OptionalLong.empty();
  private OptionalLong kernelOffset = OptionalLong.empty();
  private String previousBody = "";

  /**
   * A line waiting for its segment to be resolved; {@code frame} null for other lines.
   * {@code prefix} is its console prefix and {@code lead} what inline lines repeat after it: the
   * indentation, or the header up to its function. {@code body} is the decoded text after the
   * prefix ("" for lines not worth decoding); {@code bootBanner} marks a {@code Linux version} line.
   */
  private record Pending(RawLineReader.Line line, FrameLine frame, FrameQuery.Lookup lookup, String prefix, String lead,
      String body, boolean bootBanner) {}

  public LogAnnotator(SymbolizerSession session, PrintWriter err) {
    this.session = session;
    this.symbolizer = session.symbolizer();
    this.err = err;
  }

  /** Copies {@code in} to {@code out}, annotated. */
  public void run(InputStream in, OutputStream out) throws IOException, OutputClosedException {
    RawLineReader reader = new RawLineReader(in);
    Output o = new Output(out);
    try {
      RawLineReader.Line line;
      while ((line = reader.next()) != null) {
        accept(line, o);
        if (reader.wouldBlock()) {
          // A live source (dmesg -w, a serial console): show what is complete instead of waiting.
          flushSegment(o);
          o.flush();
          session.notices().flush(err);
        }
      }
    } finally {
      // Also when the input breaks off (truncated compressed data): what was read is written.
      flushSegment(o);
      o.flush();
    }
  }

  private void accept(RawLineReader.Line line, Output o) throws OutputClosedException {
    if (line.fragment()) {
      flushSegment(o);
      o.write(line.bytes());
      previousBody = "";
      return;
    }
    Pending p = classify(line);
    if (p.bootBanner()) {
      // A new boot, a new KASLR slide: what came before is resolved with the old one.
      flushSegment(o);
      bootSlide = OptionalLong.empty();
      kernelOffset = OptionalLong.empty();
    }
    LogFacts.kernelOffset(p.body()).ifPresent(v -> kernelOffset = OptionalLong.of(v));
    if (p.frame() != null) {
      segment.add(p);
      segmentBytes += line.bytes().length;
      sinceFrame = 0;
    } else if (!segment.isEmpty()) {
      segment.add(p);
      segmentBytes += line.bytes().length;
      if (++sinceFrame > GAP) {
        flushSegment(o);
      }
    } else {
      o.write(line.bytes());
    }
    if (segment.size() >= MAX_SEGMENT_LINES || segmentBytes >= MAX_SEGMENT_BYTES) {
      flushSegment(o);
    }
  }

  private Pending classify(RawLineReader.Line line) {
    byte[] b = line.bytes();
    int n = line.contentEnd();
    if (!worthDecoding(b, n)) {
      previousBody = "";
      return new Pending(line, null, FrameQuery.Lookup.EXACT, "", "", "", false);
    }
    String text = sanitizer.sanitize(new String(b, 0, n, StandardCharsets.UTF_8));
    String body = prefixes.split(text).body();
    String before = previousBody;
    previousBody = body.strip();
    boolean banner = body.startsWith("Linux version ");
    LogFacts.kernelBuildId(body).ifPresent(session::checkKernelBuildId);
    Optional<FrameLine> f = recognizer.recognize(body);
    // "The buggy address belongs to the variable:" is followed by a data symbol, not code.
    if (f.isEmpty() || f.get().symbolized() || before.endsWith("belongs to the variable:")) {
      return new Pending(line, null, FrameQuery.Lookup.EXACT, "", "", body, banner);
    }
    // "... is located at offset 32 in frame:" is followed by the function owning the stack slot,
    // printed at offset 0: its start, not a return address. The first frame after a KCSAN access
    // line is a return address like the others: replace_stack_entry() (kernel/kcsan/report.c) put
    // the _RET_IP_ of the __tsan_*/__kcsan_check_access call there.
    FrameQuery.Lookup lookup = before.endsWith("in frame:") ? FrameQuery.Lookup.EXACT : lookupOf(f.get());
    String prefix = text.substring(0, text.length() - body.length());
    int lead = 0;
    int reordered = body.indexOf(REORDERED);
    if (f.get().kind() == FrameLine.Kind.REPORT_HEADER || f.get().kind() == FrameLine.Kind.RACE_HEADER) {
      // syzbot repeats the header for each inlined callee: "BUG: KASAN: ... in callee file:line [inline]".
      lead = body.indexOf(" in ") + 4;
    } else if (reordered >= 0 && body.substring(0, reordered).isBlank()) {
      // and so does this for KCSAN's "+-> reordered to: callee file:line [inline]"
      lead = reordered + REORDERED.length();
    } else {
      while (lead < body.length() && body.charAt(lead) == ' ') {
        lead++;
      }
    }
    return new Pending(line, f.get(), lookup, prefix, body.substring(0, lead), body, banner);
  }

  /**
   * How a frame line's address is read: a faulting pc as it is, a KASAN header's at its own address
   * unless that has no line (then the call before it: clang gives the jump back after a report call
   * line 0), everything else (call-trace frames, link registers) as a return address.
   */
  static FrameQuery.Lookup lookupOf(FrameLine f) {
    return switch (f.kind()) {
      case FAULT_PC -> FrameQuery.Lookup.EXACT;
      case REPORT_HEADER -> FrameQuery.Lookup.EXACT_ELSE_CALL;
      default -> FrameQuery.Lookup.RETURN_ADDRESS;
    };
  }

  /**
   * Whether a line can matter: frames contain {@code 0x} or {@code [<}; boot banners, CPU lines
   * with a build id, and the context lines before data and stack-slot frames (ending in ':') are
   * also read. Everything else is copied without being decoded.
   */
  private static boolean worthDecoding(byte[] b, int n) {
    if (n == 0) {
      return false;
    }
    if (b[n - 1] == ':') {
      return true;
    }
    for (int i = 0; i + 1 < n; i++) {
      byte x = b[i];
      if (x == '0' && b[i + 1] == 'x' || x == '[' && b[i + 1] == '<'
          || x == 'L' && startsAt(b, n, i, LINUX_VERSION) || x == 'C' && startsAt(b, n, i, CPU)) {
        return true;
      }
    }
    return false;
  }

  private static final String REORDERED = "+-> reordered to: ";
  private static final byte[] LINUX_VERSION = "Linux version ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CPU = "CPU: ".getBytes(StandardCharsets.US_ASCII);

  private static boolean startsAt(byte[] b, int n, int i, byte[] word) {
    if (i + word.length > n) {
      return false;
    }
    for (int k = 0; k < word.length; k++) {
      if (b[i + k] != word[k]) {
        return false;
      }
    }
    return true;
  }

  private void flushSegment(Output o) throws OutputClosedException {
    if (segment.isEmpty()) {
      return;
    }
    List<FrameQuery> queries = new ArrayList<>();
    int[] queryOf = new int[segment.size()];
    for (int i = 0; i < segment.size(); i++) {
      Pending p = segment.get(i);
      queryOf[i] = -1;
      if (p.frame() != null && p.frame().hasSymbol()) {
        FrameLine f = p.frame();
        queryOf[i] = queries.size();
        queries.add(new FrameQuery(f.function(), f.offset().getAsLong(), f.size(), f.module(), f.address(),
            p.lookup()));
        if (f.module().isPresent() && f.moduleBuildId().isPresent()) {
          session.checkModuleBuildId(f.module().get(), f.moduleBuildId().get());
        }
      }
    }
    List<Resolution> results = queries.isEmpty() ? List.of() : symbolizer.resolveAll(queries);
    OptionalLong inferred = queries.isEmpty() ? OptionalLong.empty() : symbolizer.inferSlide(queries);
    if (inferred.isPresent()) {
      bootSlide = inferred;
    }
    OptionalLong slide = inferred.isPresent() ? inferred : kernelOffset.isPresent() ? kernelOffset : bootSlide;
    for (int i = 0; i < segment.size(); i++) {
      Pending p = segment.get(i);
      if (p.frame() == null) {
        o.write(p.line().bytes());
        continue;
      }
      if (queryOf[i] >= 0) {
        FrameQuery q = queries.get(queryOf[i]);
        Resolution r = results.get(queryOf[i]);
        // resolveAll could only use the slide of this segment; one learned earlier in the boot (or
        // from "Kernel Offset:") still tells same-name duplicates apart by their raw address.
        if (r.status() == Resolution.Status.AMBIGUOUS && inferred.isEmpty() && slide.isPresent()
            && q.address().isPresent() && q.module().isEmpty()) {
          r = symbolizer.resolve(q, slide);
        }
        write(p, r, false, o);
      } else {
        long raw = p.frame().address().getAsLong();
        Resolution r = symbolizer.resolveAddress(raw, slide.orElse(0),
            p.lookup() == FrameQuery.Lookup.RETURN_ADDRESS);
        write(p, r, true, o);
      }
    }
    segment.clear();
    segmentBytes = 0;
    sinceFrame = 0;
    session.notices().flush(err);
  }

  private void write(Pending p, Resolution r, boolean rawOnly, Output o) throws OutputClosedException {
    RawLineReader.Line line = p.line();
    if (!rawOnly) {
      session.note(r, p.frame().module(), p.frame().function() + "+0x" + Long.toHexString(p.frame().offset().getAsLong()));
    }
    List<String> inlines = new ArrayList<>();
    String suffix = "";
    switch (r.status()) {
      case RESOLVED, NO_DEBUG_INFO, DEBUG_INFO_ERROR, SIZE_MISMATCH -> {
        if (r.candidates().size() == 1) {
          Candidate c = r.candidates().get(0);
          List<SourceFrame> frames = c.frames();
          for (int k = 0; k < frames.size() - 1; k++) {
            SourceFrame f = frames.get(k);
            inlines.add(f.function() + session.text().location(f).map(l -> " " + l).orElse("") + " [inline]");
          }
          suffix = (rawOnly ? " " + SourceText.symbolOffset(c) : "")
              + session.text().location(frames.get(frames.size() - 1)).map(l -> " " + l).orElse("");
        } else {
          suffix = alternatives(r);
        }
      }
      // Same name, same size, different code, and no raw address to choose with: every place.
      case AMBIGUOUS -> suffix = alternatives(r);
      default -> { }
    }
    if (suffix.isEmpty() && inlines.isEmpty()) {
      o.write(line.bytes());
      return;
    }
    byte[] end = line.terminatorOrNewline();
    for (String inl : inlines) {
      o.write((p.prefix() + p.lead() + inl).getBytes(StandardCharsets.UTF_8));
      o.write(end);
    }
    o.write(line.bytes(), 0, line.contentEnd());
    o.write(suffix.getBytes(StandardCharsets.UTF_8));
    o.write(line.bytes(), line.contentEnd(), line.bytes().length - line.contentEnd());
  }

  /** {@code  alpha.c:8 | beta.c:6}: the function's own line in each candidate, in symbol-table order. */
  private String alternatives(Resolution r) {
    Set<String> places = new LinkedHashSet<>();
    for (Candidate c : r.candidates()) {
      List<SourceFrame> frames = c.frames();
      session.text().location(frames.get(frames.size() - 1)).ifPresent(places::add);
    }
    return places.isEmpty() ? "" : " " + String.join(" | ", places);
  }

  /** Buffered byte output that turns a closed stdout into {@link OutputClosedException}. */
  private static final class Output {
    private final OutputStream out;

    Output(OutputStream out) {
      this.out = out;
    }

    void write(byte[] b) throws OutputClosedException {
      write(b, 0, b.length);
    }

    void write(byte[] b, int off, int len) throws OutputClosedException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw new OutputClosedException(e);
      }
    }

    void flush() throws OutputClosedException {
      try {
        out.flush();
      } catch (IOException e) {
        throw new OutputClosedException(e);
      }
    }
  }
}
