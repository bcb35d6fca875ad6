package dev.ktriage.model;

import java.util.Optional;

/**
 * A callee that the compiler inlined into a real frame ({@code memcpy include/linux/fortify.h:12 [inline]}).
 *
 * @param function the inlined function's name
 * @param location where execution is inside it
 */
public record InlinedFrame(String function, Optional<SourceLocation> location) {}
