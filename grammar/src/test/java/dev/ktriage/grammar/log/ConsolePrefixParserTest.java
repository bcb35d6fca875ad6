package dev.ktriage.grammar.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Each console prefix form alone and combined, and what it tells (ConsolePrefixParser's table). */
class ConsolePrefixParserTest {

  private final ConsolePrefixParser parser = new ConsolePrefixParser();

  private ConsolePrefixParser.Split split(String line) {
    return parser.split(line);
  }

  @Test
  void noPrefixAtAll() {
    var s = split("executing program");
    assertFalse(s.prefix().present());
    assertEquals("executing program", s.body());
    assertEquals("", s.prefix().context());
  }

  @Test
  void syslogLevelAlone() {
    // dmesg -r: the level is glued to the message, whose own leading space stays.
    var s = split("<3> ffff88801f0c4900: 00 00 fc");
    assertEquals(OptionalInt.of(3), s.prefix().level());
    assertTrue(s.prefix().uptime().isEmpty());
    assertEquals(" ffff88801f0c4900: 00 00 fc", s.body());
    assertEquals("console", s.prefix().context());
  }

  @Test
  void syslogLevelKeepsOnlyTheLevelBitsOfFacilityAndLevel() {
    // <12> is facility user (1 << 3) with level warning (4).
    assertEquals(OptionalInt.of(4), split("<12>hello").prefix().level());
  }

  @Test
  void uptimeAlone() {
    var s = split("[   12.345678] BUG: KASAN: slab-out-of-bounds in f+0x1/0x2");
    assertEquals(12.345678, s.prefix().uptime().getAsDouble(), 1e-9);
    assertEquals("BUG: KASAN: slab-out-of-bounds in f+0x1/0x2", s.body());
    assertEquals("console", s.prefix().context());
  }

  @Test
  void uptimeIsTheDoubleParseDoubleGivesForEveryDigitCount() {
    // The timestamp is read without Double.parseDouble; its value must still be the same double
    // (the JSON prints it), for short, long, and over-long digit runs.
    java.util.Random r = new java.util.Random(7);
    for (int n = 0; n < 200_000; n++) {
      int intDigits = 1 + r.nextInt(n % 10 == 0 ? 12 : 6);
      int fracDigits = 1 + r.nextInt(n % 10 == 1 ? 12 : 9);
      StringBuilder stamp = new StringBuilder();
      for (int k = 0; k < intDigits + fracDigits; k++) {
        stamp.append((char) ('0' + r.nextInt(10)));
      }
      stamp.insert(intDigits, '.');
      double got = split("[" + " ".repeat(r.nextInt(5)) + stamp + "] x").prefix().uptime().getAsDouble();
      assertEquals(Double.parseDouble(stamp.toString()), got, 0.0, stamp.toString());
    }
  }

  @Test
  void uptimeKeepsFrameIndentation() {
    assertEquals(" dump_stack_lvl+0x116/0x1b0", split("[   87.700000]  dump_stack_lvl+0x116/0x1b0").body());
  }

  @Test
  void taskCallerIdAfterUptime() {
    var s = split("[   87.700000][ T5104] Call Trace:");
    assertEquals(Optional.of("T5104"), s.prefix().callerId());
    assertEquals("T5104", s.prefix().context());
    assertEquals("Call Trace:", s.body());
  }

  @Test
  void cpuCallerIdWithWidePadding() {
    var s = split("[  204.190729][    C0]  <NMI>");
    assertEquals(Optional.of("C0"), s.prefix().callerId());
    assertEquals(" <NMI>", s.body());
  }

  @Test
  void utilLinuxDmesgPrintsTheCallerIdAfterASpace() {
    // util-linux dmesg's print_record: "[%5ld.%06ld] " then "[%*s] " with the caller id padded.
    var s = split("[   87.700000] [  T5104]  dump_stack_lvl+0x116/0x1b0");
    assertEquals(Optional.of("T5104"), s.prefix().callerId());
    assertEquals(" dump_stack_lvl+0x116/0x1b0", s.body());
    var t = split("[Mon Dec  7 04:12:13 2026] [    C1] Call Trace:");
    assertEquals(Optional.of("C1"), t.prefix().callerId());
    assertEquals("Call Trace:", t.body());
    // A bracket after the space that is no caller id stays in the body (old x86 frames).
    assertEquals("[<ffffffff81234567>] dump_stack+0x1c/0x20", split("[   87.7] [<ffffffff81234567>] dump_stack+0x1c/0x20").body());
  }

  @Test
  void callerIdWithoutTimestamp() {
    // CONFIG_PRINTK_TIME=n: info_print_prefix() prints print_caller()'s "[%6s]" and a space.
    var s = split("[  T5104]  dump_stack_lvl+0x116/0x1b0");
    assertEquals(Optional.of("T5104"), s.prefix().callerId());
    assertEquals(" dump_stack_lvl+0x116/0x1b0", s.body());
    assertEquals("[T5104]x", split("[T5104]x").body());
  }

  @Test
  void journalctlShortMonotonic() {
    var s = split("[   87.700000] syzkaller kernel:  dump_stack_lvl+0x116/0x1b0");
    assertEquals(87.7, s.prefix().uptime().getAsDouble(), 1e-9);
    assertEquals(Optional.of("kernel"), s.prefix().syslogTag());
    assertEquals(" dump_stack_lvl+0x116/0x1b0", s.body());
    // A message whose second word is not "kernel:" keeps its words.
    assertEquals("usb 1-1: new high-speed USB device", split("[   87.7] usb 1-1: new high-speed USB device").body());
  }

  @Test
  void dmesgIsoTime() {
    // util-linux dmesg --time-format=iso: a comma before the microseconds, no host or tag.
    var s = split("2026-12-07T04:12:13,123456+00:00 [  T5104] BUG: KASAN: use-after-free in f+0x1/0x2");
    assertEquals(Optional.of("2026-12-07T04:12:13,123456+00:00"), s.prefix().wallClock());
    assertEquals(Optional.of("T5104"), s.prefix().callerId());
    assertEquals("BUG: KASAN: use-after-free in f+0x1/0x2", s.body());
    assertEquals("Hardware name: QEMU", split("2026-12-07T04:12:13,123456+00:00 Hardware name: QEMU").body());
    // After a syslog date, "BUG: KASAN:" is no host "BUG:" with the tag "KASAN": no syslog head.
    assertEquals(Optional.empty(), split("2026-12-07T04:12:13+0000 BUG: KASAN: use-after-free in f+0x1/0x2")
        .prefix().syslogTag());
  }

  @Test
  void levelUptimeAndCallerTogether() {
    var s = split("<4>[    5.000001][    T1] Run /init as init process");
    assertEquals(OptionalInt.of(4), s.prefix().level());
    assertEquals(5.000001, s.prefix().uptime().getAsDouble(), 1e-9);
    assertEquals(Optional.of("T1"), s.prefix().callerId());
    assertEquals("Run /init as init process", s.body());
  }

  @Test
  void dmesgHumanTime() {
    var s = split("[Tue Jan  9 14:02:11 2024] BUG: KASAN: stack-out-of-bounds in f+0x1/0x2");
    assertEquals(Optional.of("Tue Jan  9 14:02:11 2024"), s.prefix().wallClock());
    assertTrue(s.prefix().uptime().isEmpty());
    assertEquals("BUG: KASAN: stack-out-of-bounds in f+0x1/0x2", s.body());
  }

  @Test
  void dmesgFacilityAndLevelWithUptime() {
    var s = split("kern  :err   : [  201.452118] Write of size 64 at addr ffff0000c91e5fe0 by task kworker/u8:4/233");
    assertEquals(OptionalInt.of(3), s.prefix().level());
    assertEquals(201.452118, s.prefix().uptime().getAsDouble(), 1e-9);
    assertEquals("Write of size 64 at addr ffff0000c91e5fe0 by task kworker/u8:4/233", s.body());
    assertEquals("console", s.prefix().context());
  }

  @Test
  void dmesgFacilityOfAnotherFacility() {
    var s = split("daemon:info  : [  201.200011] systemd[1]: Starting wpa_supplicant.service");
    assertEquals(OptionalInt.of(6), s.prefix().level());
    assertEquals("systemd[1]: Starting wpa_supplicant.service", s.body());
  }

  @Test
  void syslogKernelLine() {
    var s = split("Feb 14 09:31:02 lab3 kernel: Read of size 1 at addr ffffc9000145fd5f by task insmod/2271");
    assertEquals(Optional.of("Feb 14 09:31:02"), s.prefix().wallClock());
    assertEquals(Optional.of("kernel"), s.prefix().syslogTag());
    assertEquals("console", s.prefix().context());
    assertEquals("Read of size 1 at addr ffffc9000145fd5f by task insmod/2271", s.body());
  }

  @Test
  void indentedSyslogAndDmesgTLinesAsPastedIntoACommitMessage() {
    var s = split("    Sep 28 14:48:15 desktop kernel: UBSAN: array-index-out-of-bounds in drivers/x.c:72:28");
    assertEquals(Optional.of("Sep 28 14:48:15"), s.prefix().wallClock());
    assertEquals(Optional.of("kernel"), s.prefix().syslogTag());
    assertEquals("UBSAN: array-index-out-of-bounds in drivers/x.c:72:28", s.body());
    var t = split("        [Mon Dec  7 10:00:00 2026] BUG: KASAN: invalid-access in arch_stack_walk+0x1/0x2");
    assertEquals(Optional.of("Mon Dec  7 10:00:00 2026"), t.prefix().wallClock());
    assertEquals("BUG: KASAN: invalid-access in arch_stack_walk+0x1/0x2", t.body());
    // indentation alone is the body's (a stack frame's)
    assertEquals("  dump_stack_lvl+0x5d/0x80", split("  dump_stack_lvl+0x5d/0x80").body());
  }

  @Test
  void syslogLineOfAnotherProgramHasItsOwnContext() {
    var s = split("Feb 14 09:31:02 lab3 systemd[1]: Started session-7.scope - Session 7 of User alice.");
    assertEquals(Optional.of("systemd[1]"), s.prefix().syslogTag());
    assertEquals("syslog:systemd[1]", s.prefix().context());
  }

  @Test
  void syslogKernelLineWithPrintkTime() {
    var s = split("Nov 21 10:00:00 host kernel: [   12.345678] BUG: KCSAN: data-race in a / b");
    assertEquals(Optional.of("Nov 21 10:00:00"), s.prefix().wallClock());
    assertEquals(12.345678, s.prefix().uptime().getAsDouble(), 1e-9);
    assertEquals("BUG: KCSAN: data-race in a / b", s.body());
  }

  @Test
  void isoDatedJournalLine() {
    var s = split("2026-11-21T10:00:00.123456+0000 host kernel: Call Trace:");
    assertEquals(Optional.of("2026-11-21T10:00:00.123456+0000"), s.prefix().wallClock());
    assertEquals("Call Trace:", s.body());
  }

  @Test
  void droppedMessagesNoticeAndLoginNoise() {
    var s = split("** 5 printk messages dropped ** [  100.000001] Call Trace:");
    assertTrue(s.prefix().present());
    assertEquals("Call Trace:", s.body());
    var t = split("syzkaller login: [  100.000002][ T42] BUG: KASAN: use-after-free in f+0x1/0x2");
    assertEquals(Optional.of("T42"), t.prefix().callerId());
    assertEquals("BUG: KASAN: use-after-free in f+0x1/0x2", t.body());
  }

  @Test
  void bracketsThatAreNotPrefixesStayInTheBody() {
    // An x86 frame address and a powerpc frame are bodies, not timestamps.
    assertEquals("[<ffffffff82101040>] dump_stack+0x4c/0x65", split("[<ffffffff82101040>] dump_stack+0x4c/0x65").body());
    assertFalse(split("[e32cb7b8] [c0517aac] dump_stack+0xc4/0xf8 (unreliable)").prefix().present());
  }
}
