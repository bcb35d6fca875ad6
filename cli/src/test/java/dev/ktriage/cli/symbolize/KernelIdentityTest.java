package dev.ktriage.cli.symbolize;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.BufferedInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The vmlinux's identity (its banner, its build id) against what the log's lines say. */
class KernelIdentityTest {

  private static Optional<String> banner(String rodata) {
    return KernelIdentity.banner(ByteBuffer.wrap(rodata.getBytes(StandardCharsets.ISO_8859_1)));
  }

  @Test
  void theReleaseIsTheBannersWordAfterLinuxVersion() {
    // init/version.c: linux_banner = "Linux version " UTS_RELEASE " (" LINUX_COMPILE_BY "@" ...
    assertEquals(Optional.of("6.1.0-13-amd64"), banner("\0\0abc\0Linux version 6.1.0-13-amd64 "
        + "(debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.1.55-1\n\0"));
    // linux_proc_banner is a format string, not the kernel's release
    assertEquals(Optional.empty(), banner("%s version %s (\0Linux version %s (x)\0"));
    assertEquals(Optional.empty(), banner("no banner here"));
  }

  @Test
  void logLinesNameTheirKernel() throws Exception {
    String log = String.join("\n",
        "[    0.000000] Linux version 6.8.0-kfix (gcc 12.2.0) #1 SMP PREEMPT_DYNAMIC",
        "[   31.528992][ T5131] CPU: 1 PID: 5131 Comm: kfix Not tainted 6.8.0-kfix #1",
        "[   31.528992][ T5131] CPU: 0 UID: 0 PID: 1 Comm: init Tainted: G    B   W   6.8.0-kfix #1 "
            + "4f61d8f6405b1c6eed15a7a3e2e27067394202d3",
        "noise");
    LogIdentity id = LogIdentity.scan(new BufferedInputStream(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8))),
        1 << 20);
    assertEquals(3, id.claims().size());
    assertEquals(Optional.of("6.8.0-kfix"), id.claims().get(0).release());
    assertEquals(Optional.of("6.8.0-kfix"), id.claims().get(1).release());
    assertEquals(Optional.of("4f61d8f6405b1c6eed15a7a3e2e27067394202d3"), id.claims().get(2).buildId());

    assertEquals(Optional.empty(), id.mismatch(new KernelIdentity(Optional.of("6.8.0-kfix"),
        Optional.of("4f61d8f6405b1c6eed15a7a3e2e27067394202d3")), "vmlinux"));
    assertEquals(Optional.empty(), id.mismatch(new KernelIdentity(Optional.empty(), Optional.empty()), "vmlinux"),
        "nothing to compare: no refusal");
    assertEquals(Optional.of("vmlinux does not match the log: line 1 says kernel 6.8.0-kfix, vmlinux is 6.1.0-13-amd64"),
        id.mismatch(new KernelIdentity(Optional.of("6.1.0-13-amd64"), Optional.empty()), "vmlinux"));
    assertEquals(Optional.of("vmlinux does not match the log: line 3 says build id 4f61d8f6405b1c6eed15a7a3e2e27067394202d3, "
        + "vmlinux has 00112233445566778899aabbccddeeff00112233"),
        id.mismatch(new KernelIdentity(Optional.of("6.8.0-kfix"), Optional.of("00112233445566778899aabbccddeeff00112233")),
            "vmlinux"));
  }
  @Test
  void framesNameTheirModulesBuilds() throws Exception {
    // lib/vsprintf.c with CONFIG_STACKTRACE_BUILD_ID: "%pSb" prints "sym+off/size [module buildid]"
    String log = String.join("\n",
        "[   31.528992][ T5131]  ext4_xattr_set_entry+0x10/0x85 [ext4 00112233445566778899aabbccddeeff00112233]",
        "[   31.528993][ T5131]  snd_pcm_open+0x21/0x40 [snd_pcm]",
        "[   31.528994][ T5131] RIP: 0010:beta_work+0x10/0x85 [kfix 7f859a22ad0426ec5938b89526a8157698d2a218]",
        "not a frame [kfix 7f859a22ad0426ec5938b89526a8157698d2a218]",
        "");
    LogIdentity id = LogIdentity.scan(new BufferedInputStream(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8))),
        1 << 20);
    assertEquals(java.util.List.of(
        new LogIdentity.ModuleClaim(1, "ext4", "00112233445566778899aabbccddeeff00112233"),
        new LogIdentity.ModuleClaim(3, "kfix", "7f859a22ad0426ec5938b89526a8157698d2a218")), id.moduleClaims());
    assertEquals(Optional.empty(), id.moduleMismatch(new ModuleBuildIds(Optional.empty())), "no modules: nothing to compare");
  }

  @Test
  void aKernelOffsetLinkedElsewhereIsAMismatch() throws Exception {
    // arch/x86/kernel/setup.c dump_kernel_offset(): "Kernel Offset: 0x%lx from 0x%lx (relocation range: ...)",
    // the second number __START_KERNEL, where _text was linked; arm64 prints KIMAGE_VADDR there
    String log = String.join("\n",
        "[    2.832128] Kernel Offset: 0x2ce00000 from 0xffffffff81000000 (relocation range: 0xffffffff80000000-0xffffffffbfffffff)",
        "[    3.000000] Kernel Offset: disabled",
        "");
    LogIdentity id = LogIdentity.scan(new BufferedInputStream(new ByteArrayInputStream(log.getBytes(StandardCharsets.UTF_8))),
        1 << 20);
    assertEquals(1, id.claims().size(), id.claims().toString());
    assertEquals(java.util.OptionalLong.of(0xffffffff81000000L), id.claims().get(0).textBase());
    KernelIdentity x86 = new KernelIdentity(Optional.of("6.1.192"), Optional.empty(),
        java.util.OptionalLong.of(0xffffffff81000000L));
    assertEquals(Optional.empty(), id.mismatch(x86, "vmlinux"));
    KernelIdentity arm64 = new KernelIdentity(Optional.of("6.1.192"), Optional.empty(),
        java.util.OptionalLong.of(0xffff800008000000L));
    assertEquals(Optional.of("vmlinux does not match the log: line 1 says the kernel's text was linked at "
        + "0xffffffff81000000 (Kernel Offset), vmlinux's starts at 0xffff800008000000"), id.mismatch(arm64, "vmlinux"));
    assertEquals(Optional.empty(), id.mismatch(new KernelIdentity(Optional.of("6.1.192"), Optional.empty()), "vmlinux"),
        "no text start known: nothing to compare");
  }

  @Test
  void anElfWithoutABannerHasNoTextStartToCompare() {
    // the kfix fixture is no kernel: its .text at 0x401000 must not refuse a log's Kernel Offset line
    java.nio.file.Path kfix = dev.ktriage.cli.TestLogs.root().resolve("testdata/elf/kfix/x86_64-dwarf5/kfix.elf");
    KernelIdentity k = KernelIdentity.of(kfix);
    assertEquals(Optional.empty(), k.release());
    assertEquals(java.util.OptionalLong.empty(), k.textStart());
  }
}
