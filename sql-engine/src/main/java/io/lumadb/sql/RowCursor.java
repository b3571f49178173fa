package io.lumadb.sql;

/**
 * Rows of a result, one at a time. Values are Boolean, Short, Integer, Long, Float, Double,
 * BigDecimal, String, LocalDateTime (TIMESTAMP), Instant (TIMESTAMP WITH LOCAL TIME ZONE, that is
 * timestamptz), LocalDate (DATE), LocalTime (TIME), byte[] or null.
 */
public interface RowCursor extends AutoCloseable {
  boolean next();

  Object get(int column);

  @Override
  void close();
}
