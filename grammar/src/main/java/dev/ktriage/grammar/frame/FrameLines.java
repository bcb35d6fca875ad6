package dev.ktriage.grammar.frame;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * Small decoders for the text of frame tokens ({@code foo+0x1a/0x40}, {@code [<ffffffff81234567>]},
 * {@code [ext4 1a2b]}, {@code mm/x.c:12}). The lexer has already checked their shape; these only
 * split them.
 */
public final class FrameLines {
  private FrameLines() {} // no instance

  /** {@code name+0xOFF/0xSIZE}, split; offset and size absent when not printed. */
  public record FuncRef(String name, OptionalLong offset, OptionalLong size) {}

  public static FuncRef funcRef(String text) {
    int plus = text.lastIndexOf('+');
    if (plus <= 0) {
      return new FuncRef(text, OptionalLong.empty(), OptionalLong.empty());
    }
    String name = text.substring(0, plus);
    String rest = text.substring(plus + 1);
    int slash = rest.indexOf('/');
    OptionalLong off = hex(slash < 0 ? rest : rest.substring(0, slash));
    OptionalLong size = slash < 0 ? OptionalLong.empty() : hex(rest.substring(slash + 1));
    return new FuncRef(name, off, size);
  }

  /** Parses {@code 0x1a}, {@code 1a} or {@code ffffffff81234567} as an unsigned 64-bit value. */
  public static OptionalLong hex(String s) {
    String t = s.strip();
    if (t.startsWith("0x") || t.startsWith("0X")) {
      t = t.substring(2);
    }
    if (t.isEmpty() || t.length() > 16) {
      return OptionalLong.empty();
    }
    for (int i = 0; i < t.length(); i++) {
      if (Character.digit(t.charAt(i), 16) < 0) {
        return OptionalLong.empty();
      }
    }
    return OptionalLong.of(Long.parseUnsignedLong(t, 16));
  }

  /** The hex value inside {@code [<...>]} or {@code [...]} or {@code ([<...>]}. */
  public static OptionalLong bracketAddress(String text) {
    int i = 0;
    int j = text.length();
    while (i < j && "([<".indexOf(text.charAt(i)) >= 0) {
      i++;
    }
    while (j > i && ">])".indexOf(text.charAt(j - 1)) >= 0) {
      j--;
    }
    return hex(text.substring(i, j));
  }

  /** {@code [ext4]} or {@code [ext4 0123abcd]}: the module and its build id. */
  public record ModuleRef(String name, Optional<String> buildId) {}

  public static ModuleRef module(String text) {
    String inner = text.substring(1, text.length() - 1).strip();
    int sp = inner.indexOf(' ');
    if (sp < 0) {
      sp = inner.indexOf('\t');
    }
    if (sp < 0) {
      return new ModuleRef(inner, Optional.empty());
    }
    return new ModuleRef(inner.substring(0, sp), Optional.of(inner.substring(sp + 1).strip()));
  }

  /** {@code mm/x.c:12} or {@code mm/x.c:12:7} or {@code (mm/x.c:12)}: file and line. */
  public record Src(String file, int line) {}

  public static Optional<Src> src(String text) {
    String t = text;
    if (t.startsWith("(") && t.endsWith(")")) {
      t = t.substring(1, t.length() - 1);
    }
    // "include/x.h:12 fs/y.c:34": decode_stacktrace.sh prints the inline chain in one pair of
    // parentheses; the first location is the innermost one.
    int space = t.indexOf(' ');
    if (space > 0) {
      t = t.substring(0, space);
    }
    int c1 = t.indexOf(':');
    if (c1 <= 0) {
      return Optional.empty();
    }
    int c2 = t.indexOf(':', c1 + 1);
    String num = c2 < 0 ? t.substring(c1 + 1) : t.substring(c1 + 1, c2);
    try {
      return Optional.of(new Src(t.substring(0, c1), Integer.parseInt(num)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** {@code name (path:line)}: the name of a decode_stacktrace.sh frame. */
  public static String decodedName(String text) {
    int i = 0;
    while (i < text.length() && text.charAt(i) != ' ' && text.charAt(i) != '\t') {
      i++;
    }
    return text.substring(0, i);
  }

  /** {@code (path:line)} part of a decode_stacktrace.sh frame. */
  public static Optional<Src> decodedSrc(String text) {
    int open = text.indexOf('(');
    return open < 0 ? Optional.empty() : src(text.substring(open));
  }

  /** {@code name path:line [inline]}: name and location of a symbolized inline frame line. */
  public static String inlineName(String text) {
    return decodedName(text);
  }

  public static Optional<Src> inlineSrc(String text) {
    String t = text.substring(inlineName(text).length()).strip();
    int sp = t.indexOf(' ');
    return src(sp < 0 ? t : t.substring(0, sp));
  }

  /** {@code (callee)} or {@code (caller+0x10/0x14)} of an arm frame. */
  public static FuncRef armFunc(String text) {
    return funcRef(text.substring(1, text.length() - 1));
  }
}
