package dev.ktriage.model;

/** Which KASAN implementation printed a report (Documentation/dev-tools/kasan.rst). */
public enum KasanMode {
  /** Generic (shadow-byte) KASAN: prints {@code Read of size N}. */
  GENERIC,
  /** Software tag-based KASAN (arm64 TBI): prints pointer and memory tags. */
  SW_TAGS,
  /** Hardware tag-based KASAN (arm64 MTE). */
  HW_TAGS,
  /** The report does not say. */
  UNKNOWN
}
