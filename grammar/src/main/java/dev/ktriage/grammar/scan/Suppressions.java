package dev.ktriage.grammar.scan;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Output that says the fuzzing machine failed, not the kernel: a log holding one of these lines anywhere
 * has its reports suppressed, with the row's reason (syzkaller's suppression list: the whole output is
 * matched, so the line may come before, inside or after the report). A suppressed report is still a
 * report; {@code parse --check} does not count it.
 *
 * <p>Each row names an anchor, a literal every line it matches contains: the byte scanner looks for the
 * anchors as it looks for banners ({@link #ANCHORS}), so that a suppression line in a part of the log it
 * would skip is still seen; only a line holding an anchor is matched against the patterns.
 *
 * <p>Stateless and thread-safe.
 */
public final class Suppressions {
  private Suppressions() {} // no instance

  /** One suppression: a literal its lines contain, a pattern found anywhere in a line, and why. */
  record Rule(String anchor, Pattern pattern, String why) {}

  private static Rule r(String anchor, String regex, String why) {
    return new Rule(anchor, Pattern.compile(regex), why);
  }

  /** The rules, tried in order. */
  static final List<Rule> RULES = List.of(
      // The OOM killer or Android's lowmemorykiller took the fuzzer or the ssh connection to the machine:
      // "Out of memory: Kill process N (comm) score" before 4.19, "Out of memory: Killed process N (comm)
      // total-vm:..." since (mm/oom_kill.c __oom_kill_process()), lowmemorykiller's "Killing 'comm' (pid)".
      r("Kill", "Out of memory: Kill(ed)? process \\d+ \\((syz-fuzzer|sshd)\\)",
          "the OOM killer killed the fuzzer or sshd: the machine ran out of memory (mm/oom_kill.c)"),
      r("Kill", "Killed process \\d+ \\((syz-fuzzer|sshd)\\)",
          "the fuzzer or sshd was killed for memory (mm/oom_kill.c __oom_kill_process())"),
      r("Kill", "lowmemorykiller: Killing '(syz-fuzzer|sshd)'",
          "Android's lowmemorykiller killed the fuzzer or sshd"),
      // The image's user space failed.
      r("INIT: PANIC", "INIT: PANIC: segmentation violation!", "sysvinit crashed (the image's init, not the kernel)"),
      r("*** stack smashing", "\\*\\*\\* stack smashing detected \\*\\*\\*",
          "glibc's stack protector stopped a user-space program (__stack_chk_fail)"),
      // The fuzzer's Go runtime and executor failed for want of memory, or a full disk or memory raised SIGBUS.
      r("fatal error: ", "fatal error: (runtime: out of memory|runtime: cannot allocate memory|out of memory|newosproc)",
          "the fuzzer's Go runtime ran out of memory"),
      r("panic: ", "panic: (failed to start executor binary|executor failed: pthread_create failed|failed to create temp dir)",
          "the fuzzer could not start its executor (memory, threads or disk)"),
      r("fatal error: ", "fatal error: unexpected signal during runtime execution",
          "the fuzzer's Go runtime got SIGBUS (a full tmpfs)"),
      r("signal SIGBUS", "signal SIGBUS: bus error", "the fuzzer got SIGBUS (a full tmpfs or memory)"),
      r("SYZFAIL: ", "SYZFAIL: SIGBUS", "the executor got SIGBUS (a full tmpfs or memory), no kernel bug"));

  /** The distinct anchors: the byte scanner's vocabulary beside the banners. */
  public static final List<String> ANCHORS = RULES.stream().map(Rule::anchor).distinct().toList();

  /** Why a log holding {@code line} is suppressed, if the line says so. */
  public static Optional<String> reason(String line) {
    if (!Marks.occursIn(line)) {
      return Optional.empty(); // every rule's anchor is a mark
    }
    for (Rule rule : RULES) {
      if (line.contains(rule.anchor()) && rule.pattern().matcher(line).find()) {
        return Optional.of(rule.why());
      }
    }
    return Optional.empty();
  }
}
