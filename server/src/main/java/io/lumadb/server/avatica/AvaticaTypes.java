package io.lumadb.server.avatica;

import io.lumadb.sql.LumaException;
import io.lumadb.sql.ResultColumn;
import io.lumadb.sql.ValueCoercion;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.DatabaseMetaData;
import java.sql.Types;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.avatica.AvaticaParameter;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.SqlType;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.util.ByteString;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * LumaDB's values and types in Avatica's terms. Result values travel in Avatica's serial form
 * (TIMESTAMP as epoch millis, DATE as epoch days, TIME as millis of the day), which the remote
 * driver turns back into {@code java.sql} values; TIMESTAMP is zone-less (UTC) as everywhere
 * in LumaDB.
 */
final class AvaticaTypes {
  private AvaticaTypes() {}

  /** The JDBC type a result column of this engine type is sent as. */
  static int jdbcType(SqlTypeName t) {
    return switch (t) {
      case BOOLEAN -> Types.BOOLEAN;
      case TINYINT, SMALLINT -> Types.SMALLINT;
      case INTEGER -> Types.INTEGER;
      case BIGINT -> Types.BIGINT;
      case REAL -> Types.REAL;
      case FLOAT, DOUBLE -> Types.DOUBLE;
      case DECIMAL -> Types.DECIMAL;
      case CHAR -> Types.CHAR;
      case BINARY, VARBINARY -> Types.VARBINARY;
      case DATE -> Types.DATE;
      case TIME -> Types.TIME;
      case TIMESTAMP, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Types.TIMESTAMP;
      default -> Types.VARCHAR; // VARCHAR, and what has no JDBC form here (arrays, maps) as text
    };
  }

  static String typeName(int jdbcType) {
    return switch (jdbcType) {
      case Types.BOOLEAN -> "BOOLEAN";
      case Types.SMALLINT -> "SMALLINT";
      case Types.INTEGER -> "INTEGER";
      case Types.BIGINT -> "BIGINT";
      case Types.REAL -> "REAL";
      case Types.DOUBLE -> "DOUBLE";
      case Types.DECIMAL -> "DECIMAL";
      case Types.CHAR -> "CHAR";
      case Types.VARBINARY -> "VARBINARY";
      case Types.DATE -> "DATE";
      case Types.TIME -> "TIME";
      case Types.TIMESTAMP -> "TIMESTAMP";
      default -> "VARCHAR";
    };
  }

  /** What {@code ResultSetMetaData.getColumnClassName} reports. */
  private static String className(int jdbcType) {
    return switch (jdbcType) {
      case Types.BOOLEAN -> Boolean.class.getName();
      case Types.SMALLINT -> Short.class.getName();
      case Types.INTEGER -> Integer.class.getName();
      case Types.BIGINT -> Long.class.getName();
      case Types.REAL -> Float.class.getName();
      case Types.DOUBLE -> Double.class.getName();
      case Types.DECIMAL -> BigDecimal.class.getName();
      case Types.VARBINARY -> byte[].class.getName();
      case Types.DATE -> java.sql.Date.class.getName();
      case Types.TIME -> java.sql.Time.class.getName();
      case Types.TIMESTAMP -> java.sql.Timestamp.class.getName();
      default -> String.class.getName();
    };
  }

  static ColumnMetaData.AvaticaType avaticaType(int jdbcType) {
    return ColumnMetaData.scalar(jdbcType, typeName(jdbcType),
        ColumnMetaData.Rep.serialRepOf(SqlType.valueOf(jdbcType)));
  }

