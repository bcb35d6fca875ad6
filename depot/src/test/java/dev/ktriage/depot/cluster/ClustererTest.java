package dev.ktriage.depot.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.signature.Evidence;
import dev.ktriage.depot.signature.Signature;
import dev.ktriage.depot.signature.Signer;
import dev.ktriage.depot.signature.Site;
import dev.ktriage.model.StackRole;
import dev.ktriage.model.Tool;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The clusterer's tiers and {@link Decision}'s rules, in their documented order. */
class ClustererTest {
  private static final String BUILD = "6.1.0 #1";
  private final Signer signer = new Signer();

  // ---- stacks only (reports without a site, stores written before evidence) ----

  private Signature stacks(String access, String free) {
    Map<StackRole, List<String>> m = new EnumMap<>(StackRole.class);
    m.put(StackRole.ACCESS, List.of(access.split(" ")));
    if (!free.isEmpty()) {
      m.put(StackRole.FREE, List.of(free.split(" ")));
    }
    return signer.of(Tool.KASAN, "bad-access", "t", m);
  }

  @Test
  void withoutASiteTheStacksDecide() {
    Clusterer c = new Clusterer();
    Assignment a = c.assign(stacks("f g h sys_read", "kfree put_x close_x sys_close"), "KASAN: uaf in f",
        List.of("bad-access in f"));
    assertInstanceOf(Assignment.NewCluster.class, a);
    Assignment same = c.assign(stacks("f g h other_caller sys_write", "kfree put_x close_x sys_close"), "x", List.of());
    assertInstanceOf(Assignment.ExactMatch.class, same);
    assertEquals(a.clusterId(), same.clusterId());
    Assignment sim = c.assign(stacks("f g2 h2 sys_read", "kfree put_x close_x sys_close"), "KASAN: uaf in f", List.of());
    assertEquals(a.clusterId(), sim.clusterId(), sim.toString());
    assertEquals(Decision.Rule.SIMILAR_STACK, ((Assignment.EvidenceMatch) sim).rule());
    Assignment other = c.assign(stacks("q g h sys_read", "kfree put_x close_x sys_close"), "KASAN: uaf in q", List.of());
    assertInstanceOf(Assignment.NewCluster.class, other);
    assertEquals(List.of("KASAN: uaf in f", "bad-access in f", "x"), c.cluster(a.clusterId()).orElseThrow().titles());
  }

  // ---- evidence ----

  private static Site site(String f, long off, long size) {
    return new Site(f, Optional.empty(), OptionalLong.of(off), OptionalLong.of(size), "", "");
  }

  private static Site line(String f, long off, String lineFunction, String line) {
    return new Site(f, Optional.empty(), OptionalLong.of(off), OptionalLong.of(0x400), lineFunction, line);
  }

  /** A KASAN report's evidence; {@code stack} is its access stack from the faulting function on. */
  private record K(String build, Site fault, Site anchor, String stack, String region, String cache, long size,
      Site alloc, Site free) {
    K with(String field, Object v) {
      return switch (field) {
        case "build" -> new K((String) v, fault, anchor, stack, region, cache, size, alloc, free);
        case "site" -> new K(build, (Site) v, (Site) v, stack, region, cache, size, alloc, free);
        case "stack" -> new K(build, fault, anchor, (String) v, region, cache, size, alloc, free);
        case "region" -> new K(build, fault, anchor, stack, (String) v, cache, size, alloc, free);
        case "cache" -> new K(build, fault, anchor, stack, region, (String) v, size, alloc, free);
        case "size" -> new K(build, fault, anchor, stack, region, cache, (Long) v, alloc, free);
        case "alloc" -> new K(build, fault, anchor, stack, region, cache, size, (Site) v, free);
        case "free" -> new K(build, fault, anchor, stack, region, cache, size, alloc, (Site) v);
        default -> throw new IllegalArgumentException(field);
      };
    }
  }

  private static K uaf(String function, long off) {
    Site s = site(function, off, 0x200);
    return new K(BUILD, s, s, function + " caller_a entry_a", "slab", "kmalloc-64", 8, site("alloc_a", 0x10, 0x80),
        site("free_a", 0x20, 0x90));
  }

