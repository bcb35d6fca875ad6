package dev.ktriage.model;

/**
 * Tag-based KASAN's {@code Pointer tag: [ab], memory tag: [fe]} (software or MTE hardware tags).
 *
 * @param pointerTag the tag in the pointer, as printed (hex)
 * @param memoryTag the tag of the memory granule, as printed (hex)
 */
public record MemoryTags(String pointerTag, String memoryTag) {}
