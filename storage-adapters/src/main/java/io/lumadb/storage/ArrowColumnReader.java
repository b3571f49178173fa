package io.lumadb.storage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampVector;

/** Reads an Arrow vector written by {@link ArrowColumns} as a {@link ColumnReader}. */
final class ArrowColumnReader implements ColumnReader {
  private final ColumnType type;
  private final FieldVector vector;
  private final int rowCount;
  /** For dictionary-coded text columns: the dictionary the int32 indexes point into. */
  private final String[] dictionary;
  private final boolean plain;
  /** Bytes per value of a fixed-width vector (0: not read directly) and its buffers' addresses. */
  private final int width;
  private final long data;
  private final long validity;
  private final boolean anyNull;
  /** For a dictionary-coded column: the rows of each code, built when a condition first meets all the rows. */
  private final CodePostings.Lazy postings = new CodePostings.Lazy();
  /** {@link #longBounds()}, once computed. */
  private volatile long[] bounds;

  ArrowColumnReader(ColumnType type, FieldVector vector, String[] dictionary) {
    this.type = type;
    this.vector = vector;
    this.rowCount = vector.getValueCount();
    this.dictionary = dictionary;
    this.plain = vector instanceof VarCharVector;
    this.width = vector instanceof BigIntVector || vector instanceof TimeStampVector || vector instanceof Float8Vector ? 8
        : vector instanceof IntVector || vector instanceof DateDayVector ? 4 : 0;
    // A sealed segment's vectors never change: the kernels read their memory directly, with
    // rows below the value count only.
    this.data = width > 0 && rowCount > 0 ? vector.getDataBuffer().memoryAddress() : 0;
    this.validity = width > 0 && rowCount > 0 ? vector.getValidityBuffer().memoryAddress() : 0;
    this.anyNull = rowCount > 0 && vector.getNullCount() > 0;
  }

  private boolean valid(int row) {
    return (MemoryUtil.getByte(validity + (row >>> 3)) & (1 << (row & 7))) != 0;
  }

  private long rawLong(int row) {
    return width == 8 ? MemoryUtil.getLong(data + ((long) row << 3)) : MemoryUtil.getInt(data + ((long) row << 2));
  }

  @Override
  public boolean mayHaveNulls() {
    return anyNull;
  }

  @Override
  public long[] longBounds() {
    if (width == 0 || type.storage() != ColumnType.Storage.LONG || rowCount == 0) {
      return null;
    }
    long[] b = bounds;
    if (b == null) { // a sealed segment never changes: computed once
      b = ColumnReader.computeLongBounds(this);
      bounds = b; // a race computes it twice, harmlessly
    }
    return b;
  }

  @Override
  public void gatherLongs(int[] sel, int m, long[] out) {
    if (width == 0 || type.storage() != ColumnType.Storage.LONG) {
      ColumnReader.super.gatherLongs(sel, m, out);
      return;
    }
    for (int i = 0; i < m; i++) {
      out[i] = rawLong(sel[i]);
    }
  }

  @Override
  public void gatherDoubles(int[] sel, int m, double[] out) {
    if (!(vector instanceof Float8Vector) || rowCount == 0) {
      ColumnReader.super.gatherDoubles(sel, m, out);
      return;
    }
    for (int i = 0; i < m; i++) {
      out[i] = Double.longBitsToDouble(MemoryUtil.getLong(data + ((long) sel[i] << 3)));
    }
  }

