package dev.ktriage.model;

/** The three KCSAN report headers (kernel/kcsan/report.c {@code get_bug_type()} and friends). */
public enum KcsanKind {
  /** {@code BUG: KCSAN: data-race in a / b}: both accesses were observed. */
  DATA_RACE,
  /** {@code BUG: KCSAN: data-race in a}: {@code race at unknown origin}, one access and a value change. */
  UNKNOWN_ORIGIN,
  /** {@code BUG: KCSAN: assert: race in a / b} from ASSERT_EXCLUSIVE_*(). */
  ASSERT
}
