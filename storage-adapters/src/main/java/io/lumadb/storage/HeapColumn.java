package io.lumadb.storage;

import java.util.Arrays;

/**
 * An append-only column on the Java heap, used for incoming batches and for a table's active
 * segment. Growing allocates new arrays and never writes below {@link #size()}, so a
 * {@link ColumnReader} taken by {@link #view()} stays valid and unchanged while appends go on.
 */
public final class HeapColumn {
  private final ColumnType type;
  private long[] longs;
  private double[] doubles;
  private boolean[] bools;
  private String[] strings;
  private Object[] objects;
  private long[] nulls = new long[1];
  private int size;

  public HeapColumn(ColumnType type, int capacity) {
    this.type = type;
    int cap = Math.max(capacity, 8);
    switch (type.storage()) {
      case LONG -> longs = new long[cap];
      case DOUBLE -> doubles = new double[cap];
      case BOOL -> bools = new boolean[cap];
      case STRING -> strings = new String[cap];
      case OBJECT -> objects = new Object[cap];
    }
    nulls = new long[(cap + 63) >>> 6];
  }

  public ColumnType type() {
    return type;
  }

  public int size() {
    return size;
  }

  private int capacity() {
    return switch (type.storage()) {
      case LONG -> longs.length;
      case DOUBLE -> doubles.length;
      case BOOL -> bools.length;
      case STRING -> strings.length;
      case OBJECT -> objects.length;
    };
  }

  private void ensureRoom() {
    if (size == capacity()) {
      grow(size + 1);
    }
  }

  /** Grows the arrays to hold at least {@code min} values (doubling, to amortize). */
  private void grow(int min) {
    int cap = Math.max(min, capacity() * 2);
    switch (type.storage()) {
      case LONG -> longs = Arrays.copyOf(longs, cap);
      case DOUBLE -> doubles = Arrays.copyOf(doubles, cap);
      case BOOL -> bools = Arrays.copyOf(bools, cap);
      case STRING -> strings = Arrays.copyOf(strings, cap);
      case OBJECT -> objects = Arrays.copyOf(objects, cap);
    }
    nulls = Arrays.copyOf(nulls, (cap + 63) >>> 6);
  }

  public void appendNull() {
    ensureRoom();
    nulls[size >>> 6] |= 1L << size;
    size++;
  }

  public void appendLong(long v) {
    ensureRoom();
    longs[size++] = v;
  }

  public void appendDouble(double v) {
    ensureRoom();
    doubles[size++] = v;
  }

  public void appendBoolean(boolean v) {
    ensureRoom();
    bools[size++] = v;
  }

  public void appendString(String v) {
    if (v == null) {
      appendNull();
      return;
    }
    ensureRoom();
    strings[size++] = v;
  }

  /** Appends a BigDecimal (NUMERIC) or ByteString (BYTEA); null: NULL. */
  public void appendObject(Object v) {
    if (v == null) {
      appendNull();
      return;
    }
    ensureRoom();
    objects[size++] = v;
  }

  /** Appends {@code n} NULLs. */
  public void appendNulls(int n) {
    reserve(n);
    for (int i = 0; i < n; i++) {
      nulls[size >>> 6] |= 1L << size;
      size++;
    }
  }

  /** Appends {@code n} values of a LONG-stored column from {@code src[off..off+n)}. */
  public void appendLongs(long[] src, int off, int n) {
    reserve(n);
    System.arraycopy(src, off, longs, size, n);
    size += n;
  }

  /** Appends {@code n} values of a DOUBLE-stored column from {@code src[off..off+n)}. */
  public void appendDoubles(double[] src, int off, int n) {
    reserve(n);
    System.arraycopy(src, off, doubles, size, n);
    size += n;
  }

  /** Appends the same string (null: NULL) {@code n} times. */
  public void appendRepeated(String v, int n) {
    if (v == null) {
      appendNulls(n);
      return;
    }
    reserve(n);
    Arrays.fill(strings, size, size + n, v);
    size += n;
  }

  private void reserve(int n) {
    if (size + n > capacity()) {
      grow(size + n);
    }
  }

  /** Appends a value in the internal representation of {@link #type()} (null allowed). */
  public void append(Object v) {
    if (v == null) {
      appendNull();
      return;
    }
    switch (type.storage()) {
      case LONG -> appendLong(((Number) v).longValue());
      case DOUBLE -> appendDouble(((Number) v).doubleValue());
      case BOOL -> appendBoolean((Boolean) v);
      case STRING -> appendString(v.toString());
      case OBJECT -> appendObject(v);
    }
  }

  /** Appends rows [from, to) of a reader of the same type, without boxing numbers. */
  public void appendFrom(ColumnReader src, int from, int to) {
    if (src instanceof View v && v.type.storage() == type.storage()) {
      appendRange(v, from, to);
      return;
    }
    switch (type.storage()) {
      case LONG -> {
        for (int i = from; i < to; i++) {
          if (src.isNull(i)) {
            appendNull();
          } else {
            appendLong(src.getLong(i));
          }
        }
      }
      case DOUBLE -> {
        for (int i = from; i < to; i++) {
          if (src.isNull(i)) {
            appendNull();
          } else {
            appendDouble(src.getDouble(i));
          }
        }
      }
      default -> {
        for (int i = from; i < to; i++) {
          append(src.get(i));
        }
      }
    }
  }