  private Signature sign(K k) {
    List<String> frames = List.of(k.stack().split(" "));
    Map<StackRole, List<String>> m = new EnumMap<>(StackRole.class);
    m.put(StackRole.ACCESS, frames);
    Evidence e = new Evidence(k.build(), Optional.of(k.fault()), Optional.of(k.anchor()),
        frames.size() > 1 ? Optional.of(Site.of(frames.get(1))) : Optional.empty(), List.of(), k.region(), k.cache(),
        OptionalLong.empty(), Long.toString(k.size()), k.alloc() == null ? List.of() : List.of(k.alloc()),
        k.free() == null ? List.of() : List.of(k.free()));
    return signer.of(Tool.KASAN, "bad-access", "t", m, e);
  }

  private Assignment assign(Clusterer c, K k) {
    return c.assign(sign(k), "t", List.of());
  }

  private static Decision.Rule rule(Assignment a) {
    return a instanceof Assignment.EvidenceMatch m ? m.rule() : a instanceof Assignment.ExactMatch
        ? Decision.Rule.SAME_KEY : Decision.Rule.NONE;
  }

  @Test
  void theSameInstructionIsOneBugWhateverTheCallersContextOrObject() {
    Clusterer c = new Clusterer();
    K first = uaf("f", 0x10);
    long id = assign(c, first).clusterId();
    // reached from a timer instead of a syscall, on an object allocated elsewhere, of another size
    K timer = first.with("stack", "f timer_cb run_timers").with("alloc", site("alloc_b", 1, 2)).with("cache", "kmalloc-128");
    Assignment a = assign(c, timer);
    assertEquals(id, a.clusterId(), a.toString());
    assertEquals(Decision.Rule.SAME_KEY, rule(a), "the same site in the same build is the exact key");
    // only another kind of memory at the same instruction is something else
    assertInstanceOf(Assignment.NewCluster.class, assign(c, first.with("region", "page").with("cache", "")));
  }

  @Test
  void theSameFunctionIsOneBugUnlessEvidenceDisagrees() {
    Clusterer c = new Clusterer();
    K first = uaf("f", 0x10);
    long id = assign(c, first).clusterId();
    Assignment another = assign(c, first.with("site", site("f", 0x38, 0x200)));
    assertEquals(id, another.clusterId(), another.toString());
    assertEquals(Decision.Rule.SAME_FUNCTION, rule(another));
    // look-alikes in f: another object, access size, allocation or free path
    for (K k : List.of(first.with("site", site("f", 0x50, 0x200)).with("cache", "kmalloc-128"),
        first.with("site", site("f", 0x58, 0x200)).with("size", 1L),
        first.with("site", site("f", 0x60, 0x200)).with("alloc", site("alloc_b", 0x10, 0x80)),
        first.with("site", site("f", 0x68, 0x200)).with("free", site("free_b", 0x20, 0x90)))) {
      Assignment a = assign(c, k);
      assertNotEquals(id, a.clusterId(), a.toString());
    }
  }

  @Test
  void offsetsAreComparedOnlyWithinABuild() {
    Clusterer c = new Clusterer();
    K gcc = uaf("f", 0x10);
    long id = assign(c, gcc).clusterId();
    // another build: the same offset names no instruction, but the same function with the same evidence is the bug
    Assignment clang = assign(c, gcc.with("build", "6.1.0 #2").with("alloc", site("alloc_a", 0x14, 0x70))
        .with("free", site("free_a", 0x24, 0x88)));
    assertEquals(id, clang.clusterId(), clang.toString());
    assertEquals(Decision.Rule.SAME_FUNCTION, rule(clang));
    // across builds allocation sites compare by function
    Assignment other = assign(c, gcc.with("build", "6.1.0 #3").with("alloc", site("alloc_b", 0x10, 0x80)));
    assertNotEquals(id, other.clusterId(), other.toString());
  }

  @Test
  void twoFunctionsOnOneObjectAllocatedByTheirCommonCaller() {
    Clusterer c = new Clusterer();
    Site alloc = site("caller_a", 0x40, 0x100);
    K first = uaf("helper_one", 0x10).with("stack", "helper_one caller_a runner").with("alloc", alloc).with("free", null);
    long id = assign(c, first).clusterId();
    Assignment second = assign(c, first.with("site", site("helper_two", 0x30, 0x300))
        .with("stack", "helper_two caller_a runner"));
    assertEquals(id, second.clusterId(), second.toString());
    assertEquals(Decision.Rule.SAME_ALLOCATION, rule(second));
    // another function whose object its caller did not allocate: another bug
    Assignment third = assign(c, first.with("site", site("helper_three", 0x30, 0x300))
        .with("stack", "helper_three caller_b runner").with("alloc", site("caller_b", 0x40, 0x100)));
    assertInstanceOf(Assignment.NewCluster.class, third);
  }

