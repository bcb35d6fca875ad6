package dev.ktriage.depot.cluster;

import dev.ktriage.depot.signature.Evidence;
import dev.ktriage.depot.signature.FrameClassifier;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Site;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Whether a report is the same bug as one cluster member (an exemplar), decided from their evidence in
 * a fixed order; the first rule that holds decides. Reports of different tools or bug classes are never
 * the same bug.
 *
 * <ol>
 *   <li>{@link Rule#SAME_SITE}: the same faulting instruction. Unsymbolized, the same {@code f+off/size}
 *       at the header's site (and at the first caller past plumbing when the header's function is
 *       plumbing) in the same kernel build; symbolized, the same innermost source line that is evidence,
 *       in any build. Callers, contexts and allocation do not matter: one instruction reached from a
 *       syscall, a work item or a timer is one bug. Only an object of another kind (slab vs page vs
 *       global) says otherwise. KCSAN: the same two access sites and sizes (unordered); for an assertion,
 *       the same asserting sites.
 *   <li>{@link Rule#SAME_FUNCTION}: the same faulting function (another offset, or a build where offsets
 *       cannot be compared) and no evidence that disagrees: object kind, slab cache, object size, access
 *       size class, and the functions that allocated and freed the object must agree where both
 *       reports print them. One bug often
 *       faults at several instructions of one function (a loop, one bad length used twice); look-alikes
 *       in one function differ in what they touch. KCSAN in one build: never (another offset is another
 *       field); across builds the same two functions with the same access sizes.
 *   <li>{@link Rule#SAME_ALLOCATION}: different faulting functions, one object: the same allocation site,
 *       in the function that calls both faulting functions directly, and nothing that disagrees.
 *   <li>{@link Rule#SIMILAR_STACK}: only across builds (or with no site at all), where a function one
 *       compiler inlines and another does not moves the header's site one frame: one report's faulting
 *       function is the other's caller, nothing disagrees, and the access stacks align
 *       (position- and IDF-weighted, {@link StackSimilarity}) at or above the threshold. KCSAN across
 *       builds: each access pairs with one of the other race's of the same size and operation whose
 *       function is the same or one frame apart, and both racing stacks align.
 * </ol>
 *
 * <p>Each verdict carries its reasons in words a triager can check against the two reports. Stateless
 * apart from its classifier's memo; thread-safe.
 */
public final class Decision {
  /** The rule that decided, strongest first. */
  public enum Rule {
    /** The same exact key ({@link Signature#exactKey()}). */
    SAME_KEY(1.0),
    /** The same faulting instruction. */
    SAME_SITE(0.95),
    /** The same faulting function and no evidence that disagrees. */
    SAME_FUNCTION(0.85),
    /** The same allocation site in the direct caller of both faulting functions. */
    SAME_ALLOCATION(0.75),
    /** Aligned stacks across builds, one frame of inlining apart. */
    SIMILAR_STACK(0.55),
    /** Not the same bug. */
    NONE(0);

    private final double base;

    Rule(double base) {
      this.base = base;
    }

    /** Lower-case words: {@code same site}. */
    public String words() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /**
   * A verdict.
   *
   * @param rule the rule that decided ({@link Rule#NONE}: not the same bug)
   * @param score in [0, 1]: {@link Rule#SAME_SITE} from 0.95, {@link Rule#SAME_FUNCTION} from 0.85,
   *     {@link Rule#SAME_ALLOCATION} from 0.75, {@link Rule#SIMILAR_STACK} from 0.55, each plus up to 0.05
   *     for the access stacks' similarity and (same function, same allocation) up to 0.05 for the share of
   *     the other evidence both print that agrees: among clusters the same rule accepts, the report joins
   *     the one its callers and object resemble most. Below 0.5 not the same bug (0.45 x stack
   *     similarity, for ranking {@code similar}).
   * @param reasons what matched, in words
   * @param conflicts what disagreed, in words
   * @param stacks the stack alignment, when it was computed
   */
  public record Verdict(Rule rule, double score, List<String> reasons, List<String> conflicts,
      Optional<StackSimilarity.Result> stacks, Map<String, Double> components) {
    public Verdict {
      reasons = List.copyOf(reasons);
      conflicts = List.copyOf(conflicts);
      components = Map.copyOf(components);
    }

    boolean matches() {
      return rule != Rule.NONE;
    }

    /** Better than another: a stronger rule, else a higher score. */
    boolean beats(Verdict o) {
      return rule.ordinal() < o.rule.ordinal() || rule == o.rule && score > o.score;
    }
  }

  private static final double W_ACCESS = 1.0;
  private static final double W_FREE = 0.5;
  private static final double W_ALLOC = 0.25;

  private final FrameClassifier classifier;
  private final StackSimilarity similarity = StackSimilarity.standard();
  private final double threshold;

  Decision(FrameClassifier classifier, double threshold) {
    this.classifier = classifier;
    this.threshold = threshold;
  }

  /**
   * Compares report {@code a} with exemplar {@code b}.
   *
   * @param withStacks also align the stacks when no evidence rule decided (to rank non-matches)
   */
  Verdict compare(Signature a, Signature b, ToDoubleFunction<String> idf, boolean withStacks) {
    return compare(a, b, idf, withStacks, true);
  }

  /**
   * {@link #compare(Signature, Signature, ToDoubleFunction, boolean)}; {@code words} false: the same rule and
   * score, but the reasons and conflicts are blanks ({@link #UNSAID}), as many as there would be words. A report
   * is compared with every candidate and only the chosen one's words are ever read, so the clusterer words only
   * that one (building the strings for every candidate was a tenth of an ingest's clustering time).
   */
  Verdict compare(Signature a, Signature b, ToDoubleFunction<String> idf, boolean withStacks, boolean words) {
    if (a.tool() != b.tool() || !a.bugClass().equals(b.bugClass())) {
      return none(List.of(words ? "another kind: " + a.tool() + " " + a.bugClass() + " vs " + b.tool() + " "
          + b.bugClass() : UNSAID));
    }
    Evidence x = a.evidence();
    Evidence y = b.evidence();
    boolean sameBuild = x.sameBuild(y);
    if (a.tool() == Tool.KCSAN && !x.sides().isEmpty() && !y.sides().isEmpty()) {
      return kcsan(a, b, sameBuild, idf, withStacks, words);
    }
    if (x.anchor().isPresent() && y.anchor().isPresent()) {
      return kasan(a, b, sameBuild, idf, withStacks, words);
    }
    // no site on one side: the stacks are all there is
    return stacksOnly(a, b, idf, List.of(), true, words);
  }

  /** A reason or conflict left unworded ({@code words} false): only how many there are counts. */
  static final String UNSAID = "";

  // ---- KASAN ----

  private Verdict kasan(Signature a, Signature b, boolean sameBuild, ToDoubleFunction<String> idf, boolean withStacks,
      boolean words) {
    Evidence x = a.evidence();
    Evidence y = b.evidence();
    Site ax = x.anchor().get();
    Site ay = y.anchor().get();
    List<String> conflicts = conflicts(x, y, sameBuild, words);
    boolean regionConflict = !x.region().isEmpty() && !y.region().isEmpty() && !x.region().equals(y.region());
    boolean faultsAgree; // the header's own site, where it is plumbing in front of the anchor
    if (ax.symbolized() && ay.symbolized()) {
      faultsAgree = true;
    } else if (x.fault().isEmpty() || y.fault().isEmpty()) {
      faultsAgree = x.fault().isEmpty() == y.fault().isEmpty();
    } else {
      faultsAgree = x.fault().get().sameInstruction(y.fault().get(), sameBuild);
    }
    if (ax.sameInstruction(ay, sameBuild) && faultsAgree && !regionConflict) {
      List<String> why = new ArrayList<>();
      why.add(!words ? UNSAID : ax.symbolized() && ay.symbolized()
          ? "the same faulting line " + ax.lineFunction() + " at " + ax.line()
          : "the same faulting instruction " + ax + (x.build().isEmpty() ? "" : " in build " + x.build()));
      return scored(Rule.SAME_SITE, a, b, idf, why, 0);
    }
    if (ax.sameFunction(ay) && conflicts.isEmpty()) {
      List<String> why = new ArrayList<>();
      why.add(words ? "the same faulting function " + ax.function() + " (" + offsets(ax, ay, sameBuild) + ")" : UNSAID);
      List<String> agree = agreements(x, y, words);
      why.addAll(agree);
      return scored(Rule.SAME_FUNCTION, a, b, idf, why, agree.size() / 4.0);
    }
    if (!ax.sameFunction(ay) && conflicts.isEmpty() && !x.alloc().isEmpty() && !y.alloc().isEmpty()
        && sameSite(x.alloc().getFirst(), y.alloc().getFirst(), sameBuild)
        && x.caller().isPresent() && y.caller().isPresent() && x.caller().get().sameFunction(y.caller().get())
        && x.caller().get().sameFunction(x.alloc().getFirst())) {
      List<String> why = new ArrayList<>();
      why.add(words ? "one object allocated at " + x.alloc().getFirst() + ", which calls both faulting functions "
          + ax.function() + " and " + ay.function() : UNSAID);
      List<String> agree = agreements(x, y, words);
      why.addAll(agree);
      return scored(Rule.SAME_ALLOCATION, a, b, idf, why, agree.size() / 4.0);
    }
    boolean inlineApart = x.caller().map(ay::sameFunction).orElse(false)
        || y.caller().map(ax::sameFunction).orElse(false);
    if (!sameBuild && inlineApart && conflicts.isEmpty()) {
      List<String> why = List.of(words ? "faulting functions " + ax.function() + " and " + ay.function()
          + " are caller and callee, in builds " + x.build() + " and " + y.build() + " that may inline differently"
          : UNSAID);
      return stacksOnly(a, b, idf, why, true, words);
    }
    List<String> why = new ArrayList<>();
    if (!words) {
      why.add(UNSAID);
    } else if (ax.sameFunction(ay)) {
      why.add("the same faulting function " + ax.function() + ", but evidence disagrees");
    } else {
      why.add("other faulting functions: " + ax.function() + " vs " + ay.function());
    }
    if (regionConflict && ax.sameInstruction(ay, sameBuild)) {
      why.add(words ? "the same instruction touching another kind of memory" : UNSAID);
    }
    if (!withStacks) {
      return new Verdict(Rule.NONE, 0, why, conflicts, Optional.empty(), Map.of());
    }
    Verdict s = stacksOnly(a, b, idf, why, false, words);
    return new Verdict(Rule.NONE, s.score(), why, conflicts, s.stacks(), s.components());
  }

  /**
   * A match by {@code rule}, scored within the rule's band by how alike the access stacks are
   * (callers; IDF- and distance-weighted) and by {@code agreeing}, the share of the other evidence that
   * both print and agree on.
   */
  private Verdict scored(Rule rule, Signature a, Signature b, ToDoubleFunction<String> idf, List<String> why,
      double agreeing) {
    List<String> ax = classifier.meaningful(a.primary());
    List<String> bx = classifier.meaningful(b.primary());
    StackSimilarity.Result s = similarity.compare(ax, bx, idf);
    double score = rule.base + 0.05 * s.score() + (rule == Rule.SAME_SITE ? 0 : 0.05 * Math.min(1, agreeing));
    return new Verdict(rule, score, why, List.of(), Optional.of(s), Map.of("access", s.score()));
  }

  /** Evidence both reports print that disagrees ({@code words} false: {@link #UNSAID} for each). */
  private static List<String> conflicts(Evidence x, Evidence y, boolean sameBuild, boolean words) {
    List<String> out = new ArrayList<>();
    if (!x.region().isEmpty() && !y.region().isEmpty() && !x.region().equals(y.region())) {
      out.add(words ? "memory: " + x.region() + " vs " + y.region() : UNSAID);
    } else if (!x.cache().isEmpty() && !y.cache().isEmpty() && !x.cache().equals(y.cache())) {
      out.add(words ? "slab cache: " + x.cache() + " vs " + y.cache() : UNSAID);
    } else if (x.objectSize().isPresent() && y.objectSize().isPresent() && !x.objectSize().equals(y.objectSize())) {
      out.add(words ? "object size: " + x.objectSize().getAsLong() + " vs " + y.objectSize().getAsLong() : UNSAID);
    }
    if (!x.sizeClass().isEmpty() && !y.sizeClass().isEmpty() && !x.sizeClass().equals(y.sizeClass())) {
      out.add(words ? "access size: " + x.sizeClass() + " vs " + y.sizeClass() : UNSAID);
    }
    // allocation and free paths by function: which call in a function is a detail
    if (!samePath(x.alloc(), y.alloc())) {
      out.add(words ? "allocated via " + path(x.alloc()) + " vs " + path(y.alloc()) : UNSAID);
    }
    if (!samePath(x.free(), y.free())) {
      out.add(words ? "freed via " + path(x.free()) + " vs " + path(y.free()) : UNSAID);
    }
    return out;
  }

  /** What both reports print and agree on, beside the site ({@code words} false: {@link #UNSAID} for each). */
  private static List<String> agreements(Evidence x, Evidence y, boolean words) {
    List<String> out = new ArrayList<>();
    if (!x.region().isEmpty() && x.region().equals(y.region())) {
      out.add(words ? "the same kind of memory (" + x.region() + (x.cache().isEmpty() ? "" : " " + x.cache())
          + (x.objectSize().isPresent() ? ", " + x.objectSize().getAsLong() + "-byte objects" : "") + ")" : UNSAID);
    }
    if (!x.sizeClass().isEmpty() && x.sizeClass().equals(y.sizeClass())) {
      out.add(words ? "the same access size (" + x.sizeClass() + ")" : UNSAID);
    }
    if (!x.alloc().isEmpty() && !y.alloc().isEmpty()) {
      out.add(words ? "allocated via " + path(x.alloc()) : UNSAID);
    }
    if (!x.free().isEmpty() && !y.free().isEmpty()) {
      out.add(words ? "freed via " + path(x.free()) : UNSAID);
    }
    return out;
  }

  /** Two allocation or free paths agree where both print frames (an absent stack says nothing). */
  private static boolean samePath(List<Site> x, List<Site> y) {
    for (int i = 0; i < Math.min(x.size(), y.size()); i++) {
      if (!x.get(i).sameFunction(y.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static String path(List<Site> p) {
    return String.join(" < ", p.stream().map(Site::toString).toList());
  }

  /**
   * An allocation or free site agrees: the same instruction (a build's offset or a source line), or,
   * where offsets cannot be compared, the same function.
   */
  private static boolean sameSite(Site x, Site y, boolean sameBuild) {
    if (x.symbolized() && y.symbolized() || sameBuild && x.hasOffset() && y.hasOffset()) {
      return x.sameInstruction(y, sameBuild);
    }
    return x.sameFunction(y);
  }

  private static String offsets(Site x, Site y, boolean sameBuild) {
    if (x.symbolized() && y.symbolized()) {
      return x.line().equals(y.line()) ? "line " + x.line() : "lines " + x.line() + " and " + y.line();
    }
    if (!x.hasOffset() || !y.hasOffset()) {
      return "no offset to compare";
    }
    String ox = x.offsetText();
    String oy = y.offsetText();
    return sameBuild ? "at " + ox + " and " + oy + " of one build" : "at " + ox + " and " + oy + " of other builds";
  }

  // ---- KCSAN ----

  private Verdict kcsan(Signature a, Signature b, boolean sameBuild, ToDoubleFunction<String> idf, boolean withStacks,
      boolean words) {
    Evidence x = a.evidence();
    Evidence y = b.evidence();
    boolean asserts = a.bugClass().equals("assert");
    List<Evidence.Side> sx = asserts ? asserting(x.sides()) : x.sides();
    List<Evidence.Side> sy = asserts ? asserting(y.sides()) : y.sides();
    Match m = asserts ? sameSet(sx, sy, sameBuild) : samePair(sx, sy, sameBuild);
    if (m != Match.NO) {
      List<String> why = new ArrayList<>();
      String what = asserts ? "the same asserting access" + (sx.size() > 1 ? "es " : " ") : "the same racing accesses ";
      why.add(!words ? UNSAID : what + String.join(" and ", sx.stream().map(s -> describe(s)).distinct().toList())
          + (m == Match.INSTRUCTION ? (x.build().isEmpty() ? "" : " in build " + x.build())
              : " (functions and sizes; builds " + x.build() + " and " + y.build() + ")"));
      return scored(m == Match.INSTRUCTION ? Rule.SAME_SITE : Rule.SAME_FUNCTION, a, b, idf, why, 1);
    }
    if (!asserts && !sameBuild && inlineApart(a, b)) {
      // a function one compiler inlines moves an access's site one frame out: the stacks must then align
      List<String> why = List.of(!words ? UNSAID
          : "racing accesses of the same sizes and operations in functions one frame apart ("
          + String.join(" and ", sx.stream().map(s -> s.site().function()).toList()) + " vs "
          + String.join(" and ", sy.stream().map(s -> s.site().function()).toList()) + "), in builds " + x.build()
          + " and " + y.build() + " that may inline differently");
      Verdict s = stacksOnly(a, b, idf, why, true, words);
      if (s.matches()) {
        return s;
      }
    }
    List<String> why = List.of(asserts ? "other asserting accesses" : "other racing accesses");
    if (!withStacks) {
      return new Verdict(Rule.NONE, 0, why, List.of(), Optional.empty(), Map.of());
    }
    Verdict s = stacksOnly(a, b, idf, why, false, words);
    return new Verdict(Rule.NONE, s.score(), why, List.of(), s.stacks(), s.components());
  }

  private enum Match { INSTRUCTION, FUNCTION, NO }

  private static List<Evidence.Side> asserting(List<Evidence.Side> sides) {
    List<Evidence.Side> out = sides.stream().filter(Evidence.Side::asserting).toList();
    return out.isEmpty() ? sides : out;
  }

  private static String describe(Evidence.Side s) {
    return s.op() + " of " + (s.size().isPresent() ? s.size().getAsLong() : "?") + " bytes at " + s.site();
  }

  private static Match side(Evidence.Side p, Evidence.Side q, boolean sameBuild) {
    if (!p.size().equals(q.size())) {
      return Match.NO;
    }
    boolean comparable = p.site().symbolized() && q.site().symbolized()
        || sameBuild && p.site().hasOffset() && q.site().hasOffset();
    if (comparable) {
      return p.site().sameInstruction(q.site(), sameBuild) ? Match.INSTRUCTION : Match.NO;
    }
    return p.site().sameFunction(q.site()) && p.op().equals(q.op()) ? Match.FUNCTION : Match.NO;
  }

  private static Match weaker(Match a, Match b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** Two racing accesses, unordered: which of the two KCSAN caught first is timing. */
  private static Match samePair(List<Evidence.Side> x, List<Evidence.Side> y, boolean sameBuild) {
    if (x.size() != y.size()) {
      return Match.NO; // a race at unknown origin is not a race with a known second access
    }
    if (x.size() == 1) {
      return side(x.get(0), y.get(0), sameBuild);
    }
    Match straight = weaker(side(x.get(0), y.get(0), sameBuild), side(x.get(1), y.get(1), sameBuild));
    Match crossed = weaker(side(x.get(0), y.get(1), sameBuild), side(x.get(1), y.get(0), sameBuild));
    return straight.ordinal() <= crossed.ordinal() ? straight : crossed;
  }

  /**
   * Whether two races pair up access by access (in either order) with the same size and operation, each
   * pair in the same function or one frame apart: one access's function is among the first two
   * meaningful frames of the other's stack (a callee one build inlined into its caller).
   */
  private boolean inlineApart(Signature a, Signature b) {
    List<Evidence.Side> x = a.evidence().sides();
    List<Evidence.Side> y = b.evidence().sides();
    if (x.size() != y.size() || x.size() > 2) {
      return false;
    }
    boolean straight = true;
    boolean crossed = x.size() == 2;
    for (int i = 0; i < x.size(); i++) {
      straight &= nearSide(x.get(i), raceStack(a, i), y.get(i), raceStack(b, i));
      if (x.size() == 2) {
        crossed &= nearSide(x.get(i), raceStack(a, i), y.get(1 - i), raceStack(b, 1 - i));
      }
    }
    return straight || crossed;
  }

  private boolean nearSide(Evidence.Side p, List<String> ps, Evidence.Side q, List<String> qs) {
    return p.size().equals(q.size()) && p.op().equals(q.op())
        && sameGuiltyPath(classifier.meaningful(ps), classifier.meaningful(qs));
  }

  /** The stack of a race's i-th access as printed (a race at unknown origin: its one stack). */
  private static List<String> raceStack(Signature s, int i) {
    List<String> st = s.stack(i == 0 ? StackRole.RACE_1 : StackRole.RACE_2);
    return st.isEmpty() && i == 0 ? s.stack(StackRole.ACCESS) : st;
  }

  /** Every asserting access of one report has its match in the other, both ways. */
  private static Match sameSet(List<Evidence.Side> x, List<Evidence.Side> y, boolean sameBuild) {
    Match worst = Match.INSTRUCTION;
    for (List<Evidence.Side>[] pair : List.of(new List[] {x, y}, new List[] {y, x})) {
      for (Evidence.Side p : pair[0]) {
        Match best = Match.NO;
        for (Evidence.Side q : pair[1]) {
          Match m = side(p, q, sameBuild);
          if (m.ordinal() < best.ordinal()) {
            best = m;
          }
        }
        worst = weaker(worst, best);
      }
    }
    return worst;
  }

  // ---- stacks ----

  private Verdict none(List<String> why) {
    return new Verdict(Rule.NONE, 0, why, List.of(), Optional.empty(), Map.of());
  }

  /**
   * The stack tier: position- and IDF-weighted alignment of the access stacks (weight 1; only when both
   * start in the same code, one frame of slack), free (0.5) and alloc (0.25) stacks; KCSAN's racing
   * stacks as an unordered pair. {@code mayMatch}: a score at or above the threshold is a match.
   */
  private Verdict stacksOnly(Signature a, Signature b, ToDoubleFunction<String> idf, List<String> why,
      boolean mayMatch, boolean words) {
    Map<String, Double> parts = new LinkedHashMap<>();
    StackSimilarity.Result first;
    double score;
    if (a.tool() == Tool.KCSAN) {
      List<String> a1 = classifier.meaningful(a.stack(StackRole.RACE_1));
      List<String> a2 = classifier.meaningful(a.stack(StackRole.RACE_2));
      List<String> b1 = classifier.meaningful(b.stack(StackRole.RACE_1));
      List<String> b2 = classifier.meaningful(b.stack(StackRole.RACE_2));
      StackSimilarity.Result s11 = race(a1, b1, idf);
      StackSimilarity.Result s22 = race(a2, b2, idf);
      StackSimilarity.Result s12 = race(a1, b2, idf);
      StackSimilarity.Result s21 = race(a2, b1, idf);
      boolean straight = s11.score() + s22.score() >= s12.score() + s21.score();
      first = straight ? s11 : s12;
      StackSimilarity.Result second = straight ? s22 : s21;
      parts.put("race-1", first.score());
      parts.put("race-2", second.score());
      score = (first.score() + second.score()) / 2; // a missing side scores 0: one shared access is not the race
    } else {
      double sum = 0;
      double weights = 0;
      List<String> ax = classifier.meaningful(a.stack(StackRole.ACCESS));
      List<String> bx = classifier.meaningful(b.stack(StackRole.ACCESS));
      first = sameGuiltyPath(ax, bx) ? similarity.compare(ax, bx, idf) : new StackSimilarity.Result(0, List.of());
      parts.put("access", first.score());
      sum += W_ACCESS * first.score();
      weights += W_ACCESS;
      for (var role : List.of(StackRole.FREE, StackRole.ALLOC)) {
        List<String> x = a.stack(role);
        List<String> y = b.stack(role);
        if (x.isEmpty() || y.isEmpty()) {
          continue; // an absent alloc/free stack means nothing (KASAN's stack ring is best effort)
        }
        double w = role == StackRole.FREE ? W_FREE : W_ALLOC;
        double s = similarity.compare(classifier.meaningful(x), classifier.meaningful(y), idf).score();
        parts.put(role.name().toLowerCase(Locale.ROOT), s);
        sum += w * s;
        weights += w;
      }
      score = first.score() == 0 ? 0 : sum / weights;
    }
    if (mayMatch && score >= threshold) {
      List<String> reasons = new ArrayList<>(why);
      reasons.add(words ? "stacks align with score " + Decimals.fixed(score, 3) + " >= " + Decimals.fixed(threshold, 2)
          : UNSAID);
      return new Verdict(Rule.SIMILAR_STACK, Rule.SIMILAR_STACK.base + 0.2 * score, reasons, List.of(),
          Optional.of(first), parts);
    }
    return new Verdict(Rule.NONE, 0.45 * score, why, List.of(), Optional.of(first), parts);
  }

  private StackSimilarity.Result race(List<String> a, List<String> b, ToDoubleFunction<String> idf) {
    return sameGuiltyPath(a, b) ? similarity.compare(a, b, idf) : new StackSimilarity.Result(0, List.of());
  }

  /**
   * Whether two identifying stacks start in the same code: the first meaningful frame of one is among
   * the first two of the other (one step of slack for a function one build inlines and another does not,
   * syzkaller #3364).
   */
  private static boolean sameGuiltyPath(List<String> a, List<String> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return false;
    }
    return b.subList(0, Math.min(2, b.size())).contains(a.getFirst())
        || a.subList(0, Math.min(2, a.size())).contains(b.getFirst());
  }
}