  /** Bulk copy from another heap column's view: one array copy, then the null bits. */
  private void appendRange(View v, int from, int to) {
    int n = to - from;
    if (size + n > capacity()) {
      grow(size + n);
    }
    switch (type.storage()) {
      case LONG -> System.arraycopy(v.longs, from, longs, size, n);
      case DOUBLE -> System.arraycopy(v.doubles, from, doubles, size, n);
      case BOOL -> System.arraycopy(v.bools, from, bools, size, n);
      case STRING -> System.arraycopy(v.strings, from, strings, size, n);
      case OBJECT -> System.arraycopy(v.objects, from, objects, size, n);
    }
    for (int i = from; i < to; i++) {
      long word = v.nulls[i >>> 6];
      if (word == 0) {
        i |= 63; // no NULL in the rest of this word
        continue;
      }
      if ((word & (1L << i)) != 0) {
        int d = size + i - from;
        nulls[d >>> 6] |= 1L << d;
      }
    }
    size += n;
  }

  /** A reader over the rows appended so far; later appends do not show through it. */
  public ColumnReader view() {
    return new View(type, longs, doubles, bools, strings, objects, nulls, size, null);
  }

  /**
   * {@link #view()} of a column that takes no more rows (a decoded warm row group), knowing the
   * least and greatest of its values when it holds longs ({@link ColumnReader#longBounds()}).
   */
  public ColumnReader finalView() {
    ColumnReader v = view();
    long[] bounds = type.storage() == ColumnType.Storage.LONG ? ColumnReader.computeLongBounds(v) : null;
    return new View(type, longs, doubles, bools, strings, objects, nulls, size, bounds);
  }

  /** Heap bytes held by this column, roughly. */
  public long heapBytes() {
    long n = (long) nulls.length * 8;
    return n + switch (type.storage()) {
      case LONG -> (long) longs.length * 8;
      case DOUBLE -> (long) doubles.length * 8;
      case BOOL -> bools.length;
      case STRING -> {
        long s = (long) strings.length * 8;
        for (int i = 0; i < size; i++) {
          if (strings[i] != null) {
            s += 40 + strings[i].length();
          }
        }
        yield s;
      }
      case OBJECT -> {
        long s = (long) objects.length * 8;
        for (int i = 0; i < size; i++) {
          Object o = objects[i];
          if (o instanceof java.math.BigDecimal d) {
            s += 48 + d.unscaledValue().bitLength() / 8;
          } else if (o instanceof org.apache.calcite.avatica.util.ByteString b) {
            s += 40 + b.length();
          }
        }
        yield s;
      }
    };
  }

  private record View(
      ColumnType type, long[] longs, double[] doubles, boolean[] bools, String[] strings,
      Object[] objects, long[] nulls, int size, long[] bounds) implements ColumnReader {
    @Override
    public long[] longBounds() {
      return bounds;
    }

    @Override
    public int rowCount() {
      return size;
    }

    @Override
    public boolean isNull(int row) {
      return (nulls[row >>> 6] & (1L << row)) != 0;
    }

    @Override
    public Object get(int row) {
      if (isNull(row)) {
        return null;
      }
      return switch (type.storage()) {
        case LONG -> type.fromLong(longs[row]);
        case DOUBLE -> type.fromDouble(doubles[row]);
        case BOOL -> bools[row];
        case STRING -> strings[row];
        case OBJECT -> objects[row];
      };
    }

    @Override
    public long getLong(int row) {
      return longs[row];
    }

    @Override
    public double getDouble(int row) {
      return doubles[row];
    }

    @Override
    public boolean mayHaveNulls() {
      if (bounds != null) {
        return bounds[2] != 0;
      }
      for (int w = 0; w < (size + 63) >>> 6; w++) {
        if (nulls[w] != 0) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void gatherLongs(int[] sel, int m, long[] out) {
      long[] v = longs;
      for (int i = 0; i < m; i++) {
        out[i] = v[sel[i]];
      }
    }

    @Override
    public void gatherDoubles(int[] sel, int m, double[] out) {
      double[] v = doubles;
      for (int i = 0; i < m; i++) {
        out[i] = v[sel[i]];
      }
    }

    @Override
    public int selectLongs(int[] sel, int m, long lo, long hi) {
      long[] v = longs;
      long[] n = nulls;
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        long x = v[r];
        sel[k] = r;
        k += (n[r >>> 6] & (1L << r)) == 0 && x >= lo && x <= hi ? 1 : 0;
      }
      return k;
    }

    @Override
    public int selectLongsIn(int[] sel, int m, long[] sorted, boolean negate) {
      long[] v = longs;
      long[] n = nulls;
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        k += (n[r >>> 6] & (1L << r)) == 0 && (java.util.Arrays.binarySearch(sorted, v[r]) >= 0) != negate ? 1 : 0;
      }
      return k;
    }

    @Override
    public int selectDoubles(int[] sel, int m, double lo, boolean loOpen, double hi, boolean hiOpen) {
      double[] v = doubles;
      long[] n = nulls;
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        double x = v[r];
        sel[k] = r;
        k += (n[r >>> 6] & (1L << r)) == 0 && DoubleRange.holds(x, lo, loOpen, hi, hiOpen) ? 1 : 0;
      }
      return k;
    }
  }
}
