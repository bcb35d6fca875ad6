package dev.ktriage.model;

/**
 * {@code The buggy address is located 8 bytes to the right of allocated 64-byte region [X, Y)}.
 *
 * @param relation left of, right of or inside the region
 * @param distance the byte distance printed
 * @param size the region size
 * @param state the region's state as printed ({@code allocated}, {@code freed}, or empty in old kernels)
 * @param start first address of the region
 * @param end one past its last address
 */
public record BuggyRegion(RegionRelation relation, long distance, long size, String state, long start, long end) {}
