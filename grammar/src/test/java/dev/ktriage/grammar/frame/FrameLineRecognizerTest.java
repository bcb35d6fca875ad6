package dev.ktriage.grammar.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.frame.FrameLine.Kind;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** The line shapes {@link FrameLineRecognizer} knows, as the kernel prints them, and near misses. */
class FrameLineRecognizerTest {

  private final FrameLineRecognizer r = new FrameLineRecognizer();

  private FrameLine frame(String body) {
    return r.recognize(body).orElseThrow(() -> new AssertionError("not a frame: " + body));
  }

  private FrameLine traceFrame(String body, String function, long offset, long size) {
    FrameLine f = frame(body);
    assertEquals(Kind.TRACE, f.kind(), body);
    assertEquals(function, f.function(), body);
    assertEquals(OptionalLong.of(offset), f.offset(), body);
    assertEquals(OptionalLong.of(size), f.size(), body);
    return f;
  }

  private void none(String body) {
    assertEquals(Optional.empty(), r.recognize(body), body);
  }

  @Test
  void x86TraceFrames() {
    FrameLine f = traceFrame(" ext4_fill_super+0x1f3e/0x25a0 [ext4]", "ext4_fill_super", 0x1f3e, 0x25a0);
    assertEquals(Optional.of("ext4"), f.module());
    assertTrue(f.reliable());
    assertFalse(f.exactPc());

    FrameLine u = frame(" ? __kasan_check_read.isra.0+0x5/0x10");
    assertFalse(u.reliable());
    assertEquals("__kasan_check_read.isra.0", u.function());

    FrameLine b = frame(" snd_pcm_open+0x10/0x20 [snd_pcm 0123456789abcdef0123456789abcdef01234567]");
    assertEquals(Optional.of("snd_pcm"), b.module());
    assertEquals(Optional.of("0123456789abcdef0123456789abcdef01234567"), b.moduleBuildId());
    assertEquals(OptionalLong.empty(), frame("func+0x10").size());
  }

  @Test
  void kcsanHeaderAndReorderedToAreReturnAddresses() {
    // kernel/kcsan/report.c print_report(): %pS of replace_stack_entry()'s entries.
    FrameLine h = frame("BUG: KCSAN: data-race in test_kernel_read+0x10/0x20");
    assertEquals(Kind.RACE_HEADER, h.kind());
    assertEquals("test_kernel_read", h.function());
    assertEquals(OptionalLong.of(0x10), h.offset());
    assertFalse(h.exactPc());
    none("BUG: KCSAN: data-race in test_kernel_read / test_kernel_write"); // no location to look up
    traceFrame("  +-> reordered to: test_kernel_assert_writer_scoped+0x3b/0x50", "test_kernel_assert_writer_scoped",
        0x3b, 0x50);
    none("  |");
    assertEquals(Kind.REPORT_HEADER, frame("BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40").kind());
  }

  @Test
  void rawAddressesBesideFrames() {
    FrameLine f = frame(" [<ffffffff81234567>] ? dump_stack+0x4d/0x72");
    assertEquals(OptionalLong.of(0xffffffff81234567L), f.address());
    assertFalse(f.reliable());
    FrameLine ppc = frame("[c0000000001a2b3c] [c000000000123456] foo+0x1a/0x40 (unreliable)");
    assertEquals(OptionalLong.of(0xc000000000123456L), ppc.address());
    assertFalse(ppc.reliable());
    FrameLine s390 = frame(" ([<000000000012345a>] foo+0x1a/0x40)");
    assertEquals(OptionalLong.of(0x12345aL), s390.address());
    assertEquals("foo", s390.function());
  }

  @Test
  void rawOnlyFrames() {
    FrameLine q = frame(" ? 0xffffffffc0123456");
    assertFalse(q.hasSymbol());
    assertEquals(OptionalLong.of(0xffffffffc0123456L), q.address());
    assertFalse(q.reliable());
    assertEquals(OptionalLong.of(0xffffffff81234567L), frame(" [<ffffffff81234567>]").address());
    assertEquals(OptionalLong.of(0x1234L), frame(" [<ffffffff81234567>] 0x1234").address());
  }

