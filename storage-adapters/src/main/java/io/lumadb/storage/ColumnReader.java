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

  /**
   * For a column held as longs in an immutable part (a decoded warm row group, a sealed hot
   * segment): {least, greatest, 1 if any row is NULL else 0} of its values; null when not known
   * (a growing segment's view). Lets a range condition that every row passes skip its rows.
   */
  default long[] longBounds() {
    return null;
  }

  /** {@link #longBounds()} worked out from a reader's values (for readers that keep them). */
  static long[] computeLongBounds(ColumnReader r) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    boolean anyNull = false;
    for (int i = 0; i < r.rowCount(); i++) {
      if (r.isNull(i)) {
        anyNull = true;
      } else {
        long v = r.getLong(i);
        min = Math.min(min, v);
        max = Math.max(max, v);
      }
    }
    return new long[] {min, max, anyNull ? 1 : 0};
  }

  /** A non-null text row as UTF-8 (a new array); readers holding the bytes skip the String. */
  default byte[] utf8(int row) {
    return ((String) get(row)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The dictionary code of a non-null row, when {@link #dictionary()} is not null. */
  default int code(int row) {
    throw new UnsupportedOperationException("not dictionary-coded");
  }

  // Selection kernels. Each takes the rows sel[0..m) (ascending), keeps in place, in order,
  // those that pass, and returns how many passed. These defaults read row by row; readers over
  // heap arrays or Arrow buffers override them with tight loops over their memory.

  /** Rows not null whose value (a type held as longs) lies in [lo, hi]. */
  default int selectLongs(int[] sel, int m, long lo, long hi) {
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      if (!isNull(r)) {
        long v = getLong(r);
        sel[k] = r;
        k += v >= lo && v <= hi ? 1 : 0;
      }
    }
    return k;
  }

  /**
   * Rows not null whose value (a type held as longs) is one of {@code sorted} (ascending), or
   * none of them when {@code negate} ({@code IN} lists, {@code <>}).
   */
  default int selectLongsIn(int[] sel, int m, long[] sorted, boolean negate) {
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      if (!isNull(r)) {
        sel[k] = r;
        k += (java.util.Arrays.binarySearch(sorted, getLong(r)) >= 0) != negate ? 1 : 0;
      }
    }
    return k;
  }

  /**
   * Rows not null whose value (a type held as doubles) is above {@code lo} (or equal, unless
   * {@code loOpen}) and below {@code hi} (or equal, unless {@code hiOpen}). The comparisons
   * are Java's: NaN passes none.
   */
  default int selectDoubles(int[] sel, int m, double lo, boolean loOpen, double hi, boolean hiOpen) {
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      if (!isNull(r)) {
        double v = getDouble(r);
        sel[k] = r;
        k += DoubleRange.holds(v, lo, loOpen, hi, hiOpen) ? 1 : 0;
      }
    }
    return k;
  }

  /**
   * For a dictionary-coded column: rows whose code is {@code accepted}, and NULL rows when
   * {@code acceptNull}.
   */
  default int selectCodes(int[] sel, int m, boolean[] accepted, boolean acceptNull) {
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      sel[k] = r;
      k += (isNull(r) ? acceptNull : accepted[code(r)]) ? 1 : 0;
    }
    return k;
  }

  /** Rows that are NULL ({@code wantNull}) or not. */
  /**
   * {@link #selectCodes} over every row of the part: the rows not null whose code is accepted
   * (and the NULL rows if {@code acceptNull}) into {@code sel}, ascending; returns how many.
   * Readers of immutable parts answer a selective condition from their postings without testing
   * each row.
   */
  default int selectCodesAll(int[] sel, boolean[] accepted, boolean acceptNull) {
    int n = rowCount();
    for (int i = 0; i < n; i++) {
      sel[i] = i;
    }
    return selectCodes(sel, n, accepted, acceptNull);
  }

  default int selectNulls(int[] sel, int m, boolean wantNull) {
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      sel[k] = r;
      k += isNull(r) == wantNull ? 1 : 0;
    }
    return k;
  }

  // Gather kernels: the values of the rows sel[0..m) into out[0..m) (undefined for NULL rows).

  /** Whether any row may be NULL (false only when the reader knows there is none). */
  default boolean mayHaveNulls() {
    return true;
  }

  /** For types held as longs. */
  default void gatherLongs(int[] sel, int m, long[] out) {
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      out[i] = isNull(r) ? 0 : getLong(r);
    }
  }

  /** For types held as doubles. */
  default void gatherDoubles(int[] sel, int m, double[] out) {
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      out[i] = isNull(r) ? 0 : getDouble(r);
    }
  }

  /** For a dictionary-coded column: the codes, -1 for NULL rows. */
  default void gatherCodes(int[] sel, int m, int[] out) {
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      out[i] = isNull(r) ? -1 : code(r);
    }
  }

  /** Whether each of the rows is NULL. */
  default void gatherNulls(int[] sel, int m, boolean[] out) {
    for (int i = 0; i < m; i++) {
      out[i] = isNull(sel[i]);
    }
  }

  /** The comparison {@link #selectDoubles} makes, for readers that override it. */
  final class DoubleRange {
    private DoubleRange() {}

    public static boolean holds(double v, double lo, boolean loOpen, double hi, boolean hiOpen) {
      return (loOpen ? v > lo : v >= lo) && (hiOpen ? v < hi : v <= hi);
    }
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
