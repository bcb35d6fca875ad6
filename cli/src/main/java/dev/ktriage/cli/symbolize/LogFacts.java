package dev.ktriage.cli.symbolize;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Facts a console line states that symbolization needs: the build id {@code dump_stack_print_info()}
 * appends to the {@code CPU:} line with CONFIG_STACKTRACE_BUILD_ID, the KASLR offset a panic prints,
 * and KCSAN's access lines, after which the first frame is the access itself. Stateless.
 */
public final class LogFacts {
  private LogFacts() {} // no instance

  // kernel/kcsan/report.c: "read to 0x... of 8 bytes by task 1 on cpu 0:", "write (marked) to ...",
  // "assert no writes to ...", "race at unknown origin, with read to ...".
  private static final Pattern KCSAN_ACCESS = Pattern.compile(
      "(race at unknown origin, with )?(read-write|read|write|assert no writes|assert no accesses)"
          + "( \\([a-z]+\\))* to 0x[0-9a-f]+ .*:");

  /**
   * Whether {@code body} introduces a KCSAN access stack. Its first frame is the accessing
   * instruction: KCSAN puts the {@code ip} of the instrumentation call there, and the instruction
   * after a {@code __tsan_read8} call is the checked access.
   */
  static boolean isKcsanAccess(String body) {
    return KCSAN_ACCESS.matcher(body.strip()).matches();
  }

  /**
   * The vmlinux build id at the end of {@code CPU: 0 PID: 1 Comm: init Not tainted 6.1.0 #1
   * 4f61d8f6405b1c6eed15a7a3e2e27067394202d3} (20 bytes, printed as 40 hex digits).
   */
  static Optional<String> kernelBuildId(String body) {
    String b = body.strip();
    if (!b.startsWith("CPU: ")) {
      return Optional.empty();
    }
    int sp = b.lastIndexOf(' ');
    String last = b.substring(sp + 1);
    if (last.length() != 40 || !isHex(last) || !b.contains(" #")) {
      return Optional.empty();
    }
    return Optional.of(last.toLowerCase(Locale.ROOT));
  }

  /**
   * The KASLR slide from {@code Kernel Offset: 0x1a000000 from 0xffffffff81000000 (relocation
   * range: ...)}; 0 for {@code Kernel Offset: disabled}.
   */
  static OptionalLong kernelOffset(String body) {
    String b = body.strip();
    if (!b.startsWith("Kernel Offset: ")) {
      return OptionalLong.empty();
    }
    String rest = b.substring("Kernel Offset: ".length());
    if (rest.startsWith("disabled")) {
      return OptionalLong.of(0);
    }
    if (!rest.startsWith("0x")) {
      return OptionalLong.empty();
    }
    int end = 2;
    while (end < rest.length() && Character.digit(rest.charAt(end), 16) >= 0) {
      end++;
    }
    if (end == 2 || end > 18) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseUnsignedLong(rest, 2, end, 16));
  }

  private static boolean isHex(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.digit(s.charAt(i), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
