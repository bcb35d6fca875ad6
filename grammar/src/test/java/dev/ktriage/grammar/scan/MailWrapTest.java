package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Single joins of {@link MailWrap}: a header whose location or source part a mail client moved to
 * the next line is joined; a complete header followed by the line the kernel prints after it is not.
 * (MailWrapInvariantsTest checks whole logs wrapped at 72-80 columns.)
 */
class MailWrapTest {

  private final MailWrap wrap = new MailWrap();

  private Optional<MailWrap.Rule> joins(String prev, String next) {
    return wrap.joins(prev, prev.length(), next);
  }

  @Test
  void ubsanHeaderTakesItsSourcePositionFromTheNextLine() {
    // lib/ubsan.c ubsan_prologue(): "UBSAN: %s in %s:%d:%d" with the source location of the check
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("UBSAN: array-index-out-of-bounds in", "drivers/acpi/acpica/tbfadt.c:459:37"));
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("UBSAN: shift-out-of-bounds in", "./arch/x86/include/asm/topology.h:72:28"));
    // journald's prefix and "> " made the line 70 columns wide: the client broke it before "in"
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        wrap.joins("UBSAN: array-index-out-of-bounds", 70, "in net/mac80211/rc80211_minstrel_ht.c:409:33"));
    assertEquals(Optional.empty(),
        wrap.joins("UBSAN: array-index-out-of-bounds", 70, "index 12 is out of range for type 's8 [12]'"));
    // the line the kernel prints next is no location
    assertEquals(Optional.empty(),
        joins("UBSAN: array-index-out-of-bounds in", "index -1 is out of range for type 'cpumask *[1024]'"));
  }

  @Test
  void symbolizedHeaderTakesItsSourceTailFromTheNextLine() {
    // syzbot's symbolized KMSAN header, an inlined frame first
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("BUG: KMSAN: kernel-infoleak in instrument_copy_to_user", "include/linux/instrumented.h:114 [inline]"));
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("BUG: KMSAN: uninit-value in virtqueue_add+0x21c6/0x6530", "drivers/virtio/virtio_ring.c:2210"));
    // the stack after a whole header begins with a function: not a tail
    assertEquals(Optional.empty(),
        joins("BUG: KMSAN: kernel-infoleak in _copy_to_user+0xbc/0x110 lib/usercopy.c:45",
            " instrument_copy_to_user include/linux/instrumented.h:114 [inline]"));
    assertEquals(Optional.empty(),
        joins("BUG: KASAN: slab-out-of-bounds in kmalloc_oob_right+0x385/0x3a0 [kasan_test]",
            "Write of size 1 at addr ffff88800bd6e173 by task kunit_try_catch/1283"));
  }

  @Test
  void kfenceAccessLineGoesOnToItsColon() {
    // mm/kfence/report.c: "Corrupted memory at 0x%p [ ... ] (in kfence-#%td):"
    assertEquals(Optional.of(MailWrap.Rule.ACCESS_LINE),
        joins("Corrupted memory at 0xffff88823bf5a0d0 [ 0x00 0x00 0x00 0x00 0x00 0x00 0x00 0x00 ] (in",
            "kfence-#172):"));
    assertEquals(Optional.empty(),
        joins("Use-after-free read at 0x000000006c9a2b4d (in kfence-#117):",
            " test_use_after_free_read+0x114/0x240"));
  }

  @Test
  void decodeStacktraceChainBrokenInsideItsParenthesesIsJoined() {
    // scripts/decode_stacktrace.sh: "func (file:line (inlined by) file:line)"
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("BUG: KASAN: use-after-free in __token_bucket_busy (net/foo/token.c:74 (inlined",
            "by) net/foo/token.c:82)"));
    // kernel/kcsan/report.c: "BUG: KCSAN: data-race in f / g", broken after "in"
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("BUG: KCSAN: data-race in", "__change_page_attr / __change_page_attr"));
    // a chain of five positions, broken after "in" and then inside the parentheses
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("BUG: KASAN: wild-memory-access in", "dmar_parse_one_rhsa (arch/x86/include/asm/bitops.h:214"));
    assertEquals(Optional.of(MailWrap.Rule.HEADER_LOCATION),
        joins("BUG: KASAN: wild-memory-access in dmar_parse_one_rhsa (arch/x86/include/asm/bitops.h:214",
            "arch/x86/include/asm/bitops.h:226"));
    // balanced parentheses: the header is whole
    assertEquals(Optional.empty(),
        joins("BUG: KASAN: use-after-free in __token_bucket_busy (net/foo/token.c:74 (inlined by) net/foo/token.c:82)",
            "Read of size 4 at addr ffff888021a3c0f0 by task syz-executor653/3198"));
  }
}
