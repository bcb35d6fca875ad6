package dev.ktriage.grammar.build;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The name/value pairs of a register dump line, as the arch's show_regs() prints them: x86 {@code
 * RAX: 0000000000000480 RBX: ffff880036a077d0} (arch/x86/kernel/process_64.c __show_regs()), {@code CS:
 * 0010 DS: 0000}, arm64 {@code x29: ffff0000401f7c40 x28: 0000000000000007} (arch/arm64/kernel/process.c
 * __show_regs()), arm {@code r10: 9684b874  r9 : 000001ff} and {@code pc : [<80b10c70>]}, riscv {@code
 * gp : ffffffe006c38208}. A line is a dump only when every word is part of a pair; the faulting pc's
 * line ({@code RIP: 0010:f+0x1/0x2}) names a location and is read by the frame decoder instead.
 *
 * <p>Stateless and thread-safe.
 */
final class RegisterDump {
  private RegisterDump() {} // no instance

  private static final int LONGEST_NAME = 6; // "ORIG_RAX" is the exception: see pairs()

  /** The pairs of {@code line}, in order; empty when the line is not a register dump. */
  static Map<String, String> pairs(String line) {
    String[] w = line.strip().split("[ \t]+");
    Map<String, String> out = new LinkedHashMap<>();
    int i = 0;
    while (i < w.length) {
      String name = w[i];
      if (name.isEmpty()) {
        return Map.of();
      }
      // arm pads short names: "r9 : 000001ff", "pc : [<80b10c70>]".
      if (!name.endsWith(":") && i + 1 < w.length && w[i + 1].equals(":")) {
        i++;
        name = name + ":";
      }
      if (!name.endsWith(":") || i + 1 >= w.length || !isName(name.substring(0, name.length() - 1))) {
        return Map.of();
      }
      String value = w[i + 1];
      if (value.startsWith("[<") && value.endsWith(">]")) {
        value = value.substring(2, value.length() - 2);
      }
      if (!isValue(value)) {
        return Map.of();
      }
      out.put(name.substring(0, name.length() - 1), value);
      i += 2;
    }
    return out;
  }

  private static boolean isName(String n) {
    if (n.isEmpty() || n.length() > LONGEST_NAME && !n.equals("ORIG_RAX") || !Character.isLetter(n.charAt(0))) {
      return false;
    }
    return n.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_');
  }

  // Hex digits, with x86's "segment:offset" ("0018:ffff880036a07638") and "value(selector)" ("0000(0000)").
  private static boolean isValue(String v) {
    if (v.isEmpty()) {
      return false;
    }
    boolean digit = false;
    for (int k = 0; k < v.length(); k++) {
      char c = v.charAt(k);
      if (Character.digit(c, 16) >= 0) {
        digit = true;
      } else if (c != ':' && c != '(' && c != ')' && !(c == 'x' && k == 1 && v.charAt(0) == '0')) {
        return false;
      }
    }
    return digit;
  }
}
