package dev.ktriage.model;

/**
 * Which form a KASAN header had, as the grammar matched it: what the title can be built from.
 * Stable identifiers: they appear in JSON as lowercase-with-dashes.
 */
public enum KasanHeaderForm {
  /** {@code BUG: KASAN: <kind> in <location>} (before 4.11 with {@code at addr X} after it). */
  LOCATION,
  /** The 2015 and 4.x form {@code BUG: KASAN: <kind> on address X}: no location. */
  ON_ADDRESS,
  /** Any other header: no bug kind and location could be told apart. */
  UNRECOGNIZED;

  /** The JSON spelling: {@code on-address}. */
  public String id() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
