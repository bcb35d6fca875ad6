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
 * tells one occurrence from another (header, access address/size/task, cpu, pid, release, caller id,
 * time, KCSAN's accesses and value change, every stack's label and frames with offsets, sizes,
 * modules, addresses and reliability, and the source positions the log printed with them), and
 * nothing a symbolizer added later ({@link dev.ktriage.model.Frame#symbolization()}) or about where the
 * report was found (path), and its line number only when it has no time stamp. Re-ingesting a log, a
 * copy of it under another name, or a log that contains the report again adds nothing; two occurrences
 * of one bug differ at least in their addresses or time stamps and both count. A report printed
 * without a time stamp (a console without {@code printk.time}) can repeat byte for byte in one log, the
 * same task hitting the same bug again on a kernel without KASLR: there the line it starts at is what
 * tells the occurrences apart (a copy of the log still adds nothing). Stateless and thread-safe.
 */
public final class ReportFingerprint {
  private ReportFingerprint() {} // no instance

  // Looking the algorithm up costs as much as hashing a small report; cloning this never-updated
  // digest does not, and keeps the class free of shared mutable state.
  private static final MessageDigest FRESH_SHA256 = lookUpSha256();

  private static MessageDigest lookUpSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }

  private static MessageDigest sha256() {
    try {
      return (MessageDigest) FRESH_SHA256.clone();
    } catch (CloneNotSupportedException e) {
      return lookUpSha256(); // a provider whose digests do not clone
    }
  }

  /** The fingerprint, 32 lowercase hex digits. */
  public static String of(Report r) {
    MessageDigest md = sha256();
    // Fields are fed one by one with separators rather than through records' toString(), which
    // costs more than the rest of ingest; the record parts that rarely occur still use toString().
    Feed f = new Feed(md);
    f.add(r.tool().name()).add(r.bugType()).add(r.header());
    r.access().ifPresent(a -> f.add(a.op().name()).add(a.size().orElse(-1)).add(a.address().orElse(0))
        .add(a.task().map(t -> t.comm() + "/" + t.pid()).orElse("")));
    var c = r.context();
    f.add(c.cpu().orElse(-1)).add(c.pid().orElse(-1)).add(c.comm().orElse("")).add(c.release().orElse(""))
        .add(c.callerId().orElse(""));
    f.add(Double.doubleToLongBits(r.time().uptime().orElse(-1))).add(r.time().wallClock().orElse(""));
    if (r.time().uptime().isEmpty() && r.time().wallClock().isEmpty()) {
      f.add(r.source().firstLine());
    }
    if (r.details() instanceof dev.ktriage.model.KcsanDetails k) {
      f.add(String.valueOf(k.accesses())).add(String.valueOf(k.valueChange()));
    }
    for (Stack s : r.stacks()) {
      f.add(s.role().name()).add(s.label()).add(String.valueOf(s.origin()));
      for (Frame fr : s.frames()) {
        f.add(fr.function()).add(fr.offset().orElse(-1)).add(fr.size().orElse(-1)).add(fr.module().orElse(""))
            .add(fr.reliable() ? 1 : 0).add(fr.address().orElse(0)).add(fr.context().ordinal());
        // what the log printed counts; what a symbolizer resolved later does not
        if (fr.hasPrintedSource()) {
          f.add(String.valueOf(fr.printedLocation())).add(String.valueOf(fr.printedInlined()));
        }
      }
    }
    byte[] d = f.digest();
    return HexFormat.of().formatHex(d, 0, 16);
  }

  /**
   * Feeds strings (UTF-8, NUL-terminated) and longs (little-endian) into a digest, through a buffer:
   * one digest update per report instead of two per field.
   */
  private static final class Feed {
    private final MessageDigest md;
    private byte[] buf = new byte[8192];
    private int n;

    Feed(MessageDigest md) {
      this.md = md;
    }

    private void room(int more) {
      if (n + more > buf.length) {
        buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, n + more));
      }
    }

    Feed add(String s) {
      // the JDK's encoder copies an ASCII string's bytes in bulk; a per-char loop showed in ingest profiles
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      room(b.length + 1);
      System.arraycopy(b, 0, buf, n, b.length);
      n += b.length;
      buf[n++] = 0;
      return this;
    }

    Feed add(long v) {
      room(8);
      for (int i = 0; i < 8; i++) {
        buf[n++] = (byte) (v >>> (8 * i));
      }
      return this;
    }

    byte[] digest() {
      md.update(buf, 0, n);
      n = 0;
      return md.digest();
    }
  }
}
