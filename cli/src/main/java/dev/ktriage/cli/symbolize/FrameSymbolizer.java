package dev.ktriage.cli.symbolize;

import dev.ktriage.grammar.title.Titler;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Stack;
import dev.ktriage.model.Title;
import dev.ktriage.symbolizer.Candidate;
import dev.ktriage.symbolizer.FrameQuery;
import dev.ktriage.symbolizer.Resolution;
import dev.ktriage.symbolizer.SourceFrame;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fills a parsed report's frames with source positions ({@code parse --vmlinux}): each frame's own
 * file and line, and its inlined callees innermost first. The title stays the syzkaller-compatible
 * one from the raw frames; when the inline-aware title differs, it is added as an alternative.
 *
 * <p>Every frame of a report is one batch ({@link dev.ktriage.symbolizer.Symbolizer#resolveAll}), so
 * the KASLR slide is inferred per report. Frames that already carry a location (a symbolized log)
 * keep it. Stack frames are return addresses, the call before them is looked up; the first frame of a
 * KCSAN access stack too (the return address of the instrumentation call).
 *
 * <p>Not thread-safe (the session is not).
 */
public final class FrameSymbolizer {

  private static final Pattern BUILD_ID = Pattern.compile("(?:^|\\s)([0-9a-f]{40})(?:\\s|$)");

  private final SymbolizerSession session;
  private final Titler titler = new Titler();

  public FrameSymbolizer(SymbolizerSession session) {
    this.session = session;
  }

  public Report symbolize(Report report) {
    // dump_stack_print_info() appends the kernel's build id to the CPU: line (STACKTRACE_BUILD_ID).
    report.context().build().ifPresent(b -> {
      Matcher m = BUILD_ID.matcher(b);
      if (m.find()) {
        session.checkKernelBuildId(m.group(1));
      }
    });
    List<FrameQuery> queries = new ArrayList<>();
    Map<Frame, Integer> queryOf = new IdentityHashMap<>();
    for (Stack s : report.stacks()) {
      // Every stack frame is a return address, the first of a KCSAN access stack too:
      // replace_stack_entry() (kernel/kcsan/report.c) put the _RET_IP_ of the instrumentation call there.
      for (Frame f : s.frames()) {
        if (f.isSymbolized() || f.offset().isEmpty()) {
          continue;
        }
        queryOf.put(f, queries.size());
        queries.add(new FrameQuery(f.function(), f.offset().getAsLong(), f.size(), f.module(), f.address(),
            FrameQuery.Lookup.RETURN_ADDRESS));
        if (f.module().isPresent() && f.moduleBuildId().isPresent()) {
          session.checkModuleBuildId(f.module().get(), f.moduleBuildId().get());
        }
      }
    }
    if (queries.isEmpty()) {
      return report;
    }
    List<Resolution> results = session.symbolizer().resolveAll(queries);
    Report out = report.withStacks(s -> s.withFrames(s.frames().stream().map(f -> {
      Integer i = queryOf.get(f);
      if (i == null) {
        return f;
      }
      Resolution r = results.get(i);
      session.note(r, f.module(), f.function() + "+0x" + Long.toHexString(f.offset().getAsLong()));
      return withSource(f, r);
    }).toList()));
    return withInlineTitle(out);
  }

  private Frame withSource(Frame f, Resolution r) {
    // Ambiguous frames stay without a position: the model holds one, and picking one would be a guess.
    if (r.candidates().size() != 1 || r.status() == Resolution.Status.AMBIGUOUS) {
      return f;
    }
    Candidate c = r.candidates().get(0);
    List<SourceFrame> frames = c.frames();
    Optional<SourceLocation> own = session.text().model(frames.get(frames.size() - 1));
    List<InlinedFrame> inlined = new ArrayList<>();
    for (int k = 0; k < frames.size() - 1; k++) {
      SourceFrame sf = frames.get(k);
      inlined.add(new InlinedFrame(sf.function(), session.text().model(sf)));
    }
    if (own.isEmpty() && inlined.isEmpty()) {
      return f;
    }
    return f.withSource(own, inlined);
  }

  private Report withInlineTitle(Report r) {
    Optional<Title> inline = titler.inlineAwareTitle(r);
    Title t = r.title();
    if (inline.isEmpty() || inline.get().title().equals(t.title()) || t.alternatives().contains(inline.get().title())) {
      return r;
    }
    List<String> alts = new ArrayList<>(t.alternatives());
    alts.add(inline.get().title());
    return r.withTitle(new Title(t.title(), alts, t.guiltyFrame()));
  }
}
