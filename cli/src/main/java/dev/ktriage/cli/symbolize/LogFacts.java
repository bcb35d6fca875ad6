package dev.ktriage.cli.symbolize;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Facts a console line states that symbolization needs: the build id {@code dump_stack_print_info()}
 * appends to the {@code CPU:} line with CONFIG_STACKTRACE_BUILD_ID and the KASLR offset a panic
 * prints. (KCSAN's access lines need no fact: the frame after one is a return address like the
 * others.) Stateless.
 */
public final class LogFacts {
  private LogFacts() {} // no instance

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
   * The kernel release a line names: {@code 6.8.0-kfix} in a {@code CPU:} line ({@code ... Not tainted
   * 6.8.0-kfix #1}, the word before {@code #}) or a boot banner ({@code Linux version 6.8.0-kfix (gcc}).
   */
  static Optional<String> kernelRelease(String body) {
    String b = body.strip();
    if (b.startsWith("Linux version ")) {
      int end = b.indexOf(' ', "Linux version ".length());
      String r = end < 0 ? "" : b.substring("Linux version ".length(), end);
      return r.isEmpty() ? Optional.empty() : Optional.of(r);
    }
    if (!b.startsWith("CPU: ")) {
      return Optional.empty();
    }
    int hash = b.indexOf(" #");
    if (hash < 0) {
      return Optional.empty();
    }
    int start = b.lastIndexOf(' ', hash - 1);
    String r = b.substring(start + 1, hash);
    return r.isEmpty() || r.contains(":") ? Optional.empty() : Optional.of(r);
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

  /**
   * Where the kernel's text was linked, from {@code Kernel Offset: 0x1a000000 from 0xffffffff81000000
   * (relocation range: ...)}: the "from" address, which x86 ({@code __START_KERNEL}), arm64
   * ({@code KIMAGE_VADDR}) and riscv ({@code KERNEL_LINK_ADDR}) print as the start of the image's text
   * before the KASLR slide. Empty for {@code Kernel Offset: disabled} and any other line.
   */
  static OptionalLong kernelTextBase(String body) {
    String b = body.strip();
    if (!b.startsWith("Kernel Offset: 0x")) {
      return OptionalLong.empty();
    }
    int from = b.indexOf(" from 0x");
    if (from < 0) {
      return OptionalLong.empty();
    }
    int start = from + " from 0x".length();
    int end = start;
    while (end < b.length() && Character.digit(b.charAt(end), 16) >= 0) {
      end++;
    }
    if (end == start || end - start > 16) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseUnsignedLong(b, start, end, 16));
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
