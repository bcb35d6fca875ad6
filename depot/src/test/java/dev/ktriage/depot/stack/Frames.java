package dev.ktriage.depot.stack;

import dev.ktriage.model.Frame;
import dev.ktriage.model.FrameContext;
import dev.ktriage.model.InlinedFrame;
import dev.ktriage.model.SourceLocation;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Builds model frames for tests. */
public final class Frames {
  private Frames() {} // no instance

  public static Frame frame(String function) {
    return frame(function, FrameContext.UNMARKED);
  }

  public static Frame frame(String function, FrameContext context) {
    return new Frame(function, OptionalLong.of(0x10), OptionalLong.of(0x100), Optional.empty(), Optional.empty(), true,
        OptionalLong.empty(), context, Optional.empty(), List.of(), 1);
  }

  public static Frame unreliable(String function) {
    return new Frame(function, OptionalLong.of(0x10), OptionalLong.of(0x100), Optional.empty(), Optional.empty(), false,
        OptionalLong.empty(), FrameContext.UNMARKED, Optional.empty(), List.of(), 1);
  }

  public static Frame withOffset(String function, long offset) {
    return new Frame(function, OptionalLong.of(offset), OptionalLong.of(0x100), Optional.empty(), Optional.empty(), true,
        OptionalLong.empty(), FrameContext.UNMARKED, Optional.empty(), List.of(), 1);
  }

  public static Frame inModule(String function, String module) {
    return new Frame(function, OptionalLong.of(0x10), OptionalLong.of(0x100), Optional.of(module), Optional.empty(), true,
        OptionalLong.empty(), FrameContext.UNMARKED, Optional.empty(), List.of(), 1);
  }

  /** A symbolized frame with inlined callees, innermost first. */
  public static Frame inlining(String function, String... inlined) {
    return new Frame(function, OptionalLong.of(0x10), OptionalLong.of(0x100), Optional.empty(), Optional.empty(), true,
        OptionalLong.empty(), FrameContext.UNMARKED, Optional.of(new SourceLocation("fs/aio.c", 12)),
        java.util.Arrays.stream(inlined).map(f -> new InlinedFrame(f, Optional.of(new SourceLocation("fs/aio.c", 1))))
            .toList(), 1);
  }
}
