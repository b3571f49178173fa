package io.lumadb.server.grpc;

import com.google.protobuf.ByteString;
import io.lumadb.proto.query.QueryResponse;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.ResultColumn;
import io.lumadb.sql.RowCursor;
import io.lumadb.sql.VectorCursor;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * The ARROW_IPC encoding: rows go into Arrow vectors; each message is a complete Arrow IPC
 * stream (schema, record batches, end of stream). Column types map as BOOLEAN -> Bool,
 * TINYINT/SMALLINT -> Int16, INTEGER -> Int32, BIGINT -> Int64, REAL -> Float32,
 * FLOAT/DOUBLE -> Float64, DECIMAL(p, s) -> Decimal128(p, s), CHAR/VARCHAR -> Utf8,
 * BINARY/VARBINARY -> Binary, DATE -> Date32 (days), TIME -> Time64 (microseconds),
 * TIMESTAMP -> Timestamp (microseconds, no zone; UTC), TIMESTAMP WITH LOCAL TIME ZONE ->
 * Timestamp (microseconds, "UTC"), anything else -> Utf8 (its text form).
 */
final class ArrowIpcEncoder implements RowBatchEncoder {
  /** Writes one value (never null) into a vector at a row. Returns about how many bytes. */
  private interface ColumnWriter {
    int write(int row, Object value);
  }

  private final BufferAllocator allocator;
  private final VectorSchemaRoot root;
  private final ColumnWriter[] writers;
  private int batchRows;
  private long batchBytes;
  private int messageRows;
  private ByteString.Output out;
  private ArrowStreamWriter writer;

  /** @param allocator this encoder's own allocator, closed with it */
  ArrowIpcEncoder(List<ResultColumn> columns, BufferAllocator allocator) {
    this.allocator = allocator;
    List<Field> fields = new ArrayList<>(columns.size());
    for (ResultColumn c : columns) {
      fields.add(new Field(c.name(), FieldType.nullable(arrowType(c)), null));
    }
    VectorSchemaRoot r = null;
    try {
      r = VectorSchemaRoot.create(new Schema(fields), allocator);
      r.allocateNew();
      writers = new ColumnWriter[columns.size()];
      for (int i = 0; i < writers.length; i++) {
        writers[i] = writer(r.getVector(i));
      }
    } catch (RuntimeException e) {
      if (r != null) {
        r.close();
      }
      allocator.close();
      throw e;
    }
    this.root = r;
  }

