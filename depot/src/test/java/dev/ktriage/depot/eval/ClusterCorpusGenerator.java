package dev.ktriage.depot.eval;

import dev.ktriage.depot.eval.BugCatalog.Bug;
import dev.ktriage.depot.eval.BugCatalog.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Prints the labeled clustering corpus: console logs in the kernel's real formats, each report an
 * instance of a {@link BugCatalog} bug, and a label file naming the bug of every report.
 *
 * <p>What varies between reports of one bug, and must never split it: addresses, KASLR base, PIDs,
 * tasks, CPUs, timestamps, access direction, KASAN bug type (tag modes), kernel release and
 * clone suffixes ({@code .isra.N}), the console format (caller ids or not, {@code <TASK>} markers or
 * not, 4.x-style {@code [<addr>]} frames with {@code ?} noise), x86_64 or arm64 syscall entry,
 * symbolized or not, inlining of marked functions, interleaving with another report by printk caller
 * id, callers below the guilty path, alloc and free paths, and the task an interrupt hit. What must
 * split: a different bug of the catalog, including those sharing a title or a guilty frame.
 *
 * <p>What a bug keeps, as on real kernels: one build prints one function at one size, and one bug's
 * faulting instruction at one offset with one access size; another build (release, inlining, clone
 * suffixes) lays the code out anew, so offsets and sizes change with it, even where two builds print
 * the same {@code release #0}.
 *
 * <p>Run {@code main} with the output directory ({@code testdata/clusters}); the output is a pure
 * function of {@link #SEED} and the catalog, which {@code ClusterCorpusTest} checks.
 */
public final class ClusterCorpusGenerator {
  /** The seed of the committed corpus. */
  public static final long SEED = 20261122L;
  static final int LOGS = 80;

  private final SplittableRandom rnd;
  private final Map<String, String> files = new LinkedHashMap<>();
  private final StringBuilder labels = new StringBuilder();

  private final int logs;

  /** A generator of the committed corpus's size. */
  public ClusterCorpusGenerator(long seed) {
    this(seed, LOGS);
  }

  /** A generator of {@code logs} logs (the benchmark uses many). */
  public ClusterCorpusGenerator(long seed, int logs) {
    this.rnd = new SplittableRandom(seed);
    this.logs = logs;
  }

  public static void main(String[] args) throws IOException {
    Path out = Path.of(args.length > 0 ? args[0] : "testdata/clusters");
    Map<String, String> files = new ClusterCorpusGenerator(SEED).generate();
    for (var e : files.entrySet()) {
      Path p = out.resolve(e.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, e.getValue(), StandardCharsets.UTF_8);
    }
  }

  /** Every file of the corpus by relative path: {@code logs/NNN.log} and {@code labels.tsv}. */
  public Map<String, String> generate() {
    labels.append("# log\tordinal\tbug   (ordinal: 0-based index of the report in its log, in order of header lines)\n");
    for (int log = 0; log < logs; log++) {
      generateLog(String.format(Locale.ROOT, "logs/%03d.log", log));
    }
    files.put("labels.tsv", labels.toString());
    return files;
  }

  // ---------------------------------------------------------------- one log

  private enum Style { MODERN, TIMESTAMPS, OLD }

  private record Build(String release, boolean inlines, int suffixSalt) {}

  private static final String[] RELEASES = {
    "6.1.0-rc3-syzkaller", "6.6.0-syzkaller-00123-g2dde18cd1d8f", "6.8.0-rc1-next-20240115", "5.15.120-syzkaller",
    "6.10.0-rc4-00021-gabc123def456",
  };

  private void generateLog(String name) {
    Style style = pick(Style.values(), 0.55, 0.3, 0.15);
    Build build = new Build(RELEASES[rnd.nextInt(RELEASES.length)], rnd.nextBoolean(), rnd.nextInt(4));
    boolean arm64 = style != Style.OLD && rnd.nextInt(6) == 0;
    boolean symbolized = style != Style.OLD && rnd.nextInt(3) == 0;
    int reports = 2 + rnd.nextInt(6);
    double t = 10 + rnd.nextDouble() * 5000;
    List<String> lines = new ArrayList<>();
    int ordinal = 0;
    for (int i = 0; i < reports; i++) {
      // boot noise between reports
      for (int k = rnd.nextInt(4); k > 0; k--) {
        lines.add(prefix(style, t += rnd.nextDouble(), "T" + (1 + rnd.nextInt(9000))) + NOISE[rnd.nextInt(NOISE.length)]);
      }
      Bug a = BugCatalog.BUGS.get(rnd.nextInt(BugCatalog.BUGS.size()));
      boolean interleave = style == Style.MODERN && i + 1 < reports && rnd.nextInt(5) == 0;
      Ctx ca = new Ctx(style, build, arm64, symbolized, t);
      List<String> ra = report(a, ca);
      if (interleave) {
        Bug b = BugCatalog.BUGS.get(rnd.nextInt(BugCatalog.BUGS.size()));
        Ctx cb = new Ctx(style, build, arm64, symbolized, t);
        List<String> rb = report(b, cb);
        // b's header comes after a's, so b is the later report in log order
        int ia = 0;
        int ib = 0;
        List<String> merged = new ArrayList<>();
        while (ia < ra.size() || ib < rb.size()) {
          boolean takeA = ib >= rb.size() || (ia < ra.size() && (ib < 2 ? ia < 3 || rnd.nextBoolean() : rnd.nextBoolean()));
          merged.add(takeA ? ra.get(ia++) : rb.get(ib++));
        }
        lines.addAll(stamp(merged, style, t));
        t += 0.5;
        labels.append(name).append('\t').append(ordinal++).append('\t').append(a.id()).append('\n');
        labels.append(name).append('\t').append(ordinal++).append('\t').append(b.id()).append('\n');
        i++;
      } else {
        lines.addAll(stamp(ra, style, t));
        labels.append(name).append('\t').append(ordinal++).append('\t').append(a.id()).append('\n');
      }
      t += 1 + rnd.nextDouble() * 300;
    }
    files.put(name, String.join("\n", lines) + "\n");
  }

  private static final String[] NOISE = {
    "audit: type=1400 audit(1700000000.123:42): avc:  denied  { read } for  pid=123 comm=\"syz-executor\"",
    "EXT4-fs (loop0): mounted filesystem without journal. Quota mode: none.",
    "netlink: 4 bytes leftover after parsing attributes in process `syz-executor.2'.",
    "loop0: detected capacity change from 0 to 1024",
    "device veth0_vlan entered promiscuous mode",
    "usb 1-1: new high-speed USB device number 2 using dummy_hcd",
  };

  /** A report's lines carry their caller id in a tab-separated prefix until {@link #stamp}. */
  private List<String> stamp(List<String> tagged, Style style, double t) {
    List<String> out = new ArrayList<>();
    double ts = t;
    for (String l : tagged) {
      int tab = l.indexOf('\t');
      ts += 0.000011 * (1 + rnd.nextInt(3));
      out.add(prefix(style, ts, l.substring(0, tab)) + l.substring(tab + 1));
    }
    return out;
  }

  private static String prefix(Style style, double t, String caller) {
    String ts = String.format(Locale.ROOT, "[%12.6f]", t);
    return switch (style) {
      case MODERN -> ts + String.format(Locale.ROOT, "[%6s] ", caller);
      case TIMESTAMPS, OLD -> ts + " ";
    };
  }

  // ---------------------------------------------------------------- one report

  private final class Ctx {
    final Style style;
    final Build build;
    final boolean arm64;
    final boolean symbolized;
    final int pid = 2 + rnd.nextInt(30000);
    final int cpu = rnd.nextInt(4);
    final String comm = COMMS[rnd.nextInt(COMMS.length)].replace("N", Integer.toString(rnd.nextInt(6)));
    final String caller;
    final long kaslr = 0xffffffff81000000L + ((long) rnd.nextInt(256) << 21);
    /** The bug being printed: its code paths' offsets are its own (another bug faults elsewhere). */
    int code;

    Ctx(Style style, Build build, boolean arm64, boolean symbolized, double t) {
      this.style = style;
      this.build = build;
      this.arm64 = arm64;
      this.symbolized = symbolized;
      this.caller = "T" + pid;
    }
  }

  private static final String[] COMMS = {"syz-executor.N", "syz.N.123", "syz-executorN", "kworker/u4:N", "repro"};

  private List<String> report(Bug bug, Ctx c) {
    c.code = bug.id().hashCode();
    List<String> out = new ArrayList<>();
    String sep = "==================================================================";
    out.add(c.caller + "\t" + sep);
    if (bug.kind() == Kind.KASAN) {
      kasan(bug, c, out);
    } else {
      kcsan(bug, c, out);
    }
    out.add(c.caller + "\t" + sep);
    return out;
  }

  private void kasan(Bug bug, Ctx c, List<String> out) {
    String type = bug.types().get(rnd.nextInt(bug.types().size()));
    boolean freeBug = type.equals("double-free") || type.contains("invalid-free");
    boolean tags = c.arm64 && !freeBug && rnd.nextBoolean();
    if (tags && rnd.nextBoolean()) {
      type = "invalid-access"; // what HW-tags KASAN prints when the stack ring has no answer
    }
    boolean write = !freeBug && rnd.nextInt(3) == 0;
    int size = new int[] {1, 2, 4, 8, 8, 8, 16, 32}[Math.floorMod(bug.id().hashCode(), 8)]; // the instruction's
    long addr = 0xffff888000000000L + ((long) rnd.nextInt(1 << 28) << 4) + rnd.nextInt(16);
    List<String> access = withTail(bug.access(), bug.tails());
    List<Fr> frames = frames(withEntry(access, c), c, bug.module());
    String guilty = frames.stream().filter(f -> !f.inlined).findFirst().map(f -> f.name).orElse("?");
    String task = c.comm + "/" + c.pid;
    String fn = guilty + offset(guilty, c);
    String[] header = freeBug
        ? new String[] {"BUG: KASAN: " + type + " in " + fn}
        : new String[] {"BUG: KASAN: " + type + " in " + fn,
            tags ? String.format(Locale.ROOT, "%s at addr %016x by task %s", write ? "Write" : "Read",
                    (addr & 0x00ffffffffffffffL) | 0xf2_00000000000000L, task)
                : String.format(Locale.ROOT, "%s of size %d at addr %016x by task %s", write ? "Write" : "Read",
                    size, addr, task)};
    if (freeBug) {
      header = new String[] {header[0], String.format(Locale.ROOT, "Free of addr %016x by task %s", addr, task)};
    }
    for (String h : header) {
      out.add(c.caller + "\t" + h);
    }
    if (tags) {
      out.add(c.caller + "\tPointer tag: [f2], memory tag: [fe]");
    }
    out.add(c.caller + "\t");
    out.add(c.caller + "\t" + cpuLine(c));
    out.add(c.caller + "\tHardware name: " + (c.arm64 ? "linux,dummy-virt (DT)"
        : "QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.0-debian-1.16.0-5 04/01/2014"));
    out.add(c.caller + "\t" + (c.arm64 ? "Call trace:" : "Call Trace:"));
    List<Fr> top = new ArrayList<>();
    if (c.arm64) {
      for (String f : List.of("dump_backtrace", "show_stack", "__dump_stack", "dump_stack_lvl",
          "print_address_description", "print_report", "kasan_report")) {
        top.add(new Fr(f, false, ""));
      }
      if (tags) {
        for (String f : List.of("__do_kernel_fault", "do_bad_area", "do_tag_check_fault", "do_mem_abort", "el1_abort",
            "el1h_64_sync_handler", "el1h_64_sync")) {
          top.add(new Fr(f, false, ""));
        }
      } else {
        top.add(new Fr("__asan_load" + size, false, ""));
      }
    } else if (c.style == Style.OLD) {
      for (String f : List.of("__dump_stack", "dump_stack", "print_address_description", "kasan_report",
          "__asan_report_" + (write ? "store" : "load") + size + "_noabort")) {
        top.add(new Fr(f, false, ""));
      }
    } else {
      for (String f : List.of("__dump_stack", "dump_stack_lvl", "print_address_description.constprop.0", "print_report",
          "kasan_report")) {
        top.add(new Fr(f, f.equals("__dump_stack"), ""));
      }
      if (freeBug) {
        top.add(new Fr("kasan_report_invalid_free", false, ""));
        top.add(new Fr("____kasan_slab_free", false, ""));
        top.add(new Fr("slab_free_hook", true, ""));
        top.add(new Fr("kmem_cache_free", false, ""));
      }
    }
    List<Fr> all = new ArrayList<>(top);
    all.addAll(frames);
    printTrace(all, c, out, bug.irq(), true);
    out.add(c.caller + "\t");
    if (!bug.alloc().isEmpty()) {
      out.add(c.caller + "\t" + originLine("Allocated", c));
      List<String> alloc = new ArrayList<>(List.of("kasan_save_stack", "kasan_set_track", "__kasan_kmalloc", "__kmalloc"));
      alloc.addAll(bug.alloc().get(rnd.nextInt(bug.alloc().size())));
      printTrace(frames(withEntry(alloc, c), c, bug.module()), c, out, false, false);
      out.add(c.caller + "\t");
    }
    if (!bug.free().isEmpty() && !type.contains("out-of-bounds") && rnd.nextInt(10) > 0) {
      out.add(c.caller + "\t" + originLine("Freed", c));
      List<String> free = new ArrayList<>(List.of("kasan_save_stack", "kasan_set_track", "kasan_save_free_info",
          "____kasan_slab_free", "slab_free_hook", "__kmem_cache_free", "kfree"));
      free.addAll(bug.free().get(rnd.nextInt(bug.free().size())));
      printTrace(frames(withEntry(free, c), c, bug.module()), c, out, false, false);
      out.add(c.caller + "\t");
    }
    long obj = addr & ~0xffL;
    out.add(c.caller + "\t" + String.format(Locale.ROOT, "The buggy address belongs to the object at %016x", obj));
    out.add(c.caller + "\t which belongs to the cache kmalloc-256 of size 256");
    out.add(c.caller + "\t" + String.format(Locale.ROOT, "The buggy address is located %d bytes inside of", addr - obj));
    out.add(c.caller + "\t" + String.format(Locale.ROOT, " freed 256-byte region [%016x, %016x)", obj, obj + 256));
    out.add(c.caller + "\t");
    out.add(c.caller + "\tMemory state around the buggy address:");
    out.add(c.caller + "\t" + String.format(Locale.ROOT, " %016x: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb", obj - 0x80));
    out.add(c.caller + "\t" + String.format(Locale.ROOT, ">%016x: fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb fb", obj));
    out.add(c.caller + "\t                      ^");
  }

  private void kcsan(Bug bug, Ctx c, List<String> out) {
    List<String> s1 = withEntry(withTail(bug.access(), bug.tails()), c);
    boolean unknown = bug.race2().isEmpty();
    List<String> s2 = unknown ? List.of() : withEntry(withTail(bug.race2(), bug.race2Tails()), c);
    List<Fr> f1 = frames(s1, c, bug.module());
    List<Fr> f2 = frames(s2, c, bug.module());
    String n1 = f1.stream().filter(f -> !f.inlined).findFirst().map(f -> f.name).orElse("?");
    String n2 = f2.stream().filter(f -> !f.inlined).findFirst().map(f -> f.name).orElse("?");
    // the kernel sorts the header's pair (kernel/kcsan/report.c); which access is printed first is timing
    String h = unknown ? "BUG: KCSAN: data-race in " + n1
        : "BUG: KCSAN: data-race in " + (n1.compareTo(n2) <= 0 ? n1 + " / " + n2 : n2 + " / " + n1);
    out.add(c.caller + "\t" + h);
    out.add(c.caller + "\t");
    long addr = 0xffff888000000000L + ((long) rnd.nextInt(1 << 28) << 3);
    int size = new int[] {4, 8, 8, 1}[Math.floorMod(bug.id().hashCode(), 4)]; // the racing instructions'
    int otherPid = 2 + rnd.nextInt(30000);
    boolean swap = !unknown && rnd.nextBoolean();
    List<Fr> first = swap ? f2 : f1;
    List<Fr> second = swap ? f1 : f2;
    if (unknown) {
      out.add(c.caller + "\t" + String.format(Locale.ROOT,
          "race at unknown origin, with read to 0x%016x of %d bytes by task %d on cpu %d:", addr, size, c.pid, c.cpu));
      printTrace(first, c, out, false, false);
    } else {
      out.add(c.caller + "\t" + String.format(Locale.ROOT, "%s to 0x%016x of %d bytes by task %d on cpu %d:",
          swap ? "write" : "read", addr, size, otherPid, (c.cpu + 1) % 4));
      printTrace(first, c, out, false, false);
      out.add(c.caller + "\t");
      out.add(c.caller + "\t" + String.format(Locale.ROOT, "%s to 0x%016x of %d bytes by task %d on cpu %d:",
          swap ? "read" : "write", addr, size, c.pid, c.cpu));
      printTrace(second, c, out, false, false);
    }
    out.add(c.caller + "\t");
    if (rnd.nextBoolean()) {
      out.add(c.caller + "\t" + String.format(Locale.ROOT, "value changed: 0x%08x -> 0x%08x", rnd.nextInt(1 << 20),
          rnd.nextInt(1 << 20)));
      out.add(c.caller + "\t");
    }
    out.add(c.caller + "\tReported by Kernel Concurrency Sanitizer on:");
    out.add(c.caller + "\t" + cpuLine(c));
    out.add(c.caller + "\tHardware name: Google Google Compute Engine/Google Compute Engine, BIOS Google 10/09/2023");
  }

  private String cpuLine(Ctx c) {
    return String.format(Locale.ROOT, "CPU: %d PID: %d Comm: %s Not tainted %s #0", c.cpu, c.pid, c.comm, c.build.release);
  }

  private String originLine(String what, Ctx c) {
    int pid = 2 + rnd.nextInt(30000);
    return c.style == Style.OLD ? what + " by task " + pid + ":"
        : String.format(Locale.ROOT, "%s by task %d on cpu %d at %.6fs:", what, pid, rnd.nextInt(4), rnd.nextDouble() * 900);
  }

  private List<String> withTail(List<String> path, List<List<String>> tails) {
    List<String> out = new ArrayList<>(path);
    if (!tails.isEmpty()) {
      out.addAll(tails.get(rnd.nextInt(tails.size())));
    }
    return out;
  }

  /** Syscall entry for stacks that end in a syscall, in the report's architecture. */
  private List<String> withEntry(List<String> chain, Ctx c) {
    List<String> out = new ArrayList<>();
    for (String f : chain) {
      out.add(c.arm64 ? f.replace("__x64_sys_", "__arm64_sys_").replace("__ia32_compat_sys_", "__arm64_compat_sys_") : f);
    }
    if (!out.isEmpty() && out.getLast().contains("sys_")) {
      out.addAll(c.arm64
          ? List.of("invoke_syscall", "el0_svc_common.constprop.0", "do_el0_svc", "el0_svc", "el0t_64_sync_handler", "el0t_64_sync")
          : List.of("do_syscall_x64", "do_syscall_64", "entry_SYSCALL_64_after_hwframe"));
    }
    return out;
  }

  private record Fr(String name, boolean inlined, String module) {}

  /** Applies the build: clone suffixes, and inlining of {@code *}-marked functions. */
  private List<Fr> frames(List<String> chain, Ctx c, String module) {
    List<Fr> out = new ArrayList<>();
    for (String raw : chain) {
      boolean maybeInline = raw.endsWith("*");
      String f = maybeInline ? raw.substring(0, raw.length() - 1) : raw;
      if (maybeInline && c.build.inlines()) {
        if (c.symbolized) {
          out.add(new Fr(f, true, module));
        }
        continue;
      }
      if (!f.startsWith("__x64") && !f.startsWith("__arm64") && (f.hashCode() + c.build.suffixSalt()) % 7 == 0) {
        f = f + (c.build.suffixSalt() % 2 == 0 ? ".isra." : ".constprop.") + c.build.suffixSalt();
      }
      out.add(new Fr(f, false, module.isEmpty() || !belongsToModule(f, module) ? "" : module));
    }
    return out;
  }

  private static boolean belongsToModule(String f, String module) {
    return f.startsWith(module);
  }

  /** Prints frames; only the access stack (show_trace_log_lvl) has context markers, not depot stacks. */
  private void printTrace(List<Fr> frames, Ctx c, List<String> out, boolean irq, boolean access) {
    boolean markers = access && c.style != Style.OLD && !c.arm64;
    if (markers) {
      out.add(c.caller + "\t " + (irq ? "<IRQ>" : "<TASK>"));
    }
    for (Fr f : frames) {
      if (c.style == Style.OLD && rnd.nextInt(4) == 0) {
        Bug other = BugCatalog.BUGS.get(rnd.nextInt(BugCatalog.BUGS.size()));
        String noise = other.access().getFirst().replace("*", "");
        out.add(c.caller + "\t" + String.format(Locale.ROOT, " [<%016x>] ? %s%s", address(noise, c), noise, offset(noise, c)));
      }
      if (f.inlined) {
        if (c.symbolized) {
          out.add(c.caller + "\t " + f.name + " " + file(f.name) + ":" + line(f.name, c) + " [inline]");
        }
        continue;
      }
      String mod = f.module.isEmpty() ? "" : " [" + f.module + "]";
      String src = c.symbolized ? " " + file(f.name) + ":" + line(f.name, c) : "";
      out.add(c.caller + "\t " + (c.style == Style.OLD ? String.format(Locale.ROOT, "[<%016x>] ", address(f.name, c)) : "")
          + f.name + offset(f.name, c) + mod + src);
    }
    if (irq) {
      for (String f : List.of("__irq_exit_rcu", "irq_exit_rcu", "sysvec_apic_timer_interrupt")) {
        out.add(c.caller + "\t " + (c.style == Style.OLD ? String.format(Locale.ROOT, "[<%016x>] ", address(f, c)) : "")
            + f + offset(f, c));
      }
      if (markers) {
        out.add(c.caller + "\t </IRQ>");
        out.add(c.caller + "\t <TASK>");
      }
      List<String> interrupted = rnd.nextBoolean()
          ? List.of("asm_sysvec_apic_timer_interrupt", "default_idle", "default_idle_call", "do_idle", "cpu_startup_entry", "start_secondary")
          : List.of("asm_sysvec_apic_timer_interrupt", "finish_task_switch", "__schedule", "schedule", "do_nanosleep",
              "hrtimer_nanosleep", "__x64_sys_clock_nanosleep", "do_syscall_64", "entry_SYSCALL_64_after_hwframe");
      for (String f : interrupted) {
        out.add(c.caller + "\t " + (c.style == Style.OLD ? String.format(Locale.ROOT, "[<%016x>] ", address(f, c)) : "")
            + f + offset(f, c));
      }
    }
    if (markers) {
      out.add(c.caller + "\t </TASK>");
    }
  }

  /**
   * A function's {@code +off/size} in a bug's report: the size is the build's layout, the offset the
   * bug's own instruction or call in that build (the same in every report of the bug on that build).
   */
  private String offset(String f, Ctx c) {
    int size = 0x80 + Math.floorMod(f.hashCode() + layout(c.build), 0x2000);
    int off = 1 + Math.floorMod(f.hashCode() * 31 + layout(c.build) + c.code, size - 1);
    return String.format(Locale.ROOT, "+0x%x/0x%x", off, size);
  }

  private static int layout(Build b) {
    return java.util.Objects.hash(b.release(), b.inlines(), b.suffixSalt());
  }

  private static long address(String f, Ctx c) {
    return c.kaslr + Math.floorMod(f.hashCode(), 0x1000000);
  }

  private static final String[][] DIRS = {
    {"ext4_", "fs/ext4/inode.c"}, {"f2fs_", "fs/f2fs/inode.c"}, {"nilfs_", "fs/nilfs2/btree.c"},
    {"hfsplus_", "fs/hfsplus/bnode.c"}, {"fuse_", "fs/fuse/readdir.c"}, {"io", "fs/aio.c"}, {"tty_", "drivers/tty/tty_ldisc.c"},
    {"n_tty", "drivers/tty/n_tty.c"}, {"tcp_", "net/ipv4/tcp_timer.c"}, {"sk_", "net/core/skmsg.c"},
    {"xfrm_", "net/xfrm/xfrm_policy.c"}, {"nbd_", "drivers/block/nbd.c"}, {"hid_", "drivers/hid/hid-core.c"},
    {"l2cap_", "net/bluetooth/l2cap_core.c"}, {"hci_", "net/bluetooth/hci_core.c"}, {"key", "security/keys/gc.c"},
    {"i_size", "include/linux/fs.h"}, {"vfs_", "fs/read_write.c"}, {"__x64_sys", "fs/read_write.c"},
  };

  private static String file(String f) {
    for (String[] d : DIRS) {
      if (f.startsWith(d[0])) {
        return d[1];
      }
    }
    return "kernel/" + (f.length() > 4 ? f.substring(0, 4).replaceAll("[^a-z]", "x") : "core") + ".c";
  }

  /** The source line of a bug's instruction or call in {@code f}: the bug's own, in every build. */
  private static int line(String f, Ctx c) {
    return 10 + Math.floorMod(f.hashCode() * 31 + c.code, 3000);
  }

  private <T> T pick(T[] values, double... weights) {
    double r = rnd.nextDouble();
    for (int i = 0; i < weights.length; i++) {
      r -= weights[i];
      if (r < 0) {
        return values[i];
      }
    }
    return values[values.length - 1];
  }
}
