package dev.ktriage.model;

/**
 * Which bytes of an access KMSAN found uninitialized: {@code Byte 115 of 4096 is uninitialized},
 * {@code Bytes 4-7 of 18 are uninitialized} (mm/kmsan/report.c kmsan_report()).
 *
 * @param first the first uninitialized byte's offset in the access
 * @param last the last one's (equal to {@code first} for one byte)
 * @param of the access's size in bytes
 */
public record UninitBytes(int first, int last, int of) {}
