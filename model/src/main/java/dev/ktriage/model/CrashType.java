package dev.ktriage.model;

/**
 * What kind of crash a title names, in syzkaller's vocabulary (its {@code TYPE:}): it orders crashes
 * by impact (an invalid free before a use-after-free write before ... a hang) and tells a memory
 * safety bug from a denial of service. Derived from the title alone; {@code
 * dev.ktriage.grammar.title.CrashTypes} holds the table. Stable identifiers: {@link #id()} is
 * syzkaller's spelling.
 */
public enum CrashType {
  KASAN_READ("KASAN-READ"),
  KASAN_WRITE("KASAN-WRITE"),
  KASAN_USE_AFTER_FREE_READ("KASAN-USE-AFTER-FREE-READ"),
  KASAN_USE_AFTER_FREE_WRITE("KASAN-USE-AFTER-FREE-WRITE"),
  KASAN_INVALID_FREE("KASAN-INVALID-FREE"),
  KASAN_NULL_POINTER_DEREFERENCE_READ("KASAN-NULL-POINTER-DEREFERENCE-READ"),
  KASAN_NULL_POINTER_DEREFERENCE_WRITE("KASAN-NULL-POINTER-DEREFERENCE-WRITE"),
  KCSAN_DATARACE("KCSAN-DATARACE"),
  KCSAN_ASSERT("KCSAN-ASSERT"),
  KMSAN_UNINIT_VALUE("KMSAN-UNINIT-VALUE"),
  KMSAN_INFO_LEAK("KMSAN-INFO-LEAK"),
  KFENCE_READ("KFENCE-READ"),
  KFENCE_WRITE("KFENCE-WRITE"),
  KFENCE_USE_AFTER_FREE_READ("KFENCE-USE-AFTER-FREE-READ"),
  KFENCE_USE_AFTER_FREE_WRITE("KFENCE-USE-AFTER-FREE-WRITE"),
  KFENCE_INVALID_FREE("KFENCE-INVALID-FREE"),
  KFENCE_MEMORY_CORRUPTION("KFENCE-MEMORY-CORRUPTION"),
  UBSAN("UBSAN"),
  /** Bad pointers the hardware caught: paging requests, a corrupted list. */
  MEMORY_SAFETY_BUG("MEMORY_SAFETY_BUG"),
  NULL_POINTER_DEREFERENCE("NULL-POINTER-DEREFERENCE"),
  /** {@code BUG_ON()}: {@code kernel BUG at ...}. */
  BUG("BUG"),
  WARNING("WARNING"),
  REFCOUNT_WARNING("REFCOUNT_WARNING"),
  LOCKDEP("LOCKDEP"),
  /** Sleeping in atomic context. */
  ATOMIC_SLEEP("ATOMIC_SLEEP"),
  /** Hung tasks, RCU stalls, soft lockups. */
  HANG("HANG"),
  /** Faults and panics that stop the machine without a known memory-safety cause. */
  DOS("DoS"),
  /** kmemleak's {@code memory leak}. */
  LEAK("LEAK"),
  /** The machine rebooted without printing why. */
  REBOOT("REBOOT"),
  /** The fuzzer's own failures ({@code SYZFAIL:}, {@code SYZFATAL:}). */
  SYZ_FAILURE("SYZ_FAILURE"),
  /** A crash whose kind the title does not tell. */
  UNKNOWN("UNKNOWN");

  private final String id;

  CrashType(String id) {
    this.id = id;
  }

  /** syzkaller's spelling ({@code KASAN-USE-AFTER-FREE-READ}, {@code DoS}). */
  public String id() {
    return id;
  }
}
