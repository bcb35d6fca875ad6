package dev.ktriage.depot.signature;

import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.depot.stack.StackNormalizer;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Computes a report's {@link Signature}: its normalized stacks, its {@link Evidence} and its exact key.
 *
 * <p>The exact key names the evidence that makes two reports one bug outright, so that a report with a
 * known key joins its cluster in O(1) and two ingesters derive the same key
 * ({@link Signature#clusterKey()}) for the same first report. Its forms ({@code k1}):
 *
 * <ul>
 *   <li>KASAN, symbolized: {@code kasan/<class>/<region>/line:<function>@<file>:<line>}, the innermost
 *       source line of the faulting frame that is evidence (an inlined callee's line when one was
 *       inlined there), stable across builds, compilers and KASLR;
 *   <li>KASAN: {@code kasan/<class>/<region>/site:<fault>[<<anchor>]@<release> #<N>}: the header's
 *       {@code f+0x1a/0x40}, followed by the first caller past plumbing when the header's function is
 *       plumbing (a string helper, the allocator), scoped to the kernel build;
 *   <li>faults and traps ({@code FAULT}): {@code fault/<class>/-/site:<pc>@<release> #<N>}, the faulting pc
 *       ({@code RIP:}, {@code pc :}) the same way, or the first caller past plumbing when the pc is in
 *       plumbing; a GPF's KASAN range line changes nothing: its tool and class are the fault's;
 *   <li>KCSAN: {@code kcsan/data-race/sites:<a>|<b>} (the two accesses' sites and sizes, sorted: which
 *       access KCSAN catches first is timing), {@code kcsan/data-race/unknown-origin:<a>}, and
 *       {@code kcsan/assert/asserts:<a>|...} (the asserting accesses only: the assertion names the
 *       invariant, the access that broke it varies);
 *   <li>otherwise (no site with an offset or a line): {@code <tool>/<class>/frames:<f1>,<f2>,<f3>}, the
 *       first meaningful frames of the access stack (KCSAN: 2 of each racing stack, as an unordered pair),
 *       or {@code <tool>/<class>/title:<title>} when there are none.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class Signer {
  /** Meaningful access-stack frames in a frames key. */
  public static final int KASAN_KEY_FRAMES = 3;
  /** Meaningful frames per racing stack in a frames key. */
  public static final int KCSAN_KEY_FRAMES = 2;

  /**
   * The roles a signature keeps (and the depot stores). page_owner's PAGE_ALLOC/PAGE_FREE are left out:
   * they describe the page's history, not the bug.
   */
  public static final Set<StackRole> IDENTITY_ROLES = EnumSet.of(StackRole.ACCESS, StackRole.ALLOC, StackRole.FREE,
      StackRole.AUX, StackRole.RACE_1, StackRole.RACE_2);

  private final StackNormalizer normalizer = new StackNormalizer();
  private final FrameClassifier classifier = new FrameClassifier();
  private final EvidenceExtractor extractor = new EvidenceExtractor(classifier);

  /** The signature of a report. */
  public Signature sign(Report r) {
    return sign(r, normalize(r));
  }

  /**
   * The signature of a report whose stacks are already normalized (the store normalizes once and
   * reuses the frames for its fields).
   */
  public Signature sign(Report r, Map<StackRole, List<NormalizedFrame>> normalized) {
    Map<StackRole, List<String>> stacks = new EnumMap<>(StackRole.class);
    for (var e : normalized.entrySet()) {
      if (IDENTITY_ROLES.contains(e.getKey()) && !e.getValue().isEmpty()) {
        stacks.put(e.getKey(), e.getValue().stream().map(NormalizedFrame::key).toList());
      }
    }
    return of(r.tool(), BugClass.of(r), r.title().title(), stacks, extractor.of(r));
  }

  /** The normalized stacks of a report by role (the first stack of each role; unavailable ones left out). */
  public Map<StackRole, List<NormalizedFrame>> normalize(Report r) {
    Map<StackRole, List<NormalizedFrame>> out = new EnumMap<>(StackRole.class);
    for (Stack s : r.stacks()) {
      if (!out.containsKey(s.role()) && !s.unavailable()) {
        out.put(s.role(), normalizer.normalize(s));
      }
    }
    return out;
  }

  /** The signature of already-normalized stacks without evidence (rebuilding an old store, tests). */
  public Signature of(Tool tool, String bugClass, String title, Map<StackRole, List<String>> stacks) {
    return of(tool, bugClass, title, stacks, Evidence.none());
  }

  /** The signature of already-normalized stacks and evidence (rebuilding from a store). */
  public Signature of(Tool tool, String bugClass, String title, Map<StackRole, List<String>> stacks,
      Evidence evidence) {
    String prefix = tool.name().toLowerCase(Locale.ROOT) + "/" + bugClass + "/";
    Optional<String> siteKey = tool == Tool.KCSAN ? kcsanKey(bugClass, evidence) : kasanKey(evidence);
    Optional<String> guilty = evidence.anchor().map(Site::function)
        .or(() -> evidence.sides().isEmpty() ? Optional.empty() : Optional.of(evidence.sides().getFirst().site().function()));
    String key;
    if (siteKey.isPresent()) {
      key = prefix + siteKey.get();
    } else {
      FramesKey f = framesKey(tool, stacks);
      key = f.key().isEmpty() ? prefix + "title:" + title : prefix + "frames:" + f.key();
      guilty = guilty.or(f::guilty);
    }
    return new Signature(tool, bugClass, key, guilty, stacks, evidence);
  }

  private static Optional<String> kasanKey(Evidence e) {
    if (e.anchor().isEmpty()) {
      return Optional.empty();
    }
    Site a = e.anchor().get();
    String region = e.region().isEmpty() ? "-" : e.region();
    if (a.symbolized()) {
      return Optional.of(region + "/line:" + a.lineKey());
    }
    if (!a.hasOffset()) {
      return Optional.empty();
    }
    String site = e.fault().filter(f -> !f.sameFunction(a) && f.hasOffset()).map(f -> f.offsetKey() + "<").orElse("")
        + a.offsetKey();
    return Optional.of(region + "/site:" + site + "@" + e.build());
  }

  private static Optional<String> kcsanKey(String bugClass, Evidence e) {
    List<Evidence.Side> sides = e.sides();
    if (sides.isEmpty()) {
      return Optional.empty();
    }
    List<String> parts = new ArrayList<>();
    boolean asserts = bugClass.equals("assert") && sides.stream().anyMatch(Evidence.Side::asserting);
    for (Evidence.Side s : sides) {
      if (asserts && !s.asserting()) {
        continue;
      }
      Site site = s.site();
      String size = s.size().isPresent() ? Long.toString(s.size().getAsLong()) : "?";
      if (site.symbolized()) {
        parts.add("line:" + site.lineKey() + ":" + size);
      } else if (site.hasOffset()) {
        parts.add(site.offsetKey() + "@" + e.build() + ":" + size);
      } else {
        return Optional.empty();
      }
    }
    if (asserts) {
      return Optional.of("asserts:" + String.join("|", new TreeSet<>(parts)));
    }
    if (parts.size() == 1) {
      return Optional.of("unknown-origin:" + parts.getFirst());
    }
    parts.sort(null);
    return Optional.of("sites:" + String.join("|", parts));
  }

  private record FramesKey(String key, Optional<String> guilty) {}

  private FramesKey framesKey(Tool tool, Map<StackRole, List<String>> stacks) {
    if (tool == Tool.KCSAN) {
      List<String> a = classifier.keyFrames(stacks.getOrDefault(StackRole.RACE_1, List.of()), KCSAN_KEY_FRAMES);
      List<String> b = classifier.keyFrames(stacks.getOrDefault(StackRole.RACE_2, List.of()), KCSAN_KEY_FRAMES);
      if (a.isEmpty() && b.isEmpty()) {
        a = classifier.keyFrames(stacks.getOrDefault(StackRole.ACCESS, List.of()), KCSAN_KEY_FRAMES);
      }
      String sa = String.join(",", a);
      String sb = String.join(",", b);
      String key = sa.compareTo(sb) <= 0 ? sa + "|" + sb : sb + "|" + sa;
      return new FramesKey(key.equals("|") ? "" : key,
          a.isEmpty() ? Optional.empty() : Optional.of(NormalizedFrame.functionOf(a.getFirst())));
    }
    List<String> a = classifier.keyFrames(stacks.getOrDefault(StackRole.ACCESS, List.of()), KASAN_KEY_FRAMES);
    return new FramesKey(String.join(",", a),
        a.isEmpty() ? Optional.empty() : Optional.of(NormalizedFrame.functionOf(a.getFirst())));
  }
}
