package dev.ktriage.model;

import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * Who recorded an alloc/free/aux stack: {@code Freed by task 1234 on cpu 1 at 12.345678s:} (the
 * {@code on cpu ... at ...} part exists since Linux 6.2).
 *
 * @param pid the task's pid
 * @param cpu the cpu
 * @param seconds the uptime at which the stack was recorded
 */
public record StackOrigin(OptionalInt pid, OptionalInt cpu, OptionalDouble seconds) {}
