package io.lumadb.pgwire;

import io.lumadb.sql.PgFloats;
import io.lumadb.sql.pgcatalog.PgArrays;
import io.netty.buffer.ByteBuf;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.type.SqlTypeName;

/** Encodes result values and decodes parameter values in PostgreSQL's text and binary formats. */
final class PgValues {
  private static final LocalDate PG_EPOCH = LocalDate.of(2000, 1, 1);
  private static final LocalDateTime PG_EPOCH_TS = PG_EPOCH.atStartOfDay();
  private static final Instant PG_EPOCH_INSTANT = PG_EPOCH_TS.toInstant(ZoneOffset.UTC);
  private PgValues() {}

  /** Text format of a result value (timestamptz values in UTC). */
  static String text(Object v) {
    return text(v, ZoneOffset.UTC);
  }

  /** Text format of a result value, timestamptz values in the session's time zone {@code zone}. */
  static String text(Object v, ZoneId zone) {
    if (v instanceof Boolean b) {
      return b ? "t" : "f";
    }
    if (v instanceof Double d) {
      return PgFloats.float8(d);
    }
    if (v instanceof Float f) {
      return PgFloats.float4(f);
    }
    if (v instanceof BigDecimal bd) {
      return bd.toPlainString();
    }
    if (v instanceof LocalDateTime ts) {
      return timestamp(ts);
    }
    if (v instanceof Instant i) {
      return timestamptz(i, zone);
    }
    if (v instanceof LocalTime t) {
      return t.format(DateTimeFormatter.ISO_LOCAL_TIME);
    }
    if (v instanceof byte[] bytes) {
      return "\\x" + HexFormat.of().formatHex(bytes);
    }
    if (v instanceof org.apache.calcite.avatica.util.ByteString bytes) {
      return "\\x" + bytes.toString(); // hex, lower case
    }
    if (v instanceof List<?> list) {
      StringBuilder b = new StringBuilder("{");
      for (int i = 0; i < list.size(); i++) {
        if (i > 0) {
          b.append(',');
        }
        Object item = list.get(i);
        b.append(item == null ? "NULL" : PgArrays.quoted(text(item, zone)));
      }
      return b.append('}').toString();
    }
    return v.toString();
  }

  /** Text format of a timestamp held as epoch milliseconds (of its wall-clock time read as UTC). */
  static String timestamp(long epochMillis) {
    return timestamp(io.lumadb.sql.VectorCursor.timestamp(epochMillis));
  }


  /** Binary format of a timestamp or timestamptz held as epoch milliseconds: microseconds since 2000. */
  static long pgMicros(long epochMillis) {
    return (epochMillis - PG_EPOCH_INSTANT.toEpochMilli()) * 1000;
  }

  static String timestamp(LocalDateTime ts) {
    // By hand: String.format parses its pattern on every call, a large part of encoding a
    // result with a timestamp per row.
    StringBuilder b = new StringBuilder(26).append(ts.toLocalDate()).append(' ');
    two(b, ts.getHour()).append(':');
    two(b, ts.getMinute()).append(':');
    two(b, ts.getSecond());
    int micros = ts.getNano() / 1000;
    if (micros != 0) {
      b.append('.');
      for (int div = 100_000; div > 0 && micros != 0; div /= 10) {
        b.append((char) ('0' + micros / div));
        micros %= div;
      }
    }
    return b.toString();
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
  }

  /** PostgreSQL's ISO output of timestamptz: the wall-clock time in {@code zone} and its offset. */
  static String timestamptz(Instant instant, ZoneId zone) {
    ZonedDateTime z = instant.atZone(zone);
    int offset = z.getOffset().getTotalSeconds();
    int abs = Math.abs(offset);
    StringBuilder b = new StringBuilder(timestamp(z.toLocalDateTime()))
        .append(offset < 0 ? '-' : '+')
        .append(String.format(Locale.ROOT, "%02d", abs / 3600));
    if (abs % 3600 != 0) {
      b.append(String.format(Locale.ROOT, ":%02d", abs % 3600 / 60));
      if (abs % 60 != 0) {
        b.append(String.format(Locale.ROOT, ":%02d", abs % 60));
      }
    }
    return b.toString();
  }

  /** Writes the binary format of a value for the given wire type. */
  static void writeBinary(ByteBuf out, PgType type, Object v) {
    switch (type) {
      case BOOL -> out.writeByte((Boolean) v ? 1 : 0);
      case INT2 -> out.writeShort(((Number) v).shortValue());
      case INT4, OID -> out.writeInt(((Number) v).intValue());
      case INT8 -> out.writeLong(((Number) v).longValue());
      case FLOAT4 -> out.writeFloat(((Number) v).floatValue());
      case FLOAT8 -> out.writeDouble(((Number) v).doubleValue());
      case DATE -> out.writeInt((int) ChronoUnit.DAYS.between(PG_EPOCH, (LocalDate) v));
      case TIME -> out.writeLong(((LocalTime) v).toNanoOfDay() / 1000);
      case TIMESTAMP, TIMESTAMPTZ -> out.writeLong(v instanceof Instant i
          ? ChronoUnit.MICROS.between(PG_EPOCH_INSTANT, i)
          : ChronoUnit.MICROS.between(PG_EPOCH_TS, (LocalDateTime) v));
      case NUMERIC -> writeNumeric(out, v instanceof BigDecimal bd ? bd : new BigDecimal(v.toString()));
      case BYTEA -> out.writeBytes(v instanceof org.apache.calcite.avatica.util.ByteString b ? b.getBytes() : (byte[]) v);
      case JSONB -> {
        out.writeByte(1); // jsonb's binary format: a version byte, then the text
        out.writeCharSequence(text(v), StandardCharsets.UTF_8);
      }
      default -> out.writeCharSequence(text(v), StandardCharsets.UTF_8);
    }
  }

