package dev.ktriage.cli.render;

import dev.ktriage.reportjson.ReportJsonWriter;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.grammar.title.SyscallPrefixes;
import dev.ktriage.model.Access;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.BuggyRegion;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.KernelContext;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Help.Ansi;

/**
 * Renders a report for people: the title, where it is, what was accessed, the kernel it ran on, and
 * each stack with its role. Unreliable frames are dimmed, corruption is shown in red.
 *
 * <p>Thread-safe.
 */
public final class ReportText {

  private final Ansi ansi;

  public ReportText(Ansi ansi) {
    this.ansi = ansi;
  }

  public void print(Report r, PrintWriter out) {
    out.println(style(r.corrupted() ? "bold,red" : "bold", r.title().title()));
    StringBuilder where = new StringBuilder("  ").append(r.source().path()).append(':')
        .append(r.source().firstLine()).append('-').append(r.source().lastLine());
    if (!r.complete()) {
      where.append("  (no closing rule)");
    }
    out.println(where);
    r.corruption().ifPresent(c -> out.println("  " + style("red", "corrupted: " + c.reason().id() + ": " + c.detail())));
    r.suppression().ifPresent(x -> out.println("  suppressed: " + x.reason() + " (log line " + x.logLine() + ")"));
    r.title().guiltyFrame().ifPresent(f -> field(out, "guilty", f
        + guiltyFiles.guiltyFile(r).map(file -> "  (" + file + ")").orElse("")));
    r.access().ifPresent(a -> field(out, "access", access(a)));
    String kernel = kernel(r.context());
    if (!kernel.isEmpty()) {
      field(out, "kernel", kernel);
    }
    if (r.details() instanceof KasanDetails k) {
      k.object().ifPresent(o -> field(out, "object", object(o)));
      k.variable().ifPresent(v -> field(out, "variable", v));
      k.stackOwner().ifPresent(v -> field(out, "stack of", v));
    }
    if (r.details() instanceof KcsanDetails k) {
      for (RaceAccess a : k.accesses()) {
        field(out, a.stack() == StackRole.RACE_1 ? "access 1" : "access 2", race(a));
      }
      k.valueChange().ifPresent(v -> field(out, "value", v.before() + " -> " + v.after()));
    }
    Frame guilty = guiltyFrame(r);
    for (Stack s : r.stacks()) {
      out.println("  " + style("bold", role(s)) + (s.label().isEmpty() ? "" : style("faint", "  " + s.label())));
      if (s.unavailable()) {
        out.println("      (stack is not available)");
      }
      for (Frame f : s.frames()) {
        for (InlinedFrame i : f.inlined()) {
          out.println("      " + i.function() + i.location().map(l -> " " + l).orElse("") + style("faint", " [inline]"));
        }
        if (f == guilty) {
          out.println("  " + style("bold,yellow", "> " + frameText(f)));
          continue;
        }
        String line = "    " + (f.reliable() ? "  " : "? ") + frameText(f);
        out.println(f.reliable() ? line : style("faint", line));
      }
    }
  }

  // The frame the title blames, marked '>' in the first stack that has it: the first reliable
  // frame whose name, without suffixes and syscall prefix, is the guilty frame.
  private final SyscallPrefixes syscalls = new SyscallPrefixes();
  private final GuiltyFiles guiltyFiles = new GuiltyFiles();

  private Frame guiltyFrame(Report r) {
    if (r.title().guiltyFrame().isEmpty()) {
      return null;
    }
    String g = r.title().guiltyFrame().get();
    for (Stack s : r.stacks()) {
      for (Frame f : s.frames()) {
        String name = f.function();
        int cut = name.indexOf('.', 1);
        name = cut > 0 ? name.substring(0, cut) : name;
        if (f.reliable() && (name.equals(g) || syscalls.strip(name).equals(g))) {
          return f;
        }
      }
    }
    return null;
  }

