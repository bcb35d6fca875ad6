package dev.ktriage.cli.symbolize;

import dev.ktriage.symbolizer.elf.ByteSource;
import dev.ktriage.symbolizer.elf.ElfFile;
import dev.ktriage.symbolizer.elf.ElfFormatException;
import dev.ktriage.symbolizer.elf.ElfSection;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Which kernel a vmlinux is: its GNU build id and its release, the {@code UTS_RELEASE} in the banner
 * {@code init/version.c} compiles into {@code .rodata} ({@code linux_banner}: "Linux version 6.1.0-13-amd64
 * (debian-kernel@...) #1 SMP ..."), which the kernel prints at boot and in every {@code CPU:} line.
 *
 * @param release the release, empty when the file has no banner (not a kernel, or stripped of .rodata)
 * @param buildId the build id, empty without an NT_GNU_BUILD_ID note
 * @param textStart where the kernel's text was linked: the lowest address of its executable sections
 *     ({@code _text}: x86's {@code .text}, arm64's and riscv's {@code .head.text}), the address a
 *     {@code Kernel Offset:} line prints after "from"; empty when the file is no kernel (no banner)
 */
public record KernelIdentity(Optional<String> release, Optional<String> buildId, OptionalLong textStart) {

  /** An identity without a known text start. */
  public KernelIdentity(Optional<String> release, Optional<String> buildId) {
    this(release, buildId, OptionalLong.empty());
  }

  private static final byte[] BANNER = "Linux version ".getBytes(StandardCharsets.US_ASCII);

  /** Reads the identity of {@code vmlinux}; empty parts when it cannot tell (never throws for that). */
  public static KernelIdentity of(Path vmlinux) {
    try (FileChannel ch = FileChannel.open(vmlinux, StandardOpenOption.READ)) {
      long size = ch.size();
      ByteSource source = new ByteSource() {
        @Override
        public long size() {
          return size;
        }

        @Override
        public ByteBuffer slice(long offset, long length) throws IOException {
          if (offset < 0 || length < 0 || offset + length > size || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("range outside the file");
          }
          return ch.map(FileChannel.MapMode.READ_ONLY, offset, length);
        }
      };
      ElfFile elf = ElfFile.parse(source, warning -> { });
      Optional<String> release = Optional.empty();
      Optional<ElfSection> rodata = elf.section(".rodata");
      if (rodata.isPresent()) {
        release = banner(elf.rawData(rodata.get()));
      }
      OptionalLong textStart = OptionalLong.empty();
      if (release.isPresent()) {
        // only for a kernel: another ELF's text (a test fixture's 0x401000) says nothing about a log
        for (ElfSection s : elf.sections()) {
          if (s.isExecutable() && s.size() > 0
              && (textStart.isEmpty() || Long.compareUnsigned(s.address(), textStart.getAsLong()) < 0)) {
            textStart = OptionalLong.of(s.address());
          }
        }
      }
      return new KernelIdentity(release, elf.buildId(), textStart);
    } catch (IOException | ElfFormatException | IllegalArgumentException e) {
      // the symbolizer says what is wrong with the file; here it only means "cannot tell"
      return new KernelIdentity(Optional.empty(), Optional.empty());
    }
  }

  /** The release in the first {@code Linux version <release> (} of {@code bytes}. */
  static Optional<String> banner(ByteBuffer bytes) {
    int limit = bytes.limit();
    outer:
    for (int i = bytes.position(); i + BANNER.length < limit; i++) {
      for (int k = 0; k < BANNER.length; k++) {
        if (bytes.get(i + k) != BANNER[k]) {
          continue outer;
        }
      }
      StringBuilder release = new StringBuilder();
      for (int j = i + BANNER.length; j < limit && release.length() <= 64; j++) {
        int c = bytes.get(j) & 0xff;
        if (c == ' ') {
          // "Linux version %s (" is the banner; a format string ("Linux version %s") is not
          return release.isEmpty() || release.indexOf("%") >= 0 ? Optional.empty() : Optional.of(release.toString());
        }
        if (c < 0x21 || c > 0x7e) {
          break;
        }
        release.append((char) c);
      }
    }
    return Optional.empty();
  }
}
