package dev.ktriage.grammar.build;

import java.util.Optional;

/**
 * Guesses the architecture a report came from. Reports do not say it; their frames and lines do:
 * each hint below is a function or line that only one architecture prints.
 *
 * <p>Not thread-safe; one instance per report.
 */
final class ArchHints {

  private int x86;
  private int arm64;
  private int arm;
  private int powerpc;
  private int s390;
  private int riscv;
  private boolean mte;

  void callTrace(String heading) {
    switch (heading) {
      case "Call trace:" -> arm64++; // arm64 dump_backtrace() spells it with a small t
      case "Backtrace:" -> arm++;
      default -> { }
    }
  }

  void frame(String f) {
    if (f.startsWith("entry_SYSCALL_64") || f.equals("do_syscall_64") || f.startsWith("__x64_sys_")
        || f.startsWith("asm_exc_") || f.startsWith("asm_sysvec_") || f.equals("do_int80_syscall_32")) {
      x86 += 2;
    } else if (f.startsWith("el0_svc") || f.startsWith("el0t_64") || f.startsWith("el1h_64")
        || f.startsWith("__arm64_sys_") || f.equals("invoke_syscall") || f.startsWith("el1_sync")) {
      arm64 += 2;
    } else if (f.equals("ret_fast_syscall") || f.equals("vector_swi") || f.startsWith("__dabt_svc")
        || f.equals("unwind_backtrace")) {
      arm += 2;
    } else if (f.startsWith("system_call_exception") || f.equals("system_call_common")
        || f.equals("ret_from_syscall") || f.startsWith(".")) {
      powerpc += 2;
    } else if (f.startsWith("__s390x_sys_") || f.equals("__do_syscall") || f.startsWith("__s390_sys_")) {
      s390 += 2;
    } else if (f.equals("handle_exception") || f.startsWith("do_trap_") || f.equals("ret_from_exception")) {
      riscv += 2;
    }
    // The MTE fault path (arm64 hardware tags) goes through these.
    if (f.equals("do_tag_check_fault") || f.equals("mte_check_tfsr_el1") || f.startsWith("__do_kernel_fault")) {
      mte = true;
    }
  }

  void hardware(String name) {
    if (name.contains("linux,dummy-virt") || name.contains("QEMU KVM Virtual Machine")) {
      arm64++;
    } else if (name.contains("QEMU Standard PC") || name.contains("Google Compute Engine")) {
      x86++;
    } else if (name.contains("IBM,") || name.contains("PowerMac") || name.contains("pSeries")
        || name.contains("PowerNV")) {
      powerpc += 2;
    } else if (name.startsWith("IBM ")) {
      s390 += 2;
    } else if (name.contains("riscv")) {
      riscv += 2;
    }
  }

  void text(String line) {
    if (line.startsWith("RIP: ")) {
      x86++;
    } else if (line.startsWith("pc : ") || line.startsWith("lr : ")) {
      arm64++;
    } else if (line.startsWith("--- interrupt:")) {
      powerpc++;
    } else if (line.startsWith("Krnl PSW")) {
      s390 += 2;
    } else if (line.startsWith("epc : ")) {
      riscv += 2;
    }
  }

  /** Whether the fault came through arm64's MTE tag-check path (hardware tag-based KASAN). */
  boolean hardwareTags() {
    return mte;
  }

  Optional<String> guess() {
    int best = 0;
    String arch = null;
    int[] scores = {x86, arm64, arm, powerpc, s390, riscv};
    String[] names = {"x86_64", "arm64", "arm", "powerpc", "s390", "riscv"};
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] > best) {
        best = scores[i];
        arch = names[i];
      }
    }
    return Optional.ofNullable(arch);
  }
}
