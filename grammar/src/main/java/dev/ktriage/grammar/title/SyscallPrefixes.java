package dev.ktriage.grammar.title;

import java.util.ArrayList;
import java.util.List;

/**
 * Syscall entry points carry arch- and version-specific prefixes: {@code __x64_sys_read} on x86-64,
 * {@code __arm64_sys_read} on arm64, {@code SyS_read} before 4.17, {@code __se_sys_read} and
 * {@code __do_sys_read} for the wrappers SYSCALL_DEFINE generates. syzbot removes one prefix so that
 * the same bug gets the same title everywhere, and keeps the other spellings as alternative titles.
 */
public final class SyscallPrefixes {

  // Order matters for the alternative titles (they are listed in this order, like syzbot does).
  private static final List<String> PREFIXES = List.of(
      "SYSC_",        // SYSCALL_DEFINE's inner function before 4.17
      "SyS_",         // its sign-extending wrapper before 4.17
      "sys_",         // the plain entry point
      "__x64_",       // x86-64 pt_regs wrappers since 4.17
      "__ia32_",      // x86 compat wrappers since 4.17
      "__arm64_",     // arm64 pt_regs wrappers
      "____sys_",     // net/socket.c helpers (____sys_sendmsg)
      "___sys_",      // net/socket.c helpers (___sys_sendmsg)
      "__sys_",       // net/socket.c and others (__sys_connect)
      "__se_",        // SYSCALL_DEFINE's sign-extending wrapper since 4.17
      "__se_sys_",    // the same with the sys_ kept
      "__do_sys_",    // SYSCALL_DEFINE's body since 4.17
      "compat_SYSC_", // compat variants before 4.17
      "compat_SyS_",
      "ksys_");       // in-kernel callable syscall bodies

  /** The shortest form of {@code name} after removing at most one prefix. */
  public String strip(String name) {
    String best = name;
    for (String p : PREFIXES) {
      if (name.startsWith(p) && name.length() - p.length() < best.length()) {
        best = name.substring(p.length());
      }
    }
    return best;
  }

  /**
   * The spellings syzbot also accepts: the name as printed (when it differs from the stripped one)
   * and the name with each single prefix removed, in table order, without duplicates.
   */
  public List<String> variants(String name) {
    List<String> out = new ArrayList<>();
    out.add(name);
    for (String p : PREFIXES) {
      if (name.startsWith(p)) {
        out.add(name.substring(p.length()));
      }
    }
    return out;
  }
}
