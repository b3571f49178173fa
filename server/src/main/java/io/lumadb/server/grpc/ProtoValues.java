package io.lumadb.server.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.NullValue;
import com.google.protobuf.Timestamp;
import io.lumadb.proto.query.ArrayValue;
import io.lumadb.proto.query.Value;
import io.lumadb.sql.LumaException;
import io.lumadb.sql.ValueCoercion;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;

/** Conversions between query.proto's {@link Value} and the engine's Java values. */
final class ProtoValues {
  static final Value NULL = Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build();

  private ProtoValues() {}

  /** A result value (one of the types {@link io.lumadb.sql.RowCursor} names) as a Value. */
  static Value toValue(Object v) {
    if (v == null) {
      return NULL;
    }
    Value.Builder b = Value.newBuilder();
    if (v instanceof Boolean x) {
      b.setBoolValue(x);
    } else if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      b.setInt32Value(((Number) v).intValue());
    } else if (v instanceof Long x) {
      b.setInt64Value(x);
    } else if (v instanceof Float x) {
      b.setFloatValue(x);
    } else if (v instanceof Double x) {
      b.setDoubleValue(x);
    } else if (v instanceof BigDecimal x) {
      b.setDecimalValue(x.toPlainString());
    } else if (v instanceof BigInteger x) {
      b.setDecimalValue(x.toString());
    } else if (v instanceof String x) {
      b.setStringValue(x);
    } else if (v instanceof byte[] x) {
      b.setBytesValue(ByteString.copyFrom(x));
    } else if (v instanceof LocalDateTime x) {
      b.setTimestampValue(timestamp(x.toInstant(ZoneOffset.UTC)));
    } else if (v instanceof OffsetDateTime x) {
      b.setTimestampValue(timestamp(x.toInstant()));
    } else if (v instanceof Instant x) {
      b.setTimestampValue(timestamp(x));
    } else if (v instanceof LocalDate x) {
      b.setDateValue(Math.toIntExact(x.toEpochDay()));
    } else if (v instanceof LocalTime x) {
      b.setTimeValue(x.toNanoOfDay() / 1000);
    } else if (v instanceof List<?> list) {
      ArrayValue.Builder a = ArrayValue.newBuilder();
      for (Object item : list) {
        a.addValues(toValue(item));
      }
      b.setArrayValue(a);
    } else {
      b.setStringValue(v.toString());
    }
    return b.build();
  }

  private static Timestamp timestamp(Instant i) {
    return Timestamp.newBuilder().setSeconds(i.getEpochSecond()).setNanos(i.getNano()).build();
  }

  static LocalDateTime localDateTime(Timestamp t) {
    return LocalDateTime.ofEpochSecond(t.getSeconds(), t.getNanos(), ZoneOffset.UTC);
  }

  /**
   * The parameter type a value declares: its own for typed values, none (inferred from the
   * statement, as PostgreSQL does for untyped text) for strings and NULL.
   */
  static SqlTypeName declaredType(Value v) {
    return switch (v.getKindCase()) {
      case BOOL_VALUE -> SqlTypeName.BOOLEAN;
      case INT32_VALUE -> SqlTypeName.INTEGER;
      case INT64_VALUE -> SqlTypeName.BIGINT;
      case FLOAT_VALUE -> SqlTypeName.REAL;
      case DOUBLE_VALUE -> SqlTypeName.DOUBLE;
      case DECIMAL_VALUE -> SqlTypeName.DECIMAL;
      case BYTES_VALUE -> SqlTypeName.VARBINARY;
      case TIMESTAMP_VALUE -> SqlTypeName.TIMESTAMP;
      case DATE_VALUE -> SqlTypeName.DATE;
      case TIME_VALUE -> SqlTypeName.TIME;
      case STRING_VALUE, NULL_VALUE, KIND_NOT_SET, ARRAY_VALUE -> null;
    };
  }

  /**
   * A parameter value for the engine. Typed values keep their type; text is converted to
   * {@code type}, the type the statement needs. {@code asLiteral}: the statement takes its
   * parameters as SQL literals (INSERT, DDL), where bytes travel in PostgreSQL's hex form.
   */
  static Object toParam(Value v, SqlTypeName type, boolean asLiteral, int number, java.time.ZoneId zone) {
    return switch (v.getKindCase()) {
      case NULL_VALUE, KIND_NOT_SET -> null;
      case BOOL_VALUE -> v.getBoolValue();
      case INT32_VALUE -> v.getInt32Value();
      case INT64_VALUE -> v.getInt64Value();
      case FLOAT_VALUE -> v.getFloatValue();
      case DOUBLE_VALUE -> v.getDoubleValue();
      case DECIMAL_VALUE -> parse(v.getDecimalValue(), SqlTypeName.DECIMAL, number, zone);
      case STRING_VALUE -> parse(v.getStringValue(), type, number, zone);
      case BYTES_VALUE -> asLiteral
          ? "\\x" + HexFormat.of().formatHex(v.getBytesValue().toByteArray())
          : v.getBytesValue().toByteArray();
      case TIMESTAMP_VALUE -> localDateTime(v.getTimestampValue());
      case DATE_VALUE -> LocalDate.ofEpochDay(v.getDateValue());
      case TIME_VALUE -> LocalTime.ofNanoOfDay(v.getTimeValue() * 1000);
      case ARRAY_VALUE -> throw new LumaException("0A000",
          "array parameters are not supported ($" + number + ")");
    };
  }

  /**
   * Text input for a parameter of {@code type}, read as PostgreSQL reads text parameters
   * (timestamptz without an offset in the session's time zone {@code zone}).
   */
  private static Object parse(String s, SqlTypeName type, int number, java.time.ZoneId zone) {
    try {
      return ValueCoercion.parseText(s, type, zone);
    } catch (LumaException e) {
      throw new LumaException(e.sqlState(), e.getMessage() + " ($" + number + ")");
    }
  }
}
