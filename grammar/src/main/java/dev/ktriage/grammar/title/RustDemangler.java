package dev.ktriage.grammar.title;

import java.util.Map;
import java.util.Optional;

/**
 * Rust's v0 symbol mangling ({@code _R...}, RFC 2603), read back to the path rustc-demangle prints without
 * hashes: {@code _RNvMs3_NtCshgDM7dBCdno_11rust_binder7processNtB5_7Process10update_ref} is
 * {@code <rust_binder::process::Process>::update_ref}. Kernel Rust code (drivers, rust/kernel) is built with
 * v0 mangling, and syzkaller titles its frames demangled.
 *
 * <p>The subset titles need: paths (crate roots, nested names, inherent and trait impls, generic arguments,
 * closures and other special namespaces), back-references, and the types that appear in impl and generic
 * positions (basic types, references, pointers, slices, arrays, tuples). A symbol using anything else (function
 * pointer or {@code dyn} types, const generics, Punycode identifiers) is left as it is.
 *
 * <p>Stateless and thread-safe (each call has its own reader).
 */
final class RustDemangler {
  private RustDemangler() {} // no instance

  /** The basic types, by their one-letter code. */
  static final Map<Character, String> BASIC = Map.ofEntries(
      Map.entry('a', "i8"), Map.entry('b', "bool"), Map.entry('c', "char"), Map.entry('d', "f64"),
      Map.entry('e', "str"), Map.entry('f', "f32"), Map.entry('h', "u8"), Map.entry('i', "isize"),
      Map.entry('j', "usize"), Map.entry('l', "i32"), Map.entry('m', "u32"), Map.entry('n', "i128"),
      Map.entry('o', "u128"), Map.entry('s', "i16"), Map.entry('t', "u16"), Map.entry('u', "()"),
      Map.entry('v', "..."), Map.entry('x', "i64"), Map.entry('y', "u64"), Map.entry('z', "!"),
      Map.entry('p', "_"));

  /** The special namespaces of nested paths ({@code N} with an upper-case letter), as printed. */
  static final Map<Character, String> SPECIAL = Map.of('C', "closure", 'S', "shim");

  // Back-references can form loops only in a malformed symbol; this bounds the work on one.
  private static final int MAX_DEPTH = 64;

