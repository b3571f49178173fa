package io.lumadb.storage;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
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

  ArrowColumnReader(ColumnType type, FieldVector vector, String[] dictionary) {
    this.type = type;
    this.vector = vector;
    this.rowCount = vector.getValueCount();
    this.dictionary = dictionary;
    this.plain = vector instanceof VarCharVector;
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
