package dev.ktriage.model;

/** The error KFENCE reports (mm/kfence/report.c kfence_report_error(), {@code enum kfence_error_type}). */
public enum KfenceKind {
  /** {@code out-of-bounds read|write}: an access to a guard page next to an object. */
  OUT_OF_BOUNDS,
  /** {@code use-after-free read|write}: an access to a freed object. */
  USE_AFTER_FREE,
  /** {@code invalid read|write}: an access to a KFENCE page that belongs to no object. */
  INVALID_ACCESS,
  /** {@code invalid free}: a free of a pointer KFENCE did not hand out, or a second free. */
  INVALID_FREE,
  /** {@code memory corruption}: the canary bytes around an object changed, found when it was freed. */
  MEMORY_CORRUPTION,
  /** A header whose bug type is none of the above. */
  OTHER
}
