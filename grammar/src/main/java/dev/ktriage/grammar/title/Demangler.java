package dev.ktriage.grammar.title;

import java.util.ArrayList;
import java.util.List;

/**
 * Readable names for mangled C++ and Rust symbols in kernel stacks (Rust drivers; C++ in out-of-tree
 * test code): {@code _Z8fakeNameiii} is {@code fakeName}, {@code _ZN4core3ptr13drop_in_place17h0123456789abcdefE}
 * is {@code core::ptr::drop_in_place}; Rust's v0 symbols ({@code _R...}) are {@link RustDemangler}'s. syzkaller demangles frames before titling; only the name is
 * needed (the parameter types after it are dropped), so this reads the Itanium ABI's
 * {@code <source-name>} and {@code N ... E} nested names and nothing else, and leaves any other
 * symbol as it is.
 *
 * <p>Stateless and thread-safe.
 */
public final class Demangler {
  private Demangler() {} // no instance

  /** The demangled name of {@code symbol}, or {@code symbol} itself when it is not mangled this way. */
  public static String demangle(String symbol) {
    if (symbol.startsWith("_R")) {
      return RustDemangler.demangle(symbol).orElse(symbol); // Rust's v0 mangling
    }
    if (!symbol.startsWith("_Z") || symbol.length() < 4) {
      return symbol;
    }
    int[] pos = {2};
    List<String> parts = new ArrayList<>();
    if (symbol.charAt(2) == 'N') {
      pos[0] = 3;
      // CV qualifiers and ref qualifiers of a member function.
      while (pos[0] < symbol.length() && "rVKRO".indexOf(symbol.charAt(pos[0])) >= 0) {
        pos[0]++;
      }
      while (pos[0] < symbol.length() && symbol.charAt(pos[0]) != 'E') {
        String part = sourceName(symbol, pos);
        if (part == null) {
          return symbol;
        }
        parts.add(part);
      }
    } else {
      String part = sourceName(symbol, pos);
      if (part == null) {
        return symbol;
      }
      parts.add(part);
    }
    // Rust's legacy mangling ends the path with a hash: "17h0123456789abcdef".
    if (parts.size() > 1) {
      String last = parts.get(parts.size() - 1);
      if (last.length() == 17 && last.charAt(0) == 'h' && last.substring(1).chars().allMatch(Demangler::hexDigit)) {
        parts.remove(parts.size() - 1);
      }
    }
    return parts.isEmpty() ? symbol : String.join("::", parts);
  }

  // <source-name> ::= <length> <identifier>
  private static String sourceName(String s, int[] pos) {
    int i = pos[0];
    int len = 0;
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && i - start < 5) {
      len = len * 10 + (s.charAt(i) - '0');
      i++;
    }
    if (i == start || len == 0 || i + len > s.length()) {
      return null;
    }
    pos[0] = i + len;
    return s.substring(i, i + len);
  }

  private static boolean hexDigit(int c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f';
  }
}
