package dev.ktriage.grammar.title;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Each replacement syzbot applies to titles, alone and where they meet. */
class TitleNormalizerTest {

  private final TitleNormalizer n = new TitleNormalizer();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "KASAN: use-after-free Read in foo | KASAN: use-after-free Read in foo",
      "WARNING in syz-executor.3/1234 | WARNING in syz-executor",
      "INFO: task syz-executor5:4242 blocked | INFO: task syz-executor blocked",
      "BUG: bad net syzkaller0 | BUG: bad net syzkaller",
      "KASAN: slab-out-of-bounds in ip6_fragment at addr ffff88004ec29b58 | KASAN: slab-out-of-bounds in ip6_fragment at addr ADDR",
      "general protection fault at 0x1234567abcd | general protection fault at ADDR",
      "connect to 10.128.0.163 failed | connect to IP failed",
      "WARNING in net/core/dev.c:12345 | WARNING in net/core/dev.c:LINE",
      "KCSAN: data-race in foo+0x1a/0x40 | KCSAN: data-race in foo",
      "BUG: stall on CPU#3 | BUG: stall on CPU",
      "INFO: Freed in fasync_free_rcu age=42 cpu=1 pid=1234 | INFO: Freed in fasync_free_rcu age=NUM cpu=NUM pid=NUM",
      "KASAN: use-after-free in do_con_write.part.0 at addr ffff | KASAN: use-after-free in do_con_write.part.NUM at addr ffff",
      "WARNING in cfg80211_conn_work | WARNING in cfg80211_conn_work",
      "WARNING in nl802154_new_interface | WARNING in nl802154_new_interface",
      "BUG: corrupted 12345678 x | BUG: corrupted ADDR x",    // six or more hex digits win over NUM
      "value x12345678y | value xNUMy",                        // long digit runs even inside words
  })
  void replacesVolatileParts(String in, String want) {
    assertEquals(want, n.normalize(in));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "'KASAN:\tslab-out-of-bounds   Read' | KASAN: slab-out-of-bounds Read",
      "'  padded  ' | padded",
  })
  void tidiesWhitespace(String in, String want) {
    assertEquals(want, n.normalize(in));
  }

  @org.junit.jupiter.api.Test
  void cutsLongTitles() {
    String t = n.normalize("KASAN: " + "x".repeat(300));
    assertEquals(TitleNormalizer.MAX_LENGTH, t.length());
  }

  @org.junit.jupiter.api.Test
  void dropsNonPrintableCharacters() {
    assertEquals("KASAN: oops", n.normalize("KASAN: \u0001oo\u00e9ps"));
  }

  @org.junit.jupiter.api.Test
  void preChecksNeverSkipARewriteThatApplies() {
    // Titles built from the pieces each pattern looks for, glued in random orders: the pre-checks
    // may only skip patterns that cannot match, so both ways must agree on every title.
    String[] pieces = {"KASAN: ", "KCSAN: data-race in ", "syz-executor", "syz-executor.", "syzkaller", "0x", "ffff",
        "88801f0c4900", "deadbe", "cafe", "10.0.2.15", ".c", ":123", "+0x1a/0x40", "+0x", "CPU#", "1", "23", "4567890",
        "cfg80211", " ", "/", "_", ".", "-", "ext4_fill_super", "a", "f", "\t", "\u00e9"};
    java.util.Random r = new java.util.Random(11);
    for (int k = 0; k < 100_000; k++) {
      StringBuilder t = new StringBuilder();
      for (int p = r.nextInt(8); p >= 0; p--) {
        t.append(pieces[r.nextInt(pieces.length)]);
      }
      String title = t.toString();
      assertEquals(n.normalize(title, false), n.normalize(title), title);
    }
  }
}
