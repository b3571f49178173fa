package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * [storage] query_memory_limit through the real server: a sort and a GROUP BY that need more fail
 * with E002 / 53400 over pgwire, the connection and the server go on, and the memory gauge is
 * back to zero.
 */
class QueryMemoryLimitTest {
  @TempDir
  Path dataDir;

  @Test
  void aQueryOverTheLimitFailsAndTheServerGoesOn() throws Exception {
    LumaServer server = new LumaServer(TestServers.config(dataDir, "[storage]\nquery_memory_limit = 2097152\n"));
    server.start();
    try (Connection c = DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", "lumadb", "lumadb");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE events (id BIGINT, host TEXT, body TEXT)");
      s.execute("INSERT INTO events SELECT i, 'host_' || CAST(MOD(i, 50) AS VARCHAR), 'event number ' || CAST(i AS VARCHAR)"
          + " FROM generate_series(1, 100000) AS g(i)");
      for (String sql : new String[] {
          "SELECT id, body FROM events ORDER BY body",
          "SELECT id, count(*) FROM events GROUP BY id"}) {
        SQLException e = assertThrows(SQLException.class, () -> s.executeQuery(sql).close(), sql);
        assertEquals("53400", e.getSQLState(), sql);
        assertTrue(e.getMessage().contains("E002") && e.getMessage().contains("query_memory_limit"), e.getMessage());
      }
      // the same connection goes on, with queries that fit: a top-N keeps only its rows
      try (ResultSet rs = s.executeQuery("SELECT id FROM events ORDER BY body DESC LIMIT 3")) {
        assertTrue(rs.next());
        assertEquals(99999, rs.getLong(1)); // 'event number 99999' sorts last
      }
      try (ResultSet rs = s.executeQuery("SELECT host, count(*) FROM events GROUP BY host ORDER BY host LIMIT 1")) {
        assertTrue(rs.next());
        assertEquals("host_0", rs.getString(1));
        assertEquals(2000, rs.getLong(2));
      }
      HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + server.metricsPort() + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
      assertTrue(metrics.body().contains("lumadb_query_memory_bytes 0.0"), metrics.body());
    } finally {
      server.close();
    }
  }
}