  /** Column metadata of a query result. */
  static List<ColumnMetaData> columns(List<ResultColumn> columns) {
    List<ColumnMetaData> out = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      ResultColumn c = columns.get(i);
      int type = jdbcType(c.type());
      int precision = c.precision() > 0 ? c.precision() : 0;
      int scale = type == Types.DECIMAL && c.scale() > 0 ? c.scale() : 0;
      boolean signed = switch (type) {
        case Types.SMALLINT, Types.INTEGER, Types.BIGINT, Types.REAL, Types.DOUBLE, Types.DECIMAL -> true;
        default -> false;
      };
      out.add(new ColumnMetaData(i, false, true, true, false,
          DatabaseMetaData.columnNullableUnknown, signed, displaySize(type, precision), c.name(),
          c.name(), null, precision, scale, null, null,
          c.type() == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE ? TIMESTAMPTZ
              : !c.typeName().equals(c.type().getName()) // JSON, JSONB: text under their own names
              ? ColumnMetaData.scalar(type, c.typeName(), ColumnMetaData.Rep.serialRepOf(SqlType.valueOf(type)))
              : avaticaType(type),
          true, false, false, className(type)));
    }
    return out;
  }

  /**
   * timestamptz: a java.sql.Timestamp holding the instant, as JDBC's TIMESTAMP carries it, told
   * apart by its type name.
   */
  private static final ColumnMetaData.AvaticaType TIMESTAMPTZ = ColumnMetaData.scalar(Types.TIMESTAMP,
      "TIMESTAMP WITH TIME ZONE", ColumnMetaData.Rep.serialRepOf(SqlType.TIMESTAMP));

  /** Column metadata of a DatabaseMetaData answer; {@code types} are JDBC types. */
  static List<ColumnMetaData> metadataColumns(List<String> names, List<Integer> types) {
    List<ColumnMetaData> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      int type = types.get(i);
      out.add(new ColumnMetaData(i, false, true, false, false, DatabaseMetaData.columnNullable,
          type != Types.VARCHAR && type != Types.BOOLEAN, displaySize(type, 0), names.get(i),
          names.get(i), null, 0, 0, null, null, avaticaType(type), true, false, false,
          className(type)));
    }
    return out;
  }

  private static int displaySize(int type, int precision) {
    return switch (type) {
      case Types.BOOLEAN -> 5;
      case Types.SMALLINT -> 6;
      case Types.INTEGER -> 11;
      case Types.BIGINT -> 20;
      case Types.REAL -> 15;
      case Types.DOUBLE -> 24;
      case Types.DATE -> 10;
      case Types.TIME -> 12;
      case Types.TIMESTAMP -> 23;
      default -> precision > 0 ? precision : 1 << 20;
    };
  }

  /** The parameter descriptions of a prepared statement ({@code paramTypes} of $1..$n). */
  static List<AvaticaParameter> parameters(List<SqlTypeName> paramTypes) {
    List<AvaticaParameter> out = new ArrayList<>(paramTypes.size());
    for (int i = 0; i < paramTypes.size(); i++) {
      int type = jdbcType(paramTypes.get(i));
      out.add(new AvaticaParameter(type != Types.VARCHAR && type != Types.BOOLEAN, 0, 0, type,
          typeName(type), className(type), "$" + (i + 1)));
    }
    return out;
  }

  /** A result value in the serial form of a column of {@code jdbcType}. */
  /**
   * {@link #toFrameValue} of a value read straight from a scan's vectors: numbers and timestamps
   * go into the frame without a value object in between.
   */
  static Object frameValue(io.lumadb.sql.VectorCursor cursor, int column, int jdbcType) {
    if (cursor.isNull(column)) {
      return null;
    }
    switch (cursor.kind(column)) {
      case INTEGER:
        long x = cursor.getLong(column);
        return switch (jdbcType) {
          case Types.SMALLINT -> (short) x;
          case Types.INTEGER -> (int) x;
          case Types.BIGINT -> x;
          default -> toFrameValue(cursor.get(column), jdbcType);
        };
      case FLOAT:
        double d = cursor.getDouble(column);
        return switch (jdbcType) {
          case Types.REAL -> (float) d;
          case Types.DOUBLE -> d;
          default -> toFrameValue(cursor.get(column), jdbcType);
        };
      case TIMESTAMP, TIMESTAMPTZ:
        // epoch milliseconds, what a timestamp's frame value is (of the instant for timestamptz)
        return jdbcType == Types.TIMESTAMP ? cursor.getLong(column) : toFrameValue(cursor.get(column), jdbcType);
      default:
        return toFrameValue(cursor.get(column), jdbcType);
    }
  }

  static Object toFrameValue(Object v, int jdbcType) {
    if (v == null) {
      return null;
    }
    switch (jdbcType) {
      case Types.SMALLINT:
        return v instanceof Number n ? n.shortValue() : v;
      case Types.INTEGER:
        return v instanceof Number n ? n.intValue() : v;
      case Types.BIGINT:
        return v instanceof Number n ? n.longValue() : v;
      case Types.REAL:
        return v instanceof Number n ? n.floatValue() : v;
      case Types.DOUBLE:
        return v instanceof Number n ? n.doubleValue() : v;
      case Types.DECIMAL:
        return v instanceof BigDecimal ? v : v instanceof Number n ? new BigDecimal(n.toString()) : v;
      case Types.VARBINARY:
        return v instanceof byte[] ? v : v instanceof ByteString b ? b.getBytes() : text(v).getBytes(StandardCharsets.UTF_8);
      case Types.DATE:
        if (v instanceof LocalDate d) {
          return Math.toIntExact(d.toEpochDay());
        }
        return v instanceof LocalDateTime ts ? Math.toIntExact(ts.toLocalDate().toEpochDay()) : v;
      case Types.TIME:
        return v instanceof LocalTime t ? (int) (t.toNanoOfDay() / 1_000_000) : v;
      case Types.TIMESTAMP:
        if (v instanceof LocalDateTime ts) {
          return ts.toInstant(ZoneOffset.UTC).toEpochMilli();
        }
        if (v instanceof Instant i) {
          return i.toEpochMilli(); // timestamptz: the instant (java.sql.Timestamp holds one)
        }
        return v instanceof LocalDate d ? d.atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli() : v;
      case Types.BOOLEAN:
        return v;
      default:
        return v instanceof String ? v : text(v);
    }
  }

  /** PostgreSQL's text form of a value (arrays as {a,b}). */
  static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof LocalDateTime ts) {
      return ValueCoercion.formatTimestamp(ts);
    }
    if (v instanceof byte[] b) {
      return "\\x" + HexFormat.of().formatHex(b);
    }
    if (v instanceof BigDecimal bd) {
      return bd.toPlainString();
    }
    if (v instanceof List<?> list) {
      StringBuilder s = new StringBuilder("{");
      for (Object item : list) {
        if (s.length() > 1) {
          s.append(',');
        }
        s.append(item == null ? "NULL" : text(item));
      }
      return s.append('}').toString();
    }
    return v.toString();
  }

  /**
   * A parameter the driver sent, as an engine value. The driver's own representation tells the
   * type: {@code setInt} arrives as an int, {@code setTimestamp} as the wall-clock time in epoch
   * millis, {@code setDate} as epoch days.
   */
  static Object fromTypedValue(TypedValue tv) {
    if (tv == null || tv.value == null) {
      return null;
    }
    Object v = tv.value;
    return switch (tv.type) {
      case PRIMITIVE_BOOLEAN, BOOLEAN -> v instanceof Boolean ? v : Boolean.valueOf(v.toString());
      case PRIMITIVE_BYTE, BYTE, PRIMITIVE_SHORT, SHORT -> ((Number) v).shortValue();
      case PRIMITIVE_INT, INTEGER -> ((Number) v).intValue();
      case PRIMITIVE_LONG, LONG -> ((Number) v).longValue();
      case PRIMITIVE_FLOAT, FLOAT -> ((Number) v).floatValue();
      case PRIMITIVE_DOUBLE, DOUBLE -> ((Number) v).doubleValue();
      case NUMBER -> v instanceof BigDecimal ? v : new BigDecimal(v.toString());
      case PRIMITIVE_CHAR, CHARACTER, STRING -> v.toString();
      // the serial form of bytes is their base64 text (setBytes sends that)
      case BYTE_STRING -> v instanceof ByteString b ? b.getBytes() : v instanceof byte[] ? v
          : ByteString.ofBase64(v.toString()).getBytes();
      case JAVA_SQL_DATE -> LocalDate.ofEpochDay(((Number) v).longValue());
      case JAVA_SQL_TIME -> LocalTime.ofNanoOfDay(Math.floorMod(((Number) v).longValue(), 86_400_000L) * 1_000_000);
      case JAVA_SQL_TIMESTAMP, JAVA_UTIL_DATE ->
          LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) v).longValue()), ZoneOffset.UTC);
      default -> v instanceof List<?> ? v : v.toString();
    };
  }

  /**
   * A parameter value converted to the type the planned statement expects ($n's type), as
   * PostgreSQL converts a parameter: numbers between numeric types, text parsed.
   */
  static Object coerce(Object v, SqlTypeName type, int number) {
    if (v == null || type == null) {
      return v;
    }
    try {
      return switch (type) {
        case BOOLEAN -> v instanceof Boolean ? v : v instanceof Number n ? n.intValue() != 0 : bool(v.toString());
        case TINYINT, SMALLINT -> v instanceof String s ? Short.parseShort(s.trim()) : decimal(v).shortValueExact();
        case INTEGER -> v instanceof String s ? Integer.parseInt(s.trim()) : decimal(v).intValueExact();
        case BIGINT -> v instanceof String s ? Long.parseLong(s.trim()) : decimal(v).longValueExact();
        case REAL -> v instanceof Number n ? n.floatValue() : Float.parseFloat(v.toString().trim());
        case FLOAT, DOUBLE -> v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString().trim());
        case DECIMAL -> decimal(v);
        case CHAR, VARCHAR -> v instanceof String ? v : text(v);
        case DATE -> v instanceof LocalDate ? v : v instanceof LocalDateTime ts ? ts.toLocalDate()
            : LocalDate.parse(v.toString().trim());
        case TIME -> v instanceof LocalTime ? v : v instanceof LocalDateTime ts ? ts.toLocalTime()
            : LocalTime.parse(v.toString().trim());
        case TIMESTAMP -> v instanceof LocalDateTime ? v : v instanceof LocalDate d ? d.atStartOfDay()
            : ValueCoercion.parseTimestampIgnoringZone(v.toString());
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> v instanceof Instant ? v
            : v instanceof LocalDateTime ts ? ts.toInstant(ZoneOffset.UTC)
            : ValueCoercion.parseInstant(v.toString(), ZoneOffset.UTC);
        case BINARY, VARBINARY -> v instanceof byte[] ? v : v.toString().startsWith("\\x")
            ? HexFormat.of().parseHex(v.toString().substring(2))
            : v.toString().getBytes(StandardCharsets.UTF_8);
        default -> v;
      };
    } catch (ArithmeticException e) {
      throw new LumaException("22003", "value " + text(v) + " is out of range for type "
          + type.getName().toLowerCase(Locale.ROOT) + " ($" + number + ")");
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new LumaException("22P02", "invalid input syntax for type "
          + type.getName().toLowerCase(Locale.ROOT) + ": \"" + text(v) + "\" ($" + number + ")");
    }
  }

  /** A parameter of a statement that takes its parameters as SQL literals (INSERT, DDL). */
  static Object asLiteral(Object v) {
    return v instanceof byte[] b ? "\\x" + HexFormat.of().formatHex(b) : v;
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof BigDecimal bd) {
      return bd;
    }
    if (v instanceof Boolean b) {
      return b ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    if (v instanceof Double d && (d.isNaN() || d.isInfinite())) {
      throw new NumberFormatException(d.toString());
    }
    if (v instanceof Float f && (f.isNaN() || f.isInfinite())) {
      throw new NumberFormatException(f.toString());
    }
    return new BigDecimal(v.toString().trim());
  }

  private static Boolean bool(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "on", "1" -> true;
      case "f", "false", "n", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException(s);
    };
  }
}
