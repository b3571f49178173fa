package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Prepared statements with every type the protocol carries, bound and returned in the text
 * format and in the binary format (pgjdbc's binaryTransfer with statements prepared on the
 * server from the first run), and a table round trip of every storage type in both.
 */
class PgjdbcTypesTest {
  @TempDir
  static Path dir;

  static LumaServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Connection connect(String format) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    p.setProperty("preferQueryMode", "extended");
    if (format.equals("binary")) {
      p.setProperty("binaryTransfer", "true");
      p.setProperty("prepareThreshold", "-1"); // server-prepared at once: results come binary
    } else {
      p.setProperty("binaryTransfer", "false");
    }
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", p);
  }

  record Case(String cast, Object value, int sqlType) {}

  static final List<Case> CASES = List.of(
      new Case("int2", (short) -7, Types.SMALLINT),
      new Case("int4", 70_000, Types.INTEGER),
      new Case("int8", 1L << 40, Types.BIGINT),
      new Case("float4", 1.5f, Types.REAL),
      new Case("float8", -2.25e100, Types.DOUBLE),
      new Case("bool", true, Types.BOOLEAN),
      new Case("text", "héllo 'quoted'", Types.VARCHAR),
      new Case("varchar", "", Types.VARCHAR),
      new Case("numeric", new BigDecimal("12.345"), Types.NUMERIC),
      new Case("numeric", new BigDecimal("-123456789012345678.000001"), Types.NUMERIC),
      new Case("date", LocalDate.of(2024, 2, 29), Types.DATE),
      new Case("timestamp", LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000), Types.TIMESTAMP),
      new Case("timestamp", LocalDateTime.of(1999, 12, 31, 0, 0), Types.TIMESTAMP),
      new Case("timestamptz", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_000_000, ZoneOffset.ofHours(2)),
          Types.TIMESTAMP_WITH_TIMEZONE),
      new Case("timestamptz", OffsetDateTime.of(1999, 12, 31, 23, 0, 0, 0, ZoneOffset.ofHoursMinutes(-5, -30)),
          Types.TIMESTAMP_WITH_TIMEZONE),
      new Case("bytea", new byte[] {0, 1, (byte) 0xff}, Types.BINARY));

  private static Object read(ResultSet rs, Case c) throws Exception {
    return switch (c.sqlType) {
      case Types.SMALLINT -> rs.getShort(1);
      case Types.INTEGER -> rs.getInt(1);
      case Types.BIGINT -> rs.getLong(1);
      case Types.REAL -> rs.getFloat(1);
      case Types.DOUBLE -> rs.getDouble(1);
      case Types.BOOLEAN -> rs.getBoolean(1);
      case Types.NUMERIC -> rs.getBigDecimal(1);
      case Types.DATE -> rs.getObject(1, LocalDate.class);
      case Types.TIMESTAMP -> rs.getObject(1, LocalDateTime.class);
      case Types.TIMESTAMP_WITH_TIMEZONE -> rs.getObject(1, OffsetDateTime.class);
      case Types.BINARY -> rs.getBytes(1);
      default -> rs.getString(1);
    };
  }

  private static void bind(PreparedStatement ps, int i, Case c) throws Exception {
    if (c.value instanceof byte[] b) {
      ps.setBytes(i, b);
    } else {
      ps.setObject(i, c.value, c.sqlType);
    }
  }

  private static void assertValue(Case c, Object actual, String what) {
    if (c.value instanceof byte[] b) {
      assertArrayEquals(b, (byte[]) actual, what);
    } else if (c.value instanceof OffsetDateTime odt) {
      assertEquals(odt.toInstant(), ((OffsetDateTime) actual).toInstant(), what); // the same instant
    } else {
      assertEquals(c.value, actual, what);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "binary"})
  void everyTypeBoundAndReturned(String format) throws Exception {
    try (Connection conn = connect(format)) {
      for (Case c : CASES) {
        for (String sql : List.of("SELECT CAST(? AS " + c.cast + ")", "SELECT ?")) {
          try (PreparedStatement ps = conn.prepareStatement(sql)) {
            for (int run = 0; run < 3; run++) { // prepared once, bound several times
              bind(ps, 1, c);
              try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next());
                assertValue(c, read(rs, c), c.cast + " via " + sql + " (" + format + ", run " + run + ")");
                assertFalse(rs.next());
              }
            }
            ps.setNull(1, c.sqlType);
            try (ResultSet rs = ps.executeQuery()) {
              assertTrue(rs.next());
              rs.getObject(1);
              assertTrue(rs.wasNull(), c.cast + " NULL via " + sql + " (" + format + ")");
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"text", "binary"})
  void everyStorageTypeRoundTripsThroughATable(String format) throws Exception {
    String table = "types_" + format;
    try (Connection conn = connect(format); Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE " + table + " (ts TIMESTAMP NOT NULL, s SMALLINT, i INTEGER, n BIGINT,"
          + " r REAL, v DOUBLE PRECISION, ok BOOLEAN, host VARCHAR, d DATE, at TIMESTAMPTZ)");
      Object[][] rows = {
          {LocalDateTime.of(2024, 5, 1, 12, 0, 0, 5_000_000), (short) 1, 2, 3L, 0.5f, 0.25, true, "a", LocalDate.of(2024, 5, 1),
              OffsetDateTime.of(2024, 5, 1, 14, 0, 0, 7_000_000, ZoneOffset.ofHours(2))},
          {LocalDateTime.of(2024, 5, 1, 12, 0, 10), (short) -1, -2, -3L, -0.5f, Double.NaN, false, "b", LocalDate.of(1970, 1, 1),
              OffsetDateTime.of(1969, 12, 31, 23, 59, 59, 0, ZoneOffset.UTC)},
          {LocalDateTime.of(2024, 5, 1, 12, 0, 20), null, null, null, null, null, null, null, null, null},
      };
      try (PreparedStatement ins = conn.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Object[] row : rows) {
          for (int c = 0; c < row.length; c++) {
            ins.setObject(c + 1, row[c]);
          }
          ins.addBatch();
        }
        ins.executeBatch();
      }
      try (PreparedStatement q = conn.prepareStatement("SELECT * FROM " + table + " WHERE ts >= ? ORDER BY ts")) {
        q.setObject(1, LocalDateTime.of(2024, 1, 1, 0, 0));
        try (ResultSet rs = q.executeQuery()) {
          for (Object[] row : rows) {
            assertTrue(rs.next());
            assertEquals(row[0], rs.getObject(1, LocalDateTime.class));
            assertEquals(row[1], rs.getObject(2) == null ? null : rs.getShort(2));
            assertEquals(row[2], rs.getObject(3));
            assertEquals(row[3], rs.getObject(4));
            assertEquals(row[4], rs.getObject(5) == null ? null : rs.getFloat(5));
            assertEquals(row[5], rs.getObject(6));
            assertEquals(row[6], rs.getObject(7));
            assertEquals(row[7], rs.getObject(8));
            assertEquals(row[8], rs.getObject(9, LocalDate.class));
            OffsetDateTime at = rs.getObject(10, OffsetDateTime.class);
            assertEquals(row[9] == null ? null : ((OffsetDateTime) row[9]).toInstant(), at == null ? null : at.toInstant());
          }
          assertFalse(rs.next());
        }
      }
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table + " WHERE host IS NULL")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getLong(1));
      }
    }
  }

  /**
   * bytea (setBytes/getBytes), json and jsonb (PGobject, setString) and numeric (setBigDecimal)
   * columns: bound and returned in both formats, compared in WHERE with parameters, typed in
   * the result's metadata as PostgreSQL types them, and the same after a flush to Parquet.
   */
  @ParameterizedTest
  @ValueSource(strings = {"text", "binary"})
  void byteaJsonNumericColumns(String format) throws Exception {
    String table = "newtypes_" + format;
    try (Connection conn = connect(format); Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE " + table + " (id INT, b BYTEA, j JSON, jb JSONB, p NUMERIC(6, 3), u NUMERIC)");
      byte[] bytes = {0, 1, (byte) 0x80, (byte) 0xff};
      try (PreparedStatement ins = conn.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, ?, ?, ?, ?)")) {
        org.postgresql.util.PGobject json = new org.postgresql.util.PGobject();
        json.setType("json");
        json.setValue("{\"k\" : [1, \"two\"]}");
        ins.setInt(1, 1);
        ins.setBytes(2, bytes);
        ins.setObject(3, json);
        ins.setString(4, "{\"z\":1,\"a\":null}");
        ins.setBigDecimal(5, new BigDecimal("-123.4565"));
        ins.setBigDecimal(6, new BigDecimal("1.50"));
        ins.executeUpdate();
        ins.setInt(1, 2);
        for (int i = 2; i <= 6; i++) {
          ins.setNull(i, Types.OTHER);
        }
        ins.executeUpdate();
      }
      for (int round = 0; round < 2; round++) {
        try (PreparedStatement q = conn.prepareStatement("SELECT id, b, j, jb, p, u, j -> 'k' ->> 1 FROM " + table
            + " WHERE b = ? AND p < ? AND jb ->> 'z' = ?")) {
          for (int run = 0; run < 3; run++) {
            q.setBytes(1, bytes);
            q.setBigDecimal(2, new BigDecimal("0"));
            q.setString(3, "1");
            try (ResultSet rs = q.executeQuery()) {
              assertTrue(rs.next(), format + " round " + round);
              assertArrayEquals(bytes, rs.getBytes(2));
              assertEquals("{\"k\" : [1, \"two\"]}", rs.getString(3));
              assertEquals("{\"a\": null, \"z\": 1}", rs.getString(4));
              assertEquals(new BigDecimal("-123.457"), rs.getBigDecimal(5));
              assertEquals(new BigDecimal("1.50"), rs.getBigDecimal(6));
              assertEquals("two", rs.getString(7));
              var md = rs.getMetaData();
              assertEquals(List.of("bytea", "json", "jsonb", "numeric", "numeric"),
                  List.of(md.getColumnTypeName(2), md.getColumnTypeName(3), md.getColumnTypeName(4),
                      md.getColumnTypeName(5), md.getColumnTypeName(6)));
              assertFalse(rs.next());
            }
          }
        }
        try (ResultSet rs = st.executeQuery("SELECT b, j, jb, p, u FROM " + table + " WHERE id = 2")) {
          assertTrue(rs.next());
          for (int i = 1; i <= 5; i++) {
            assertEquals(null, rs.getObject(i));
          }
        }
        server.storage().flushAll(); // the second round reads Parquet
      }
    }
  }
}
