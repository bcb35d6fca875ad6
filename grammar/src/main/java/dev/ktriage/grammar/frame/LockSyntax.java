package dev.ktriage.grammar.frame;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The decoder of lockdep's lock lines (kernel/locking/lockdep.c print_lock(), print_lock_name(),
 * print_lock_class_header()): a lock class in parentheses, with an optional address before it, its
 * usage bits and wait types after it, and where it was taken:
 * <pre>
 *   ffff88807c4a2130 (&amp;ovl_i_mutex_dir_key[depth]){++++}-{3:3}, at: ovl_dir_llseek+0xa2/0x560
 *    (sk_lock-AF_INET6){+.+.}, at: [&lt;00000000b6cc6e8a&gt;] lock_sock include/net/sock.h:1463 [inline]
 *    #0: ffff88802b8e8428 (&amp;ovl_dir_file-&gt;mutex){+.+.}-{3:3}, at: ovl_dir_llseek+0x47/0x560
 *    #0:  (&amp;pipe-&gt;mutex/1){+.+.+.}, at: [&lt;ffffffff81844c6b&gt;] pipe_lock+0x5b/0x70
 *   -&gt; #1 (&amp;ovl_dir_file-&gt;mutex){+.+.}-{3:3}:
 *    -&gt; (&amp;fiq-&gt;waitq){+.+.} ops: 16 {
 * </pre>
 * A line is a lock line only if its class is followed by usage bits or by {@code at:}: lockdep's
 * other parenthesized lines ({@code (detected by 0, t=10502 jiffies)}) are not.
 *
 * <p>No regular expressions; stateless and thread-safe.
 */
public final class LockSyntax {
  private LockSyntax() {} // no instance

  /** The lock that {@code body} (its console prefix removed) names, if it is a lock line. */
  public static Optional<DecodedLock> line(String body) {
    int n = body.length();
    int i = blanks(body, 0);
    DecodedLock.Shape shape = DecodedLock.Shape.LOCK;
    OptionalInt index = OptionalInt.empty();
    if (body.startsWith("->", i)) {
      shape = DecodedLock.Shape.CHAIN;
      i = blanks(body, i + 2);
    }
    if (i < n && body.charAt(i) == '#') {
      int j = i + 1;
      int v = 0;
      while (j < n && Character.isDigit(body.charAt(j)) && j - i < 6) {
        v = v * 10 + (body.charAt(j) - '0');
        j++;
      }
      if (j == i + 1 || j >= n || body.charAt(j) != ':' && shape != DecodedLock.Shape.CHAIN) {
        return Optional.empty();
      }
      index = OptionalInt.of(v);
      if (shape == DecodedLock.Shape.LOCK) {
        shape = DecodedLock.Shape.HELD;
      }
      i = blanks(body, j < n && body.charAt(j) == ':' ? j + 1 : j);
    }
    OptionalLong address = OptionalLong.empty();
    int h = i;
    while (h < n && hexDigit(body.charAt(h))) {
      h++;
    }
    if (h > i && h - i >= 8 && h - i <= 16 && h < n && (body.charAt(h) == ' ' || body.charAt(h) == '\t')) {
      address = FrameSyntax.hex(body.substring(i, h));
      i = blanks(body, h);
    }
    if (i >= n || body.charAt(i) != '(') {
      return Optional.empty();
    }
    int close = closing(body, i);
    if (close < 0) {
      return Optional.empty();
    }
    String lockClass = body.substring(i + 1, close);
    int k = close + 1;
    Optional<String> usage = Optional.empty();
    if (k < n && body.charAt(k) == '{') {
      int end = body.indexOf('}', k);
      if (end < 0) {
        return Optional.empty();
      }
      // The wait types ("-{3:3}", since 5.8) follow the usage bits.
      if (end + 2 < n && body.charAt(end + 1) == '-' && body.charAt(end + 2) == '{') {
        int end2 = body.indexOf('}', end + 2);
        end = end2 < 0 ? end : end2;
      }
      usage = Optional.of(body.substring(k, end + 1));
      k = end + 1;
    }
    Optional<DecodedFrame> at = Optional.empty();
    boolean atPc = false;
    int atKw = body.indexOf("at:", k);
    if (atKw >= 0 && body.substring(k, atKw).strip().replace(",", "").isEmpty()) {
      int p = blanks(body, atKw + 3);
      if (body.startsWith("[<", p)) {
        int gt = body.indexOf(">]", p);
        if (gt > 0) {
          atPc = true;
          p = blanks(body, gt + 2);
        }
      }
      at = FrameSyntax.location(body, p).map(FrameSyntax.Located::frame);
    } else if (usage.isEmpty()) {
      return Optional.empty(); // "(detected by 0, ...)": no usage bits and no "at:"
    }
    return Optional.of(new DecodedLock(shape, index, address, lockClass, usage, at, atPc));
  }

  // The index of the ')' that closes the '(' at `open`, or -1.
  private static int closing(String s, int open) {
    int depth = 0;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')') {
        depth--;
        if (depth == 0) {
          return i;
        }
      }
    }
    return -1;
  }

  private static int blanks(String s, int i) {
    while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
      i++;
    }
    return i;
  }

  private static boolean hexDigit(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
  }
}