  @Test
  void aCompilerThatInlinesMovesTheSiteOneFrameAcrossBuilds() {
    Clusterer c = new Clusterer();
    K notInlined = uaf("helper", 0x10).with("stack", "helper caller_a path_b path_c path_d").with("alloc", null)
        .with("free", null);
    long id = assign(c, notInlined).clusterId();
    K inlined = notInlined.with("build", "6.1.0 #2").with("site", site("caller_a", 0x99, 0x400))
        .with("stack", "caller_a path_b path_c path_d");
    Assignment a = assign(c, inlined);
    assertEquals(id, a.clusterId(), a.toString());
    assertEquals(Decision.Rule.SIMILAR_STACK, rule(a));
    // within one build a function is inlined there or not: the caller's own fault is another bug
    Clusterer d = new Clusterer();
    long id2 = assign(d, notInlined).clusterId();
    assertNotEquals(id2, assign(d, inlined.with("build", BUILD)).clusterId());
  }

  @Test
  void aSymbolizedLineIsTheSameInstructionInAnyFunctionAndBuild() {
    Clusterer c = new Clusterer();
    K inA = uaf("a", 0x10).with("site", line("a", 0x10, "inline_helper", "include/x.h:12"));
    long id = assign(c, inA).clusterId();
    K inB = inA.with("build", "6.1.0 #2").with("site", line("b", 0x77, "inline_helper", "include/x.h:12"))
        .with("stack", "b other_caller entry_b").with("alloc", site("alloc_z", 1, 2));
    Assignment a = assign(c, inB);
    assertEquals(id, a.clusterId(), a.toString());
    assertEquals(Decision.Rule.SAME_KEY, rule(a));
  }

  @Test
  void aReportLikeTwoClustersJoinsOneAndTheyStayApart() {
    Clusterer c = new Clusterer();
    Site alloc = site("caller_a", 0x40, 0x100);
    long x = assign(c, uaf("f", 0x10).with("alloc", alloc)).clusterId();
    long y = assign(c, uaf("f", 0x18).with("alloc", site("caller_b", 0x40, 0x100))).clusterId();
    assertNotEquals(x, y);
    // like both (no allocation printed): joins one, the other keeps its key
    Assignment z = assign(c, uaf("f", 0x20).with("alloc", null));
    assertTrue(z.clusterId() == x || z.clusterId() == y, z.toString());
    assertEquals(x, assign(c, uaf("f", 0x10).with("alloc", alloc)).clusterId());
    assertEquals(y, assign(c, uaf("f", 0x18).with("alloc", site("caller_b", 0x40, 0x100))).clusterId());
  }

  @Test
  void explainChangesNothing() {
    Clusterer c = new Clusterer();
    assign(c, uaf("f", 0x10));
    Assignment e = c.explain(sign(uaf("g", 0x10)));
    assertInstanceOf(Assignment.NewCluster.class, e);
    assertEquals(Clusterer.NO_CLUSTER, e.clusterId());
    assertEquals(1, c.size());
  }

  @Test
  void reportsOfAnotherKindNeverJoin() {
    Clusterer c = new Clusterer();
    Signature uaf = sign(uaf("f", 0x10));
    long id = c.assign(uaf, "t", List.of()).clusterId();
    Signature free = signer.of(Tool.KASAN, "invalid-free", "t", uaf.stacks(), uaf.evidence());
    assertNotEquals(id, c.assign(free, "t", List.of()).clusterId());
  }

  // ---- KCSAN ----

  private Signature race(String cls, String build, Evidence.Side... sides) {
    Map<StackRole, List<String>> m = new EnumMap<>(StackRole.class);
    m.put(StackRole.RACE_1, List.of(sides[0].site().function(), "thread_a"));
    if (sides.length > 1) {
      m.put(StackRole.RACE_2, List.of(sides[1].site().function(), "thread_b"));
    }
    Evidence e = new Evidence(build, Optional.empty(), Optional.empty(), Optional.empty(), List.of(sides), "", "",
        OptionalLong.empty(), "", List.of(), List.of());
    return signer.of(Tool.KCSAN, cls, "t", m, e);
  }

  private static Evidence.Side side(String f, long off, String op, boolean asserting) {
    return new Evidence.Side(site(f, off, 0x40), op, OptionalLong.of(8), asserting);
  }

