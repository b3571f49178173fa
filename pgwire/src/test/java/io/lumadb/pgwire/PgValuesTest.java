package io.lumadb.pgwire;

import static java.time.ZoneOffset.UTC;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.Test;

class PgValuesTest {
  @Test
  void floatsPrintLikePostgres() {
    assertEquals("1", PgValues.text(1.0));
    assertEquals("0.1", PgValues.text(0.1));
    assertEquals("-2.5", PgValues.text(-2.5));
    assertEquals("1e+15", PgValues.text(1e15));
    assertEquals("123456789012345", PgValues.text(123456789012345.0));
    assertEquals("1e-05", PgValues.text(0.00001));
    assertEquals("0.0001", PgValues.text(0.0001));
    assertEquals("1.5e+300", PgValues.text(1.5e300));
    assertEquals("NaN", PgValues.text(Double.NaN));
    assertEquals("-Infinity", PgValues.text(Double.NEGATIVE_INFINITY));
    assertEquals("1e+06", PgValues.text(1e6f));
    assertEquals("100000", PgValues.text(1e5f));
    assertEquals("0.1", PgValues.text(0.1f));
  }

  @Test
  void theShortcutsForWholeAndPlainFloatsPrintWhatTheGeneralPathPrints() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(7);
    List<Double> values = new java.util.ArrayList<>(List.of(0.0, -0.0, 1.0, -1.0, 0.001, 0.000999, 1e7, 9999999.0,
        999999999999999.0, 1e15, -1e15, 1e16, 123.0, 0.5, 1e-5, Double.MIN_VALUE, Double.MAX_VALUE, 4503599627370496.5));
    for (int i = 0; i < 200_000; i++) {
      double scale = Math.pow(10, r.nextInt(-12, 20));
      double v = (r.nextBoolean() ? -1 : 1) * scale * (r.nextInt(4) == 0 ? Math.rint(r.nextDouble() * 1000) : r.nextDouble());
      values.add(v);
      values.add(Math.rint(v));
    }
    for (double v : values) {
      assertEquals(io.lumadb.sql.PgFloats.float8General(v), PgValues.text(v), "for " + v);
    }
  }

  @Test
  void timestampsPrintLikeTheFormatter() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      LocalDateTime ts = LocalDateTime.of(r.nextInt(1, 9999), r.nextInt(1, 13), r.nextInt(1, 29), r.nextInt(24),
          r.nextInt(60), r.nextInt(60), r.nextInt(4) == 0 ? 0 : r.nextInt(1_000_000) * 1000);
      String time = String.format(java.util.Locale.ROOT, "%02d:%02d:%02d", ts.getHour(), ts.getMinute(), ts.getSecond());
      int micros = ts.getNano() / 1000;
      String expected = ts.toLocalDate() + " " + time
          + (micros == 0 ? "" : "." + String.format(java.util.Locale.ROOT, "%06d", micros).replaceAll("0+$", ""));
      assertEquals(expected, PgValues.text(ts));
    }
  }

  @Test
  void otherTextFormats() {
    assertEquals("t", PgValues.text(true));
    assertEquals("2024-01-02 03:04:05", PgValues.text(LocalDateTime.of(2024, 1, 2, 3, 4, 5)));
    assertEquals("2024-01-02 03:04:05.12", PgValues.text(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000)));
    assertEquals("\\x00ff", PgValues.text(new byte[] {0, (byte) 255}));
    assertEquals("{1,NULL,\"a b\"}", PgValues.text(Arrays.asList(1, null, "a b")));
  }

  @Test
  void numericBinaryRoundTrips() {
    for (String s : new String[] {"0", "1", "-1", "12345.678", "0.0001", "-99999999.00001",
        "100000000", "3.14159265358979323846", "10000", "0.5"}) {
      BigDecimal v = new BigDecimal(s);
      ByteBuf b = Unpooled.buffer();
      PgValues.writeNumeric(b, v);
      byte[] raw = new byte[b.readableBytes()];
      b.readBytes(raw);
      assertEquals(v, PgValues.decodeParam(raw, true, SqlTypeName.DECIMAL, PgType.NUMERIC.oid, UTC), s);
    }
  }

  @Test
  void binaryDatesAndTimestampsRoundTrip() {
    ByteBuf b = Unpooled.buffer();
    LocalDateTime ts = LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_000);
    PgValues.writeBinary(b, PgType.TIMESTAMP, ts);
    byte[] raw = new byte[8];
    b.readBytes(raw);
    assertEquals(ts, PgValues.decodeParam(raw, true, SqlTypeName.TIMESTAMP, PgType.TIMESTAMP.oid, UTC));
    b.clear();
    PgValues.writeBinary(b, PgType.DATE, LocalDate.of(2024, 2, 29));
    raw = new byte[4];
    b.readBytes(raw);
    assertEquals(LocalDate.of(2024, 2, 29), PgValues.decodeParam(raw, true, SqlTypeName.DATE, PgType.DATE.oid, UTC));
  }

  @Test
  void textParameters() {
    assertEquals(42, PgValues.decodeParam("42".getBytes(), false, SqlTypeName.INTEGER, 0, UTC));
    assertEquals(true, PgValues.decodeParam("t".getBytes(), false, SqlTypeName.BOOLEAN, 0, UTC));
    assertEquals(LocalDateTime.of(2024, 1, 1, 8, 0),
        PgValues.decodeParam("2024-01-01 10:00:00+02".getBytes(), false, SqlTypeName.TIMESTAMP, 0, UTC));
    org.junit.jupiter.api.Assertions.assertThrows(io.lumadb.sql.LumaException.class,
        () -> PgValues.decodeParam("x1".getBytes(), false, SqlTypeName.INTEGER, 0, UTC));
  }

  @Test
  void timestamptzPrintsInTheSessionZoneWithItsOffset() {
    Instant i = Instant.parse("2024-01-01T08:00:00.5Z");
    assertEquals("2024-01-01 08:00:00.5+00", PgValues.text(i));
    assertEquals("2024-01-01 13:30:00.5+05:30", PgValues.text(i, ZoneId.of("Asia/Kolkata")));
    assertEquals("2024-01-01 03:00:00.5-05", PgValues.text(i, ZoneId.of("America/New_York")));
    assertEquals("2024-07-01 04:00:00-04", PgValues.text(Instant.parse("2024-07-01T08:00:00Z"),
        ZoneId.of("America/New_York")));
    assertEquals("1900-01-01 00:00:00+00:09:21", PgValues.text(Instant.parse("1899-12-31T23:50:39Z"),
        ZoneId.of("Europe/Paris"))); // LMT offsets have seconds, as PostgreSQL prints them
  }

  @Test
  void timestamptzBinaryIsMicrosecondsOfTheInstant() {
    ByteBuf b = Unpooled.buffer();
    Instant i = Instant.parse("1999-12-31T23:00:00.123Z");
    PgValues.writeBinary(b, PgType.TIMESTAMPTZ, i);
    assertEquals(-3_600_000_000L + 123_000, b.getLong(0));
    byte[] raw = new byte[8];
    b.readBytes(raw);
    assertEquals(i, PgValues.decodeParam(raw, true, SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE,
        PgType.TIMESTAMPTZ.oid, UTC));
    // a timestamptz sent for a timestamp parameter: the instant's UTC time
    assertEquals(LocalDateTime.of(1999, 12, 31, 23, 0, 0, 123_000_000),
        PgValues.decodeParam(raw, true, SqlTypeName.TIMESTAMP, PgType.TIMESTAMPTZ.oid, UTC));
  }

  @Test
  void timestamptzTextParametersReadZonelessInputInTheSessionZone() {
    ZoneId kolkata = ZoneId.of("Asia/Kolkata");
    assertEquals(Instant.parse("2024-01-01T04:30:00Z"), PgValues.decodeParam("2024-01-01 10:00:00".getBytes(),
        false, SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 0, kolkata));
    assertEquals(Instant.parse("2024-01-01T08:00:00Z"), PgValues.decodeParam("2024-01-01T10:00:00+02".getBytes(),
        false, SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, 0, kolkata));
  }

  /** jsonb's binary format is a version byte and the text; json's and bytea's the plain bytes. */
  @Test
  void jsonJsonbAndByteaFormats() {
    ByteBuf b = Unpooled.buffer();
    PgValues.writeBinary(b, PgType.JSONB, "{\"a\": 1}");
    byte[] raw = new byte[b.readableBytes()];
    b.readBytes(raw);
    assertEquals(1, raw[0]);
    assertEquals("{\"a\": 1}", new String(raw, 1, raw.length - 1, java.nio.charset.StandardCharsets.UTF_8));
    assertEquals("{\"a\": 1}", PgValues.decodeParam(raw, true, SqlTypeName.VARCHAR, PgType.JSONB.oid, UTC));
    org.junit.jupiter.api.Assertions.assertThrows(io.lumadb.sql.LumaException.class,
        () -> PgValues.decodeParam(new byte[] {2, '1'}, true, SqlTypeName.VARCHAR, PgType.JSONB.oid, UTC));
    assertEquals("[1]", PgValues.decodeParam("[1]".getBytes(), true, SqlTypeName.VARCHAR, PgType.JSON.oid, UTC));
    b.clear();
    PgValues.writeBinary(b, PgType.BYTEA, new org.apache.calcite.avatica.util.ByteString(new byte[] {0, (byte) 0xab}));
    assertEquals(2, b.readableBytes());
    assertEquals("\\x00ab", PgValues.text(new org.apache.calcite.avatica.util.ByteString(new byte[] {0, (byte) 0xab})));
    org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {'a', '\\', 1},
        (byte[]) PgValues.decodeParam("a\\\\\\001".getBytes(), false, SqlTypeName.VARBINARY, PgType.BYTEA.oid, UTC));
    assertEquals(PgType.JSON, PgType.forColumn(new io.lumadb.sql.ResultColumn("j", SqlTypeName.VARCHAR,
        io.lumadb.storage.ColumnType.JSON_PRECISION, 0)));
    assertEquals(PgType.JSONB, PgType.forColumn(new io.lumadb.sql.ResultColumn("j", SqlTypeName.VARCHAR,
        io.lumadb.storage.ColumnType.JSONB_PRECISION, 0)));
    assertEquals(PgType.TEXT, PgType.forColumn(new io.lumadb.sql.ResultColumn("t", SqlTypeName.VARCHAR, 65536, 0)));
  }
}
