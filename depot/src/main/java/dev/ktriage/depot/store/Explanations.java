package dev.ktriage.depot.store;

import dev.ktriage.depot.cluster.AlignedFrame;
import dev.ktriage.depot.cluster.Assignment;
import dev.ktriage.depot.cluster.Decimals;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.grammar.title.FrameSkipRules;
import dev.ktriage.grammar.title.SkipRule;
import dev.ktriage.model.Report;
import java.util.Locale;
import java.util.Optional;

/** Says in words why a report is in its cluster; stored with each report at ingest. */
public final class Explanations {
  private Explanations() {} // no instance

  /** The rules that skip a frame for the title only; filtered once, as every stored report asks. */
  private static final java.util.List<SkipRule> TITLE_ONLY = FrameSkipRules.COMMON.stream()
      .filter(x -> x.action() == SkipRule.Action.TITLE_ONLY).toList();

  /** One paragraph: the tier or rule, the evidence that decided, and the report's own exact key. */
  public static String describe(Assignment a) {
    return switch (a) {
      case Assignment.ExactMatch m -> "cluster " + m.clusterId() + ": same exact key " + m.exactKey();
      case Assignment.EvidenceMatch m -> evidenceMatch(m);
      case Assignment.NewCluster n -> (n.clusterId() < 0 ? "new cluster" : "new cluster " + n.clusterId())
          + ": key " + n.exactKey()
          + (n.bestCluster().isPresent()
              ? "; closest cluster " + n.bestCluster().getAsLong() + " (score " + Decimals.fixed(n.bestScore().orElse(0), 3)
                  + " < 0.5): " + n.why()
              : "; no cluster shares its faulting function, caller or first frames");
    };
  }

  /**
   * {@link #describe(Assignment)}, and, where syzkaller's title rules skip the function the evidence
   * points at, a note saying so: the title names another frame, the cluster uses the header's site.
   */
  public static String describe(Assignment a, Report r, Signature sig) {
    return describe(a) + titleNote(r, sig).map(n -> "; " + n).orElse("");
  }

  /** The note, when the title's guilty frame is not the evidence's faulting function. */
  public static Optional<String> titleNote(Report r, Signature sig) {
    Optional<String> evidence = sig.guilty();
    Optional<String> title = r.title().guiltyFrame();
    if (evidence.isEmpty() || title.isEmpty() || evidence.equals(title)) {
      return Optional.empty();
    }
    String f = evidence.get();
    String core = SkipRule.core(f);
    Optional<SkipRule> rule = Optional.empty();
    for (SkipRule x : TITLE_ONLY) {
      if (x.matches(f, core)) {
        rule = Optional.of(x);
        break;
      }
    }
    return rule.map(x -> "the title names " + title.get() + " because syzkaller's title rules skip " + f
        + " (" + x.match().name().toLowerCase(Locale.ROOT) + " '" + x.pattern() + "'); the evidence uses the"
        + " header's site " + f);
  }

  /** {@code cluster N: <rule> (score S) with member K: <reasons>[; stack scores ...][; aligned frames ...]; own key K}. */
  private static String evidenceMatch(Assignment.EvidenceMatch m) {
    StringBuilder b = new StringBuilder(256).append("cluster ").append(m.clusterId()).append(": ")
        .append(m.rule().words()).append(" (score ").append(Decimals.fixed(m.score(), 3)).append(") with member ")
        .append(m.matchedKey()).append(": ").append(String.join("; ", m.reasons()));
    if (!m.components().isEmpty()) {
      b.append("; stack scores ");
      String sep = "";
      for (var e : new java.util.TreeMap<>(m.components()).entrySet()) {
        b.append(sep).append(e.getKey()).append('=').append(Decimals.fixed(e.getValue(), 3));
        sep = ", ";
      }
    }
    if (!m.access().isEmpty()) {
      b.append("; aligned frames ");
      String sep = "";
      for (AlignedFrame f : m.access()) {
        b.append(sep).append(aligned(f));
        sep = ", ";
      }
    }
    return b.append("; own key ").append(m.exactKey()).toString();
  }

  private static String aligned(AlignedFrame f) {
    return f.frame() + "@" + f.position() + "~" + f.otherPosition();
  }
}
