package dev.ktriage.model;

/**
 * KCSAN's {@code value changed: 0x00000000 -> 0x00000001}.
 *
 * @param before the old value as printed
 * @param after the new value as printed
 */
public record ValueChange(String before, String after) {}
