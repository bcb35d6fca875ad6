package dev.ktriage.depot.stack;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules that turn printed frames into the frames the depot stores, in one table with a reason
 * for each. Patterns match the whole function name after {@link #stripSuffixes(String)}.
 *
 * <p>Immutable and thread-safe.
 */
public final class NormalizationRules {
  private NormalizationRules() {} // no instance

  /** What a matching rule does to a frame. */
  public enum Action {
    /** The frame is dropped; the frames around it stay. */
    DROP,
    /**
     * The frame is kept and every frame after it (its callers) is cut off: what the kernel's
     * {@code filter_irq_stacks()} does at the first frame in {@code .irqentry.text}/{@code .softirqentry.text}.
     */
    CUT_AFTER
  }

  /**
   * One rule.
   *
   * @param action what happens to a matching frame
   * @param pattern the function names it matches
   * @param reason why
   */
  public record Rule(Action action, Pattern pattern, String reason) {}

  private static Rule drop(String regex, String reason) {
    return new Rule(Action.DROP, Pattern.compile(regex), reason);
  }

  private static Rule cutAfter(String regex, String reason) {
    return new Rule(Action.CUT_AFTER, Pattern.compile(regex), reason);
  }

  /** The rules, tried in order; the first match decides. */
  public static final List<Rule> RULES = List.of(
      drop("(__)?dump_stack(_lvl)?|show_stack|dump_backtrace|sched_show_task|show_regs",
          "report printing (lib/dump_stack.c, arch show_stack): prints the stack, is not part of it"),
      drop("print_address_description|print_report|print_error_description|print_track|print_memory_metadata"
              + "|describe_object(_addr|_stacks)?|print_trailer|print_section|start_report|end_report"
              + "|check_panic_on_warn|panic",
          "KASAN report printing (mm/kasan/report.c) and panic_on_warn: the same for every report"),
      drop("_*kasan_(report|check|save|set|record|slab|kmalloc|krealloc|poison|unpoison|mempool|populate"
              + "|byte|addr|complete|enable|disable|track|find|print|metadata|init|free|alloc|cache|quarantine"
              + "|large|kfree|object|vmalloc|unpoison_pages|poison_pages|softirq)\\w*"
              + "|check_memory_region(_inline)?|check_region_inline|memory_is_poisoned\\w*"
              + "|qlist_free_all|qlink_free|quarantine_\\w+|save_stack|set_track",
          "KASAN runtime (mm/kasan/*.c): checks, report entry and alloc/free stack recording; kasan test"
              + " functions (kasan_test_*, kasan_strings) do not start with these words and stay"),
      drop("__(asan|hwasan|tsan|ubsan|msan|sanitizer)_\\w+",
          "compiler-inserted sanitizer callbacks: which one fires depends on access size and compiler"),
      drop("_*kcsan_\\w+",
          "KCSAN runtime (kernel/kcsan/*.c): watchpoints and reporting; the test module uses test_* names"),
      drop("_*kmsan_\\w+|kmsan_\\w+",
          "KMSAN runtime (mm/kmsan/*.c)"),
      drop("instrument_\\w+",
          "include/linux/instrumented.h wrappers (inlined): sanitizer hooks around atomics and copies"),
      drop("stack_trace_save\\w*|stack_depot_save\\w*|arch_stack_walk|save_stack_trace\\w*|__save_stack_trace"
              + "|unwind_\\w+|__unwind_start|return_address",
          "the unwinder recording the stack: its own frames at the top of alloc/free stacks"),
      drop("__do_kernel_fault|do_bad_area|do_tag_check_fault|do_mem_abort|el1_abort|el1h_64_sync(_handler)?"
              + "|report_tag_fault|do_sea|exc_page_fault|asm_exc_page_fault|page_fault_oops|kernelmode_fixup_or_oops",
          "fault entry that delivered a KASAN tag-check fault or a kernel-mode fault: the same for every bug"),
      cutAfter("__do_softirq|handle_softirqs|do_softirq_own_stack|sysvec_\\w+|asm_sysvec_\\w+|common_interrupt"
              + "|asm_common_interrupt|spurious_interrupt|smp_apic_timer_interrupt|apic_timer_interrupt|do_IRQ"
              + "|el[01]_interrupt|el1h_64_irq\\w*|el0t_64_irq\\w*|gic_handle_irq|handle_arch_irq"
              + "|call_on_irq_stack|do_interrupt_handler",
          "interrupt entry (.irqentry.text/.softirqentry.text): lib/stackdepot.c filter_irq_stacks() cuts"
              + " here because what was interrupted is unrelated to the bug"),
      drop("entry_SYSCALL_64\\w*|do_syscall_64|do_syscall_x64|do_syscall_32_irqs_on|__?do_fast_syscall_32"
              + "|entry_SYSENTER_compat\\w*|entry_INT80_compat|el0_svc\\w*|el0t_64_sync\\w*|el0_sync\\w*"
              + "|invoke_syscall|do_el0_svc\\w*|ret_fast_syscall|vector_swi|system_call\\w*|__do_syscall"
              + "|ret_from_fork(_asm)?|x64_sys_call|ia32_sys_call",
          "architecture syscall/kthread entry glue: differs per arch and config, says nothing about the bug"));

  /** Compiler clone suffixes: {@code .isra.0}, {@code .constprop.3}, {@code .part.1}, {@code .cold}, {@code .llvm.123}. */
  private static final Pattern SUFFIX = Pattern.compile("(\\.(isra|constprop|part|cold|llvm|lto_priv)(\\.\\d+)?)+$");

  /**
   * Syscall wrappers: {@code __x64_sys_read}, {@code __arm64_sys_read}, {@code __se_sys_read},
   * {@code __do_sys_read}, {@code SyS_read} and {@code SYSC_read} all become {@code sys_read}, so that
   * one bug reached through the same syscall on two arches or kernel generations has one stack.
   */
  private static final Pattern SYSCALL = Pattern.compile(
      "(?:__x64_|__ia32_|__arm64_|__riscv_|__s390x_|__s390_|__powerpc_|__se_|__do_|compat_|__)*(?:sys|SyS|SYSC)_(\\w+)");

  /** The function name without compiler clone suffixes. */
  public static String stripSuffixes(String function) {
    int dot = function.indexOf('.');
    if (dot < 0) {
      return function;
    }
    return SUFFIX.matcher(function).replaceFirst("");
  }

  /** The canonical name of a syscall wrapper, or the name itself. */
  public static String canonicalSyscall(String function) {
    if (!function.contains("ys_") && !function.contains("YSC_")) {
      return function;
    }
    Matcher m = SYSCALL.matcher(function);
    return m.matches() ? "sys_" + m.group(1) : function;
  }

  /** The first rule matching the (suffix-stripped) function, if any. */
  public static Optional<Rule> match(String function) {
    for (Rule r : RULES) {
      if (r.pattern().matcher(function).matches()) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
