package dev.ktriage.depot.stack;

/**
 * A snapshot of a {@link StackDepot}'s counters; the last four are the kernel's debugfs
 * {@code /sys/kernel/debug/stackdepot/stats} counters.
 *
 * @param stacks distinct stacks in use
 * @param framesStored frame slots the depot stores (sum of the lengths of the stacks in use)
 * @param frameReferences frames that references hold (sum over stacks of refcount times length): what
 *     storing every report's stacks separately would cost
 * @param distinctFrames distinct frame strings interned
 * @param bytes an estimate of the heap the depot uses
 * @param allocations stacks ever created
 * @param frees stacks ever freed (refcount reached zero)
 * @param inUse allocations minus frees
 * @param freelist slots free for reuse
 */
public record DepotStats(long stacks, long framesStored, long frameReferences, long distinctFrames, long bytes,
    long allocations, long frees, long inUse, long freelist) {

  /** Frame references per frame stored; 1.0 when nothing is shared, 0 for an empty depot. */
  public double dedupRatio() {
    return framesStored == 0 ? 0 : (double) frameReferences / framesStored;
  }
}
