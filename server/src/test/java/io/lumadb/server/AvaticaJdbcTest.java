package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.server.config.LumaConfig;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.Date;
import java.sql.Driver;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Avatica JDBC through Calcite's real remote driver (protobuf serialization, HTTP Basic) from
 * plain java.sql code against a started LumaServer.
 */
class AvaticaJdbcTest {
  @TempDir
  static Path dir;

  private static LumaServer server;
  private static final Driver DRIVER = new org.apache.calcite.avatica.remote.Driver();

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static String url() {
    return "jdbc:avatica:remote:url=http://127.0.0.1:" + server.avaticaPort()
        + ";serialization=protobuf;authentication=BASIC";
  }

  private static Connection connect(String user, String password) throws SQLException {
    Properties p = new Properties();
    p.setProperty("avatica_user", user);
    p.setProperty("avatica_password", password);
    return DRIVER.connect(url(), p);
  }

  private static Connection connect() throws SQLException {
    return connect("lumadb", "lumadb");
  }

  @Test
  void createInsertQuery() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      assertFalse(s.execute("CREATE TABLE avatica_basic (id INT NOT NULL, name VARCHAR, score DOUBLE)"));
      assertEquals(2, s.executeUpdate("INSERT INTO avatica_basic VALUES (1, 'one', 1.5), (2, 'two', NULL)"));
      try (ResultSet rs = s.executeQuery("SELECT id, name, score FROM avatica_basic ORDER BY id")) {
        ResultSetMetaData md = rs.getMetaData();
        assertEquals(3, md.getColumnCount());
        assertEquals("id", md.getColumnLabel(1));
        assertEquals(Types.INTEGER, md.getColumnType(1));
        assertEquals(Types.VARCHAR, md.getColumnType(2));
        assertEquals(Types.DOUBLE, md.getColumnType(3));
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
        assertEquals("one", rs.getString("name"));
        assertEquals(1.5, rs.getDouble(3));
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
        rs.getDouble(3);
        assertTrue(rs.wasNull());
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void preparedStatementsBindAndReturnEveryType() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("""
          CREATE TABLE avatica_types (i INT, b BIGINT, d DOUBLE, v VARCHAR, f BOOLEAN,
            ts TIMESTAMP, dt DATE)""");
      Timestamp ts = Timestamp.valueOf("2024-03-01 12:34:56.789");
      Date day = Date.valueOf("2024-02-29");
      try (PreparedStatement ins = c.prepareStatement(
          "INSERT INTO avatica_types VALUES (?, ?, ?, ?, ?, ?, ?)")) {
        assertEquals(7, ins.getParameterMetaData().getParameterCount());
        for (int k = 1; k <= 3; k++) {
          ins.setInt(1, k);
          ins.setLong(2, 10_000_000_000L * k);
          ins.setDouble(3, k + 0.25);
          ins.setString(4, "it's " + k);
          ins.setBoolean(5, k % 2 == 1);
          ins.setTimestamp(6, new Timestamp(ts.getTime() + k * 1000L));
          ins.setDate(7, day);
          assertEquals(1, ins.executeUpdate());
        }
        ins.setNull(1, Types.INTEGER);
        ins.setNull(2, Types.BIGINT);
        ins.setNull(3, Types.DOUBLE);
        ins.setNull(4, Types.VARCHAR);
        ins.setNull(5, Types.BOOLEAN);
        ins.setNull(6, Types.TIMESTAMP);
        ins.setNull(7, Types.DATE);
        assertEquals(1, ins.executeUpdate());
      }
      try (PreparedStatement q = c.prepareStatement("""
          SELECT i, b, d, v, f, ts, dt, CAST(? AS DECIMAL(12, 3)) + i AS n FROM avatica_types
          WHERE i >= ? AND b > ? AND d < ? AND v <> ? AND ts > ? AND dt = ?
          ORDER BY i""")) {
        assertEquals(7, q.getParameterMetaData().getParameterCount());
        ResultSetMetaData md = q.getMetaData();
        assertEquals(8, md.getColumnCount());
        q.setBigDecimal(1, new BigDecimal("1234.125"));
        q.setInt(2, 1);
        q.setLong(3, 5L);
        q.setDouble(4, 100.0);
        q.setString(5, "it's 2");
        q.setTimestamp(6, ts);
        q.setDate(7, day);
        try (ResultSet rs = q.executeQuery()) {
          md = rs.getMetaData();
          assertEquals(Types.INTEGER, md.getColumnType(1));
          assertEquals(Types.BIGINT, md.getColumnType(2));
          assertEquals(Types.DOUBLE, md.getColumnType(3));
          assertEquals(Types.VARCHAR, md.getColumnType(4));
          assertEquals(Types.BOOLEAN, md.getColumnType(5));
          assertEquals(Types.TIMESTAMP, md.getColumnType(6));
          assertEquals(Types.DATE, md.getColumnType(7));
          assertEquals(Types.DECIMAL, md.getColumnType(8));
          List<Integer> ids = new ArrayList<>();
          while (rs.next()) {
            int k = rs.getInt(1);
            ids.add(k);
            assertEquals(10_000_000_000L * k, rs.getLong(2));
            assertEquals(k + 0.25, rs.getDouble(3));
            assertEquals("it's " + k, rs.getString(4));
            assertEquals(k % 2 == 1, rs.getBoolean(5));
            assertEquals(new Timestamp(ts.getTime() + k * 1000L), rs.getTimestamp(6));
            assertEquals(day, rs.getDate(7));
            assertEquals(0, new BigDecimal("1234.125").add(BigDecimal.valueOf(k)).compareTo(rs.getBigDecimal(8)));
          }
          assertEquals(List.of(1, 3), ids);
        }
        // the same prepared statement with other values
        q.setBigDecimal(1, BigDecimal.ZERO);
        q.setInt(2, 2);
        q.setLong(3, 0L);
        q.setDouble(4, 3.0);
        q.setString(5, "x");
        q.setTimestamp(6, Timestamp.valueOf("2000-01-01 00:00:00"));
        q.setDate(7, day);
        try (ResultSet rs = q.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(2, rs.getInt(1));
          assertFalse(rs.next());
        }
      }
      try (ResultSet rs = s.executeQuery("SELECT count(*), count(i), count(ts), count(dt) FROM avatica_types")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getLong(1));
        assertEquals(3, rs.getLong(2));
        assertEquals(3, rs.getLong(3));
        assertEquals(3, rs.getLong(4));
      }
      // a ? inside a string or a comment is no parameter marker
      try (PreparedStatement q = c.prepareStatement(
          "SELECT '?' || v /* ? */ FROM avatica_types WHERE i = ? -- why?")) {
        assertEquals(1, q.getParameterMetaData().getParameterCount());
        q.setInt(1, 3);
        try (ResultSet rs = q.executeQuery()) {
          assertTrue(rs.next());
          assertEquals("?it's 3", rs.getString(1));
        }
      }
      try (PreparedStatement q = c.prepareStatement("SELECT v, ts FROM avatica_types WHERE i IS NULL")) {
        try (ResultSet rs = q.executeQuery()) {
          assertTrue(rs.next());
          assertNull(rs.getString(1));
          assertNull(rs.getTimestamp(2));
        }
      }
    }
  }

  @Test
  void largeResultComesInSeveralFrames() throws Exception {
    int rows = 5000;
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE avatica_big (k BIGINT, label VARCHAR)");
      StringBuilder values = new StringBuilder("INSERT INTO avatica_big VALUES ");
      for (int i = 0; i < rows; i++) {
        values.append(i == 0 ? "" : ", ").append("(").append(i).append(", 'row ").append(i).append("')");
      }
      assertEquals(rows, s.executeUpdate(values.toString()));
      double framesBefore = counter("lumadb_avatica_frames_sent");
      s.setFetchSize(700);
      long sum = 0;
      int n = 0;
      try (ResultSet rs = s.executeQuery("SELECT k, label FROM avatica_big ORDER BY k")) {
        while (rs.next()) {
          assertEquals(n, rs.getLong(1));
          assertEquals("row " + n, rs.getString(2));
          sum += rs.getLong(1);
          n++;
        }
      }
      assertEquals(rows, n);
      assertEquals((long) rows * (rows - 1) / 2, sum);
      double frames = counter("lumadb_avatica_frames_sent") - framesBefore;
      assertTrue(frames >= rows / 1000.0, "frames sent: " + frames);

      // setMaxRows caps the whole result, across frames
      s.setMaxRows(1234);
      s.setFetchSize(100);
      int capped = 0;
      try (ResultSet rs = s.executeQuery("SELECT k FROM avatica_big")) {
        while (rs.next()) {
          capped++;
        }
      }
      assertEquals(1234, capped);
    }
  }

  @Test
  void databaseMetaDataShowsTheRealCatalog() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE avatica_meta (ts TIMESTAMP NOT NULL, host VARCHAR, cpu DOUBLE, n BIGINT)");
      DatabaseMetaData md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, "public", "avatica_meta", null)) {
        assertTrue(rs.next());
        assertEquals("default", rs.getString("TABLE_CAT"));
        assertEquals("public", rs.getString("TABLE_SCHEM"));
        assertEquals("avatica_meta", rs.getString("TABLE_NAME"));
        assertEquals("TABLE", rs.getString("TABLE_TYPE"));
        assertFalse(rs.next());
      }
      Set<String> tables = new HashSet<>();
      try (ResultSet rs = md.getTables(null, "public", "avatica\\_%", new String[] {"TABLE"})) {
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME"));
        }
      }
      assertTrue(tables.contains("avatica_meta"), tables.toString());
      try (ResultSet rs = md.getTables(null, "public", "avatica_meta", new String[] {"VIEW"})) {
        assertFalse(rs.next());
      }

      List<String> names = new ArrayList<>();
      try (ResultSet rs = md.getColumns(null, "public", "avatica_meta", "%")) {
        while (rs.next()) {
          names.add(rs.getString("COLUMN_NAME"));
          assertEquals(names.size(), rs.getInt("ORDINAL_POSITION"));
          switch (rs.getString("COLUMN_NAME")) {
            case "ts" -> {
              assertEquals(Types.TIMESTAMP, rs.getInt("DATA_TYPE"));
              assertEquals(DatabaseMetaData.columnNoNulls, rs.getInt("NULLABLE"));
              assertEquals("NO", rs.getString("IS_NULLABLE"));
            }
            case "host" -> {
              assertEquals(Types.VARCHAR, rs.getInt("DATA_TYPE"));
              assertEquals("YES", rs.getString("IS_NULLABLE"));
            }
            case "cpu" -> assertEquals(Types.DOUBLE, rs.getInt("DATA_TYPE"));
            case "n" -> assertEquals(Types.BIGINT, rs.getInt("DATA_TYPE"));
            default -> throw new AssertionError(rs.getString("COLUMN_NAME"));
          }
        }
      }
      assertEquals(List.of("ts", "host", "cpu", "n"), names);

      Set<String> schemas = new HashSet<>();
      try (ResultSet rs = md.getSchemas()) {
        while (rs.next()) {
          schemas.add(rs.getString("TABLE_SCHEM"));
        }
      }
      assertTrue(schemas.containsAll(List.of("public", "metrics", "otel", "pg_catalog",
          "information_schema")), schemas.toString());
      try (ResultSet rs = md.getCatalogs()) {
        assertTrue(rs.next());
        assertEquals("default", rs.getString(1));
      }
      Set<String> types = new HashSet<>();
      try (ResultSet rs = md.getTableTypes()) {
        while (rs.next()) {
          types.add(rs.getString(1));
        }
      }
      assertTrue(types.containsAll(List.of("TABLE", "VIEW")), types.toString());
      Set<Integer> jdbcTypes = new HashSet<>();
      try (ResultSet rs = md.getTypeInfo()) {
        while (rs.next()) {
          jdbcTypes.add(rs.getInt("DATA_TYPE"));
        }
      }
      assertTrue(jdbcTypes.containsAll(List.of(Types.INTEGER, Types.BIGINT, Types.VARCHAR,
          Types.TIMESTAMP, Types.DOUBLE, Types.BOOLEAN)), jdbcTypes.toString());
      try (ResultSet rs = md.getPrimaryKeys(null, "public", "avatica_meta")) {
        assertEquals("COLUMN_NAME", rs.getMetaData().getColumnLabel(4));
        assertFalse(rs.next()); // LumaDB tables have no primary keys
      }
    }
  }

  @Test
  void errorsCarryTheSqlState() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      SQLException syntax = assertThrows(SQLException.class, () -> s.executeQuery("SELEC 1"));
      assertEquals("42601", syntax.getSQLState());
      assertTrue(syntax.getMessage().contains("E003"), syntax.getMessage());
      SQLException missing = assertThrows(SQLException.class,
          () -> s.executeQuery("SELECT * FROM avatica_no_such_table"));
      assertEquals("42P01", missing.getSQLState());
      assertTrue(missing.getMessage().contains("E004"), missing.getMessage());
      SQLException prepared = assertThrows(SQLException.class,
          () -> c.prepareStatement("SELECT * FROM avatica_no_such_table WHERE x = ?"));
      assertEquals("42P01", prepared.getSQLState());
      // the connection and its session stay usable
      try (ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }
    }
  }

  @Test
  void wrongPasswordIsRejectedAndTheServerKeepsServing() throws Exception {
    int before = openConnections();
    Exception e = assertThrows(Exception.class, () -> connect("lumadb", "wrong").close());
    String text = describe(e);
    assertTrue(text.contains("E001") && text.contains("28P01"), text);
    e = assertThrows(Exception.class, () -> connect("mallory", "lumadb").close());
    assertTrue(describe(e).contains("28P01"), describe(e));
    assertEquals(before, openConnections(), "a refused login opens no session");
    // without credentials the server asks for them (HTTP 401 challenge)
    e = assertThrows(Exception.class, () -> DRIVER.connect(
        "jdbc:avatica:remote:url=http://127.0.0.1:" + server.avaticaPort() + ";serialization=protobuf",
        new Properties()).close());
    assertTrue(describe(e).contains("401"), describe(e));
    assertEquals(before, openConnections());
    try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
      assertTrue(rs.next());
      assertEquals(1, rs.getInt(1));
    }
  }

  @Test
  void batchesAndTransactionsCallsAreAccepted() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE avatica_batch (k INT, v VARCHAR)");
      c.setAutoCommit(false);
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO avatica_batch VALUES (?, ?)")) {
        for (int k = 0; k < 5; k++) {
          ins.setInt(1, k);
          ins.setString(2, "v" + k);
          ins.addBatch();
        }
        assertArrayEquals(new int[] {1, 1, 1, 1, 1}, ins.executeBatch());
      }
      c.commit();
      c.rollback(); // statements applied when they ran: nothing to undo
      c.setAutoCommit(true);
      try (ResultSet rs = s.executeQuery("SELECT count(*), sum(k) FROM avatica_batch")) {
        assertTrue(rs.next());
        assertEquals(5, rs.getLong(1));
        assertEquals(10, rs.getLong(2));
      }
    }
  }

  @Test
  void idleConnectionsAreClosedAndConnectionsAreLimited(@TempDir Path other) throws Exception {
    LumaConfig base = TestServers.config(other, "");
    LumaConfig cfg = new LumaConfig(base.general(), base.server(), base.metrics(), base.postgres(),
        base.prometheus(), base.otlp(), base.grpc(), new LumaConfig.Avatica(true, "127.0.0.1", 0, 1, "1s"),
        base.storage(), base.federation());
    try (LumaServer s = new LumaServer(cfg)) {
      s.start();
      String url = "jdbc:avatica:remote:url=http://127.0.0.1:" + s.avaticaPort()
          + ";serialization=protobuf;authentication=BASIC";
      Properties p = new Properties();
      p.setProperty("avatica_user", "lumadb");
      p.setProperty("avatica_password", "lumadb");
      try (Connection c = DRIVER.connect(url, p)) {
        Exception e = assertThrows(Exception.class, () -> DRIVER.connect(url, p).close());
        assertTrue(describe(e).contains("53300"), describe(e));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
          assertTrue(rs.next());
        }
        // no request for longer than idle_timeout: the server closes the connection
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (openConnections(s) > 0 && System.nanoTime() < deadline) {
          Thread.sleep(200);
        }
        assertEquals(0, openConnections(s), "the idle connection was not closed");
        // (the remote driver raises errors of createStatement unwrapped)
        Exception gone = assertThrows(Exception.class, () -> c.createStatement().executeQuery("SELECT 1"));
        assertTrue(describe(gone).contains("08003"), describe(gone));
      }
      // its slot is free again
      try (Connection c = DRIVER.connect(url, p); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT 2")) {
        assertTrue(rs.next());
        assertEquals(2, rs.getInt(1));
      }
    }
  }

  private static String describe(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      b.append(t).append(" | ");
      if (t instanceof SQLException q) {
        b.append("sqlstate=").append(q.getSQLState()).append(" | ");
      }
      if (t instanceof org.apache.calcite.avatica.AvaticaClientRuntimeException a) {
        b.append("sqlstate=").append(a.getSqlState()).append(" | ");
      }
    }
    return b.toString();
  }

  private static int openConnections() {
    return openConnections(server);
  }

  private static int openConnections(LumaServer server) {
    for (MetricSnapshot m : server.registry().scrape()) {
      if (m.getMetadata().getName().equals("lumadb_avatica_connections")) {
        var points = ((io.prometheus.metrics.model.snapshots.GaugeSnapshot) m).getDataPoints();
        return points.isEmpty() ? 0 : (int) points.get(0).getValue();
      }
    }
    throw new AssertionError("no gauge lumadb_avatica_connections");
  }

  private static double counter(String name) {
    for (MetricSnapshot m : server.registry().scrape()) {
      if (m.getMetadata().getName().equals(name) && m instanceof CounterSnapshot c) {
        return c.getDataPoints().isEmpty() ? 0 : c.getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no counter " + name);
  }

  /** bytea (setBytes/getBytes), json/jsonb (text named JSON/JSONB) and numeric columns. */
  @Test
  void byteaJsonNumericColumns() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE avatica_new (b BYTEA, j JSON, jb JSONB, p NUMERIC(8, 3))");
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO avatica_new VALUES (?, ?, ?, ?)")) {
        ins.setBytes(1, new byte[] {0, (byte) 0xfe});
        ins.setString(2, "[1, 2]");
        ins.setString(3, "{\"b\":1,\"a\":2}");
        ins.setBigDecimal(4, new java.math.BigDecimal("-1.2345"));
        assertEquals(1, ins.executeUpdate());
      }
      try (PreparedStatement q = c.prepareStatement(
          "SELECT b, j, jb, p, j ->> 1 FROM avatica_new WHERE b = ? AND p < ?")) {
        q.setBytes(1, new byte[] {0, (byte) 0xfe});
        q.setBigDecimal(2, java.math.BigDecimal.ZERO);
        try (ResultSet rs = q.executeQuery()) {
          assertTrue(rs.next());
          org.junit.jupiter.api.Assertions.assertArrayEquals(new byte[] {0, (byte) 0xfe}, rs.getBytes(1));
          assertEquals("[1, 2]", rs.getString(2));
          assertEquals("{\"a\": 2, \"b\": 1}", rs.getString(3));
          assertEquals(new java.math.BigDecimal("-1.235"), rs.getBigDecimal(4));
          assertEquals("2", rs.getString(5));
          assertEquals(List.of("VARBINARY", "JSON", "JSONB", "DECIMAL"), List.of(rs.getMetaData().getColumnTypeName(1),
              rs.getMetaData().getColumnTypeName(2), rs.getMetaData().getColumnTypeName(3),
              rs.getMetaData().getColumnTypeName(4)));
        }
      }
    }
  }
}
