package dev.ktriage.depot.signature;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a report says about which bug it is, beside its stacks (built by {@link EvidenceExtractor}):
 * where the bad access was executed, what it touched, and where that object came from.
 *
 * @param build the kernel build that printed the report, {@code 6.1.192 #1} (release and {@code #N} from
 *     the {@code CPU: ... Comm: ...} line); empty when not printed. Offsets are compared only within a build.
 * @param fault the site KASAN's header names ({@code BUG: KASAN: ... in f+0x1a/0x40}), as printed, even
 *     where syzkaller's title rules skip it
 * @param anchor the first site that is evidence, from the fault's frame outwards: the fault itself, or,
 *     when the fault is in plumbing (a string helper, the allocator), the first caller that is not
 * @param caller the first evidence site after the anchor in the access stack
 * @param sides KCSAN's accesses, in printed order (one for a race at unknown origin)
 * @param region what the address belongs to: {@code slab}, {@code page}, {@code global}, {@code stack},
 *     {@code vmalloc}; empty when the report does not say
 * @param cache the slab cache ({@code kmalloc-128}); empty when not a slab object
 * @param objectSize the object's size
 * @param sizeClass the access width ({@code 1}, {@code 2}, {@code 4}, {@code 8}, {@code 16}) or {@code range}
 *     for any other size (a memcpy-style range check, whose length varies with the input); empty when not printed
 * @param alloc the allocation path: the first {@link #PATH} evidence sites of the allocation stack
 * @param free the free path: the first {@link #PATH} evidence sites of the free stack
 */
public record Evidence(String build, Optional<Site> fault, Optional<Site> anchor, Optional<Site> caller,
    List<Side> sides, String region, String cache, OptionalLong objectSize, String sizeClass, List<Site> alloc,
    List<Site> free) {

  /**
   * One KCSAN access: {@code write (marked) to 0x... of 8 bytes by task 1 on cpu 0:} and its stack.
   *
   * @param site the first evidence site of its stack
   * @param op {@code read}, {@code write} or {@code read-write}
   * @param size the bytes accessed
   * @param asserting whether it is an {@code ASSERT_EXCLUSIVE_*()} annotation ({@code (assert no accesses)})
   */
  public record Side(Site site, String op, OptionalLong size, boolean asserting) {
    public Side {
      Objects.requireNonNull(site);
      Objects.requireNonNull(op);
      Objects.requireNonNull(size);
    }
  }

  public Evidence {
    Objects.requireNonNull(build);
    Objects.requireNonNull(fault);
    Objects.requireNonNull(anchor);
    Objects.requireNonNull(caller);
    sides = List.copyOf(sides);
    Objects.requireNonNull(region);
    Objects.requireNonNull(cache);
    Objects.requireNonNull(objectSize);
    Objects.requireNonNull(sizeClass);
    alloc = List.copyOf(alloc);
    free = List.copyOf(free);
  }

  /**
   * Evidence sites kept of an allocation or free stack: the function past the allocator and its caller,
   * enough to tell an object's allocation or free paths apart, few enough that the callers further out
   * (which vary with the syscall or work item that got there) do not.
   */
  public static final int PATH = 2;

  /** No evidence: a report whose stacks are all there is (or a store written before evidence existed). */
  public static Evidence none() {
    return new Evidence("", Optional.empty(), Optional.empty(), Optional.empty(), List.of(), "", "",
        OptionalLong.empty(), "", List.of(), List.of());
  }

  /** Every site it names: fault, anchor, caller, allocation, free and KCSAN's accesses. */
  public List<Site> sites() {
    List<Site> out = new ArrayList<>();
    fault.ifPresent(out::add);
    anchor.ifPresent(out::add);
    caller.ifPresent(out::add);
    out.addAll(alloc);
    out.addAll(free);
    sides.forEach(s -> out.add(s.site()));
    return out;
  }

  /**
   * Whether offsets of this report and another can be compared: both print the same build
   * ({@code release #N}), and no function that both print has another symbol size in one of them. A
   * function printed at another size is from another build whatever the release string says: gcc and
   * clang builds of one tree print the same {@code release #N}.
   */
  public boolean sameBuild(Evidence o) {
    if (!build.equals(o.build)) {
      return false;
    }
    for (Site s : sites()) {
      for (Site t : o.sites()) {
        if (s.function().equals(t.function()) && s.size().isPresent() && t.size().isPresent()
            && s.size().getAsLong() != t.size().getAsLong()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Whether it names a site at all (a KASAN anchor or KCSAN sides). */
  public boolean hasSite() {
    return anchor.isPresent() || !sides.isEmpty();
  }

  // ---- persistence: one line of text, so a store can keep it per report and per exemplar ----

  private static final String VERSION = "e1";
  private static final char FIELD = '\u001f';
  private static final char LIST = '\u001e';
  private static final char SITE = '\u001d';
  private static final char SIDE = '\u001c';

  /** The evidence as one string that {@link #decode} reads back (control characters separate fields). */
  public String encode() {
    StringBuilder b = new StringBuilder(VERSION);
    b.append(FIELD).append(build);
    b.append(FIELD).append(fault.map(Evidence::site).orElse(""));
    b.append(FIELD).append(anchor.map(Evidence::site).orElse(""));
    b.append(FIELD).append(caller.map(Evidence::site).orElse(""));
    b.append(FIELD);
    for (int i = 0; i < sides.size(); i++) {
      Side s = sides.get(i);
      if (i > 0) {
        b.append(LIST);
      }
      b.append(s.op()).append(SIDE).append(num(s.size())).append(SIDE).append(s.asserting() ? "1" : "0")
          .append(SIDE).append(site(s.site()));
    }
    b.append(FIELD).append(region).append(FIELD).append(cache).append(FIELD).append(num(objectSize));
    b.append(FIELD).append(sizeClass);
    b.append(FIELD).append(path(alloc));
    b.append(FIELD).append(path(free));
    return b.toString();
  }

  /** Reads {@link #encode()}'s string; anything else (another version, damage) reads as {@link #none()}. */
  public static Evidence decode(String s) {
    if (s == null || !s.startsWith(VERSION + FIELD)) {
      return none();
    }
    String[] f = s.split(String.valueOf(FIELD), -1);
    if (f.length != 12) {
      return none();
    }
    try {
      List<Side> sides = new ArrayList<>();
      if (!f[5].isEmpty()) {
        for (String side : f[5].split(String.valueOf(LIST), -1)) {
          String[] p = side.split(String.valueOf(SIDE), -1);
          sides.add(new Side(site(p[3]).orElseThrow(), p[0], num(p[1]), p[2].equals("1")));
        }
      }
      return new Evidence(f[1], site(f[2]), site(f[3]), site(f[4]),
          sides, f[6], f[7], num(f[8]), f[9], path(f[10]), path(f[11]));
    } catch (RuntimeException e) { // NumberFormatException, a missing part: damaged, not ours to guess
      return none();
    }
  }

  private static String path(List<Site> sites) {
    StringBuilder b = new StringBuilder();
    for (Site s : sites) {
      if (!b.isEmpty()) {
        b.append(LIST);
      }
      b.append(site(s));
    }
    return b.toString();
  }

  private static List<Site> path(String s) {
    List<Site> out = new ArrayList<>();
    if (!s.isEmpty()) {
      for (String p : s.split(String.valueOf(LIST), -1)) {
        out.add(site(p).orElseThrow());
      }
    }
    return out;
  }

  private static String site(Site s) {
    return s.function() + SITE + s.module().orElse("") + SITE + num(s.offset()) + SITE + num(s.size()) + SITE
        + s.lineFunction() + SITE + s.line();
  }

  private static Optional<Site> site(String s) {
    if (s.isEmpty()) {
      return Optional.empty();
    }
    String[] p = s.split(String.valueOf(SITE), -1);
    return Optional.of(new Site(p[0], p[1].isEmpty() ? Optional.empty() : Optional.of(p[1]), num(p[2]), num(p[3]),
        p[4], p[5]));
  }

  private static String num(OptionalLong v) {
    return v.isPresent() ? Long.toString(v.getAsLong()) : "";
  }

  private static OptionalLong num(String s) {
    return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
  }
}