  /** The demangled path of a v0 symbol, or empty when {@code symbol} is not one this reads. */
  static Optional<String> demangle(String symbol) {
    if (!symbol.startsWith("_R")) {
      return Optional.empty();
    }
    Reader r = new Reader(symbol, 2);
    try {
      // an optional encoding version: a decimal number
      if (r.pos < symbol.length() && Character.isDigit(symbol.charAt(r.pos))) {
        return Optional.empty();
      }
      StringBuilder out = new StringBuilder();
      r.path(out, 0);
      // what follows is the instantiating crate (a path) or a vendor suffix: neither is printed
      return Optional.of(out.toString());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /** A position in the symbol; back-references are offsets from just after {@code _R}. */
  private static final class Reader {
    final String s;
    final int base;
    int pos;

    Reader(String s, int pos) {
      this.s = s;
      this.base = pos;
      this.pos = pos;
    }

    char next() {
      if (pos >= s.length()) {
        throw new IllegalArgumentException("truncated");
      }
      return s.charAt(pos++);
    }

    char peek() {
      return pos < s.length() ? s.charAt(pos) : '\0';
    }

    boolean eat(char c) {
      if (peek() == c) {
        pos++;
        return true;
      }
      return false;
    }

    // <base-62-number> = {<0-9a-zA-Z>} "_": "_" is 0, a digit string its value + 1
    long base62() {
      if (eat('_')) {
        return 0;
      }
      long v = 0;
      for (char c = next(); c != '_'; c = next()) {
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'z' ? c - 'a' + 10
            : c >= 'A' && c <= 'Z' ? c - 'A' + 36 : -1;
        if (d < 0) {
          throw new IllegalArgumentException("bad base-62 number");
        }
        // a crate root's disambiguator is a 64-bit hash (11 digits), beyond a long: only back-references
        // need the value, and one that large is refused as pointing forward
        v = v > (Long.MAX_VALUE - 1 - d) / 62 ? Long.MAX_VALUE - 1 : v * 62 + d;
      }
      return v + 1;
    }

    // <disambiguator> = "s" <base-62-number>, its value + 1; absent is 0
    long disambiguator() {
      return eat('s') ? Math.min(Long.MAX_VALUE - 1, base62()) + 1 : 0;
    }

    // <undisambiguated-identifier> = ["u"] <decimal-number> ["_"] <bytes>
    String identifier() {
      if (peek() == 'u') {
        throw new IllegalArgumentException("Punycode identifier");
      }
      int start = pos;
      while (Character.isDigit(peek())) {
        pos++;
      }
      if (start == pos || pos - start > 5) {
        throw new IllegalArgumentException("bad identifier length");
      }
      int len = Integer.parseInt(s, start, pos, 10);
      eat('_');
      if (pos + len > s.length()) {
        throw new IllegalArgumentException("truncated identifier");
      }
      String id = s.substring(pos, pos + len);
      pos += len;
      return id;
    }

    // Runs `part` at the position a back-reference names, then comes back.
    void backref(int depth, java.util.function.IntConsumer part) {
      int tagAt = pos - 1 - base; // the "B" just read
      long at = base62();
      if (at >= tagAt) {
        throw new IllegalArgumentException("forward back-reference");
      }
      int here = pos;
      pos = base + (int) at;
      part.accept(depth + 1);
      pos = here;
    }

    void path(StringBuilder out, int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("too deep");
      }
      char tag = next();
      switch (tag) {
        case 'C' -> { // crate root; its disambiguator is the crate's hash, not printed
          disambiguator();
          out.append(identifier());
        }
        case 'M' -> { // inherent impl: <Type>
          disambiguator();
          path(new StringBuilder(), depth + 1); // the impl's own path is not printed
          out.append('<');
          type(out, depth + 1);
          out.append('>');
        }
        case 'X' -> { // trait impl: <Type as Trait>
          disambiguator();
          path(new StringBuilder(), depth + 1);
          out.append('<');
          type(out, depth + 1);
          out.append(" as ");
          path(out, depth + 1);
          out.append('>');
        }
        case 'Y' -> { // trait definition: <Type as Trait>
          out.append('<');
          type(out, depth + 1);
          out.append(" as ");
          path(out, depth + 1);
          out.append('>');
        }
        case 'N' -> { // nested name: path::ident, or path::{closure#N} in a special namespace
          char ns = next();
          path(out, depth + 1);
          long dis = disambiguator();
          String id = identifier();
          if (Character.isUpperCase(ns)) {
            String kind = SPECIAL.getOrDefault(ns, String.valueOf(ns));
            out.append("::{").append(kind).append(id.isEmpty() ? "" : ":" + id).append('#').append(dis).append('}');
          } else if (Character.isLowerCase(ns)) {
            out.append("::").append(id);
          } else {
            throw new IllegalArgumentException("bad namespace");
          }
        }
        case 'I' -> { // generic arguments: path::<A, B>
          path(out, depth + 1);
          out.append("::<");
          genericArgs(out, depth + 1);
          out.append('>');
        }
        case 'B' -> backref(depth, d -> path(out, d));
        default -> throw new IllegalArgumentException("unknown path tag");
      }
    }

    void genericArgs(StringBuilder out, int depth) {
      boolean first = true;
      while (!eat('E')) {
        if (peek() == 'L') { // a lifetime: erased in the printed form
          next();
          base62();
          continue;
        }
        if (peek() == 'K') {
          throw new IllegalArgumentException("const generic");
        }
        out.append(first ? "" : ", ");
        first = false;
        type(out, depth + 1);
      }
    }

    void type(StringBuilder out, int depth) {
      if (depth > MAX_DEPTH) {
        throw new IllegalArgumentException("too deep");
      }
      char tag = peek();
      String basic = BASIC.get(tag);
      if (basic != null) {
        next();
        out.append(basic);
        return;
      }
      switch (tag) {
        case 'R', 'Q' -> { // &T, &mut T (with an optional lifetime, erased)
          next();
          if (eat('L')) {
            base62();
          }
          out.append(tag == 'R' ? "&" : "&mut ");
          type(out, depth + 1);
        }
        case 'P', 'O' -> { // *const T, *mut T
          next();
          out.append(tag == 'P' ? "*const " : "*mut ");
          type(out, depth + 1);
        }
        case 'S' -> { // [T]
          next();
          out.append('[');
          type(out, depth + 1);
          out.append(']');
        }
        case 'A' -> { // [T; N], N a const: "p" (unknown) or a hex value
          next();
          out.append('[');
          type(out, depth + 1);
          out.append("; ").append(arrayLength()).append(']');
        }
        case 'T' -> { // (A, B,)
          next();
          out.append('(');
          int n = 0;
          while (!eat('E')) {
            out.append(n > 0 ? ", " : "");
            type(out, depth + 1);
            n++;
          }
          out.append(n == 1 ? ",)" : ")");
        }
        case 'B' -> {
          next();
          backref(depth, d -> type(out, d));
        }
        case 'C', 'M', 'X', 'Y', 'N', 'I' -> path(out, depth + 1);
        default -> throw new IllegalArgumentException("type not read here");
      }
    }

    // <const> of an array length: "p" placeholder, or <type> <hex digits> "_" (usize: "j")
    String arrayLength() {
      if (eat('p')) {
        return "_";
      }
      if (!eat('j')) {
        throw new IllegalArgumentException("array length of another type");
      }
      int start = pos;
      while (peek() != '_') {
        next();
      }
      String hex = s.substring(start, pos);
      next();
      return hex.isEmpty() ? "0" : Long.toUnsignedString(Long.parseUnsignedLong(hex, 16));
    }
  }
}
