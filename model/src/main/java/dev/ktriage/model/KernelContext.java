package dev.ktriage.model;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What {@code dump_stack_print_info()} and the console prefix say about where a report came from:
 * {@code CPU: 1 PID: 4242 Comm: syz-executor.3 Tainted: G        W  6.1.0-rc3 #7} and
 * {@code Hardware name: QEMU Standard PC (i440FX + PIIX, 1996), BIOS 1.16.0 04/01/2014}.
 *
 * @param cpu the cpu that printed the report
 * @param pid the current task's pid
 * @param comm the current task's name
 * @param release the kernel release ({@code uname -r})
 * @param build the build number and version suffix after the release ({@code #7 SMP PREEMPT_DYNAMIC})
 * @param taint the taint flags; {@code Not tainted} is an empty string, absent means not printed
 * @param hardware the {@code Hardware name:} text
 * @param arch the architecture, guessed from arch-specific lines (x86_64, arm64, arm, powerpc, s390, riscv)
 * @param callerId the printk caller id of the report's lines ({@code T1234} or {@code C1}), when printed
 */
public record KernelContext(
    OptionalInt cpu,
    OptionalInt pid,
    Optional<String> comm,
    Optional<String> release,
    Optional<String> build,
    Optional<String> taint,
    Optional<String> hardware,
    Optional<String> arch,
    Optional<String> callerId) {

  /** A context where nothing was printed. */
  public static KernelContext empty() {
    return new KernelContext(OptionalInt.empty(), OptionalInt.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }
}
