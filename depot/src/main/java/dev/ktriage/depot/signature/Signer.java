package dev.ktriage.depot.signature;

import dev.ktriage.depot.stack.NormalizedFrame;
import dev.ktriage.depot.stack.StackNormalizer;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Computes a report's {@link Signature}.
 *
 * <p>The exact key is {@code tool/class/frames}: for KASAN the first {@link #KASAN_KEY_FRAMES} meaningful
 * frames of the access stack (ClusterFuzz's crash state uses 3; enough to tell two code paths through one
 * function apart, few enough that callers further out do not matter); for KCSAN the first
 * {@link #KCSAN_KEY_FRAMES} meaningful frames of each racing stack as an unordered pair, because which of
 * the two accesses KCSAN catches first is timing. When no frame is meaningful the normalized frames are
 * used, and when there are none the title, so corrupted reports still get a (title-based) key.
 *
 * <p>Stateless and thread-safe.
 */
public final class Signer {
  /** Meaningful access-stack frames in a KASAN key. */
  public static final int KASAN_KEY_FRAMES = 3;
  /** Meaningful frames per racing stack in a KCSAN key. */
  public static final int KCSAN_KEY_FRAMES = 2;

  /**
   * The roles a signature keeps (and the depot stores). page_owner's PAGE_ALLOC/PAGE_FREE are left out:
   * they describe the page's history, not the bug.
   */
  public static final java.util.Set<StackRole> IDENTITY_ROLES = java.util.EnumSet.of(StackRole.ACCESS,
      StackRole.ALLOC, StackRole.FREE, StackRole.AUX, StackRole.RACE_1, StackRole.RACE_2);

  private final StackNormalizer normalizer = new StackNormalizer();
  private final FrameClassifier classifier = new FrameClassifier();

  /** The signature of a report. */
  public Signature sign(Report r) {
    Map<StackRole, List<String>> stacks = new EnumMap<>(StackRole.class);
    for (Stack s : r.stacks()) {
      if (!IDENTITY_ROLES.contains(s.role()) || stacks.containsKey(s.role()) || s.unavailable()) {
        continue; // page_owner stacks say how the page was obtained; a second AUX stack adds nothing
      }
      List<String> keys = normalizer.normalize(s).stream().map(NormalizedFrame::key).toList();
      if (!keys.isEmpty()) {
        stacks.put(s.role(), keys);
      }
    }
    return of(r.tool(), BugClass.of(r), r.title().title(), stacks);
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
    return of(r.tool(), BugClass.of(r), r.title().title(), stacks);
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

  /** The signature of already-normalized stacks (rebuilding from a store, tests). */
  public Signature of(Tool tool, String bugClass, String title, Map<StackRole, List<String>> stacks) {
    String prefix = tool.name().toLowerCase(java.util.Locale.ROOT) + "/" + bugClass + "/";
    String key;
    Optional<String> guilty;
    if (tool == Tool.KCSAN) {
      List<String> a = classifier.keyFrames(stacks.getOrDefault(StackRole.RACE_1, List.of()), KCSAN_KEY_FRAMES);
      List<String> b = classifier.keyFrames(stacks.getOrDefault(StackRole.RACE_2, List.of()), KCSAN_KEY_FRAMES);
      if (a.isEmpty() && b.isEmpty()) {
        a = classifier.keyFrames(stacks.getOrDefault(StackRole.ACCESS, List.of()), KCSAN_KEY_FRAMES);
      }
      String sa = String.join(",", a);
      String sb = String.join(",", b);
      key = sa.compareTo(sb) <= 0 ? sa + "|" + sb : sb + "|" + sa;
      guilty = a.isEmpty() ? Optional.empty() : Optional.of(NormalizedFrame.functionOf(a.getFirst()));
    } else {
      List<String> a = classifier.keyFrames(stacks.getOrDefault(StackRole.ACCESS, List.of()), KASAN_KEY_FRAMES);
      key = String.join(",", a);
      guilty = a.isEmpty() ? Optional.empty() : Optional.of(NormalizedFrame.functionOf(a.getFirst()));
    }
    if (key.isEmpty() || key.equals("|")) {
      key = "title:" + title;
    }
    return new Signature(tool, bugClass, prefix + key, guilty, stacks);
  }
}
