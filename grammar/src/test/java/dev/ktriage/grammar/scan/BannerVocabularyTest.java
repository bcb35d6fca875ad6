package dev.ktriage.grammar.scan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ktriage.grammar.antlr.KernelReportLexer;
import dev.ktriage.model.Banner;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.Token;
import org.junit.jupiter.api.Test;

/**
 * One banner vocabulary: {@link Banner} spells every banner, and the byte scanner, the island
 * tracker and the lexer (whose literals cannot name Java constants) agree with it.
 */
class BannerVocabularyTest {

  // The lexer's token for each banner.
  private static final Map<Banner, Integer> TOKENS = Map.ofEntries(
      Map.entry(Banner.KASAN, KernelReportLexer.KASAN_BUG),
      Map.entry(Banner.KASAN_4_0, KernelReportLexer.KASAN_4_0_BUG),
      Map.entry(Banner.ADDRESS_SANITIZER, KernelReportLexer.ASAN_BUG),
      Map.entry(Banner.KCSAN, KernelReportLexer.KCSAN_BUG),
      Map.entry(Banner.KMSAN, KernelReportLexer.KMSAN_BUG),
      Map.entry(Banner.KFENCE, KernelReportLexer.KFENCE_BUG),
      Map.entry(Banner.UBSAN, KernelReportLexer.UBSAN_BUG),
      Map.entry(Banner.BUG, KernelReportLexer.BUG_BANNER),
      Map.entry(Banner.WARNING, KernelReportLexer.WARNING_BANNER),
      Map.entry(Banner.INFO, KernelReportLexer.INFO_BANNER),
      Map.entry(Banner.PANIC, KernelReportLexer.PANIC_BANNER),
      Map.entry(Banner.NETDEV_WAIT, KernelReportLexer.NETDEV_WAIT),
      Map.entry(Banner.VFS_BUSY_INODES, KernelReportLexer.VFS_BUSY_INODES),
      Map.entry(Banner.VFS_FILE_COUNT, KernelReportLexer.VFS_FILE_COUNT),
      Map.entry(Banner.SYZFAIL, KernelReportLexer.SYZFAIL_BANNER),
      Map.entry(Banner.SYZFATAL, KernelReportLexer.SYZFATAL_BANNER),
      Map.entry(Banner.GO_FATAL, KernelReportLexer.GO_FATAL_BANNER),
      Map.entry(Banner.TRUSTY_PANIC, KernelReportLexer.TRUSTY_PANIC),
      Map.entry(Banner.RUST_PANIC, KernelReportLexer.RUST_PANIC),
      Map.entry(Banner.REBOOT, KernelReportLexer.REBOOT_BANNER),

      // faults and traps (h-oops-c)
      Map.entry(Banner.GENERAL_PROTECTION, KernelReportLexer.GPF),
      Map.entry(Banner.STACK_SEGMENT, KernelReportLexer.STACK_SEGMENT),
      Map.entry(Banner.UNABLE_TO_HANDLE, KernelReportLexer.UNABLE_TO_HANDLE),
      Map.entry(Banner.KERNEL_BUG, KernelReportLexer.KERNEL_BUG),
      Map.entry(Banner.KERNEL_BUG_CAPITAL, KernelReportLexer.KERNEL_BUG),
      Map.entry(Banner.SLAB_KMALLOC, KernelReportLexer.SLAB_KMALLOC),
      Map.entry(Banner.DIVIDE_ERROR, KernelReportLexer.DIVIDE_ERROR),
      Map.entry(Banner.DIVIDE_ERROR_OLD, KernelReportLexer.DIVIDE_ERROR),
      Map.entry(Banner.INVALID_OPCODE, KernelReportLexer.INVALID_OPCODE),
      Map.entry(Banner.INT3, KernelReportLexer.INT3),
      Map.entry(Banner.DOUBLE_FAULT, KernelReportLexer.DOUBLE_FAULT),
      Map.entry(Banner.INTERNAL_ERROR, KernelReportLexer.INTERNAL_ERROR),
      Map.entry(Banner.UNHANDLED_FAULT, KernelReportLexer.UNHANDLED_FAULT),
      Map.entry(Banner.ALIGNMENT_TRAP, KernelReportLexer.ALIGNMENT_TRAP));

  @Test
  void everyBannerIsOneLexerTokenOfItsOwn() {
    assertEquals(Banner.values().length, TOKENS.size(), "a banner without a lexer token");
    for (Banner b : Banner.values()) {
      KernelReportLexer lexer = new KernelReportLexer(CharStreams.fromString(b.text() + "x in f+0x1/0x2\n"));
      Token t = lexer.nextToken();
      assertEquals((int) TOKENS.get(b), t.getType(), b.name());
      assertEquals(b.text(), t.getText(), b.name());
    }
  }

  @Test
  void theScannerAndTheTrackerFindEveryBanner() {
    for (Banner b : Banner.values()) {
      String line = "noise " + b.text() + "kind in f+0x1/0x2";
      byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
      assertEquals(6, BlockSummary.of(bytes, bytes.length).banner(), b.name());
      // a header that must start its line (the Go runtime's) is found there, and only there
      boolean lineStart = OopsHeaders.HEADERS.stream().anyMatch(h -> h.banner() == b && h.lineStart());
      String found = lineStart ? line.substring(6) : line;
      assertEquals(b, Banners.find(found).orElseThrow().banner());
      assertEquals(lineStart ? 0 : 6, Banners.find(found).orElseThrow().index());
      assertEquals(lineStart, Banners.find(line).isEmpty(), b.name());
    }
  }
}
