package dev.ktriage.depot.stack;

/**
 * A reference to one stack in a {@link StackDepot}: a slot index and the slot's generation packed in
 * an int, like the kernel's {@code depot_stack_handle_t} packs pool, offset and extra bits.
 *
 * <p>The generation (8 bits) makes a handle to a freed and reused slot detectably stale instead of
 * silently naming another stack. {@code 0} is never a valid handle (the kernel's "no stack").
 */
public final class StackHandle {
  private StackHandle() {} // no instance

  /** No stack. */
  public static final int NONE = 0;

  static final int SLOT_BITS = 24;
  /** Slots are numbered from 1 so that no handle is 0. */
  static final int MAX_SLOTS = (1 << SLOT_BITS) - 1;

  static int pack(int slot, int generation) {
    return ((generation & 0xFF) << SLOT_BITS) | (slot + 1);
  }

  static int slot(int handle) {
    return (handle & MAX_SLOTS) - 1;
  }

  static int generation(int handle) {
    return (handle >>> SLOT_BITS) & 0xFF;
  }

  /** The handle as printed in {@code explain} output and stored in the index: {@code 0x01000a2f}. */
  public static String format(int handle) {
    return String.format(java.util.Locale.ROOT, "0x%08x", handle);
  }
}
