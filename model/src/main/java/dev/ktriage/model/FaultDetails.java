package dev.ktriage.model;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The parts of a fault or trap report: a page fault, a general protection fault, an x86 trap, a
 * BUG() trap, an arm abort, a stack overflow. What went wrong is in the header; where it went wrong is
 * the faulting pc ({@code RIP:}, {@code pc :}, {@code PC is at}) and the registers printed with it.
 *
 * @param kind which fault or trap
 * @param address the faulting address the report names ({@code paging request at X}, {@code non-canonical
 *     address 0x..}, {@code Unhandled fault: ... at 0x..}), as printed
 * @param errorCode the error code of the header ({@code 0000} of {@code general protection fault: 0000
 *     [#1]}, {@code 0x0} of {@code error_code: 0x0}, {@code 81b} of arm's {@code Internal error: : 81b})
 * @param pc the faulting pc's location as printed ({@code __list_del_entry_valid+0xef/0x150})
 * @param site the source position BUG() names ({@code kernel BUG at lib/list_debug.c:53!})
 * @param kasanRange on KASAN kernels, the range line the GPF handler adds ({@code null-ptr-deref in range
 *     [0x0000000000000018-0x000000000000001f]}); part of this report, never a KASAN report of its own
 * @param access what the x86 page fault handler says about the access ({@code supervisor read access in
 *     kernel mode}, {@code error_code(0x0000) - not-present page})
 * @param message the rest of the header after what names the kind ({@code Oops: 96000005 [#1] PREEMPT SMP},
 *     SLUB's {@code Object already free})
 * @param registers the registers printed with the fault, by name as printed ({@code RAX}, {@code x29},
 *     {@code CR2}), in order
 */
public record FaultDetails(FaultKind kind, Optional<String> address, Optional<String> errorCode, Optional<String> pc,
    Optional<SourceLocation> site, Optional<String> kasanRange, Optional<String> access, String message,
    Map<String, String> registers) implements ReportDetails {
  public FaultDetails {
    Objects.requireNonNull(kind);
    Objects.requireNonNull(message);
    registers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(registers));
  }
}
