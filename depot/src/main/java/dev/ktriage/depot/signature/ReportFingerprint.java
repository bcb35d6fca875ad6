package dev.ktriage.depot.signature;

import dev.ktriage.model.Frame;
import dev.ktriage.model.Report;
import dev.ktriage.model.Stack;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A report's content identity: SHA-256 (first 128 bits, hex) over everything the kernel printed that
 * tells one occurrence from another (header, access, task, cpu, release, time, every stack's label
 * and frames with offsets, sizes, modules and reliability, details), and nothing about where the
 * report was found (path, line numbers). Re-ingesting a log, a copy of it under another name, or a
 * log that contains the report again adds nothing; two occurrences of one bug differ at least in
 * their addresses or time stamps and both count. Stateless and thread-safe.
 */
public final class ReportFingerprint {
  private ReportFingerprint() {} // no instance

  /** The fingerprint, 32 lowercase hex digits. */
  public static String of(Report r) {
    MessageDigest md;
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
    StringBuilder sb = new StringBuilder(4096);
    sb.append(r.tool()).append('\n').append(r.bugType()).append('\n').append(r.header()).append('\n')
        .append(r.access()).append('\n').append(r.context()).append('\n').append(r.time()).append('\n')
        .append(r.details()).append('\n');
    for (Stack s : r.stacks()) {
      sb.append(s.role()).append(' ').append(s.label()).append(' ').append(s.origin()).append('\n');
      for (Frame f : s.frames()) {
        sb.append(f.function()).append(' ').append(f.offset()).append(' ').append(f.size()).append(' ')
            .append(f.module()).append(' ').append(f.reliable()).append(' ').append(f.address()).append(' ')
            .append(f.context()).append(' ').append(f.location()).append(' ').append(f.inlined()).append('\n');
      }
    }
    byte[] d = md.digest(sb.toString().getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(d, 0, 16);
  }
}
