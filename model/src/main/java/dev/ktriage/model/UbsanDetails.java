package dev.ktriage.model;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The UBSAN-specific parts of a report (lib/ubsan.c): where the compiler put the check, and what the
 * handler said about the value. The stack is the report's {@link StackRole#ACCESS} stack (dump_stack()).
 *
 * @param file the source file of the check, as the compiler recorded it ({@code net/ipv4/tcp_input.c})
 * @param line its line
 * @param column its column
 * @param message the handler's lines under the header ({@code index 12 is out of range for type 's8 [12]'},
 *     {@code shift exponent 128 is too large for 32-bit type 'unsigned int'})
 */
public record UbsanDetails(Optional<String> file, OptionalInt line, OptionalInt column, List<String> message)
    implements ReportDetails {
  public UbsanDetails {
    message = List.copyOf(message);
  }
}
