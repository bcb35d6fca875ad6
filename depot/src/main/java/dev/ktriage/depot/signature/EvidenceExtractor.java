package dev.ktriage.depot.signature;

import dev.ktriage.depot.stack.NormalizationRules;
import dev.ktriage.grammar.title.FrameSkipRules;
import dev.ktriage.model.Access;
import dev.ktriage.model.BuggyObject;
import dev.ktriage.model.FaultDetails;
import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.KasanDetails;
import dev.ktriage.model.KcsanDetails;
import dev.ktriage.model.RaceAccess;
import dev.ktriage.model.Report;
import dev.ktriage.model.SourceLocation;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads a report's {@link Evidence}: the fault's site as the header prints it, the first site that is
 * evidence (looking past plumbing with the plumbing table), the object and access, the allocation and
 * free sites, and KCSAN's two accesses. Nothing here knows any test or subsystem by name: what is
 * plumbing is the table's ({@link FrameSkipRules}) business.
 *
 * <p>Thread-safe (the classifier's memo is concurrent).
 */
public final class EvidenceExtractor {
  private final FrameClassifier classifier;

  public EvidenceExtractor(FrameClassifier classifier) {
    this.classifier = classifier;
  }

  /** A report's evidence. */
  public Evidence of(Report r) {
    String build = r.context().release().flatMap(rel -> r.context().build().map(b -> rel + " " + b)).orElse("");
    List<Frame> access = reliable(r.stack(StackRole.ACCESS));
    List<Site> alloc = path(reliable(r.stack(StackRole.ALLOC)));
    List<Site> free = path(reliable(r.stack(StackRole.FREE)));
    if (r.details() instanceof KcsanDetails k) {
      List<Evidence.Side> sides = new ArrayList<>();
      for (RaceAccess a : k.accesses()) {
        List<Frame> frames = reliable(r.stack(a.stack()));
        Optional<Integer> at = firstEvidence(frames, 0);
        if (at.isEmpty()) {
          continue;
        }
        boolean asserting = a.qualifiers().stream().anyMatch(q -> q.startsWith("assert"));
        sides.add(new Evidence.Side(site(frames.get(at.get())), a.op().name().toLowerCase(Locale.ROOT).replace('_', '-'),
            a.size(), asserting));
      }
      return new Evidence(build, Optional.empty(), Optional.empty(), Optional.empty(), sides, "", "",
          OptionalLong.empty(), "", alloc, free);
    }
    Optional<Site> fault = Optional.empty();
    int faultIndex = -1;
    Optional<String> location = faultLocation(r);
    if (location.isPresent()) {
      fault = parseLocation(location.get());
      if (fault.isPresent()) {
        faultIndex = indexOf(access, fault.get());
        if (faultIndex >= 0) {
          fault = Optional.of(site(access.get(faultIndex)));
        }
      }
    }
    Optional<Site> anchor;
    int anchorIndex;
    Optional<Site> blamed = fault.isPresent() ? Optional.empty() : blamedOutsideStack(r, access);
    if (blamed.isPresent()) {
      // no header site, and the title blames a function the stack does not show: x86 prints the
      // function of a WARNING or a fault in RIP:, and its Call Trace starts at the caller
      anchor = blamed;
      anchorIndex = -1;
    } else if (fault.isPresent() && !classifier.isPlumbing(fault.get().function())) {
      anchor = fault;
      anchorIndex = faultIndex;
    } else {
      Optional<Integer> at = firstEvidence(access, faultIndex < 0 ? 0 : faultIndex + 1);
      anchorIndex = at.orElse(-1);
      anchor = at.map(i -> site(access.get(i))).or(() -> Optional.empty());
      if (anchor.isEmpty()) {
        anchor = fault; // every frame is plumbing: the header's site is still the best there is
      }
    }
    Optional<Site> caller = Optional.empty();
    boolean anchorOutsideStack = blamed.isPresent() || anchorIndex < 0 && anchor.isPresent() && faultIndex < 0
        && anchor.equals(fault); // x86 prints a fault's RIP: apart, and the Call Trace starts at the caller
    if (anchorIndex >= 0 || anchorOutsideStack) {
      caller = firstEvidence(access, anchorIndex + 1).map(i -> site(access.get(i)));
    }
    String region = "";
    String cache = "";
    OptionalLong objectSize = OptionalLong.empty();
    if (r.details() instanceof KasanDetails d) {
      if (d.object().isPresent()) {
        BuggyObject o = d.object().get();
        region = "slab";
        cache = o.cache().orElse("");
        objectSize = o.objectSize();
      } else if (d.variable().isPresent()) {
        region = "global";
      } else if (d.stackOwner().isPresent()) {
        region = "stack";
      } else if (r.bugType().contains("vmalloc")) {
        region = "vmalloc";
      } else if (!d.page().isEmpty()) {
        region = "page";
      }
    }
    String sizeClass = r.access().flatMap(a -> sizeClass(a)).orElse("");
    return new Evidence(build, fault, anchor, caller, List.of(), region, cache, objectSize, sizeClass, alloc, free);
  }

  /**
   * Where the report says the bad access happened, as printed: KASAN's header ({@code in f+0x1a/0x40}),
   * a fault's or trap's faulting pc ({@code RIP:}, {@code pc :}, {@code PC is at}). A GPF's KASAN range
   * line names no site: the GPF's site is its RIP, like any fault's.
   */
  private static Optional<String> faultLocation(Report r) {
    return switch (r.details()) {
      case KasanDetails d -> d.faultLocation();
      case FaultDetails f -> f.pc();
      default -> Optional.empty();
    };
  }

  /**
   * The function the title blames when the access stack does not show it and it is evidence (not
   * plumbing), as a site without an offset; empty otherwise.
   */
  private Optional<Site> blamedOutsideStack(Report r, List<Frame> access) {
    Optional<String> guilty = r.title().guiltyFrame().map(EvidenceExtractor::name).filter(g -> !g.isEmpty());
    if (guilty.isEmpty() || classifier.isPlumbing(guilty.get())) {
      return Optional.empty();
    }
    for (Frame f : access) {
      if (name(f.function()).equals(guilty.get())) {
        return Optional.empty();
      }
    }
    return Optional.of(Site.of(guilty.get()));
  }

  /** The first {@link Evidence#PATH} evidence sites of an allocation or free stack. */
  private List<Site> path(List<Frame> frames) {
    List<Site> out = new ArrayList<>(Evidence.PATH);
    int from = 0;
    while (out.size() < Evidence.PATH) {
      Optional<Integer> at = firstEvidence(frames, from);
      if (at.isEmpty()) {
        break;
      }
      out.add(site(frames.get(at.get())));
      from = at.get() + 1;
    }
    return out;
  }

  private static Optional<String> sizeClass(Access a) {
    if (a.size().isEmpty()) {
      return Optional.empty();
    }
    long n = a.size().getAsLong();
    // A single instruction accesses 1, 2, 4, 8 or 16 bytes; any other size is a range check
    // (memcpy, copy_to_user), whose length varies with the input of the same bug.
    return Optional.of(n == 1 || n == 2 || n == 4 || n == 8 || n == 16 ? Long.toString(n) : "range");
  }

  private static List<Frame> reliable(Optional<Stack> s) {
    if (s.isEmpty() || s.get().unavailable()) {
      return List.of();
    }
    return s.get().frames().stream().filter(Frame::reliable).toList();
  }

  /** The index of the first frame at or after {@code from} that is evidence, stopping at interrupt entry. */
  private Optional<Integer> firstEvidence(List<Frame> frames, int from) {
    for (int i = from; i < frames.size(); i++) {
      String n = name(frames.get(i).function());
      if (n.isEmpty()) {
        continue;
      }
      if (!classifier.isPlumbing(n)) {
        return Optional.of(i);
      }
      if (classifier.cutsStack(n)) {
        return Optional.empty(); // what an interrupt interrupted is not this bug's code
      }
    }
    return Optional.empty();
  }

  /** Where the header's {@code f+0x1a/0x40} is in the access stack, or -1. */
  private static int indexOf(List<Frame> frames, Site fault) {
    int byName = -1;
    for (int i = 0; i < frames.size(); i++) {
      Frame f = frames.get(i);
      if (name(f.function()).equals(fault.function())) {
        if (f.offset().equals(fault.offset())) {
          return i;
        }
        if (byName < 0) {
          byName = i;
        }
      }
    }
    return byName;
  }

  /** A printed frame as a site, with the innermost source line of its inline chain that is evidence. */
  private Site site(Frame f) {
    String lineFunction = "";
    String line = "";
    for (InlinedFrame in : f.inlined()) { // innermost first
      String n = name(in.function());
      if (in.location().isPresent() && !classifier.isPlumbing(n)) {
        lineFunction = n;
        line = format(in.location().get());
        break;
      }
    }
    if (line.isEmpty() && f.location().isPresent()) {
      lineFunction = name(f.function());
      line = format(f.location().get());
    }
    return new Site(name(f.function()), f.module(), f.offset(), f.size(), lineFunction, line);
  }

  private static String format(SourceLocation l) {
    return l.file() + ":" + l.line();
  }

  /** {@code func+0x1a/0x40 [mod]} as printed after {@code in} in a KASAN header. */
  static Optional<Site> parseLocation(String text) {
    String t = text.strip();
    Optional<String> module = Optional.empty();
    int lb = t.indexOf(" [");
    if (lb > 0 && t.endsWith("]")) {
      module = Optional.of(t.substring(lb + 2, t.length() - 1).split(" ")[0]);
      t = t.substring(0, lb);
    }
    int plus = t.indexOf('+');
    if (plus <= 0) {
      return t.isEmpty() || t.contains(" ") ? Optional.empty() : Optional.of(new Site(name(t), module,
          OptionalLong.empty(), OptionalLong.empty(), "", ""));
    }
    OptionalLong off = OptionalLong.empty();
    OptionalLong size = OptionalLong.empty();
    String rest = t.substring(plus + 1);
    int slash = rest.indexOf('/');
    try {
      off = OptionalLong.of(hex(slash < 0 ? rest : rest.substring(0, slash)));
      if (slash >= 0) {
        size = OptionalLong.of(hex(rest.substring(slash + 1)));
      }
    } catch (NumberFormatException e) {
      off = OptionalLong.empty();
      size = OptionalLong.empty();
    }
    return Optional.of(new Site(name(t.substring(0, plus)), module, off, size, "", ""));
  }

  private static long hex(String s) {
    String h = s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s;
    return Long.parseUnsignedLong(h, 16);
  }

  /** The normalized name: no compiler suffix, no powerpc dot, one name per syscall wrapper. */
  static String name(String printed) {
    String s = printed.strip();
    int start = 0;
    while (start < s.length() && s.charAt(start) == '.') {
      start++; // powerpc64 ELFv1 dot symbols (.foo)
    }
    return NormalizationRules.canonicalSyscall(NormalizationRules.stripSuffixes(s.substring(start)));
  }
}