  @Override
  public void gatherCodes(int[] sel, int m, int[] out) {
    if (dictionary() == null || width != 4) {
      ColumnReader.super.gatherCodes(sel, m, out);
      return;
    }
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      out[i] = valid(r) ? MemoryUtil.getInt(data + ((long) r << 2)) : -1;
    }
  }

  @Override
  public int selectLongs(int[] sel, int m, long lo, long hi) {
    if (width == 0 || type.storage() != ColumnType.Storage.LONG) {
      return ColumnReader.super.selectLongs(sel, m, lo, hi);
    }
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      long x = rawLong(r);
      sel[k] = r;
      k += valid(r) && x >= lo && x <= hi ? 1 : 0;
    }
    return k;
  }

  @Override
  public int selectLongsIn(int[] sel, int m, long[] sorted, boolean negate) {
    if (width == 0 || type.storage() != ColumnType.Storage.LONG) {
      return ColumnReader.super.selectLongsIn(sel, m, sorted, negate);
    }
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      long x = rawLong(r);
      sel[k] = r;
      k += valid(r) && (java.util.Arrays.binarySearch(sorted, x) >= 0) != negate ? 1 : 0;
    }
    return k;
  }

  @Override
  public int selectDoubles(int[] sel, int m, double lo, boolean loOpen, double hi, boolean hiOpen) {
    if (!(vector instanceof Float8Vector) || rowCount == 0) {
      return ColumnReader.super.selectDoubles(sel, m, lo, loOpen, hi, hiOpen);
    }
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      double x = Double.longBitsToDouble(MemoryUtil.getLong(data + ((long) r << 3)));
      sel[k] = r;
      k += valid(r) && DoubleRange.holds(x, lo, loOpen, hi, hiOpen) ? 1 : 0;
    }
    return k;
  }

  @Override
  public int selectCodesAll(int[] sel, boolean[] accepted, boolean acceptNull) {
    int k = dictionary() == null || width != 4 ? -1 : postings.select(rowCount, dictionary.length,
        r -> valid(r) ? MemoryUtil.getInt(data + ((long) r << 2)) : -1, sel, accepted, acceptNull);
    return k >= 0 ? k : ColumnReader.super.selectCodesAll(sel, accepted, acceptNull);
  }

  @Override
  public int selectCodes(int[] sel, int m, boolean[] accepted, boolean acceptNull) {
    if (dictionary() == null || width != 4) {
      return ColumnReader.super.selectCodes(sel, m, accepted, acceptNull);
    }
    int k = 0;
    for (int i = 0; i < m; i++) {
      int r = sel[i];
      sel[k] = r;
      k += (valid(r) ? accepted[MemoryUtil.getInt(data + ((long) r << 2))] : acceptNull) ? 1 : 0;
    }
    return k;
  }

  @Override
  public int rowCount() {
    return rowCount;
  }

  @Override
  public boolean isNull(int row) {
    return vector.isNull(row);
  }

  @Override
  public Object get(int row) {
    if (vector.isNull(row)) {
      return null;
    }
    return switch (type) {
      case BOOLEAN -> ((BitVector) vector).get(row) != 0;
      case SMALLINT -> ((SmallIntVector) vector).get(row);
      case INTEGER -> ((IntVector) vector).get(row);
      case BIGINT -> ((BigIntVector) vector).get(row);
      case REAL -> ((Float4Vector) vector).get(row);
      case DOUBLE -> ((Float8Vector) vector).get(row);
      case VARCHAR, JSON, JSONB -> plain
          ? new String(((VarCharVector) vector).get(row), java.nio.charset.StandardCharsets.UTF_8)
          : dictionary[((IntVector) vector).get(row)];
      case TIMESTAMP, TIMESTAMPTZ -> ((TimeStampVector) vector).get(row);
      case DATE -> ((DateDayVector) vector).get(row);
      case BYTEA -> new ByteString(((VarBinaryVector) vector).get(row));
      case NUMERIC -> vector instanceof DecimalVector d
          ? d.getObject(row)
          : new BigDecimal(new String(((VarCharVector) vector).get(row), StandardCharsets.US_ASCII));
    };
  }

  @Override
  public byte[] utf8(int row) {
    return plain ? ((VarCharVector) vector).get(row) : ColumnReader.super.utf8(row);
  }

  @Override
  public String[] dictionary() {
    return type.isText() && !plain ? dictionary : null;
  }

  @Override
  public int code(int row) {
    return ((IntVector) vector).get(row);
  }

  @Override
  public long getLong(int row) {
    return switch (type) {
      case SMALLINT -> ((SmallIntVector) vector).get(row);
      case INTEGER -> ((IntVector) vector).get(row);
      case BIGINT -> ((BigIntVector) vector).get(row);
      case TIMESTAMP, TIMESTAMPTZ -> ((TimeStampVector) vector).get(row);
      case DATE -> ((DateDayVector) vector).get(row);
      default -> throw new IllegalStateException(type + " is not held as a long");
    };
  }

  @Override
  public double getDouble(int row) {
    return switch (type) {
      case REAL -> ((Float4Vector) vector).get(row);
      case DOUBLE -> ((Float8Vector) vector).get(row);
      default -> throw new IllegalStateException(type + " is not held as a double");
    };
  }
}
