package dev.ktriage.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code The buggy address belongs to the object at X which belongs to the cache kmalloc-64 of size 64}.
 *
 * @param address the object's address
 * @param cache the slab cache name
 * @param objectSize the cache's object size
 * @param region where in or around the object the access went
 */
public record BuggyObject(OptionalLong address, Optional<String> cache, OptionalLong objectSize,
    Optional<BuggyRegion> region) {}
