package dev.ktriage.model;

import java.util.Objects;

/**
 * Why a report is suppressed: its log says the fuzzing machine failed (the OOM killer took the fuzzer,
 * the image's init or a user-space program crashed, the disk filled up), so the report is no kernel bug
 * worth a person's time, as syzkaller's suppression list decides. A suppressed report is still parsed
 * and returned whole; {@code parse --check} does not count it.
 *
 * @param reason the suppression rule's reason ({@code the OOM killer killed the fuzzer or sshd})
 * @param logLine the 1-based log line that matched the rule (it may come before or after the report)
 */
public record Suppression(String reason, long logLine) {
  public Suppression {
    Objects.requireNonNull(reason);
  }
}
