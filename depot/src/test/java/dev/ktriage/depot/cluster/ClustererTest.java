package dev.ktriage.depot.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClustererTest {
  private final Signer signer = new Signer();

  private Signature kasan(String access, String free) {
    Map<StackRole, List<String>> m = new EnumMap<>(StackRole.class);
    m.put(StackRole.ACCESS, List.of(access.split(" ")));
    if (!free.isEmpty()) {
      m.put(StackRole.FREE, List.of(free.split(" ")));
    }
    return signer.of(Tool.KASAN, "bad-access", "t", m);
  }

  @Test
  void exactKeyThenSimilarityThenNew() {
    Clusterer c = new Clusterer();
    Assignment a = c.assign(kasan("f g h sys_read", "kfree put_x close_x sys_close"), "KASAN: uaf in f", List.of("bad-access in f"));
    assertInstanceOf(Assignment.NewCluster.class, a);
    Assignment same = c.assign(kasan("f g h other_caller sys_write", "kfree put_x close_x sys_close"), "x", List.of());
    assertInstanceOf(Assignment.ExactMatch.class, same);
    assertEquals(a.clusterId(), same.clusterId());
    // another direct caller, same object lifecycle: the similarity tier
    Assignment sim = c.assign(kasan("f g2 h2 sys_read", "kfree put_x close_x sys_close"), "KASAN: uaf in f", List.of());
    SimilarityCheck.similar(sim, a.clusterId());
    // another guilty function on the same object: never the same bug
    Assignment other = c.assign(kasan("q g h sys_read", "kfree put_x close_x sys_close"), "KASAN: uaf in q", List.of());
    assertInstanceOf(Assignment.NewCluster.class, other);
    assertNotEquals(a.clusterId(), other.clusterId());
    // the cluster shows every title its members had
    assertEquals(List.of("KASAN: uaf in f", "bad-access in f", "x"), c.cluster(a.clusterId()).orElseThrow().titles());
  }

  @Test
  void aReportLikeTwoClustersJoinsOneAndTheyStayApart() {
    Clusterer c = new Clusterer();
    long x = c.assign(kasan("f a1 a2 a3", "kfree p1 p2"), "X", List.of()).clusterId();
    long y = c.assign(kasan("f b1 b2 b3", "kfree p1 p2"), "Y", List.of()).clusterId();
    assertNotEquals(x, y, "different direct callers of f and nothing else shared: two bugs");
    Assignment z = c.assign(kasan("f a1 b2 b3", "kfree p1 p2"), "Z", List.of());
    assertTrue(z.clusterId() == x || z.clusterId() == y || z instanceof Assignment.NewCluster);
    // X's and Y's keys still lead to their own clusters
    assertEquals(x, c.assign(kasan("f a1 a2 a3 zzz", "kfree p1 p2"), "X", List.of()).clusterId());
    assertEquals(y, c.assign(kasan("f b1 b2 b3 zzz", "kfree p1 p2"), "Y", List.of()).clusterId());
    assertEquals(c.size(), c.clusters().size());
  }

  @Test
  void explainChangesNothing() {
    Clusterer c = new Clusterer();
    c.assign(kasan("f g h", ""), "t", List.of());
    Assignment e = c.explain(kasan("zz g h", ""));
    assertInstanceOf(Assignment.NewCluster.class, e);
    assertEquals(Clusterer.NO_CLUSTER, e.clusterId());
    assertEquals(1, c.size());
  }

  @Test
  void kcsanPairsMatchInEitherOrder() {
    Clusterer c = new Clusterer();
    Map<StackRole, List<String>> m = new EnumMap<>(StackRole.class);
    m.put(StackRole.RACE_1, List.of("a", "x", "y"));
    m.put(StackRole.RACE_2, List.of("b", "u", "v"));
    long id = c.assign(signer.of(Tool.KCSAN, "data-race", "t", m), "t", List.of()).clusterId();
    Map<StackRole, List<String>> swapped = new EnumMap<>(StackRole.class);
    swapped.put(StackRole.RACE_1, List.of("b", "u", "w"));
    swapped.put(StackRole.RACE_2, List.of("a", "x", "q"));
    Assignment a = c.assign(signer.of(Tool.KCSAN, "data-race", "t", swapped), "t", List.of());
    assertEquals(id, a.clusterId(), a.toString());
  }

  /** Assertion helper with a message that shows the assignment. */
  static final class SimilarityCheck {
    static void similar(Assignment a, long cluster) {
      assertInstanceOf(Assignment.SimilarMatch.class, a, a.toString());
      assertEquals(cluster, a.clusterId());
      Assignment.SimilarMatch m = (Assignment.SimilarMatch) a;
      assertTrue(m.score() >= m.threshold());
      assertTrue(m.access().stream().anyMatch(f -> f.frame().equals("f")), m.access().toString());
    }
  }
}
