package dev.ktriage.grammar.frame;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.grammar.frame.DecodedFrame.Source;
import dev.ktriage.model.SourceLocation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * The shapes {@link FrameSyntax} decodes beyond what the symbolizer looks up (FrameLineRecognizerTest
 * has those): what the report parser needs from a frame line, as the kernel and the scripts print it.
 */
class FrameSyntaxTest {

  private static DecodedFrame line(String body) {
    return FrameSyntax.line(body).orElseThrow(() -> new AssertionError("not a frame: " + body));
  }

  @Test
  void decodeStacktraceChainsModulesAndDiscriminators() {
    // scripts/decode_stacktrace.sh: "name (chain)" then the module, bare; addr2line -i prints the
    // innermost location first.
    DecodedFrame d = line("? foo_lock (./include/linux/spinlock.h:351 net/foo/core.c:120) foo");
    assertEquals(Source.CALL_TRACE, d.source());
    assertEquals("foo_lock", d.function());
    assertFalse(d.reliable());
    assertEquals(Optional.of("foo"), d.module());
    assertEquals(OptionalLong.empty(), d.offset());
    assertEquals(List.of(new SourceLocation("./include/linux/spinlock.h", 351), new SourceLocation("net/foo/core.c", 120)),
        d.sources());
    assertEquals(Optional.of(new SourceLocation("net/foo/core.c", 120)), d.location());
    assertEquals(Optional.of(new SourceLocation("lib/dump_stack.c", 107)),
        line("dump_stack_lvl (lib/dump_stack.c:107 (discriminator 1))").location());
    // addr2line -p's form of the chain.
    assertEquals(Optional.of(new SourceLocation("token.c", 82)),
        line("__token_bucket_busy (token.c:74 (inlined by) token.c:82)").location());
    // arm64's (P) after the module (decode_stacktrace.sh since 6.14).
    assertTrue(line(" el1h_64_sync (arch/arm64/kernel/entry.S:594) (P)").fromPc());
    // Nothing to look up: a symbolizer leaves these lines alone.
    assertEquals(Optional.empty(), d.frameLine());
  }

  @Test
  void armLinesNameTheirCallee() {
    DecodedFrame d = line(" kmalloc_oob_right [kasan_test] from kunit_try_run_case+0x8c/0x14c [kunit]");
    assertEquals("kunit_try_run_case", d.function());
    assertEquals(Optional.of("kunit"), d.module());
    assertEquals("kmalloc_oob_right", d.callee().orElseThrow().function());
    assertEquals(Optional.of("kasan_test"), d.callee().orElseThrow().module());
    DecodedFrame v = line("[<c05e0bfc>] (__asan_load4) from [<c0fd5c20>] (soc_device_match+0x64/0xe4)");
    assertEquals(OptionalLong.of(0xc05e0bfcL), v.callee().orElseThrow().address());
    assertEquals(OptionalLong.of(0xc0fd5c20L), v.address());
    // decode_stacktrace.sh on an arm 5.18 line.
    assertEquals("dump_stack_lvl", line(" show_stack from dump_stack_lvl (lib/dump_stack.c:107)").function());
  }

  @Test
  void registersNamingCode() {
    assertEquals(Source.PC_REGISTER, line("--- interrupt: 900 at plpar_hcall_norets_notrace+0x18/0x2c").source());
    assertEquals(Source.LINK_REGISTER, line("    LR = _raw_spin_unlock_irqrestore+0x28/0x48").source());
    DecodedFrame psw = line("Krnl PSW : 0704c00180000000 000000000012345a (foo+0x1a/0x40)");
    assertEquals(Source.PC_REGISTER, psw.source());
    assertEquals("foo", psw.function());
    assertEquals(OptionalLong.of(0x12345aL), psw.address());
    // A user-mode pc is no kernel location.
    assertEquals(Optional.empty(), FrameSyntax.line("--- interrupt: c00 at 0x591274"));
  }

  @Test
  void segmentMarkersRawFramesAndNulls() {
    DecodedFrame m = line(" <IRQ>  [<ffffffff82101040>] dump_stack+0x4c/0x65");
    assertEquals(Optional.of("<IRQ>"), m.segment());
    assertEquals("dump_stack", m.function());
    DecodedFrame raw = line("[c000000007c6fef0] [c000000007c6ff50] 0xc000000007c6ff50 (unreliable)");
    assertFalse(raw.hasSymbol());
    assertFalse(raw.reliable());
    // powerpc prints %pS of a null return address as "(null)": no frame.
    assertEquals(Optional.empty(), FrameSyntax.line("[e2b8fe00] [00000000]           (null) (unreliable)"));
  }

  @Test
  void inlineLinesAndHeaderLocations() {
    DecodedFrame i = line(" memcpy include/linux/fortify-string.h:57 [inline]");
    assertEquals(Source.INLINE, i.source());
    assertEquals("memcpy", i.function());
    FrameSyntax.Located loc = FrameSyntax.location("foo_lock (./include/linux/spinlock.h:351 net/foo/core.c:120) foo", 0)
        .orElseThrow();
    assertEquals(Optional.of("foo"), loc.frame().module());
    assertEquals(64, loc.end());
    // A header's location stops before the 4.x address.
    String h = "bar+0x1/0x2 at addr ffff880012345678";
    assertEquals("bar+0x1/0x2".length(), FrameSyntax.location(h, 0).orElseThrow().end());
  }

  @Test
  void plainFastPath() {
    FrameSyntax.FuncRef f = FrameSyntax.plain("ext4_fill_super+0x1f3e/0x25a0");
    assertEquals(new FrameSyntax.FuncRef("ext4_fill_super", 0x1f3e, OptionalLong.of(0x25a0)), f);
    assertNull(FrameSyntax.plain(" ext4_fill_super+0x1f3e/0x25a0"));
    assertNull(FrameSyntax.plain("ext4_fill_super+0x1f3e/0x25a0 [ext4]"));
  }
}
