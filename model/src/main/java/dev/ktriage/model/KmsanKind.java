package dev.ktriage.model;

/** What KMSAN reports (mm/kmsan/report.c kmsan_report(), its {@code bug_type}). */
public enum KmsanKind {
  /** {@code uninit-value}: a branch, pointer or argument used an uninitialized value. */
  UNINIT_VALUE,
  /** {@code kernel-infoleak}: uninitialized bytes were copied to user space. */
  KERNEL_INFOLEAK,
  /** {@code kernel-usb-infoleak}: uninitialized bytes were sent to a USB device. */
  KERNEL_USB_INFOLEAK,
  /** A header whose bug type is none of the above (a newer kernel, or a damaged line). */
  OTHER;

  /** The kind the kernel names {@code bugType}. */
  public static KmsanKind of(String bugType) {
    return switch (bugType) {
      case "uninit-value" -> UNINIT_VALUE;
      case "kernel-infoleak" -> KERNEL_INFOLEAK;
      case "kernel-usb-infoleak" -> KERNEL_USB_INFOLEAK;
      default -> OTHER;
    };
  }
}
