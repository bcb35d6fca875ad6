package dev.ktriage.model;

import java.util.List;
import java.util.Optional;

/**
 * The KASAN-specific parts of a report (mm/kasan/report.c {@code print_report()}).
 *
 * @param mode generic, software or hardware tags
 * @param headerForm which form the header had (a location, {@code on address}, or neither)
 * @param faultLocation the {@code func+0x1a/0x40} printed in the header after {@code in}
 * @param object the slab object description
 * @param variable the global or stack variable the address belongs to
 * @param stackOwner the task whose stack the address belongs to
 * @param page the page description lines ({@code page:... refcount:1 ...}, {@code flags: ...})
 * @param shadow the memory-state dump
 */
public record KasanDetails(
    KasanMode mode,
    KasanHeaderForm headerForm,
    Optional<String> faultLocation,
    Optional<BuggyObject> object,
    Optional<String> variable,
    Optional<String> stackOwner,
    List<String> page,
    Optional<ShadowDump> shadow) implements ReportDetails {
  public KasanDetails {
    java.util.Objects.requireNonNull(headerForm);
    page = List.copyOf(page);
  }
}
