package dev.ktriage.grammar.title;

import dev.ktriage.model.Frame;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import dev.ktriage.model.StackRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The source file to blame for a symbolized report, the way syzbot picks it to find maintainers:
 * the first C file named in the report (the header's, then each stack's frames in printed order,
 * inlined callees before the frame they were inlined into) that is not generic infrastructure (see
 * {@link #IGNORED}), then a deeper file in the same directory if a later frame names one
 * ({@code fs/super.c} then {@code fs/ntfs3/super.c}: the filesystem is the better guess).
 *
 * <p>Only C files ({@code .c}, {@code .h}) count, as in syzkaller: assembler entry code is never
 * guilty. Stateless and thread-safe.
 */
public final class GuiltyFiles {

  private record Ignore(Predicate<String> test, String why) {}

  private static Ignore prefix(String p, String why) {
    return new Ignore(f -> f.startsWith(p), why);
  }

  private static Ignore exact(String p, String why) {
    return new Ignore(f -> f.equals(p), why);
  }

  // arch/<any>/<rest>
  private static Ignore arch(String rest, String why) {
    return new Ignore(f -> {
      if (!f.startsWith("arch/")) {
        return false;
      }
      int slash = f.indexOf('/', 5);
      return slash > 0 && f.startsWith(rest, slash + 1);
    }, why);
  }

  /** Files that show up in most reports without being the bug. */
  static final List<Ignore> IGNORED = List.of(
      new Ignore(f -> f.endsWith(".h"), "headers: inline helpers, the caller's file is the bug's"),
      prefix("lib/", "generic library code (lists, strings, dump_stack)"),
      prefix("virt/lib/", "generic library code"),
      prefix("mm/kasan/", "the sanitizer"),
      prefix("mm/kmsan/", "the sanitizer"),
      exact("kernel/kcov.c", "coverage callbacks"),
      prefix("mm/slab", "the slab allocators and their common code (slab.c, slab_common.c)"),
      exact("mm/slub.c", "the slab allocator"),
      exact("mm/slob.c", "the slab allocator"),
      exact("mm/filemap.c", "page cache plumbing"),
      exact("mm/folio-compat.c", "page cache plumbing"),
      exact("mm/truncate.c", "page cache plumbing"),
      exact("mm/memory.c", "page fault plumbing"),
      prefix("mm/percpu", "per-cpu allocator"),
      exact("mm/vmalloc.c", "vmalloc"),
      exact("mm/page_alloc.c", "page allocator"),
      exact("mm/mempool.c", "mempools"),
      exact("mm/util.c", "allocation helpers (kstrdup, memdup_user)"),
      prefix("kernel/rcu/", "RCU callbacks run other code"),
      arch("kernel/traps.c", "trap handling"),
      arch("kernel/unwind", "unwinders"),
      arch("mm/fault.c", "page fault handling"),
      arch("mm/physaddr.c", "address checks"),
      arch("kernel/stacktrace.c", "stack walking"),
      arch("kernel/apic/apic.c", "interrupt entry"),
      arch("lib/crc", "checksums: the caller passed the buffer"),
      prefix("arch/arm64/kernel/entry", "arm64 exception entry"),
      exact("arch/arm64/kernel/process.c", "arm64 task switching"),
      prefix("kernel/locking/", "locking"),
      exact("kernel/panic.c", "panic and warn"),
      new Ignore(f -> f.startsWith("kernel/printk/printk") && f.endsWith(".c"), "printing"),
      exact("kernel/softirq.c", "softirq dispatch"),
      exact("kernel/kthread.c", "kernel thread start"),
      new Ignore(f -> f.startsWith("kernel/sched/") && f.endsWith(".c"), "the scheduler"),
      exact("kernel/stacktrace.c", "stack saving"),
      exact("kernel/time/timer.c", "timer dispatch"),
      exact("kernel/workqueue.c", "work dispatch"),
      exact("net/core/dev.c", "packet dispatch"),
      exact("net/core/sock.c", "socket plumbing"),
      exact("net/core/skbuff.c", "skb plumbing"),
      exact("fs/proc/generic.c", "procfs registration"),
      prefix("trusty/", "Trusty sources are not in the kernel tree"),
      exact("drivers/usb/core/urb.c", "a warning in urb.c is usually the driver's bug"));

  /** The file to blame, if the report names any source file. */
  public Optional<String> guiltyFile(Report report) {
    List<String> files = files(report);
    if (files.isEmpty()) {
      return Optional.empty();
    }
    int at = -1;
    for (int i = 0; i < files.size(); i++) {
      if (!ignored(files.get(i))) {
        at = i;
        break;
      }
    }
    if (at < 0) {
      return Optional.of(files.get(0)); // better a generic file than none: someone gets the report
    }
    String guilty = files.get(at);
    String dir = dir(guilty);
    for (int i = at + 1; i < files.size(); i++) {
      String f = files.get(i);
      if (ignored(f) || !f.startsWith(dir + "/")) {
        continue;
      }
      String rest = f.substring(dir.length() + 1);
      if (rest.indexOf('/') > 0) { // a subdirectory of the guilty file's directory
        guilty = f;
        dir = dir(f);
      }
    }
    return Optional.of(guilty);
  }

  static boolean ignored(String file) {
    for (Ignore i : IGNORED) {
      if (i.test().test(file)) {
        return true;
      }
    }
    return false;
  }

  private static String dir(String f) {
    int slash = f.lastIndexOf('/');
    return slash < 0 ? "" : f.substring(0, slash);
  }

  // C files in printed order: the header's, the access stack's, then the other stacks'.
  private static List<String> files(Report r) {
    List<String> out = new ArrayList<>();
    headerFile(r.header()).ifPresent(out::add);
    List<Stack> ordered = new ArrayList<>();
    r.stack(StackRole.ACCESS).ifPresent(ordered::add);
    for (Stack s : r.stacks()) {
      if (s.role() != StackRole.ACCESS) {
        ordered.add(s);
      }
    }
    for (Stack s : ordered) {
      for (Frame f : s.frames()) {
        for (InlinedFrame i : f.inlined()) {
          i.location().map(l -> clean(l.file())).filter(GuiltyFiles::isC).ifPresent(out::add);
        }
        f.location().map(l -> clean(l.file())).filter(GuiltyFiles::isC).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * The C source file a report's header line names with a line number, cleaned as frames' files are:
   * {@code net/ipv6/ip6_output.c} in {@code BUG: KASAN: use-after-free in f+0x1/0x2
   * net/ipv6/ip6_output.c:1748}, {@code fs/ext4/xattr.c} in {@code WARNING: fs/ext4/xattr.c:1058 at ...},
   * {@code mm/slub.c} in {@code kernel BUG at mm/slub.c:3912!}.
   */
  public static Optional<String> headerFile(String header) {
    for (String word : header.split(" ")) {
      String w = stripTrailing(word, "!,;");
      int colon = w.lastIndexOf(':');
      if (colon > 0 && colon < w.length() - 1) {
        String f = clean(w.substring(0, colon));
        if (isC(f) && w.substring(colon + 1).chars().allMatch(Character::isDigit)) {
          return Optional.of(f);
        }
      }
    }
    return Optional.empty();
  }

  // "fs/x.c:12!" ends a kernel BUG's header; "fs/x.c:12," an old WARNING's with a comma after the line.
  private static String stripTrailing(String word, String chars) {
    int end = word.length();
    while (end > 0 && chars.indexOf(word.charAt(end - 1)) >= 0) {
      end--;
    }
    return word.substring(0, end);
  }

  private static boolean isC(String f) {
    return f.endsWith(".c") || f.endsWith(".h");
  }

  // "./fs/x.c" and "fs//x.c" are "fs/x.c".
  private static String clean(String f) {
    String s = f.replace("//", "/");
    while (s.startsWith("./")) {
      s = s.substring(2);
    }
    if (s.startsWith("(")) {
      s = s.substring(1);
    }
    return s;
  }
}
