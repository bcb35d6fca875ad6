package dev.ktriage.depot.stack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Stores each distinct normalized stack once and hands out compact int handles, modelled on the
 * kernel's {@code lib/stackdepot.c}: content-addressed interning, a reference count per stack
 * ({@code STACK_DEPOT_FLAG_GET} / {@code stack_depot_put()}), freed slots reused through a freelist,
 * and the same four counters.
 *
 * <p>Frames are stored as ids into an interned frame table, and each stack as an exact-length
 * {@code int[]}: the 2024 revert of generic KASAN's eviction showed that fixed-size evictable records
 * cost about four times the memory, so records stay variable-length and the JVM reclaims a freed one.
 * Frame strings are reference-counted too and their ids reused, so the depot shrinks back when
 * reports are removed.
 *
 * <p>Thread-safe: every method synchronizes on the depot. Interning is short and the store calls it
 * from one writer, so a single lock is enough.
 */
public final class StackDepot {
  /** A stack's frames and cached hash, used as the map key and as the slot's content. */
  private static final class Record {
    final int[] frames;
    final int hash;

    Record(int[] frames) {
      this.frames = frames;
      this.hash = Arrays.hashCode(frames);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Record r && r.hash == hash && Arrays.equals(r.frames, frames);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  // Frame table: id -> string, string -> id, refcount per id (number of stack slots using it).
  private final List<String> frameStrings = new ArrayList<>();
  private final Map<String, Integer> frameIds = new HashMap<>();
  private int[] frameRefs = new int[64];
  private final ArrayDeque<Integer> freeFrameIds = new ArrayDeque<>();

  // Stack slots.
  private final Map<Record, Integer> index = new HashMap<>();
  private Record[] records = new Record[64];
  private int[] refs = new int[64];
  private byte[] generations = new byte[64];
  private int highWater;
  private final ArrayDeque<Integer> freeSlots = new ArrayDeque<>();

  private long allocations;
  private long frees;

  /**
   * Interns a stack and takes one reference to it.
   *
   * @param frameKeys the frames' {@link NormalizedFrame#key() keys}, innermost first
   * @return its handle; {@link StackHandle#NONE} for an empty stack (nothing is stored)
   */
  public synchronized int acquire(List<String> frameKeys) {
    if (frameKeys.isEmpty()) {
      return StackHandle.NONE;
    }
    int[] ids = new int[frameKeys.size()];
    boolean known = true;
    for (int i = 0; i < ids.length; i++) {
      Integer id = frameIds.get(frameKeys.get(i));
      if (id == null) {
        known = false;
        break;
      }
      ids[i] = id;
    }
    if (known) {
      Integer slot = index.get(new Record(ids));
      if (slot != null) {
        refs[slot]++;
        return StackHandle.pack(slot, generations[slot]);
      }
    }
    for (int i = 0; i < ids.length; i++) {
      ids[i] = internFrame(frameKeys.get(i));
    }
    Record r = new Record(ids);
    int slot = allocateSlot();
    records[slot] = r;
    refs[slot] = 1;
    index.put(r, slot);
    allocations++;
    return StackHandle.pack(slot, generations[slot]);
  }

  /** Takes one more reference to a stack already in the depot. */
  public synchronized void acquire(int handle) {
    refs[checkedSlot(handle)]++;
  }

  /**
   * Drops one reference; at zero the stack is freed and its slot goes on the freelist.
   *
   * @throws IllegalArgumentException for {@link StackHandle#NONE}, a stale or unknown handle
   */
  public synchronized void release(int handle) {
    int slot = checkedSlot(handle);
    if (--refs[slot] > 0) {
      return;
    }
    Record r = records[slot];
    index.remove(r);
    records[slot] = null;
    for (int id : r.frames) {
      releaseFrame(id);
    }
    generations[slot]++;
    freeSlots.push(slot);
    frees++;
  }

  /** The handle of a stack if it is in the depot, without taking a reference; else {@link StackHandle#NONE}. */
  public synchronized int find(List<String> frameKeys) {
    int[] ids = new int[frameKeys.size()];
    for (int i = 0; i < ids.length; i++) {
      Integer id = frameIds.get(frameKeys.get(i));
      if (id == null) {
        return StackHandle.NONE;
      }
      ids[i] = id;
    }
    Integer slot = index.get(new Record(ids));
    return slot == null ? StackHandle.NONE : StackHandle.pack(slot, generations[slot]);
  }

  /** The frame keys of a stack, innermost first. */
  public synchronized List<String> frames(int handle) {
    int[] ids = records[checkedSlot(handle)].frames;
    String[] out = new String[ids.length];
    for (int i = 0; i < ids.length; i++) {
      out[i] = frameStrings.get(ids[i]);
    }
    return List.of(out);
  }

  /** Whether the handle names a stack in use now. */
  public synchronized boolean contains(int handle) {
    int slot = StackHandle.slot(handle);
    return handle != StackHandle.NONE && slot < highWater && records[slot] != null
        && (generations[slot] & 0xFF) == StackHandle.generation(handle);
  }

  /** The number of references to a stack. */
  public synchronized int refCount(int handle) {
    return refs[checkedSlot(handle)];
  }

  /** The counters. */
  public synchronized DepotStats stats() {
    long stacks = 0;
    long stored = 0;
    long referenced = 0;
    long bytes = 0;
    for (int s = 0; s < highWater; s++) {
      Record r = records[s];
      if (r != null) {
        stacks++;
        stored += r.frames.length;
        referenced += (long) refs[s] * r.frames.length;
        // int[] (16-byte header, 8-byte aligned) + Record (24) + HashMap node and boxed slot (~48)
        bytes += 16 + ((4L * r.frames.length + 7) & ~7L) + 24 + 48;
      }
    }
    long distinct = 0;
    for (int id = 0; id < frameStrings.size(); id++) {
      String f = frameStrings.get(id);
      if (f != null) {
        distinct++;
        bytes += 40 + f.length() + 48; // String + byte[] (Latin-1) + map node
      }
    }
    bytes += 13L * records.length + 4L * frameRefs.length; // slot arrays
    return new DepotStats(stacks, stored, referenced, distinct, bytes, allocations, frees,
        allocations - frees, freeSlots.size());
  }

  /** Calls {@code visitor} for each stack in use, in slot order. */
  public synchronized void forEach(StackVisitor visitor) {
    for (int s = 0; s < highWater; s++) {
      if (records[s] != null) {
        visitor.visit(StackHandle.pack(s, generations[s]), refs[s], frames(StackHandle.pack(s, generations[s])));
      }
    }
  }

  /** Receives the stacks of {@link #forEach}. */
  @FunctionalInterface
  public interface StackVisitor {
    void visit(int handle, int refCount, List<String> frameKeys);
  }

  // ---- restoring (DepotFile and rebuilding from the store) ----

  /**
   * A depot holding exactly the given stacks at the given handles with the given reference counts:
   * how the store rebuilds its depot from the handles and frames its documents record.
   *
   * @param allocationsSoFar the lifetime allocation count the store recorded with its commit, or -1 when
   *     it has none: the documents only hold the stacks in use, not the ones freed before
   * @throws IllegalStateException if two handles share a slot or two handles hold one stack
   */
  public static StackDepot restored(Map<Integer, List<String>> framesByHandle, Map<Integer, Integer> refCounts,
      long allocationsSoFar) {
    StackDepot d = new StackDepot();
    for (var e : framesByHandle.entrySet()) {
      d.restore(e.getKey(), refCounts.getOrDefault(e.getKey(), 0), e.getValue());
    }
    byte[] gens = d.generationsSnapshot();
    long allocations = Math.max(allocationsSoFar, framesByHandle.size());
    d.finishRestore(allocations, allocations - framesByHandle.size(), gens);
    return d;
  }

  /** How many stacks were ever allocated (the store records it with each commit, to rebuild the depot). */
  public synchronized long allocationsCount() {
    return allocations;
  }

  /**
   * Puts a stack at exactly the given handle with the given reference count; used to rebuild a depot
   * whose handles are already recorded elsewhere. Slots in between stay free.
   *
   * @throws IllegalStateException if the slot is in use or the stack is already stored elsewhere
   */
  synchronized void restore(int handle, int refCount, List<String> frameKeys) {
    int slot = StackHandle.slot(handle);
    if (handle == StackHandle.NONE || refCount <= 0 || frameKeys.isEmpty()) {
      throw new IllegalStateException("bad stack record " + StackHandle.format(handle));
    }
    ensureSlots(slot + 1);
    if (records[slot] != null) {
      throw new IllegalStateException("slot of " + StackHandle.format(handle) + " used twice");
    }
    int[] ids = new int[frameKeys.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = internFrame(frameKeys.get(i));
    }
    Record r = new Record(ids);
    if (index.putIfAbsent(r, slot) != null) {
      throw new IllegalStateException("stack of " + StackHandle.format(handle) + " stored twice");
    }
    records[slot] = r;
    refs[slot] = refCount;
    generations[slot] = (byte) StackHandle.generation(handle);
    highWater = Math.max(highWater, slot + 1);
  }

  /**
   * Finishes a restore: free slots below the high-water mark go on the freelist, with the generations
   * they had (so that handles from before a restart stay stale), and the counters are set.
   */
  synchronized void finishRestore(long allocationsSoFar, long freesSoFar, byte[] freeGenerations) {
    if (freeGenerations != null && freeGenerations.length > highWater) {
      ensureSlots(freeGenerations.length);
      highWater = freeGenerations.length;
    }
    freeSlots.clear();
    for (int s = highWater - 1; s >= 0; s--) {
      if (records[s] == null) {
        if (freeGenerations != null && s < freeGenerations.length) {
          generations[s] = freeGenerations[s];
        }
        freeSlots.push(s);
      }
    }
    this.allocations = allocationsSoFar;
    this.frees = freesSoFar;
  }

  /** The number of stacks in use (for consistency checks). */
  synchronized int size() {
    return index.size();
  }

  /** The raw generation of every slot below the high-water mark (for {@link DepotFile}). */
  synchronized byte[] generationsSnapshot() {
    return Arrays.copyOf(generations, highWater);
  }

  synchronized long freesCount() {
    return frees;
  }

  // ---- internals ----

  private int checkedSlot(int handle) {
    if (!contains(handle)) {
      throw new IllegalArgumentException("no stack " + StackHandle.format(handle) + " in the depot");
    }
    return StackHandle.slot(handle);
  }

  private int allocateSlot() {
    if (!freeSlots.isEmpty()) {
      return freeSlots.pop();
    }
    if (highWater >= StackHandle.MAX_SLOTS) {
      throw new IllegalStateException("stack depot reached its capacity of " + StackHandle.MAX_SLOTS + " stacks");
    }
    ensureSlots(highWater + 1);
    return highWater++;
  }

  private void ensureSlots(int n) {
    if (n <= records.length) {
      return;
    }
    int cap = Math.max(n, records.length * 2);
    records = Arrays.copyOf(records, cap);
    refs = Arrays.copyOf(refs, cap);
    generations = Arrays.copyOf(generations, cap);
  }

  private int internFrame(String key) {
    Objects.requireNonNull(key);
    Integer id = frameIds.get(key);
    if (id == null) {
      if (!freeFrameIds.isEmpty()) {
        id = freeFrameIds.pop();
        frameStrings.set(id, key);
      } else {
        id = frameStrings.size();
        frameStrings.add(key);
        if (id >= frameRefs.length) {
          frameRefs = Arrays.copyOf(frameRefs, frameRefs.length * 2);
        }
      }
      frameIds.put(key, id);
    }
    frameRefs[id]++;
    return id;
  }

  private void releaseFrame(int id) {
    if (--frameRefs[id] == 0) {
      frameIds.remove(frameStrings.get(id));
      frameStrings.set(id, null);
      freeFrameIds.push(id);
    }
  }
}
