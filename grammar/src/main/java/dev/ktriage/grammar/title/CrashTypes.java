package dev.ktriage.grammar.title;

import dev.ktriage.model.CrashType;
import java.util.List;

/**
 * The crash type of a title (syzkaller's {@code TYPE:}), from the title alone, as syzkaller derives it:
 * the first row whose prefix starts the title (and whose word, when it has one, is in it) gives the
 * type; titles no row knows are {@link CrashType#UNKNOWN}. Rows are checked against
 * ../shared/corpus/syzkaller's TYPE headers by SyzkallerConformanceTest.
 *
 * <p>Immutable and thread-safe.
 */
public final class CrashTypes {
  private CrashTypes() {} // no instance

  /**
   * One rule.
   *
   * @param prefix what the title starts with
   * @param word a word the rest of the title must hold too, or empty
   * @param type the type it gives
   * @param why the reason: what the title names
   */
  public record Row(String prefix, String word, CrashType type, String why) {}

  private static Row row(String prefix, CrashType type, String why) {
    return new Row(prefix, "", type, why);
  }

  private static Row row(String prefix, String word, CrashType type, String why) {
    return new Row(prefix, word, type, why);
  }

  /** The rules, in the order they are tried (more specific before more general). */
  public static final List<Row> ROWS = List.of(
      // --- Sanitizers: the kind and the access direction -----------------------------------------
      row("KASAN: invalid-free", CrashType.KASAN_INVALID_FREE, "double and invalid frees (one title)"),
      row("KASAN: null-ptr-deref", " Write", CrashType.KASAN_NULL_POINTER_DEREFERENCE_WRITE, "a write through NULL"),
      row("KASAN: null-ptr-deref", CrashType.KASAN_NULL_POINTER_DEREFERENCE_READ,
          "a read through NULL; old titles without Read/Write count as reads"),
      row("KASAN: ", "use-after-free Write", CrashType.KASAN_USE_AFTER_FREE_WRITE,
          "use-after-free, slab-use-after-free, vmalloc-use-after-free writes"),
      row("KASAN: ", "use-after-free", CrashType.KASAN_USE_AFTER_FREE_READ,
          "use-after-free reads; the 4.x 'in f at addr X' titles name no direction and count as reads"),
      row("KASAN: ", " Write", CrashType.KASAN_WRITE, "any other bad write (out-of-bounds, wild access)"),
      row("KASAN: ", CrashType.KASAN_READ, "any other bad access: reads, and titles that name no direction"),
      row("KCSAN: assert", CrashType.KCSAN_ASSERT, "ASSERT_EXCLUSIVE_*() found a racing access"),
      row("KCSAN: ", CrashType.KCSAN_DATARACE, "a data race"),
      row("KMSAN: uninit-value", CrashType.KMSAN_UNINIT_VALUE, "a branch or pointer used an uninitialized value"),
      row("KMSAN: kernel-infoleak", CrashType.KMSAN_INFO_LEAK, "uninitialized bytes copied to user space"),
      row("KMSAN: kernel-usb-infoleak", CrashType.KMSAN_INFO_LEAK, "uninitialized bytes sent to a USB device"),
      row("KFENCE: use-after-free write", CrashType.KFENCE_USE_AFTER_FREE_WRITE, "write to a freed KFENCE object"),
      row("KFENCE: use-after-free read", CrashType.KFENCE_USE_AFTER_FREE_READ, "read of a freed KFENCE object"),
      row("KFENCE: out-of-bounds write", CrashType.KFENCE_WRITE, "write to a guard page"),
      row("KFENCE: invalid write", CrashType.KFENCE_WRITE, "write to a KFENCE page outside any object"),
      row("KFENCE: out-of-bounds read", CrashType.KFENCE_READ, "read of a guard page"),
      row("KFENCE: invalid read", CrashType.KFENCE_READ, "read of a KFENCE page outside any object"),
      row("KFENCE: invalid free", CrashType.KFENCE_INVALID_FREE, "free of a pointer KFENCE did not hand out"),
      row("KFENCE: memory corruption", CrashType.KFENCE_MEMORY_CORRUPTION, "the object's canary bytes were changed"),
      row("UBSAN: ", CrashType.UBSAN, "undefined behaviour"),
      // --- Faults the hardware caught -------------------------------------------------------------
      row("BUG: unable to handle kernel paging request", CrashType.MEMORY_SAFETY_BUG,
          "a kernel access to an unmapped address (x86 and arm page faults)"),
      row("BUG: unable to handle kernel NULL pointer dereference", CrashType.NULL_POINTER_DEREFERENCE,
          "a kernel access near address 0"),
      row("BUG: corrupted list", CrashType.MEMORY_SAFETY_BUG, "CONFIG_DEBUG_LIST found broken list pointers"),
      row("BUG: bad usercopy", CrashType.MEMORY_SAFETY_BUG,
          "usercopy hardening stopped a copy outside its object (a memory safety bug by the same reasoning as "
              + "the corrupted list; no syzkaller TYPE sample)"),
      row("general protection fault", CrashType.DOS, "x86 #GP: the cause is not known from the fault alone"),
      row("stack segment fault", CrashType.DOS, "x86 #SS"),
      row("divide error", CrashType.DOS, "x86 #DE"),
      row("invalid opcode", CrashType.DOS, "x86 #UD outside BUG()"),
      row("int3", CrashType.DOS, "x86 #BP"),
      row("PANIC: double fault", CrashType.DOS, "x86 #DF"),
      row("Internal error", CrashType.DOS, "arm/arm64 die()"),
      row("Unhandled fault", CrashType.DOS, "arm unhandled fault"),
      row("Alignment trap", CrashType.DOS, "arm alignment trap"),
      row("kernel panic: ", CrashType.DOS, "panic()"),
      row("kernel stack overflow", CrashType.DOS, "the kernel stack ran out"),
      row("BUG: Object already free", CrashType.DOS, "SLUB debug found a double free in its own metadata"),
      row("VFS: Busy inodes", CrashType.DOS, "inodes still in use at unmount"),
      row("VFS: Close: file count is", CrashType.DOS, "a file closed more often than opened"),
      row("unregister_netdevice: waiting for", CrashType.DOS, "a leaked netdevice reference blocks unregistering"),
      row("trusty: ", CrashType.DOS, "the Trusty TEE asserted or panicked"),
      row("go runtime error", CrashType.DOS, "the fuzzer's Go runtime failed"),
      row("kernel BUG", CrashType.BUG, "BUG_ON()"),
      row("memory leak", CrashType.LEAK, "kmemleak"),
      row("unexpected kernel reboot", CrashType.REBOOT, "the machine booted again without an oops"),
      row("SYZFAIL: ", CrashType.SYZ_FAILURE, "the fuzzer's executor failed"),
      row("SYZFATAL: ", CrashType.SYZ_FAILURE, "the fuzzer's executor failed"),
      // --- Locking, scheduling ---------------------------------------------------------------------
      row("possible deadlock", CrashType.LOCKDEP, "lockdep: circular, recursive or irq-inversion locking"),
      row("inconsistent lock state", CrashType.LOCKDEP, "lockdep: a lock taken with and without irqs enabled"),
      row("WARNING: suspicious RCU usage in", CrashType.LOCKDEP, "lockdep's RCU checks"),
      row("WARNING: bad unlock balance", CrashType.LOCKDEP, "lockdep: unlock of a lock not held"),
      row("WARNING: held lock freed", CrashType.LOCKDEP, "lockdep: memory freed with a lock in it held"),
      row("WARNING: lock held when returning", CrashType.LOCKDEP, "lockdep: a lock held on return to user space"),
      row("WARNING: nested lock was not taken", CrashType.LOCKDEP, "lockdep: nest_lock not held"),
      row("WARNING: locking bug", CrashType.LOCKDEP, "lockdep's own WARNINGs (kernel/locking/lockdep.c)"),
      row("WARNING: still has locks held", CrashType.LOCKDEP, "lockdep: a task exits holding locks"),
      row("BUG: bad unlock balance", CrashType.LOCKDEP, "lockdep (older wording)"),
      row("BUG: held lock freed", CrashType.LOCKDEP, "lockdep (older wording)"),
      row("BUG: still has locks held", CrashType.LOCKDEP, "lockdep (older wording)"),
      row("BUG: spinlock ", CrashType.LOCKDEP, "spinlock debugging"),
      row("BUG: rwlock ", CrashType.LOCKDEP, "rwlock debugging"),
      row("BUG: using __this_cpu_", CrashType.LOCKDEP, "a per-cpu access in preemptible code"),
      row("BUG: using smp_processor_id()", CrashType.LOCKDEP, "smp_processor_id() in preemptible code"),
      row("BUG: scheduling while atomic", CrashType.ATOMIC_SLEEP, "schedule() in atomic context"),
      row("BUG: sleeping function called from invalid context", CrashType.ATOMIC_SLEEP, "might_sleep() in atomic context"),
      row("WARNING: refcount bug", CrashType.REFCOUNT_WARNING, "lib/refcount.c saturation and underflow"),
      row("INFO: task hung", CrashType.HANG, "the hung task detector"),
      row("INFO: task can't die", CrashType.HANG, "the hung task detector: a killed task does not exit"),
      row("INFO: rcu detected stall", CrashType.HANG, "the RCU stall detector"),
      row("BUG: soft lockup", CrashType.HANG, "the soft lockup detector"),
      // --- WARNINGs (after the lockdep and refcount ones) ------------------------------------------
      row("WARNING: kernel stack", CrashType.UNKNOWN, "the unwinder's complaints about the stack it walks"),
      row("WARNING in ", CrashType.WARNING, "WARN()"),
      row("WARNING: ", CrashType.WARNING, "WARN() of a known kind (ODEBUG, kmalloc, kobject, ...) or a corrupted one"));

  /** The type of a crash titled {@code title}. */
  public static CrashType of(String title) {
    for (Row r : ROWS) {
      if (title.startsWith(r.prefix()) && (r.word().isEmpty() || title.indexOf(r.word(), r.prefix().length()) >= 0)) {
        return r.type();
      }
    }
    return CrashType.UNKNOWN;
  }
}
