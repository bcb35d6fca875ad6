package dev.ktriage.model;

/** Direction of a memory access as the sanitizer printed it. */
public enum AccessOp {
  READ,
  WRITE,
  /** KCSAN's {@code read-write} (a read-modify-write such as {@code x++}). */
  READ_WRITE;

  /** The word the kernel prints in titles: {@code Read} or {@code Write}. */
  public String titleWord() {
    return switch (this) {
      case READ -> "Read";
      case WRITE, READ_WRITE -> "Write";
    };
  }
}
