package dev.ktriage.grammar.title;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** One prefix comes off, whichever leaves the shortest name, as syzbot does. */
class SyscallPrefixesTest {

  private final SyscallPrefixes p = new SyscallPrefixes();

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "__x64_sys_rmdir, sys_rmdir",       // __x64_ is the longest prefix it has
      "__se_sys_mremap, mremap",          // __se_sys_ beats __se_
      "__do_sys_setxattr, setxattr",
      "SyS_fcntl, fcntl",
      "__arm64_sys_ioctl, sys_ioctl",
      "ksys_write, write",
      "____sys_sendmsg, sendmsg",
      "ext4_fill_super, ext4_fill_super", // no prefix: unchanged
  })
  void stripsOnePrefix(String in, String want) {
    assertEquals(want, p.strip(in));
  }

  @Test
  void variantsAreThePrintedNameAndEachSingleStrip() {
    assertEquals(List.of("__se_sys_mremap", "sys_mremap", "mremap"), p.variants("__se_sys_mremap"));
    assertEquals(List.of("foo"), p.variants("foo"));
  }
}