  private static ArrowType arrowType(ResultColumn c) {
    return switch (c.type()) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case TINYINT, SMALLINT -> new ArrowType.Int(16, true);
      case INTEGER -> new ArrowType.Int(32, true);
      case BIGINT -> new ArrowType.Int(64, true);
      case REAL -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT, DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      // a bare numeric's values keep their own scale and may not fit any Decimal128: text
      case DECIMAL -> c.precision() >= 1 && c.precision() <= 38 && c.scale() >= 0 && c.scale() <= c.precision()
          && !io.lumadb.sql.LumaTypeSystem.isUnconstrainedDecimal(c.type(), c.precision(), c.scale())
          ? new ArrowType.Decimal(c.precision(), c.scale(), 128)
          : ArrowType.Utf8.INSTANCE;
      case BINARY, VARBINARY -> ArrowType.Binary.INSTANCE;
      case DATE -> new ArrowType.Date(DateUnit.DAY);
      case TIME -> new ArrowType.Time(TimeUnit.MICROSECOND, 64);
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
      case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");
      default -> ArrowType.Utf8.INSTANCE;
    };
  }

  private static ColumnWriter writer(FieldVector v) {
    if (v instanceof BitVector b) {
      return (i, x) -> {
        b.setSafe(i, (Boolean) x ? 1 : 0);
        return 1;
      };
    } else if (v instanceof SmallIntVector s) {
      return (i, x) -> {
        s.setSafe(i, ((Number) x).shortValue());
        return 2;
      };
    } else if (v instanceof IntVector n) {
      return (i, x) -> {
        n.setSafe(i, ((Number) x).intValue());
        return 4;
      };
    } else if (v instanceof BigIntVector n) {
      return (i, x) -> {
        n.setSafe(i, ((Number) x).longValue());
        return 8;
      };
    } else if (v instanceof Float4Vector f) {
      return (i, x) -> {
        f.setSafe(i, ((Number) x).floatValue());
        return 4;
      };
    } else if (v instanceof Float8Vector f) {
      return (i, x) -> {
        f.setSafe(i, ((Number) x).doubleValue());
        return 8;
      };
    } else if (v instanceof DecimalVector d) {
      return (i, x) -> {
        BigDecimal bd = x instanceof BigDecimal b ? b : new BigDecimal(x.toString());
        d.setSafe(i, bd.setScale(d.getScale(), RoundingMode.HALF_UP));
        return 16;
      };
    } else if (v instanceof VarBinaryVector b) {
      return (i, x) -> {
        byte[] bytes = x instanceof byte[] a ? a : x.toString().getBytes(StandardCharsets.UTF_8);
        b.setSafe(i, bytes);
        return bytes.length + 4;
      };
    } else if (v instanceof DateDayVector d) {
      return (i, x) -> {
        d.setSafe(i, Math.toIntExact(((LocalDate) x).toEpochDay()));
        return 4;
      };
    } else if (v instanceof TimeMicroVector t) {
      return (i, x) -> {
        t.setSafe(i, ((LocalTime) x).toNanoOfDay() / 1000);
        return 8;
      };
    } else if (v instanceof TimeStampMicroVector t) {
      return (i, x) -> {
        t.setSafe(i, micros(x));
        return 8;
      };
    } else if (v instanceof TimeStampMicroTZVector t) {
      return (i, x) -> {
        t.setSafe(i, micros(x));
        return 8;
      };
    } else if (v instanceof VarCharVector s) {
      return (i, x) -> {
        byte[] bytes = text(x).getBytes(StandardCharsets.UTF_8);
        s.setSafe(i, bytes);
        return bytes.length + 4;
      };
    }
    throw new IllegalStateException("no Arrow writer for " + v.getClass().getSimpleName());
  }

  private static long micros(Object x) {
    Instant i = x instanceof LocalDateTime t ? t.toInstant(ZoneOffset.UTC)
        : x instanceof OffsetDateTime o ? o.toInstant()
        : (Instant) x;
    return Math.addExact(Math.multiplyExact(i.getEpochSecond(), 1_000_000L), i.getNano() / 1000);
  }

  private static String text(Object x) {
    if (x instanceof byte[] b) {
      return "\\x" + java.util.HexFormat.of().formatHex(b);
    }
    if (x instanceof BigDecimal b) {
      return b.toPlainString();
    }
    return x.toString();
  }

  /**
   * Writes the current row's value of a column read straight from a scan's vectors, when the
   * column's kind and vector allow it without a value object; returns about how many bytes, or
   * -1 when the value must go through {@link ColumnWriter}.
   */
  private static long writeFromVectors(FieldVector v, int row, VectorCursor cursor, int c) {
    switch (cursor.kind(c)) {
      case INTEGER -> {
        long x = cursor.getLong(c);
        if (v instanceof BigIntVector n) {
          n.setSafe(row, x);
          return 8;
        } else if (v instanceof IntVector n) {
          n.setSafe(row, (int) x);
          return 4;
        } else if (v instanceof SmallIntVector n) {
          n.setSafe(row, (short) x);
          return 2;
        }
      }
      case FLOAT -> {
        if (v instanceof Float8Vector f) {
          f.setSafe(row, cursor.getDouble(c));
          return 8;
        } else if (v instanceof Float4Vector f) {
          f.setSafe(row, (float) cursor.getDouble(c));
          return 4;
        }
      }
      case TEXT -> {
        if (v instanceof VarCharVector s) {
          byte[] bytes = cursor.utf8(c);
          s.setSafe(row, bytes);
          return bytes.length + 4;
        }
      }
      case TIMESTAMP, TIMESTAMPTZ -> {
        if (v instanceof TimeStampMicroVector || v instanceof TimeStampMicroTZVector) {
          ((org.apache.arrow.vector.TimeStampVector) v).setSafe(row, Math.multiplyExact(cursor.getLong(c), 1000L));
          return 8;
        }
      }
      default -> { }
    }
    return -1;
  }

  @Override
  public void add(RowCursor cursor) {
    long bytes = 0;
    VectorCursor vectors = cursor instanceof VectorCursor vc ? vc : null;
    for (int c = 0; c < writers.length; c++) {
      if (vectors != null && !vectors.isNull(c)) {
        long b = writeFromVectors(root.getVector(c), batchRows, vectors, c);
        if (b >= 0) {
          bytes += b;
          continue;
        }
      }
      Object x = cursor.get(c);
      FieldVector v = root.getVector(c);
      if (x == null) {
        if (v instanceof BaseFixedWidthVector f) {
          f.setNull(batchRows);
        } else {
          ((BaseVariableWidthVector) v).setNull(batchRows);
        }
      } else {
        try {
          bytes += writers[c].write(batchRows, x);
        } catch (ClassCastException | ArithmeticException e) {
          throw new LumaException(io.lumadb.sql.ErrorCode.E005, "cannot encode " + x.getClass().getSimpleName()
              + " value of column \"" + v.getName() + "\" as Arrow " + v.getField().getType(), e);
        }
      }
    }
    batchRows++;
    messageRows++;
    batchBytes += bytes + writers.length; // values plus validity, roughly
  }

  @Override
  public int pendingRows() {
    return messageRows;
  }

  @Override
  public long pendingBytes() {
    return batchBytes + (out == null ? 0 : out.size());
  }

  @Override
  public void cutBatch() {
    if (batchRows == 0) {
      return;
    }
    try {
      startStream();
      root.setRowCount(batchRows);
      writer.writeBatch();
    } catch (IOException e) {
      throw new LumaException(io.lumadb.sql.ErrorCode.E005, "cannot write an Arrow record batch: " + e.getMessage(), e);
    }
    for (FieldVector v : root.getFieldVectors()) {
      v.reset();
    }
    batchRows = 0;
    batchBytes = 0;
  }

  private void startStream() throws IOException {
    if (writer == null) {
      out = ByteString.newOutput();
      writer = new ArrowStreamWriter(root, null, Channels.newChannel(out));
      writer.start();
    }
  }

  @Override
  public void takeInto(QueryResponse.Builder message) {
    cutBatch();
    try {
      startStream(); // a result without rows still tells its schema
      writer.end();
    } catch (IOException e) {
      throw new LumaException(io.lumadb.sql.ErrorCode.E005, "cannot end an Arrow IPC stream: " + e.getMessage(), e);
    }
    writer.close();
    message.setArrowIpc(out.toByteString());
    writer = null;
    out = null;
    messageRows = 0;
  }

  @Override
  public void close() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
    root.close();
    allocator.close();
  }
}