  /** PostgreSQL's binary NUMERIC: base-10000 digits with weight, sign and display scale. */
  static void writeNumeric(ByteBuf out, BigDecimal value) {
    int dscale = Math.max(value.scale(), 0);
    BigDecimal abs = value.abs().setScale(dscale);
    String plain = abs.toPlainString();
    int dot = plain.indexOf('.');
    String intPart = dot < 0 ? plain : plain.substring(0, dot);
    String fracPart = dot < 0 ? "" : plain.substring(dot + 1);
    intPart = intPart.replaceFirst("^0+", "");
    int intGroups = (intPart.length() + 3) / 4;
    String paddedInt = "0".repeat(intGroups * 4 - intPart.length()) + intPart;
    int fracGroups = (fracPart.length() + 3) / 4;
    String paddedFrac = fracPart + "0".repeat(fracGroups * 4 - fracPart.length());
    short[] digits = new short[intGroups + fracGroups];
    for (int i = 0; i < intGroups; i++) {
      digits[i] = Short.parseShort(paddedInt.substring(i * 4, i * 4 + 4));
    }
    for (int i = 0; i < fracGroups; i++) {
      digits[intGroups + i] = Short.parseShort(paddedFrac.substring(i * 4, i * 4 + 4));
    }
    int weight = intGroups - 1;
    int first = 0;
    while (first < digits.length && digits[first] == 0) {
      first++;
      weight--;
    }
    int last = digits.length;
    while (last > first && digits[last - 1] == 0) {
      last--;
    }
    int n = last - first;
    if (n == 0) {
      weight = 0;
    }
    out.writeShort(n);
    out.writeShort(weight);
    out.writeShort(value.signum() < 0 ? 0x4000 : 0);
    out.writeShort(dscale);
    for (int i = first; i < last; i++) {
      out.writeShort(digits[i]);
    }
  }

  /** Decodes a parameter value into the representation the SQL engine binds. */
  static Object decodeParam(byte[] raw, boolean binary, SqlTypeName type, int declaredOid, ZoneId zone) {
    if (raw == null) {
      return null;
    }
    if (binary) {
      Object v = decodeBinary(raw, type, declaredOid);
      // a timestamptz sent for a timestamp parameter, and the other way round, as LumaDB's
      // text input converts them: the instant's UTC time, the UTC time's instant
      if (v instanceof LocalDateTime ts && type == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        return ts.toInstant(ZoneOffset.UTC);
      }
      if (v instanceof Instant i && type != SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
      }
      return v;
    }
    return io.lumadb.sql.ValueCoercion.parseText(new String(raw, StandardCharsets.UTF_8), type, zone);
  }

  private static Object decodeBinary(byte[] raw, SqlTypeName type, int declaredOid) {
    ByteBuffer b = ByteBuffer.wrap(raw);
    PgType wire = PgType.forOid(declaredOid);
    if (wire == null || wire == PgType.UNKNOWN) {
      wire = PgType.forSql(type);
    }
    try {
      Object v = switch (wire) {
        case BOOL -> b.get() != 0;
        case INT2 -> b.getShort();
        case INT4, OID -> b.getInt();
        case INT8 -> b.getLong();
        case FLOAT4 -> b.getFloat();
        case FLOAT8 -> b.getDouble();
        case DATE -> PG_EPOCH.plusDays(b.getInt());
        case TIME -> LocalTime.ofNanoOfDay(b.getLong() * 1000);
        case TIMESTAMP -> PG_EPOCH_TS.plus(b.getLong(), ChronoUnit.MICROS);
        case TIMESTAMPTZ -> PG_EPOCH_INSTANT.plus(b.getLong(), ChronoUnit.MICROS);
        case NUMERIC -> readNumeric(b);
        case BYTEA -> raw;
        case JSONB -> {
          if (raw.length == 0 || raw[0] != 1) {
            throw new IllegalArgumentException("unsupported jsonb version number");
          }
          yield new String(raw, 1, raw.length - 1, StandardCharsets.UTF_8);
        }
        default -> new String(raw, StandardCharsets.UTF_8);
      };
      if (b.hasRemaining() && wire.size > 0) {
        throw new IllegalArgumentException("extra bytes");
      }
      return v;
    } catch (RuntimeException e) {
      throw new io.lumadb.sql.LumaException(
          "22P03", "incorrect binary data format in bind parameter of type " + wire.name().toLowerCase(Locale.ROOT));
    }
  }

  private static BigDecimal readNumeric(ByteBuffer b) {
    int n = b.getShort();
    int weight = b.getShort();
    int sign = b.getShort() & 0xFFFF;
    int dscale = b.getShort();
    if (sign == 0xC000) {
      throw new IllegalArgumentException("NaN numeric is not supported");
    }
    BigInteger unscaled = BigInteger.ZERO;
    for (int i = 0; i < n; i++) {
      unscaled = unscaled.multiply(BigInteger.valueOf(10000)).add(BigInteger.valueOf(b.getShort()));
    }
    BigDecimal v = new BigDecimal(unscaled).scaleByPowerOfTen(4 * (weight - n + 1));
    v = v.setScale(dscale, java.math.RoundingMode.UNNECESSARY);
    return sign == 0x4000 ? v.negate() : v;
  }

}
