package dev.ktriage.model;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The KFENCE-specific parts of a report (mm/kfence/report.c kfence_report_error() and
 * kfence_print_object()). The bad access itself (read or write, address) is the report's
 * {@link Report#access()}; the object's allocation and free stacks are its {@link StackRole#ALLOC} and
 * {@link StackRole#FREE} stacks.
 *
 * @param kind which error
 * @param faultLocation the {@code func+0x1a/0x40} the header names
 * @param objectIndex the KFENCE object's number ({@code kfence-#69})
 * @param objectStart the object's first byte ({@code [0xX-0xY, size=424, cache=kmalloc-512]})
 * @param objectEnd the object's last byte
 * @param objectSize the object's size in bytes
 * @param cache the slab cache it came from
 * @param distance for an out-of-bounds access, how many bytes from the object ({@code 1B left of kfence-#29})
 * @param side {@code left} or {@code right} of the object, for an out-of-bounds access
 * @param corruptedBytes for memory corruption, the canary bytes as printed ({@code [ 0x2a . . . ]})
 */
public record KfenceDetails(KfenceKind kind, Optional<String> faultLocation, OptionalInt objectIndex,
    OptionalLong objectStart, OptionalLong objectEnd, OptionalLong objectSize, Optional<String> cache,
    OptionalLong distance, Optional<String> side, Optional<String> corruptedBytes) implements ReportDetails {}
