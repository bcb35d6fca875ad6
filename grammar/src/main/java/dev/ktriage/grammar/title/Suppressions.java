package dev.ktriage.grammar.title;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Output that says the fuzzing machine failed, not the kernel: a log holding one of these lines anywhere
 * has its reports suppressed, with the row's reason (syzkaller's suppression list, pkg/report: the whole
 * output is matched, so the line may come before or after the report). A suppressed report is still a
 * report; {@code parse --check} is to ignore it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Suppressions {
  private Suppressions() {} // no instance

  /** One suppression: a pattern found anywhere in a line, and why a log holding it is suppressed. */
  record Rule(Pattern pattern, String why) {}

  private static Rule r(String regex, String why) {
    return new Rule(Pattern.compile(regex), why);
  }

  /** The rules, tried in order. */
  static final List<Rule> RULES = List.of(
      // The OOM killer or Android's lowmemorykiller took the fuzzer or the ssh connection to the machine.
      r("Out of memory: Kill(ed)? process \\d+ \\((syz-fuzzer|sshd)\\)",
          "mm/oom_kill.c: the OOM killer killed the fuzzer or sshd; the machine ran out of memory"),
      r("Killed process \\d+ \\((syz-fuzzer|sshd)\\)",
          "mm/oom_kill.c __oom_kill_process(): the fuzzer or sshd was killed for memory"),
      r("lowmemorykiller: Killing '(syz-fuzzer|sshd)'", "Android's lowmemorykiller killed the fuzzer or sshd"),
      // The image's user space failed.
      r("INIT: PANIC: segmentation violation!", "sysvinit crashed (the image's init, not the kernel)"),
      r("\\*\\*\\* stack smashing detected \\*\\*\\*", "glibc's stack protector in a user-space program"),
      // The fuzzer's Go runtime and executor failed for want of memory, or a full disk or memory raised SIGBUS.
      r("fatal error: (runtime: out of memory|runtime: cannot allocate memory|out of memory|newosproc)",
          "the fuzzer's Go runtime ran out of memory"),
      r("panic: (failed to start executor binary|executor failed: pthread_create failed|failed to create temp dir)",
          "the fuzzer could not start its executor (memory, threads or disk)"),
      r("fatal error: unexpected signal during runtime execution", "the fuzzer's Go runtime got SIGBUS (a full tmpfs)"),
      r("signal SIGBUS: bus error", "the fuzzer got SIGBUS (a full tmpfs or memory)"),
      r("SYZFAIL: SIGBUS", "the executor got SIGBUS (a full tmpfs or memory), no kernel bug"));

  /** Why a log holding {@code line} is suppressed, if the line says so. */
  public static Optional<String> reason(String line) {
    for (Rule rule : RULES) {
      if (rule.pattern().matcher(line).find()) {
        return Optional.of(rule.why());
      }
    }
    return Optional.empty();
  }
}
