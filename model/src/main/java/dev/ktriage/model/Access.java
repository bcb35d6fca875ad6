package dev.ktriage.model;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * The faulting access of a KASAN report: {@code Read of size 8 at addr ffff888012345678 by task a/1}.
 *
 * @param op read or write
 * @param size access size in bytes; absent in tag modes' {@code Read at addr X} form. A {@code size_t}:
 *     a negative length passed to memmove prints as 18446744073709551608 and is kept as its 64 bits
 *     (-8 here; {@link Long#toUnsignedString(long)} gives the printed number)
 * @param address the accessed address
 * @param task the task that made the access
 * @param tags pointer and memory tags of tag-based KASAN
 */
public record Access(
    AccessOp op, OptionalLong size, OptionalLong address, Optional<TaskRef> task, Optional<MemoryTags> tags) {}