  @Test
  void registerLines() {
    FrameLine rip = frame("RIP: 0010:ext4_xattr_set_entry+0x1c56/0x1e70");
    assertEquals(Kind.FAULT_PC, rip.kind());
    assertTrue(rip.exactPc());
    assertEquals("ext4_xattr_set_entry", rip.function());
    assertEquals(Kind.FAULT_PC, frame("RIP: 0010:[<ffffffff81234567>]  [<ffffffff81234567>] foo+0x12/0x40").kind());
    assertEquals(Kind.FAULT_PC, frame("EIP: foo+0x12/0x40").kind());
    assertEquals(Kind.FAULT_PC, frame("EIP: [<c1234567>] foo+0x12/0x40 SS:ESP 0068:f5c0bde4").kind());
    assertEquals(Kind.FAULT_PC, frame("IP: [<ffffffff81234567>] foo+0x12/0x40").kind());
    assertEquals(Kind.FAULT_PC, frame("pc : foo+0x1c/0x40").kind());
    assertEquals(Kind.FAULT_PC, frame("PC is at foo+0x1c/0x40").kind());
    assertEquals(Kind.FAULT_PC, frame("NIP [c000000000a1b2c0] foo+0x12/0x40").kind());
    assertEquals(Kind.FAULT_PC, frame(" epc : foo+0x12/0x40").kind());
    FrameLine lr = frame("lr : bar+0x8/0x20");
    assertEquals(Kind.LINK_REGISTER, lr.kind());
    assertFalse(lr.exactPc());
    assertEquals(Kind.LINK_REGISTER, frame("LR is at bar+0x8/0x20").kind());
    assertEquals(Kind.LINK_REGISTER, frame("LR [c000000000a1b2c0] bar+0x8/0x20").kind());
    assertEquals(Kind.LINK_REGISTER, frame(" ra : bar+0x8/0x20").kind());
    // User mode is not a kernel location.
    none("RIP: 0033:0x7f3a2e27dda9");
    none("RIP: 0023:0xf7fc1549");
    // Register dumps without a location.
    none("NIP:  c000000000a1b2c0 LR: c000000000a1b2c4 CTR: 0000000000000000");
    none("RSP: 0018:ffffc90003a7f9e8 EFLAGS: 00010246");
  }

  @Test
  void arm64FrameSources() {
    assertEquals(Kind.FAULT_PC, frame(" foo+0x1c/0x40 (P)").kind());
    assertEquals(Kind.TRACE, frame(" foo+0x1c/0x40 (L)").kind());
    assertEquals(Kind.TRACE, frame(" foo+0x1c/0x40 (C)").kind());
  }

  @Test
  void armCallerIsTheFrame() {
    // CONFIG_BACKTRACE_VERBOSE: the callee ran at the first address, the caller returns to the second.
    FrameLine v = traceFrame("[<c0123456>] (unwind_backtrace) from [<c0123400>] (show_stack+0x10/0x14)",
        "show_stack", 0x10, 0x14);
    assertEquals(OptionalLong.of(0xc0123400L), v.address());
    assertFalse(v.exactPc());
    // Since 5.18, without addresses; a module inside or after.
    FrameLine p = frame(" kasan_report from __asan_load4+0x54/0x9c [kfix]");
    assertEquals("__asan_load4", p.function());
    assertEquals(Optional.of("kfix"), p.module());
    assertEquals(OptionalLong.empty(), p.address());
    assertEquals(Optional.of("ext4"),
        frame("[<bf012345>] (ext4_iget) from [<bf0234a0>] (ext4_lookup+0xa0/0x1d0 [ext4])").module());
    // Before 4.x the callee had its entry offset too.
    assertEquals("dump_stack", frame("[<c0013f1c>] (unwind_backtrace+0x0/0xf0) from [<c0011b1c>] (dump_stack+0x10/0x14)")
        .function());
    // Already symbolized by an earlier run.
    assertTrue(frame(" show_stack from dump_stack_lvl+0x40/0x4c lib/dump_stack.c:107").symbolized());
  }

  @Test
  void kasanHeader() {
    FrameLine h = frame("BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40 [mod]");
    assertEquals(Kind.REPORT_HEADER, h.kind());
    assertTrue(h.exactPc());
    assertEquals("foo", h.function());
    assertEquals(Optional.of("mod"), h.module());
    assertEquals("bar", frame("BUG: KASAN: use-after-free in bar+0x1/0x2 at addr ffff880012345678").function());
    none("BUG: KCSAN: data-race in foo / bar");
    none("BUG: KASAN: double-free or invalid-free in 0xffff");
  }

  @Test
  void alreadySymbolizedLinesAreMarked() {
    assertTrue(frame(" foo+0x1/0x2 mm/x.c:12").symbolized());
    assertTrue(frame(" foo+0x1/0x2 [ext4] fs/ext4/super.c:12").symbolized());
    assertTrue(frame(" foo+0x1/0x2 (mm/x.c:12)").symbolized());
    assertTrue(frame(" foo+0x1/0x2 (include/x.h:3 mm/x.c:12)").symbolized());
    assertTrue(frame("BUG: KASAN: slab-out-of-bounds in foo+0x1a/0x40 mm/x.c:12").symbolized());
    assertFalse(frame(" foo+0x1/0x2").symbolized());
  }

  @Test
  void nearMisses() {
    none("");
    none("Call Trace:");
    none(" <TASK>");
    none("value changed: 0x00000000 -> 0x00000001");
    none("Read of size 8 at addr ffff888012345678 by task a/1");
    none(" memcpy include/linux/string.h:12 [inline]");
    none(" foo+0x1/0x2 and then some words");
    none(" foo+1/2");
    none(" 0x12zz");
    none("Code: 48 89 f8 0f 05 <48> 3d 01 f0 ff ff");
    none(" unwind_backtrace from show_stack");
    none(" Function entered at [<c0123456>] from [<c0123400>]");
    none(" foo from bar+0x10/0x14 and more");
    none("[<c0123456>] (unwind_backtrace) from [<c0123400>] (show_stack+0x10/0x14");
  }
}
