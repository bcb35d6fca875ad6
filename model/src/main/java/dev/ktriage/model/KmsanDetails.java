package dev.ktriage.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The KMSAN-specific parts of a report (mm/kmsan/report.c kmsan_report() and kmsan_print_origin()).
 * The use's stack is the report's {@link StackRole#ACCESS} stack; where the value was stored on its way
 * is in {@link StackRole#UNINIT_STORE} stacks and where it was created in the {@link StackRole#ORIGIN} one.
 *
 * @param kind uninit-value, kernel-infoleak or kernel-usb-infoleak
 * @param useLocation the {@code func+0x1a/0x40} the header names (where the value was used)
 * @param localVariable for a stack variable's uninitialized bytes, the variable as the compiler named it
 *     ({@code ----path@step_into}: the variable {@code path} of {@code step_into})
 * @param originAvailable false when the origin was printed as {@code (stack is not available)}
 * @param bytes which bytes of the access were uninitialized (infoleaks and checked copies)
 * @param accessAddress where that access started ({@code Memory access of size 18 starts at X})
 * @param userAddress for a kernel-infoleak, the user address the bytes were copied to
 */
public record KmsanDetails(KmsanKind kind, Optional<String> useLocation, Optional<String> localVariable,
    boolean originAvailable, Optional<UninitBytes> bytes, OptionalLong accessAddress, OptionalLong userAddress)
    implements ReportDetails {}
