package io.lumadb.sql;

import io.lumadb.storage.ColumnType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;

/**
 * PostgreSQL's assignment casts: turns a value produced by a query (or sent by a client) into
 * a column's internal representation, with PostgreSQL's input syntax for text and its errors.
 */
public final class ValueCoercion {
  private static final DateTimeFormatter TIMESTAMP_IN = new DateTimeFormatterBuilder()
      .parseCaseInsensitive()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .optionalStart().appendLiteral(' ').optionalEnd()
      .optionalStart().appendLiteral('T').optionalEnd()
      .optionalStart()
      .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':')
      .appendValue(ChronoField.MINUTE_OF_HOUR, 2)
      .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
      .optionalEnd()
      .optionalStart().appendOffset("+HH:MM:ss", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter(Locale.ROOT)
      .withResolverStyle(java.time.format.ResolverStyle.STRICT); // 2016-02-30 is an error, not Feb 29

  private ValueCoercion() {}

  /**
   * The value converted for a column of type {@code type} (null stays null), reading timestamptz
   * input without an offset (and timestamp values) in the session's time zone {@code zone}.
   */
  public static Object toColumn(Object v, io.lumadb.storage.Column target, java.time.ZoneId zone) {
    if (v == null) {
      return null;
    }
    ColumnType type = target.type();
    String column = target.name();
    try {
      return switch (type) {
        case BOOLEAN -> toBoolean(v, column);
        case SMALLINT -> checkRange(toLong(v, type), Short.MIN_VALUE, Short.MAX_VALUE, "smallint");
        case INTEGER -> checkRange(toLong(v, type), Integer.MIN_VALUE, Integer.MAX_VALUE, "integer");
        case BIGINT -> toLong(v, type);
        case REAL, DOUBLE -> toDouble(v, type);
        case VARCHAR -> toText(v);
        case TIMESTAMP -> toTimestampMillis(v, column);
        case TIMESTAMPTZ -> toInstant(v, column, zone).toEpochMilli();
        case DATE -> toEpochDay(v, column);
        case BYTEA -> toBytea(v, column);
        case JSON -> io.lumadb.sql.pgcatalog.JsonFunctions.jsonIn(toText(v));
        case JSONB -> io.lumadb.sql.pgcatalog.JsonFunctions.jsonbIn(toText(v));
        case NUMERIC -> toNumeric(v, target);
      };
    } catch (NumberFormatException | java.time.DateTimeException e) {
      throw new LumaException("22P02", "invalid input syntax for type "
          + type.sqlName().toLowerCase(Locale.ROOT) + ": \"" + v + "\"");
    }
  }

  private static org.apache.calcite.avatica.util.ByteString toBytea(Object v, String column) {
    if (v instanceof org.apache.calcite.avatica.util.ByteString b) {
      return b;
    }
    if (v instanceof byte[] b) {
      return new org.apache.calcite.avatica.util.ByteString(b);
    }
    if (v instanceof String s) {
      return new org.apache.calcite.avatica.util.ByteString(parseBytea(s));
    }
    throw mismatch(column, ColumnType.BYTEA, v);
  }

  /**
   * PostgreSQL's bytea input: {@code \x} and hex digits (white space between pairs allowed),
   * or the escape format (a backslash and three octal digits, {@code \\}, other characters as
   * their UTF-8 bytes).
   */
  public static byte[] parseBytea(String s) {
    if (s.startsWith("\\x") || s.startsWith("\\X")) {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(s.length() / 2);
      int i = 2;
      while (i < s.length()) {
        char c = s.charAt(i);
        if (Character.isWhitespace(c)) {
          i++;
          continue;
        }
        int hi = Character.digit(c, 16);
        if (hi < 0) {
          throw new LumaException("22023", "invalid hexadecimal digit: \"" + c + "\"");
        }
        if (i + 1 >= s.length()) {
          throw new LumaException("22023", "invalid hexadecimal data: odd number of digits");
        }
        int lo = Character.digit(s.charAt(i + 1), 16);
        if (lo < 0) {
          throw new LumaException("22023", "invalid hexadecimal digit: \"" + s.charAt(i + 1) + "\"");
        }
        out.write(hi << 4 | lo);
        i += 2;
      }
      return out.toByteArray();
    }
    byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(utf8.length);
    for (int i = 0; i < utf8.length; i++) {
      byte b = utf8[i];
      if (b != '\\') {
        out.write(b);
      } else if (i + 1 < utf8.length && utf8[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else if (i + 3 < utf8.length && octal(utf8[i + 1], 3) && octal(utf8[i + 2], 7) && octal(utf8[i + 3], 7)) {
        out.write((utf8[i + 1] - '0') << 6 | (utf8[i + 2] - '0') << 3 | (utf8[i + 3] - '0'));
        i += 3;
      } else {
        throw new LumaException("22P02", "invalid input syntax for type bytea");
      }
    }
    return out.toByteArray();
  }

  private static boolean octal(byte b, int max) {
    return b >= '0' && b <= '0' + max;
  }

  /**
   * A numeric value for a numeric(p, s) column is rounded to s digits (half away from zero)
   * and must then have at most p - s digits before the point (22003); an unconstrained column
   * keeps the value as given.
   */
  private static BigDecimal toNumeric(Object v, io.lumadb.storage.Column target) {
    BigDecimal d;
    if (v instanceof BigDecimal bd) {
      d = LumaTypeSystem.unconstrainedValue(bd);
    } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      d = BigDecimal.valueOf(((Number) v).longValue());
    } else if (v instanceof Double || v instanceof Float) {
      double x = ((Number) v).doubleValue();
      if (Double.isNaN(x) || Double.isInfinite(x)) {
        throw new LumaException("0A000", "numeric NaN and infinity are not supported");
      }
      d = new BigDecimal(v instanceof Float f ? Float.toString(f) : Double.toString(x));
    } else if (v instanceof String s) {
      String t = s.trim();
      if (t.equalsIgnoreCase("nan") || t.toLowerCase(Locale.ROOT).contains("inf")) {
        throw new LumaException("0A000", "numeric NaN and infinity are not supported");
      }
      d = new BigDecimal(t);
    } else {
      throw mismatch(target.name(), ColumnType.NUMERIC, v);
    }
    return numericTypmod(d, target.precision(), target.scale());
  }

  /** Applies numeric(p, s) to a value (p < 0: unconstrained, the value as it is). */
  public static BigDecimal numericTypmod(BigDecimal d, int precision, int scale) {
    if (precision < 0) {
      return d.scale() < 0 ? d.setScale(0) : d;
    }
    BigDecimal r = d.setScale(scale, RoundingMode.HALF_UP);
    if (r.precision() - r.scale() > precision - scale && r.signum() != 0) {
      throw new LumaException("22003", "numeric field overflow").withDetail(
          "A field with precision " + precision + ", scale " + scale + " must round to an absolute value less than "
              + (precision == scale ? "1" : "10^" + (precision - scale)) + ".");
    }
    return r;
  }

  private static LumaException mismatch(String column, ColumnType type, Object v) {
    return new LumaException("42804", "column \"" + column + "\" is of type "
        + type.sqlName().toLowerCase(Locale.ROOT) + " but expression is of type "
        + v.getClass().getSimpleName().toLowerCase(Locale.ROOT));
  }

  private static Object toBoolean(Object v, String column) {
    if (v instanceof Boolean b) {
      return b;
    }
    if (v instanceof String s) {
      return switch (s.trim().toLowerCase(Locale.ROOT)) {
        case "t", "true", "y", "yes", "on", "1" -> true;
        case "f", "false", "n", "no", "off", "0" -> false;
        default -> throw new NumberFormatException(s);
      };
    }
    throw mismatch(column, ColumnType.BOOLEAN, v);
  }

  private static long toLong(Object v, ColumnType type) {
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).longValue();
    }
    if (v instanceof BigDecimal bd) {
      return bd.setScale(0, RoundingMode.HALF_UP).longValueExact();
    }
    if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d) || Math.abs(d) >= 9.223372036854776E18) {
        throw outOfRange(type.sqlName().toLowerCase(Locale.ROOT));
      }
      return (long) Math.rint(d);
    }
    if (v instanceof String s) {
      return Long.parseLong(s.trim());
    }
    throw mismatch("?", type, v);
  }

  private static long checkRange(long v, long min, long max, String typeName) {
    if (v < min || v > max) {
      throw outOfRange(typeName);
    }
    return v;
  }

  private static LumaException outOfRange(String typeName) {
    return new LumaException("22003", typeName + " out of range");
  }

  private static double toDouble(Object v, ColumnType type) {
    if (v instanceof Number n) {
      return n.doubleValue();
    }
    if (v instanceof String s) {
      String t = s.trim();
      return switch (t.toLowerCase(Locale.ROOT)) {
        case "nan" -> Double.NaN;
        case "infinity", "+infinity", "inf" -> Double.POSITIVE_INFINITY;
        case "-infinity", "-inf" -> Double.NEGATIVE_INFINITY;
        default -> Double.parseDouble(t);
      };
    }
    throw mismatch("?", type, v);
  }

  private static String toText(Object v) {
    if (v instanceof Timestamp ts) {
      return ts.toLocalDateTime().toString().replace('T', ' ');
    }
    if (v instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (v instanceof BigDecimal bd) {
      return bd.toPlainString();
    }
    return v.toString();
  }

  private static long toTimestampMillis(Object v, String column) {
    if (v instanceof Timestamp ts) {
      return ts.getTime();
    }
    if (v instanceof LocalDateTime ldt) {
      return ldt.toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().atStartOfDay().toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    if (v instanceof String s) {
      return parseTimestamp(s).toInstant(ZoneOffset.UTC).toEpochMilli();
    }
    throw mismatch(column, ColumnType.TIMESTAMP, v);
  }

  /** A timestamptz value: an instant kept as is, a wall-clock time read in {@code zone}. */
  private static java.time.Instant toInstant(Object v, String column, java.time.ZoneId zone) {
    if (v instanceof java.time.Instant i) {
      return i;
    }
    if (v instanceof OffsetDateTime odt) {
      return odt.toInstant();
    }
    if (v instanceof LocalDateTime ldt) {
      return ldt.atZone(zone).toInstant();
    }
    if (v instanceof Timestamp ts) {
      return ts.toLocalDateTime().atZone(zone).toInstant();
    }
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().atStartOfDay(zone).toInstant();
    }
    if (v instanceof LocalDate d) {
      return d.atStartOfDay(zone).toInstant();
    }
    if (v instanceof String s) {
      return parseInstant(s, zone);
    }
    throw mismatch(column, ColumnType.TIMESTAMPTZ, v);
  }

  /**
   * PostgreSQL's timestamptz input: a timestamp with an offset or {@code Z} is that instant;
   * one without is read in {@code zone}.
   */
  public static java.time.Instant parseInstant(String s, java.time.ZoneId zone) {
    TemporalAccessor parsed = TIMESTAMP_IN.parse(s.trim());
    LocalDateTime ts = wallClock(parsed);
    if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
      return ts.toInstant(ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS)));
    }
    return ts.atZone(zone).toInstant();
  }

  private static long toEpochDay(Object v, String column) {
    if (v instanceof java.sql.Date d) {
      return d.toLocalDate().toEpochDay();
    }
    if (v instanceof Timestamp ts) {
      return ts.toLocalDateTime().toLocalDate().toEpochDay();
    }
    if (v instanceof String s) {
      return parseTimestamp(s).toLocalDate().toEpochDay();
    }
    throw mismatch(column, ColumnType.DATE, v);
  }

  /**
   * A parameter sent as text, read as PostgreSQL reads text input for {@code type} (null type:
   * the text itself): for every front end that takes text parameters (pgwire's text format,
   * the gRPC QueryService's string values). A timestamp with a zone offset is shifted to UTC;
   * timestamptz input without one is read in the session's time zone {@code zone}. Bad input
   * gives SQLSTATE 22P02.
   */
  public static Object parseText(String s, org.apache.calcite.sql.type.SqlTypeName type, java.time.ZoneId zone) {
    if (type == null) {
      return s;
    }
    try {
      return switch (type) {
        case BOOLEAN -> parseBool(s);
        case TINYINT, SMALLINT -> Short.parseShort(s.trim());
        case INTEGER -> Integer.parseInt(s.trim());
        case BIGINT -> Long.parseLong(s.trim());
        case REAL -> Float.parseFloat(s.trim());
        case FLOAT, DOUBLE -> Double.parseDouble(s.trim());
        case DECIMAL -> new BigDecimal(s.trim());
        case DATE -> LocalDate.parse(s.trim());
        case TIME -> LocalTime.parse(s.trim());
        case TIMESTAMP -> parseTimestamp(s.trim());
        case TIMESTAMP_WITH_LOCAL_TIME_ZONE -> parseInstant(s, zone);
        case BINARY, VARBINARY -> parseBytea(s);
        default -> s;
      };
    } catch (RuntimeException e) {
      throw new LumaException("22P02", "invalid input syntax for type "
          + type.getName().toLowerCase(Locale.ROOT) + ": \"" + s + "\"");
    }
  }

  /** PostgreSQL's boolean input: t/true/y/yes/on/1 and f/false/n/no/off/0, any case. */
  public static boolean parseBool(String s) {
    return switch (s.trim().toLowerCase(Locale.ROOT)) {
      case "t", "true", "y", "yes", "on", "1" -> true;
      case "f", "false", "n", "no", "off", "0" -> false;
      default -> throw new IllegalArgumentException("invalid boolean " + s);
    };
  }

  /** Like {@link #parseTimestamp} but a zone offset is ignored (PostgreSQL's timestamp input). */
  public static LocalDateTime parseTimestampIgnoringZone(String s) {
    return wallClock(TIMESTAMP_IN.parse(s.trim()));
  }

  private static LocalDateTime wallClock(TemporalAccessor parsed) {
    LocalTime time = parsed.isSupported(ChronoField.HOUR_OF_DAY) ? LocalTime.from(parsed) : LocalTime.MIDNIGHT;
    return LocalDate.from(parsed).atTime(time);
  }

  /** {@code yyyy-MM-dd HH:mm:ss[.fffffffff]}, the form Calcite's timestamp literals take. */
  public static String formatTimestamp(LocalDateTime ts) {
    String s = ts.toLocalDate() + " " + String.format(java.util.Locale.ROOT, "%02d:%02d:%02d",
        ts.getHour(), ts.getMinute(), ts.getSecond());
    if (ts.getNano() == 0) {
      return s;
    }
    String frac = String.format(java.util.Locale.ROOT, "%09d", ts.getNano()).replaceAll("0+$", "");
    return s + "." + frac;
  }

  /**
   * Parses PostgreSQL timestamp input ("2024-01-01 10:00:00.5", "...T...", "...+02", "...Z",
   * a date alone). A value with an offset is converted to UTC and the offset dropped.
   */
  public static LocalDateTime parseTimestamp(String s) {
    return LocalDateTime.ofInstant(parseInstant(s, ZoneOffset.UTC), ZoneOffset.UTC);
  }

}
