package dev.ktriage.depot.signature;

import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What identifies a report's bug: its class, its exact key, its evidence and its normalized stacks.
 *
 * @param tool KASAN or KCSAN
 * @param bugClass the coarse class ({@link BugClass})
 * @param exactKey the evidence that names one bug outright ({@link Signer} documents the forms); reports
 *     with equal keys are the same bug
 * @param guilty the function the evidence points at (the fault's site, or the first caller past
 *     plumbing), which may differ from the title's guilty frame
 * @param stacks the normalized stacks by role, frame keys innermost first; KCSAN's racing stacks are
 *     under {@link StackRole#RACE_1} and {@link StackRole#RACE_2} in printed order (the pair is
 *     compared unordered)
 * @param evidence the fault site, object, access and allocation evidence
 */
public record Signature(Tool tool, String bugClass, String exactKey, Optional<String> guilty,
    Map<StackRole, List<String>> stacks, Evidence evidence) {
  public Signature {
    Objects.requireNonNull(tool);
    Objects.requireNonNull(bugClass);
    Objects.requireNonNull(exactKey);
    Objects.requireNonNull(evidence);
    stacks = Map.copyOf(stacks);
  }

  /** A signature without evidence (tests, stores written before evidence existed). */
  public Signature(Tool tool, String bugClass, String exactKey, Optional<String> guilty,
      Map<StackRole, List<String>> stacks) {
    this(tool, bugClass, exactKey, guilty, stacks, Evidence.none());
  }

  /** The frames of a role; empty if the report has no such stack. */
  public List<String> stack(StackRole role) {
    return stacks.getOrDefault(role, List.of());
  }

  /** The identifying stack: the access stack, or KCSAN's first racing stack. */
  public List<String> primary() {
    List<String> a = stack(StackRole.ACCESS);
    return a.isEmpty() ? stack(StackRole.RACE_1) : a;
  }

  /**
   * The cluster key of this exact key: {@code k1-} and the first 128 bits of the SHA-256 of the UTF-8
   * exact key, in lowercase hex. Deterministic across processes and machines, so two ingesters that see
   * the first report of a bug create its cluster under the same key (a document created only if absent)
   * and meet there; {@code k1} is the version of the exact-key forms documented in {@link Signer}.
   */
  public String clusterKey() {
    return clusterKeyOf(exactKey);
  }

  /** {@link #clusterKey()} of an exact key. */
  public static String clusterKeyOf(String exactKey) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(exactKey.getBytes(StandardCharsets.UTF_8));
      return "k1-" + HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
