/**
 * The report model: immutable records describing one parsed kernel report.
 *
 * <p>Layer: the bottom of ktriage. It imports nothing but the JDK, carries no JSON annotations (JSON
 * names are the record component names, mapped in cli) and is shared by grammar, depot and cli.
 * Absent values are {@code Optional}s, never {@code -1} or {@code null}.
 */
package dev.ktriage.model;
