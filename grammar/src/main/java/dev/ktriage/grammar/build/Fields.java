package dev.ktriage.grammar.build;

import dev.ktriage.grammar.antlr.FrameToken;
import dev.ktriage.grammar.antlr.KernelReportParser.AddressContext;
import dev.ktriage.grammar.antlr.KernelReportParser.LocationContext;
import dev.ktriage.grammar.frame.FrameSyntax;
import dev.ktriage.model.TaskRef;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * The values of field tokens: the grammar has checked each field's shape, these turn its text into
 * a value ({@code 1234:} is the number 1234, {@code ffff888012345678} an address).
 */
final class Fields {
  private Fields() {} // no instance

  /** A decimal number, with a trailing {@code :} allowed ({@code 1234:}); empty when it is none. */
  /**
   * {@code line} after its first {@code n} characters, or "" when it is shorter: a line cut right after
   * a banner that ends in a blank ("Kernel panic - not syncing: ") loses the blank with the line's end.
   */
  static String after(String line, int n) {
    return line.substring(Math.min(n, line.length()));
  }

  static OptionalLong decimal(String s) {
    String t = s.strip();
    if (t.endsWith(":")) {
      t = t.substring(0, t.length() - 1);
    }
    return digits(t, 18) ? OptionalLong.of(Long.parseLong(t)) : OptionalLong.empty();
  }

  // 1 to max decimal digits and nothing else
  private static boolean digits(String t, int max) {
    if (t.isEmpty() || t.length() > max) {
      return false;
    }
    for (int i = 0; i < t.length(); i++) {
      if (t.charAt(i) < '0' || t.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  /**
   * An access size as the kernel prints it, a {@code size_t} ({@code %zu}): up to 2^64-1, kept as the
   * 64 bits of a {@code long} (a negative length passed to memmove prints as 18446744073709551608 and
   * is read back as -8; read it with {@link Long#toUnsignedString(long)}).
   */
  static OptionalLong unsignedDecimal(String s) {
    String t = s.strip();
    if (!digits(t, 20)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(Long.parseUnsignedLong(t));
    } catch (NumberFormatException e) {
      return OptionalLong.empty(); // above 2^64-1: no size_t
    }
  }

  static OptionalLong unsignedDecimal(Token t) {
    return t == null ? OptionalLong.empty() : unsignedDecimal(t.getText());
  }

  static OptionalLong decimal(Token t) {
    return t == null ? OptionalLong.empty() : decimal(t.getText());
  }

  static OptionalInt integer(String s) {
    OptionalLong v = decimal(s);
    return v.isPresent() && v.getAsLong() <= Integer.MAX_VALUE ? OptionalInt.of((int) v.getAsLong())
        : OptionalInt.empty();
  }

  static OptionalInt integer(Token t) {
    return t == null ? OptionalInt.empty() : integer(t.getText());
  }

  /** An address as KASAN prints it ({@code %px}: hex digits without {@code 0x}), or with {@code 0x}. */
  static OptionalLong address(AddressContext a) {
    return a == null ? OptionalLong.empty() : hex(a.getText());
  }

  /**
   * Hex digits, ignoring the brackets, comma and parenthesis of {@code [X,} and {@code Y)}, and the colon
   * that ends KFENCE's {@code Invalid read at 0xX:}.
   */
  static OptionalLong hex(String s) {
    String t = s;
    int from = 0;
    int to = t.length();
    while (from < to && (t.charAt(from) == '[' || t.charAt(from) == '(')) {
      from++;
    }
    while (to > from && (t.charAt(to - 1) == ',' || t.charAt(to - 1) == ')' || t.charAt(to - 1) == ']'
        || t.charAt(to - 1) == ':')) {
      to--;
    }
    return FrameSyntax.hex(t.substring(from, to));
  }

  /** {@code syz-executor.0/1234}: the comm (which may hold blanks and slashes) and the pid after the last {@code /}. */
  static TaskRef task(String text) {
    String t = text.strip();
    int slash = t.lastIndexOf('/');
    if (slash > 0) {
      OptionalInt pid = integer(t.substring(slash + 1));
      if (pid.isPresent()) {
        return new TaskRef(t.substring(0, slash), pid);
      }
    }
    return new TaskRef(t, OptionalInt.empty());
  }

  /** The texts of some rules or tokens, joined by single blanks. */
  static String words(List<? extends ParserRuleContext> words) {
    StringBuilder b = new StringBuilder();
    for (ParserRuleContext w : words) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(w.getText());
    }
    return b.toString();
  }

  static String terminals(List<TerminalNode> words) {
    StringBuilder b = new StringBuilder();
    for (TerminalNode w : words) {
      if (b.length() > 0) {
        b.append(' ');
      }
      b.append(w.getText());
    }
    return b.toString();
  }

  /** The function and offset of a header's location as printed: {@code foo+0x1a/0x40} of {@code foo+0x1a/0x40 [mod]}. */
  static String locationName(LocationContext l) {
    String t = l.getText();
    int blank = 0;
    while (blank < t.length() && t.charAt(blank) != ' ' && t.charAt(blank) != '\t') {
      blank++;
    }
    return t.substring(0, blank);
  }

  /** The bare function of a header's location. */
  static String locationFunction(LocationContext l) {
    if (l.LOCATION() != null) {
      return ((FrameToken) l.LOCATION().getSymbol()).frame().function();
    }
    return l.getText();
  }

  /**
   * Whether a location's "function" is a bare address: {@code %p}/{@code %pB} print the pointer's hex digits
   * (8 or 16, no 0x) where no symbol is known, and FrameSyntax reads those as a name.
   */
  static boolean bareAddress(String name) {
    String digits = name.startsWith("0x") ? name.substring(2) : name;
    if (digits.length() != 8 && digits.length() != 16) {
      return false;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (Character.digit(digits.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
