package dev.ktriage.cli.symbolize;

import dev.ktriage.grammar.frame.FrameLine;
import dev.ktriage.grammar.frame.FrameLineRecognizer;
import dev.ktriage.grammar.log.ConsolePrefixParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a log says about the kernel that wrote it, for checking a vmlinux against it before
 * symbolizing: the release and build id of {@code CPU:} lines ({@code dump_stack_print_info()}:
 * "CPU: 1 PID: 5131 Comm: kfix Not tainted 6.8.0-kfix #1 [build id]"), the release of boot banners
 * ("Linux version 6.8.0-kfix (gcc ...) #1 SMP") and where the text was linked, from the panic's
 * "Kernel Offset: 0x1a000000 from 0xffffffff81000000" (another architecture or layout than the
 * vmlinux's, even when the release is the same), and the build ids of modules in frames printed with
 * CONFIG_STACKTRACE_BUILD_ID ("ext4_xattr_set_entry+0x10/0x85 [ext4 0123...]").
 */
public final class LogIdentity {

  /**
   * One statement of the kernel's identity in the log.
   *
   * @param line the 1-based line that says it
   * @param release the release it names, if any
   * @param buildId the build id it names, if any
   * @param textBase where it says the kernel's text was linked (a {@code Kernel Offset:} line), if it does
   */
  public record Claim(long line, Optional<String> release, Optional<String> buildId, OptionalLong textBase) {}

  /**
   * A frame's statement of which build of a module it ran in.
   *
   * @param line the 1-based line that says it
   * @param module the module as the frame names it
   * @param buildId the build id it prints after the name
   */
  public record ModuleClaim(long line, String module, String buildId) {}

  private final List<Claim> claims = new ArrayList<>();
  private final List<ModuleClaim> moduleClaims = new ArrayList<>();
  private final ConsolePrefixParser prefixes = new ConsolePrefixParser();
  private final FrameLineRecognizer frames = new FrameLineRecognizer();

  /** The claims, in log order. */
  public List<Claim> claims() {
    return List.copyOf(claims);
  }

  /** The module build ids frames print, in log order. */
  public List<ModuleClaim> moduleClaims() {
    return List.copyOf(moduleClaims);
  }

  /** Notes the module build id a frame line ({@code line} as read, console prefix and all) prints, if any. */
  void frameLine(long lineNo, String line) {
    Optional<FrameLine> f = frames.recognize(prefixes.split(line).body());
    if (f.isPresent() && f.get().module().isPresent() && f.get().moduleBuildId().isPresent()) {
      moduleClaims.add(new ModuleClaim(lineNo, f.get().module().get(),
          f.get().moduleBuildId().get().toLowerCase(Locale.ROOT)));
    }
  }

  /** Notes what line {@code lineNo} (its body, after any console prefix) says. */
  public void line(long lineNo, String body) {
    Optional<String> release = LogFacts.kernelRelease(body);
    Optional<String> buildId = LogFacts.kernelBuildId(body);
    OptionalLong textBase = LogFacts.kernelTextBase(body);
    if (release.isPresent() || buildId.isPresent() || textBase.isPresent()) {
      claims.add(new Claim(lineNo, release, buildId, textBase));
    }
  }

  /**
   * Reads the first {@code maxBytes} of {@code in} (marked and reset, so the caller reads them
   * again) for claims, or less: a live source ({@code dmesg -w}, a serial console) is read only as far
   * as it has written, so that nothing waits for lines that have not come yet.
   */
  public static LogIdentity scan(InputStream in, int maxBytes) throws IOException {
    LogIdentity id = new LogIdentity();
    in.mark(maxBytes);
    try {
      BufferedReader r = new BufferedReader(new InputStreamReader(new Bounded(in, maxBytes), StandardCharsets.UTF_8));
      String line;
      long no = 0;
      while ((no == 0 || r.ready()) && (line = r.readLine()) != null) {
        no++;
        int at = line.indexOf("CPU: ");
        if (at < 0) {
          at = line.indexOf("Linux version ");
        }
        if (at < 0) {
          at = line.indexOf("Kernel Offset: ");
        }
        if (at >= 0) {
          id.line(no, line.substring(at));
        } else if (line.indexOf(" [") >= 0 && line.indexOf(']') >= 0) {
          id.frameLine(no, line);
        }
      }
    } finally {
      in.reset();
    }
    return id;
  }

  /**
   * The first claim that {@code vmlinux} contradicts, as one line naming both ("the log's kernel is
   * ..., vmlinux is ..."); empty when nothing disagrees (or nothing can be compared).
   */
  public Optional<String> mismatch(KernelIdentity vmlinux, String label) {
    for (Claim c : claims) {
      if (c.buildId().isPresent() && vmlinux.buildId().isPresent()
          && !c.buildId().get().equalsIgnoreCase(vmlinux.buildId().get())) {
        return Optional.of(String.format(Locale.ROOT, "%s does not match the log: line %d says build id %s, %s has %s",
            label, c.line(), c.buildId().get(), label, vmlinux.buildId().get()));
      }
      if (c.release().isPresent() && vmlinux.release().isPresent()
          && !c.release().get().equals(vmlinux.release().get())) {
        return Optional.of(String.format(Locale.ROOT, "%s does not match the log: line %d says kernel %s, %s is %s",
            label, c.line(), c.release().get(), label, vmlinux.release().get()));
      }
      if (c.textBase().isPresent() && vmlinux.textStart().isPresent()
          && c.textBase().getAsLong() != vmlinux.textStart().getAsLong()) {
        return Optional.of(String.format(Locale.ROOT, "%s does not match the log: line %d says the kernel's text was "
            + "linked at 0x%x (Kernel Offset), %s's starts at 0x%x", label, c.line(), c.textBase().getAsLong(), label,
            vmlinux.textStart().getAsLong()));
      }
    }
    return Optional.empty();
  }

  /**
   * The first module build id that the module file found for it contradicts, as one line naming both
   * ("... line 9 says module ext4 has build id 0123..., /lib/modules/.../ext4.ko has 4567..."); empty
   * when nothing disagrees (a module that is not found or has no build id is not compared).
   */
  public Optional<String> moduleMismatch(ModuleBuildIds modules) {
    for (ModuleClaim c : moduleClaims) {
      Optional<ModuleBuildIds.Found> ours = modules.of(c.module());
      if (ours.isPresent() && !ours.get().buildId().equalsIgnoreCase(c.buildId())) {
        return Optional.of(String.format(Locale.ROOT, "%s does not match the log: line %d says module %s has build id "
            + "%s, %s has %s", ours.get().file(), c.line(), c.module(), c.buildId(), ours.get().file(),
            ours.get().buildId()));
      }
    }
    return Optional.empty();
  }

  /** At most {@code max} bytes of the stream, so that reset() stays within the mark. */
  private static final class Bounded extends java.io.FilterInputStream {
    private long left;

    Bounded(InputStream in, long max) {
      super(in);
      left = max;
    }

    @Override
    public int read() throws IOException {
      if (left <= 0) {
        return -1;
      }
      int b = super.read();
      left -= b >= 0 ? 1 : 0;
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (left <= 0) {
        return -1;
      }
      int n = super.read(b, off, (int) Math.min(len, left));
      left -= Math.max(0, n);
      return n;
    }

    @Override
    public void close() {
      // the caller's stream stays open
    }
  }
}