  private static String frameText(Frame f) {
    StringBuilder b = new StringBuilder(f.function());
    if (f.offset().isPresent()) {
      b.append("+0x").append(Long.toHexString(f.offset().getAsLong()));
      if (f.size().isPresent()) {
        b.append("/0x").append(Long.toHexString(f.size().getAsLong()));
      }
    }
    f.module().ifPresent(m -> b.append(" [").append(m).append(']'));
    f.location().ifPresent(l -> b.append(' ').append(l));
    return b.toString();
  }

  private static String role(Stack s) {
    return switch (s.role()) {
      case ACCESS -> "access stack";
      case ALLOC -> "allocated";
      case FREE -> "freed";
      case AUX -> "auxiliary";
      case RACE_1 -> "access 1 stack";
      case RACE_2 -> "access 2 stack";
      case PAGE_ALLOC -> "page allocated";
      case PAGE_FREE -> "page freed";
      case UNINIT_STORE -> "uninit stored";
      case ORIGIN -> "origin";
      case LOCK_CHAIN -> "lock dependency";
      case LOCK_STATE -> "lock state";
      case OTHER -> "other";
    };
  }

  private static String access(Access a) {
    StringBuilder b = new StringBuilder(a.op().titleWord());
    a.size().ifPresent(s -> b.append(" of size ").append(s));
    a.address().ifPresent(x -> b.append(" at ").append(ReportJsonWriter.hex(x)));
    a.task().ifPresent(t -> {
      b.append(" by ").append(t.comm());
      t.pid().ifPresent(p -> b.append('/').append(p));
    });
    a.tags().ifPresent(t -> b.append(" (pointer tag ").append(t.pointerTag()).append(", memory tag ")
        .append(t.memoryTag()).append(')'));
    return b.toString();
  }

  private static String race(RaceAccess a) {
    StringBuilder b = new StringBuilder(a.op().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    a.qualifiers().forEach(q -> b.append(" (").append(q).append(')'));
    a.size().ifPresent(s -> b.append(" of ").append(s).append(" bytes"));
    a.address().ifPresent(x -> b.append(" at ").append(ReportJsonWriter.hex(x)));
    if (a.interrupt()) {
      b.append(" by interrupt");
    } else {
      a.task().flatMap(t -> t.pid().isPresent() ? java.util.Optional.of(t.pid().getAsInt()) : java.util.Optional.empty())
          .ifPresent(p -> b.append(" by task ").append(p));
    }
    a.cpu().ifPresent(c -> b.append(" on cpu ").append(c));
    return b.toString();
  }

  private static String kernel(KernelContext c) {
    List<String> parts = new ArrayList<>();
    c.release().ifPresent(parts::add);
    c.arch().ifPresent(parts::add);
    c.cpu().ifPresent(x -> parts.add("cpu " + x));
    c.pid().ifPresent(x -> parts.add("pid " + x));
    c.comm().ifPresent(parts::add);
    c.taint().filter(t -> !t.isEmpty()).ifPresent(t -> parts.add("tainted " + t));
    c.hardware().ifPresent(h -> parts.add("(" + h + ")"));
    return String.join("  ", parts);
  }

  private static String object(BuggyObject o) {
    StringBuilder b = new StringBuilder();
    o.cache().ifPresent(c -> b.append(c));
    o.objectSize().ifPresent(s -> b.append(" (").append(s).append(" bytes)"));
    o.address().ifPresent(a -> b.append(" at ").append(ReportJsonWriter.hex(a)));
    if (o.region().isPresent()) {
      BuggyRegion r = o.region().get();
      b.append("; ").append(r.distance()).append(" bytes ").append(switch (r.relation()) {
        case LEFT -> "left of";
        case RIGHT -> "right of";
        case INSIDE -> "inside";
      }).append(' ').append(r.state().isEmpty() ? "" : r.state() + " ").append(r.size()).append("-byte region");
    }
    return b.toString().strip();
  }

  private void field(PrintWriter out, String name, String value) {
    out.println("  " + style("faint", String.format(Locale.ROOT, "%-9s", name)) + " " + value);
  }

  private String style(String styles, String text) {
    if (!ansi.enabled()) {
      return text;
    }
    return ansi.string("@|" + styles + " " + text.replace("|@", "| @") + "|@");
  }
}
