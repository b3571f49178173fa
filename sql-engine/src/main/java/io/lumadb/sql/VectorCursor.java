package io.lumadb.sql;

/**
 * A {@link RowCursor} whose rows are read straight from LumaDB's column vectors (a query whose
 * plan is one scan): besides {@link #get}, the current row's values can be read without building
 * an object, which is how the front ends encode them. {@link #kind} says which accessor a column
 * answers; every column answers {@link #get} and {@link #isNull}.
 */
public interface VectorCursor extends RowCursor {
  /** How a column's values can be read without {@link #get}. */
  enum Kind {
    /** smallint, integer, bigint: {@link #getLong}. */
    INTEGER,
    /** real, double precision: {@link #getDouble}. */
    FLOAT,
    /** text, json, jsonb: {@link #utf8}. */
    TEXT,
    /** timestamp: {@link #getLong}, epoch milliseconds of the wall-clock time read as UTC. */
    TIMESTAMP,
    /** timestamptz: {@link #getLong}, epoch milliseconds of the instant. */
    TIMESTAMPTZ,
    /** Any other type: {@link #get} only. */
    OTHER
  }

  Kind kind(int column);

  /** Whether the current row's value is NULL; the typed accessors are for non-NULL values only. */
  boolean isNull(int column);

  long getLong(int column);

  double getDouble(int column);

  /** The value's UTF-8 bytes; the array may be shared, and must not be changed. */
  byte[] utf8(int column);

  /** A timestamp held as epoch milliseconds (its wall-clock time read as UTC) as RowCursor gives it. */
  static java.time.LocalDateTime timestamp(long epochMillis) {
    return java.time.LocalDateTime.ofEpochSecond(Math.floorDiv(epochMillis, 1000),
        (int) Math.floorMod(epochMillis, 1000) * 1_000_000, java.time.ZoneOffset.UTC);
  }
}
