package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The real server on free ports, driven by pgjdbc in both query modes. */
class ServerEndToEndTest {
  @TempDir
  static Path dataDir;
  static LumaServer server;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dataDir);
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Connection connect(String mode) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    p.setProperty("preferQueryMode", mode);
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", p);
  }

  static HttpResponse<String> get(int port, String path) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"extended", "simple", "extendedForPrepared"})
  void sqlRoundTrip(String mode) throws Exception {
    String t = "rt_" + mode.toLowerCase();
    try (Connection c = connect(mode); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE " + t + " (id INT, host TEXT, usage DOUBLE PRECISION, big BIGINT,"
          + " ok BOOLEAN, ts TIMESTAMP)");
      assertEquals(3, s.executeUpdate("INSERT INTO " + t + " VALUES "
          + "(1, 'a', 0.5, 9000000000, true, '2024-05-01 12:00:00'),"
          + "(2, 'b', 1.25, -1, false, '2024-05-01 12:00:10.5'),"
          + "(3, 'a', NULL, NULL, NULL, NULL)"));
      try (ResultSet rs = s.executeQuery("SELECT id, host, usage, big, ok, ts FROM " + t + " ORDER BY id")) {
        assertTrue(rs.next());
        assertEquals(1, rs.getInt(1));
        assertEquals("a", rs.getString(2));
        assertEquals(0.5, rs.getDouble(3));
        assertEquals(9000000000L, rs.getLong(4));
        assertTrue(rs.getBoolean(5));
        assertEquals(Timestamp.valueOf(LocalDateTime.of(2024, 5, 1, 12, 0)), rs.getTimestamp(6));
        assertTrue(rs.next());
        assertEquals(Timestamp.valueOf(LocalDateTime.of(2024, 5, 1, 12, 0, 10, 500_000_000)), rs.getTimestamp(6));
        assertFalse(rs.getBoolean(5));
        assertTrue(rs.next());
        rs.getDouble(3);
        assertTrue(rs.wasNull());
        assertFalse(rs.next());
      }
      try (ResultSet rs = s.executeQuery(
          "SELECT host, count(*) AS n, sum(usage) FROM " + t + " GROUP BY host ORDER BY n DESC, host LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals("a", rs.getString("host"));
        assertEquals(2, rs.getLong("n"));
      }
      s.execute("DROP TABLE " + t);
    }
  }

  @Test
  void preparedStatementsSwitchToBinaryAndKeepWorking() throws Exception {
    try (Connection c = connect("extended"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE prep (id INT, name TEXT, v DOUBLE PRECISION, ts TIMESTAMP, flag BOOLEAN, n BIGINT)");
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO prep VALUES (?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < 10; i++) {
          ins.setInt(1, i);
          ins.setString(2, "name'" + i);
          ins.setDouble(3, i / 4.0);
          ins.setTimestamp(4, Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 0, 0, i)));
          ins.setBoolean(5, i % 2 == 0);
          ins.setLong(6, 1L << (30 + i));
          assertEquals(1, ins.executeUpdate());
        }
      }
      // pgjdbc switches to a named statement and binary results after 5 executions.
      try (PreparedStatement q = c.prepareStatement(
          "SELECT name, v, ts, flag, n, id FROM prep WHERE id = ?")) {
        for (int i = 0; i < 10; i++) {
          q.setInt(1, i);
          try (ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next(), "row " + i);
            assertEquals("name'" + i, rs.getString(1));
            assertEquals(i / 4.0, rs.getDouble(2));
            assertEquals(Timestamp.valueOf(LocalDateTime.of(2024, 1, 1, 0, 0, i)), rs.getTimestamp(3));
            assertEquals(i % 2 == 0, rs.getBoolean(4));
            assertEquals(1L << (30 + i), rs.getLong(5));
            assertEquals(i, rs.getInt(6));
            assertFalse(rs.next());
          }
        }
      }
      // Fetch size makes pgjdbc use row-limited Execute and PortalSuspended.
      c.setAutoCommit(false);
      try (PreparedStatement q = c.prepareStatement("SELECT id FROM prep ORDER BY id")) {
        q.setFetchSize(3);
        List<Integer> ids = new ArrayList<>();
        try (ResultSet rs = q.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getInt(1));
          }
        }
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), ids);
      }
      c.commit();
    }
  }

  @Test
  void errorsHaveCodesAndTheSessionSurvives() throws Exception {
    for (String mode : List.of("extended", "simple")) {
      try (Connection c = connect(mode); Statement s = c.createStatement()) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FROM no_such_table"));
        assertEquals("42P01", e.getSQLState());
        assertTrue(e.getMessage().contains("E004"), e.getMessage());
        e = assertThrows(SQLException.class, () -> s.executeQuery("SELECT FROM WHERE"));
        assertEquals("42601", e.getSQLState());
        assertTrue(e.getMessage().contains("E003"), e.getMessage());
        try (ResultSet rs = s.executeQuery("SELECT 1 + 1")) {
          assertTrue(rs.next());
          assertEquals(2, rs.getInt(1));
        }
      }
    }
  }

  @Test
  void cancelRequestAndStatementTimeoutStopLongQueries() throws Exception {
    try (Connection c = connect("extended"); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE big (x INT)");
      StringBuilder sql = new StringBuilder("INSERT INTO big VALUES (0)");
      for (int i = 1; i < 3000; i++) {
        sql.append(", (").append(i).append(')');
      }
      s.execute(sql.toString());
      String slow = "SELECT count(*) FROM big a, big b, big c WHERE a.x + b.x + c.x = -1";
      Thread canceller = new Thread(() -> {
        try {
          Thread.sleep(700);
          s.cancel(); // pgjdbc sends a CancelRequest on a new connection
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      canceller.start();
      SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(slow));
      canceller.join();
      assertEquals("57014", e.getSQLState(), e.getMessage());
      s.execute("SET statement_timeout = 300");
      e = assertThrows(SQLException.class, () -> s.executeQuery(slow));
      assertEquals("57014", e.getSQLState());
      assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
      s.execute("RESET statement_timeout");
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM big")) {
        assertTrue(rs.next());
        assertEquals(3000, rs.getInt(1));
      }
      s.execute("DROP TABLE big");
    }
  }

  @Test
  void wrongPasswordIsE001() {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "wrong");
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", p));
    assertEquals("28P01", e.getSQLState());
    assertTrue(e.getMessage().contains("E001"), e.getMessage());
    p.setProperty("user", "nobody");
    e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", p));
    assertEquals("28P01", e.getSQLState());
  }

  @Test
  void unknownDatabaseIsRefused() {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    SQLException e = assertThrows(SQLException.class, () -> DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/otherdb", p));
    assertEquals("3D000", e.getSQLState());
  }

  @Test
  void healthAndMetrics() throws Exception {
    HttpResponse<String> h = get(server.healthPort(), "/health");
    assertEquals(200, h.statusCode());
    assertEquals("OK", h.body());
    assertEquals(404, get(server.healthPort(), "/nope").statusCode());
    try (Connection c = connect("simple"); Statement s = c.createStatement()) {
      s.execute("SELECT 1");
      assertThrows(SQLException.class, () -> s.execute("SELECT * FROM missing_for_metrics"));
    }
    HttpResponse<String> m = get(server.metricsPort(), "/metrics");
    assertEquals(200, m.statusCode());
    String body = m.body();
    assertTrue(body.contains("jvm_memory_used_bytes"), "JVM metrics");
    assertTrue(body.contains("lumadb_queries_total{frontend=\"pgwire\"}"), body);
    assertTrue(body.contains("lumadb_query_errors_total{code=\"E004\",sqlstate=\"42P01\"}"), body);
    assertTrue(body.contains("lumadb_pgwire_connections_total"), body);
    assertTrue(body.contains("lumadb_warm_cache_bytes "), body);
    assertTrue(body.contains("lumadb_warm_cache_misses_total "), body);
  }
}
