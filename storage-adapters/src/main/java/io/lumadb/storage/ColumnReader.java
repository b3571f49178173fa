package io.lumadb.storage;

/**
 * Random access to one column of an immutable run of rows, whatever holds it (heap arrays of
 * the active segment, Arrow vectors of a sealed segment). Values come in the internal
 * representation described on {@link ColumnType}.
 */
public interface ColumnReader {
  int rowCount();

  boolean isNull(int row);

  /** The value at {@code row}, or null. */
  Object get(int row);

  /** For types held as longs: the raw value (undefined when null). */
  long getLong(int row);

  /** For types held as doubles: the raw value (undefined when null). */
  double getDouble(int row);

  /**
   * For a text column held dictionary-coded (a sealed segment's): its distinct values, which
   * {@link #code(int)} indexes; null otherwise. Lets bulk readers work per distinct value.
   */
  default String[] dictionary() {
    return null;
  }

  /** A non-null text row as UTF-8 (a new array); readers holding the bytes skip the String. */
  default byte[] utf8(int row) {
    return ((String) get(row)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The dictionary code of a non-null row, when {@link #dictionary()} is not null. */
  default int code(int row) {
    throw new UnsupportedOperationException("not dictionary-coded");
  }

  /** A column that is absent from an older segment: every row reads NULL. */
  static ColumnReader nulls(int rowCount) {
    return new ColumnReader() {
      @Override
      public int rowCount() {
        return rowCount;
      }

      @Override
      public boolean isNull(int row) {
        return true;
      }

      @Override
      public Object get(int row) {
        return null;
      }

      @Override
      public long getLong(int row) {
        return 0;
      }

      @Override
      public double getDouble(int row) {
        return 0;
      }
    };
  }
}
