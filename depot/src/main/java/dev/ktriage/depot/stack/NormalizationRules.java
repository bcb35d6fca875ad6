package dev.ktriage.depot.stack;

import dev.ktriage.grammar.title.FrameSkipRules;
import dev.ktriage.grammar.title.SkipRule;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How printed function names become the names the depot stores: compiler clone suffixes go, syscall
 * wrappers get one name, and the plumbing table ({@link FrameSkipRules}, one table for titles, stacks
 * and cluster evidence) says which frames a stored stack drops or cuts after.
 *
 * <p>Immutable and thread-safe.
 */
public final class NormalizationRules {
  private NormalizationRules() {} // no instance

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

  /**
   * The plumbing-table rule that makes a stored stack drop the (suffix-stripped) function or cut after
   * it ({@link SkipRule.StackUse}), if any.
   */
  public static Optional<SkipRule> match(String function) {
    return FrameSkipRules.stackRule(function);
  }
}
