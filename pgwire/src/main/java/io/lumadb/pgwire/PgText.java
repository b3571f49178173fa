package io.lumadb.pgwire;

/**
 * PostgreSQL's text output of a value (as pgwire sends it): for other front ends and tools that
 * must print values the way psql shows them, e.g. the SQL regression suite's gRPC front end.
 */
public final class PgText {
  private PgText() {}

  /**
   * The text form of a result value in LumaDB's Java representation (Boolean, numbers,
   * BigDecimal, String, LocalDateTime, Instant (timestamptz, printed in UTC), LocalDate,
   * LocalTime, byte[]); null for SQL NULL.
   */
  public static String format(Object v) {
    return v == null ? null : PgValues.text(v);
  }

  /** {@link #format(Object)}, a timestamptz value (an Instant) in time zone {@code zone}. */
  public static String format(Object v, java.time.ZoneId zone) {
    return v == null ? null : PgValues.text(v, zone);
  }
}
