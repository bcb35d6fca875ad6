package dev.ktriage.depot.store;

import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.grammar.title.GuiltyFiles;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * What a report is searchable by, backend-neutral: the values of the query fields (docs/store.md) that
 * both stores index under the same names. Keyword values are as printed (the stores lowercase them).
 *
 * @param title the primary title
 * @param altTitles the alternative titles
 * @param text the words-without-a-field text: titles, header, guilty functions, the first
 *     {@link #TEXT_FRAMES} functions and files of the access stacks, task, bug type
 * @param tool {@code KASAN} or {@code KCSAN}
 * @param bugType the kernel's bug type
 * @param bugClass the coarse class
 * @param key the exact cluster key
 * @param guilty what the title blames (KCSAN: both functions of its header)
 * @param op the access direction, if printed
 * @param size the access size, if printed
 * @param task the task that made the access (or the current task)
 * @param functions every frame's function, as printed and normalized, and every inlined callee
 * @param files the source file the header names with a line ({@code WARNING: fs/x.c:12 at}, {@code kernel
 *     BUG at fs/x.c:12!}) and every frame's and inlined callee's source file
 * @param modules the modules frames are in
 * @param release the kernel release
 * @param arch the architecture
 * @param source the log path as given
 * @param line the report's first line in it
 * @param time the printed wall-clock time, else the ingest time, epoch ms
 * @param uptime seconds since boot, if printed
 * @param corrupted whether the parser marked it corrupted
 */
public record SearchFields(String title, List<String> altTitles, String text, String tool, String bugType,
    String bugClass, String key, Set<String> guilty, Optional<String> op, OptionalInt size, Optional<String> task,
    Set<String> functions, Set<String> files, Set<String> modules, Optional<String> release, Optional<String> arch,
    String source, long line, long time, OptionalDouble uptime, boolean corrupted) {

  /**
   * How many frames of each access stack (normalized: sanitizer, printing and entry frames gone) are
   * the report's text. The bug is near the top; deeper frames are syscall and worker paths that many
   * reports share, so their words would find everything, and each word costs ingest time.
   */
  public static final int TEXT_FRAMES = 8;

  /** The stacks whose functions and files are the report's text: the access, or KCSAN's racing accesses. */
  private static final Set<StackRole> ACCESS_ROLES = EnumSet.of(StackRole.ACCESS, StackRole.RACE_1, StackRole.RACE_2);

  /** The fields of a report with its signature and normalized stacks, ingested at {@code ingested}. */
  public static SearchFields of(Report r, Signature sig, Map<StackRole, List<NormalizedFrame>> normalized,
      Instant ingested) {
    StringBuilder text = new StringBuilder(r.title().title()).append('\n');
    for (String alt : r.title().alternatives()) {
      text.append(alt).append('\n');
    }
    Set<String> guilty = guilty(r);
    for (String g : guilty) {
      text.append(g).append('\n');
    }
    text.append(r.header()).append('\n');
    Optional<String> task = r.access().isPresent() ? r.access().get().task().map(t -> t.comm()) : r.context().comm();
    if (r.access().isPresent()) {
      task.ifPresent(t -> text.append(t).append('\n'));
    }
    Set<String> functions = new LinkedHashSet<>();
    Set<String> files = new LinkedHashSet<>();
    Set<String> modules = new LinkedHashSet<>();
    // The file a WARNING or kernel BUG names in its header is the one the user reads first.
    GuiltyFiles.headerFile(r.header()).ifPresent(files::add);
    for (Stack st : r.stacks()) {
      for (Frame f : st.frames()) {
        functions.add(f.function());
        f.location().ifPresent(l -> files.add(l.file()));
        for (InlinedFrame in : f.inlined()) {
          functions.add(in.function());
          in.location().ifPresent(l -> files.add(l.file()));
        }
        f.module().ifPresent(modules::add);
      }
    }
    Set<String> accessWords = new LinkedHashSet<>();
    for (var e : normalized.entrySet()) {
      boolean access = ACCESS_ROLES.contains(e.getKey());
      int i = 0;
      for (NormalizedFrame f : e.getValue()) {
        functions.add(f.function());
        f.location().ifPresent(l -> files.add(l.file()));
        if (access && i++ < TEXT_FRAMES) {
          accessWords.add(f.function());
          f.location().ifPresent(l -> accessWords.add(l.file()));
        }
      }
    }
    for (String w : accessWords) {
      text.append(w).append('\n');
    }
    text.append(r.bugType());
    Optional<String> op = r.access().map(a -> a.op().name().toLowerCase(Locale.ROOT).replace('_', '-'));
    OptionalInt size = r.access().isPresent() && r.access().get().size().isPresent()
        ? OptionalInt.of((int) r.access().get().size().getAsLong()) : OptionalInt.empty();
    return new SearchFields(r.title().title(), r.title().alternatives(), text.toString(), r.tool().name(),
        r.bugType(), sig.bugClass(), sig.exactKey(), guilty, op, size, task, functions, files, modules,
        r.context().release().filter(s -> !s.isEmpty()), r.context().arch(), r.source().path(),
        r.source().firstLine(), ReportDocuments.time(r, ingested), r.time().uptime(), r.corrupted());
  }

  /** What the title blames: its guilty frame, and for KCSAN every function its header names. */
  public static Set<String> guilty(Report r) {
    Set<String> out = new LinkedHashSet<>();
    r.title().guiltyFrame().ifPresent(out::add);
    if (r.details() instanceof KcsanDetails k) {
      out.addAll(k.functions());
    }
    return out;
  }
}
