package dev.ktriage.grammar.parse;

import java.util.Map;
import java.util.Set;

/**
 * The one place where ktriage's differences from syzkaller's expectations in
 * ../shared/corpus/syzkaller are kept, each with its reason ({@link SyzkallerConformanceTest} fails on
 * a difference that is not here, and on an entry that no longer differs). A reason is either a
 * syzkaller quirk ktriage deliberately does not copy, or a limit of ktriage said plainly.
 */
final class SyzkallerDifferences {
  private SyzkallerDifferences() {} // no instance

  /** A compared field of a record. */
  enum Field {
    /** Whether a crash was found at all. */
    CRASH,
    TITLE,
    ALTS,
    TYPE,
    FRAME,
    CORRUPTED,
    SUPPRESSED
  }

  /** A record that differs: in which fields, and why. */
  record Listed(Set<Field> fields, String reason) {}

  private static Listed in(Set<Field> fields, String reason) {
    return new Listed(fields, reason);
  }

  /**
   * Kinds of {@link SyzkallerConformanceTest#KINDS} whose work has not started, with who takes them:
   * their records may differ without being listed one by one. A kind leaves this map when its
   * engineer starts on it; from then on each of its differences is listed in {@link #LISTED}.
   */
  static final Map<String, String> PENDING_KINDS = Map.of();

  /** Every record of a started kind that differs, by id. */
  static final Map<String, Listed> LISTED = Map.ofEntries(
      // --- faults (h-oops-c)
      Map.entry("44", in(Set.of(Field.CORRUPTED), "the log ends two frames after 'Call Trace:'; syzkaller counts "
          + "the empty piece after the log's last newline as a third line and calls the stack complete, ktriage "
          + "counts printed lines only and marks a trace cut by the end of the log empty-stack (same title)")),
      Map.entry("200", in(Set.of(Field.TITLE, Field.ALTS), "without caller ids, another task's fault-injection "
          + "stack (should_fail, should_failslab) is printed line by line between the GPF's own lines; ktriage blames "
          + "the GPF's RIP (ip6t_do_table), syzkaller a frame of the interleaved allocation stack (__alloc_skb); "
          + "both call the report corrupted (fault injection)")),
      Map.entry("314", in(Set.of(Field.CORRUPTED), "the double fault's first 'Call Trace:' is empty (its frames "
          + "follow the 'Kernel panic - not syncing: Machine halted.' the double fault raises); syzkaller calls the "
          + "report corrupted, ktriage finds the panic's frames within syzkaller's 15-line window and does not "
          + "(same title); not yet understood which check syzkaller fails")),
      Map.entry("554", in(Set.of(Field.TITLE, Field.ALTS), "the faulting pc is kcov's write_comp_data, which "
          + "ktriage's one plumbing table (FrameSkipRules, h-cluster's) drops everywhere because stalled cpus are "
          + "caught there; syzkaller skips it only in stall titles, so it blames write_comp_data and ktriage the "
          + "caller past the kcov frames (do_DataAbort)")),
      Map.entry("197", in(Set.of(Field.CORRUPTED), "without caller ids, a general protection fault from another "
          + "cpu starts before this KASAN report's call trace; syzkaller takes the GPF's call trace as the report's "
          + "and calls it complete, ktriage marks it interrupted-by-oops")),
      Map.entry("225", in(Set.of(Field.CORRUPTED), "without caller ids, a WARNING ('cut here') starts before the "
          + "report's closing rule and the log ends there; syzkaller calls the report complete because its stacks "
          + "were printed, ktriage marks a report cut off by another oops as interrupted-by-oops (same title)")),
      Map.entry("511", in(Set.of(Field.CORRUPTED), "a page fault ('BUG: unable to handle kernel paging request') "
          + "starts in the middle of the report's call trace; syzkaller keeps the frames it saw and calls the "
          + "report complete, ktriage marks it interrupted-by-oops (same title)")),
      Map.entry("697", in(Set.of(Field.TITLE, Field.CORRUPTED), "ktriage's limit: in this arm 'Backtrace:' "
          + "whose frames carry syzbot's symbolized caller positions ('(caller+0x74/0xc4 net/xdp/xsk_queue.c:39)', "
          + "inline lines in between) the recipe finds no frame past the vmalloc skips, so the title says "
          + "corrupted where syzkaller finds xskq_create; not yet understood")),
      Map.entry("1002", in(Set.of(Field.FRAME), "syzkaller's frame is the word after the title's last ' in ', "
          + "'corrupted' for 'INFO: rcu detected stall in corrupted'; ktriage leaves the guilty frame empty when "
          + "no frame was found rather than calling 'corrupted' a function (same title and corrupted flag)")),
      // kmemleak, panic(), mm and fs teardown
      Map.entry("309", in(Set.of(Field.TITLE), "kmemleak backtrace __list_lru_init, sget_userns, sget: syzkaller "
          + "blames sget, so its skip list passes sget_userns too; the spec names the list only in part "
          + "(alloc, kmem, slab, strdup, ...) and ktriage keeps the named entries, no entry made up for one record")));
}
