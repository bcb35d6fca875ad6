package dev.ktriage.depot.stack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.depot.CorruptStoreException;
import dev.ktriage.depot.SchemaVersionException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StackDepotTest {
  @TempDir Path tmp;

  @Test
  void storesEachStackOnceAndCountsReferences() {
    StackDepot d = new StackDepot();
    int h1 = d.acquire(List.of("a", "b", "c"));
    int h2 = d.acquire(List.of("a", "b", "c"));
    int h3 = d.acquire(List.of("a", "b"));
    assertEquals(h1, h2);
    assertNotEquals(h1, h3);
    assertEquals(2, d.refCount(h1));
    DepotStats s = d.stats();
    assertEquals(2, s.stacks());
    assertEquals(5, s.framesStored());
    assertEquals(8, s.frameReferences());
    assertEquals(3, s.distinctFrames());
    assertEquals(8.0 / 5, s.dedupRatio(), 1e-9);
    assertEquals(List.of("a", "b", "c"), d.frames(h1));
    assertEquals(StackHandle.NONE, d.acquire(List.of()));
  }

  @Test
  void releaseToZeroFreesTheStackAndItsFramesAndReusesTheSlot() {
    StackDepot d = new StackDepot();
    int h = d.acquire(List.of("x", "y"));
    d.acquire(h);
    d.release(h);
    assertTrue(d.contains(h));
    d.release(h);
    assertFalse(d.contains(h));
    DepotStats s = d.stats();
    assertEquals(0, s.stacks());
    assertEquals(0, s.distinctFrames());
    assertEquals(1, s.frees());
    assertEquals(1, s.freelist());
    int again = d.acquire(List.of("z"));
    assertEquals(StackHandle.slot(h), StackHandle.slot(again), "slot reused");
    assertNotEquals(h, again, "generation differs");
    assertThrows(IllegalArgumentException.class, () -> d.release(h), "stale handle");
    assertEquals(0, d.stats().freelist());
  }

  @Test
  void snapshotRoundTripKeepsHandlesCountsAndCounters() throws Exception {
    StackDepot d = new StackDepot();
    int a = d.acquire(List.of("a", "b"));
    int b = d.acquire(List.of("c"));
    d.acquire(List.of("a", "b"));
    int gone = d.acquire(List.of("gone"));
    d.release(gone);
    Path f = tmp.resolve("depot.snapshot");
    DepotFile.write(d, 42, f);
    DepotFile.Snapshot s = DepotFile.read(f);
    assertEquals(42, s.tag());
    StackDepot r = s.depot();
    assertEquals(List.of("a", "b"), r.frames(a));
    assertEquals(2, r.refCount(a));
    assertEquals(List.of("c"), r.frames(b));
    assertFalse(r.contains(gone));
    assertEquals(d.stats(), r.stats());
    assertNotEquals(gone, r.acquire(List.of("new")), "a freed handle stays stale after a restart");
  }

  @Test
  void aFlippedBitIsCorruptionNamingTheFile() throws Exception {
    StackDepot d = new StackDepot();
    d.acquire(List.of("a", "b"));
    Path f = tmp.resolve("depot.snapshot");
    DepotFile.write(d, 1, f);
    byte[] bytes = Files.readAllBytes(f);
    bytes[bytes.length / 2] ^= 0x10;
    Files.write(f, bytes);
    CorruptStoreException e = assertThrows(CorruptStoreException.class, () -> DepotFile.read(f));
    assertEquals(f, e.file());
    assertTrue(e.getMessage().contains(f.toString()));
    Files.write(f, java.util.Arrays.copyOf(bytes, 10));
    assertThrows(CorruptStoreException.class, () -> DepotFile.read(f));
  }

  @Test
  void anotherVersionIsRefused() throws Exception {
    StackDepot d = new StackDepot();
    Path f = tmp.resolve("depot.snapshot");
    DepotFile.write(d, 1, f);
    byte[] bytes = Files.readAllBytes(f);
    ByteBuffer.wrap(bytes).putInt(8, DepotFile.VERSION + 1);
    Files.write(f, bytes);
    SchemaVersionException e = assertThrows(SchemaVersionException.class, () -> DepotFile.read(f));
    assertEquals(DepotFile.VERSION + 1, e.found());
  }

  /** Random acquire/release/lookups against a HashMap model, then a snapshot round trip. */
  @Test
  void behavesLikeAMapOfCounts() throws Exception {
    long seed = Long.getLong("ktriage.seed", 7L);
    SplittableRandom rnd = new SplittableRandom(seed);
    StackDepot d = new StackDepot();
    Map<List<String>, Integer> model = new HashMap<>();
    Map<List<String>, Integer> handles = new HashMap<>();
    for (int step = 0; step < 20_000; step++) {
      List<String> stack = new ArrayList<>();
      for (int i = 1 + rnd.nextInt(4); i > 0; i--) {
        stack.add("f" + rnd.nextInt(12));
      }
      String where = "seed " + seed + " step " + step;
      if (rnd.nextInt(3) > 0) {
        int h = d.acquire(stack);
        model.merge(stack, 1, Integer::sum);
        Integer known = handles.putIfAbsent(stack, h);
        if (known != null) {
          assertEquals(known.intValue(), h, where);
        }
      } else if (!model.isEmpty()) {
        List<List<String>> live = new ArrayList<>(model.keySet()); // HashMap order: deterministic for a seed
        List<String> victim = live.get(rnd.nextInt(live.size()));
        int h = handles.get(victim);
        d.release(h);
        if (model.merge(victim, -1, Integer::sum) == 0) {
          model.remove(victim);
          handles.remove(victim);
          assertFalse(d.contains(h), where);
        }
      }
      if (step % 1000 == 0) {
        check(d, model, handles, where);
      }
    }
    check(d, model, handles, "end, seed " + seed);
    Path f = tmp.resolve("model.snapshot");
    DepotFile.write(d, 9, f);
    check(DepotFile.read(f).depot(), model, handles, "after snapshot, seed " + seed);
    // releasing everything leaves an empty depot
    for (var e : model.entrySet()) {
      for (int i = 0; i < e.getValue(); i++) {
        d.release(handles.get(e.getKey()));
      }
    }
    DepotStats s = d.stats();
    assertEquals(0, s.stacks());
    assertEquals(0, s.distinctFrames());
    assertEquals(s.allocations(), s.frees());
  }

  private static void check(StackDepot d, Map<List<String>, Integer> model, Map<List<String>, Integer> handles,
      String where) {
    DepotStats s = d.stats();
    assertEquals(model.size(), s.stacks(), where);
    assertEquals(model.size(), s.inUse(), where);
    long refs = 0;
    for (var e : model.entrySet()) {
      int h = handles.get(e.getKey());
      assertEquals(e.getValue().intValue(), d.refCount(h), where);
      assertEquals(e.getKey(), d.frames(h), where);
      assertEquals(h, d.find(e.getKey()), where);
      refs += (long) e.getValue() * e.getKey().size();
    }
    assertEquals(refs, s.frameReferences(), where);
  }
}
