package dev.ktriage.depot.stack;

import static dev.ktriage.depot.stack.Frames.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import java.util.List;
import org.junit.jupiter.api.Test;

class StackNormalizerTest {
  private final StackNormalizer n = new StackNormalizer();

  private List<String> keys(List<Frame> frames) {
    return n.normalize(frames).stream().map(NormalizedFrame::key).toList();
  }

  @Test
  void dropsReportingAndSanitizerFramesAndCloneSuffixes() {
    assertEquals(List.of("ext4_fill_super", "mount_bdev"), keys(List.of(
        frame("dump_stack_lvl"), frame("print_address_description.constprop.0"), frame("print_report"),
        frame("kasan_report"), frame("__asan_report_load8_noabort"), frame("kasan_check_range"),
        frame("ext4_fill_super.isra.12"), frame("mount_bdev.cold"))));
  }

  @Test
  void keepsKasanTestFunctionsThatAreNotRuntime() {
    assertEquals(List.of("kmalloc_oob_right", "kasan_test_run"), keys(List.of(frame("kasan_report"),
        frame("kmalloc_oob_right"), frame("kasan_test_run"))));
  }

  @Test
  void dropsUnreliableFrames() {
    assertEquals(List.of("a", "b"), keys(List.of(frame("a"), Frames.unreliable("noise"), frame("b"))));
  }

  @Test
  void cutsTheInterruptedContextByMarker() {
    assertEquals(List.of("tcp_write_timer", "call_timer_fn"), keys(List.of(
        frame("tcp_write_timer", FrameContext.IRQ), frame("call_timer_fn", FrameContext.IRQ),
        frame("default_idle", FrameContext.TASK), frame("do_idle", FrameContext.TASK))));
  }

  @Test
  void cutsAfterInterruptEntryByName() {
    assertEquals(List.of("tcp_write_timer", "__do_softirq"), keys(List.of(frame("tcp_write_timer"),
        frame("__do_softirq"), frame("irq_exit_rcu"), frame("default_idle"))));
  }

  @Test
  void inlinedCalleesBecomeFramesInnermostFirst() {
    assertEquals(List.of("iocb_destroy", "iocb_put", "io_submit_one"),
        keys(List.of(Frames.inlining("io_submit_one", "iocb_destroy", "iocb_put"))));
  }

  @Test
  void syscallWrappersGetOneNameAndRepeatsCollapse() {
    assertEquals(List.of("io_submit_one", "sys_io_submit"), keys(List.of(frame("io_submit_one"),
        frame("__do_sys_io_submit"), frame("__se_sys_io_submit"), frame("__x64_sys_io_submit"),
        frame("do_syscall_64"), frame("entry_SYSCALL_64_after_hwframe"))));
    assertEquals(List.of("x", "sys_io_submit"), keys(List.of(frame("x"), frame("__arm64_sys_io_submit"),
        frame("invoke_syscall"), frame("el0_svc"))));
    assertEquals("ksys_read", NormalizationRules.canonicalSyscall("ksys_read"));
  }

  @Test
  void offsetsAreDataNotIdentity() {
    var a = n.normalize(List.of(Frames.withOffset("f", 0x10)));
    var b = n.normalize(List.of(Frames.withOffset("f", 0x99)));
    assertEquals(a.getFirst().key(), b.getFirst().key());
    assertEquals(0x10, a.getFirst().offset().getAsLong());
  }

  @Test
  void moduleIsPartOfTheKey() {
    assertEquals(List.of("hid_field_extract [hid]"), keys(List.of(Frames.inModule("hid_field_extract", "hid"))));
  }

  @Test
  void capsAtTheKernelsMaxFrames() {
    List<Frame> many = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      many.add(frame("f" + i));
    }
    assertEquals(StackNormalizer.MAX_FRAMES, keys(many).size());
  }

  @Test
  void keepsAllocatorFramesAndDropsTheKasanRuntimeByTheOneTable() {
    // The same table decides titles and evidence; stacks keep allocator frames (evidence looks past them).
    assertEquals(List.of("kfree", "test_case_helper", "kasan_strings_helper"), keys(List.of(frame("kasan_save_stack"),
        frame("__kasan_slab_free"), frame("kfree"), frame("test_case_helper"), frame("kasan_strings_helper"))));
  }
}