  @Test
  void kcsanRacesAreUnorderedPairsOfSites() {
    Clusterer c = new Clusterer();
    long id = c.assign(race("data-race", BUILD, side("a", 0x10, "write", false), side("b", 0x20, "read", false)), "t",
        List.of()).clusterId();
    assertEquals(id, c.assign(race("data-race", BUILD, side("b", 0x20, "read", false), side("a", 0x10, "write", false)),
        "t", List.of()).clusterId());
    // the same two functions on another field (other offsets of one build): another race
    assertNotEquals(id, c.assign(race("data-race", BUILD, side("a", 0x18, "write", false),
        side("b", 0x28, "read", false)), "t", List.of()).clusterId());
    // another build: the functions and sizes
    assertEquals(id, c.assign(race("data-race", "6.1.0 #2", side("a", 0x11, "write", false),
        side("b", 0x22, "read", false)), "t", List.of()).clusterId());
    // a race at unknown origin is not the race with a known second access
    assertNotEquals(id, c.assign(race("data-race", BUILD, side("a", 0x10, "write", false)), "t", List.of()).clusterId());
  }

  private Signature raceWithStacks(String build, String stack1, Evidence.Side s1, String stack2, Evidence.Side s2) {
    Map<StackRole, List<String>> m = new EnumMap<>(StackRole.class);
    m.put(StackRole.RACE_1, List.of(stack1.split(" ")));
    m.put(StackRole.RACE_2, List.of(stack2.split(" ")));
    Evidence e = new Evidence(build, Optional.empty(), Optional.empty(), Optional.empty(), List.of(s1, s2), "", "",
        OptionalLong.empty(), "", List.of(), List.of());
    return signer.of(Tool.KCSAN, "data-race", "t", m, e);
  }

  @Test
  void kcsanAccessInlinedByAnotherBuildIsOneFrameOut() {
    Clusterer c = new Clusterer();
    // gcc: the write is in helper, called by updater; clang inlined helper into updater
    long id = c.assign(raceWithStacks(BUILD, "helper updater worker_fn process_one_work",
        side("helper", 0x10, "write", false), "reader_fn ioctl_x sys_ioctl", side("reader_fn", 0x20, "read", false)),
        "t", List.of()).clusterId();
    Assignment clang = c.assign(raceWithStacks("6.1.0 #2", "reader_fn ioctl_x sys_ioctl",
        side("reader_fn", 0x24, "read", false), "updater worker_fn process_one_work",
        side("updater", 0x90, "write", false)), "t", List.of());
    assertEquals(id, clang.clusterId(), clang.toString());
    assertEquals(Decision.Rule.SIMILAR_STACK, rule(clang));
    // in one build the offsets decide: another function is another race (a clusterer without the clang
    // report, which this one would match by function across builds)
    Clusterer gccOnly = new Clusterer();
    long gcc = gccOnly.assign(raceWithStacks(BUILD, "helper updater worker_fn process_one_work",
        side("helper", 0x10, "write", false), "reader_fn ioctl_x sys_ioctl", side("reader_fn", 0x20, "read", false)),
        "t", List.of()).clusterId();
    assertNotEquals(gcc, gccOnly.assign(raceWithStacks(BUILD, "reader_fn ioctl_x sys_ioctl",
        side("reader_fn", 0x20, "read", false), "updater worker_fn process_one_work", side("updater", 0x90, "write", false)),
        "t", List.of()).clusterId());
    // across builds another access size is another field
    assertNotEquals(id, c.assign(raceWithStacks("6.1.0 #3", "reader_fn ioctl_x sys_ioctl",
        new Evidence.Side(site("reader_fn", 0x24, 0x40), "read", OptionalLong.of(4), false),
        "updater worker_fn process_one_work", new Evidence.Side(site("updater", 0x90, 0x40), "write", OptionalLong.of(4),
            false)), "t", List.of()).clusterId());
  }

  @Test
  void kcsanAssertionsAreTheirAssertingSites() {
    Clusterer c = new Clusterer();
    long id = c.assign(race("assert", BUILD, side("asserter", 0x10, "write", true), side("asserter", 0x10, "write", true)),
        "t", List.of()).clusterId();
    // the same assertion broken by a plain reader: the same invariant
    assertEquals(id, c.assign(race("assert", BUILD, side("reader", 0x8, "read", false),
        side("asserter", 0x10, "write", true)), "t", List.of()).clusterId());
    // another assertion involved too: another set of asserting sites
    assertNotEquals(id, c.assign(race("assert", BUILD, side("asserter", 0x10, "write", true),
        side("writer_asserter", 0x30, "write", true)), "t", List.of()).clusterId());
  }
}
