package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.sql.Session;
import io.lumadb.sql.SqlEngine;
import io.lumadb.sql.StatementResult;
import io.lumadb.storage.MultiTierStorage;
import io.lumadb.storage.Segment;
import io.lumadb.storage.TableId;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's embedding example, and its data seen by SQL in-process and through the server. */
class EmbeddingApiTest {
  @TempDir
  Path dir;

  static List<String> rows(Session s, String sql) {
    List<String> out = new ArrayList<>();
    try (StatementResult.Rows r = (StatementResult.Rows) s.execute(sql)) {
      while (r.cursor().next()) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < r.columns().size(); i++) {
          b.append(i == 0 ? "" : "|").append(r.cursor().get(i));
        }
        out.add(b.toString());
      }
    }
    return out;
  }

  @Test
  void readmeExample() throws Exception {
    Path data = dir.resolve("data");
    try (MultiTierStorage storage = MultiTierStorage.open(data)) {
      storage.ingest(new Segment("seg_001", 1000, 2000)
          .addSample("http_requests", Map.of("env", "prod"), 1500, 42.0)
          .addSample("http_requests", Map.of("env", "dev", "region", "eu"), 1600, 7.0));
      storage.flushToWarm("seg_001");
      storage.metrics().insertSample("http_requests", Map.of("env", "prod"), 1702540800, 43.0);

      try (Stream<Path> files = Files.walk(data.resolve("warm/metrics/http_requests"))) {
        assertTrue(files.anyMatch(p -> p.toString().endsWith(".parquet")));
      }
      assertThrows(IllegalArgumentException.class, () -> storage.flushToWarm("seg_404"));
      assertThrows(IllegalArgumentException.class,
          () -> new Segment("seg_002", 1000, 2000).addSample("m", Map.of(), 2000, 1));
      assertThrows(IllegalArgumentException.class,
          () -> storage.ingest(new Segment("seg_001", 1000, 2000)));

      // SQL in the same process, on the same storage.
      try (Session s = new SqlEngine(storage.engine(), new PrometheusRegistry())
          .openSession("lumadb", "embedded", Map.of())) {
        assertEquals(List.of(
                "1970-01-01T00:25|prod|42.0|null",
                "1970-01-01T00:26:40|dev|7.0|eu",
                "2023-12-14T08:00|prod|43.0|null"),
            rows(s, "SELECT ts, env, value, region FROM metrics.http_requests ORDER BY ts"));
        // Unqualified names search public, metrics, otel; a public table of the same name wins.
        assertEquals(List.of("3"), rows(s, "SELECT count(*) FROM http_requests"));
        s.execute("CREATE TABLE http_requests (x INT)").close();
        assertEquals(List.of("0"), rows(s, "SELECT count(*) FROM http_requests"));
        assertEquals(List.of("3"), rows(s, "SELECT count(*) FROM metrics.http_requests"));
        s.execute("DROP TABLE http_requests").close();
      }
    }
    // A server started on the directory answers the same.
    LumaServer server = new LumaServer(TestServers.config(data, ""));
    server.start();
    try (Connection c = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", "lumadb", "lumadb");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT sum(value), count(DISTINCT env) FROM metrics.http_requests")) {
      assertTrue(rs.next());
      assertEquals(92.0, rs.getDouble(1));
      assertEquals(2, rs.getInt(2));
      assertEquals(3, server.storage().table(new TableId("metrics", "http_requests")).orElseThrow().rowCount());
    } finally {
      server.close();
    }
  }

  @Test
  void textSearchUsesTheInvertedIndex() throws Exception {
    try (LumaServer s = TestServers.start(dir);
        Connection c = DriverManager.getConnection(
            "jdbc:postgresql://127.0.0.1:" + s.pgPort() + "/default", "lumadb", "lumadb");
        Statement st = c.createStatement()) {
      st.execute("CREATE TABLE logs (ts TIMESTAMP, service TEXT, body TEXT) WITH (index = 'body', sort = 'service')");
      StringBuilder sql = new StringBuilder("INSERT INTO logs VALUES ");
      for (int i = 0; i < 2000; i++) {
        sql.append(i == 0 ? "" : ",").append("('2024-01-01 00:00:00'::timestamp + INTERVAL '").append(i)
            .append("' SECOND, 'svc").append(i % 3).append("', '").append(i % 500 == 7 ? "ERROR disk full on sda" : "request ok " + i)
            .append("')");
      }
      st.execute(sql.toString());
      s.storage().flushAll();
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM logs WHERE text_match(body, 'disk FULL')")) {
        assertTrue(rs.next());
        assertEquals(4, rs.getLong(1));
      }
      assertEquals(4, countWithLike(st), "the index answers what LIKE answers");
      var stats = s.storage().table(new TableId("public", "logs")).orElseThrow().lastScan();
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM logs WHERE text_match(body, 'nothing here')")) {
        assertTrue(rs.next());
        assertEquals(0, rs.getLong(1));
      }
      stats = s.storage().table(new TableId("public", "logs")).orElseThrow().lastScan();
      assertEquals(0, stats.rowGroupsRead.get(), "the index rules the file out: " + stats);
      // Unflushed rows are matched too (row by row).
      st.execute("INSERT INTO logs VALUES ('2024-01-02 00:00:00', 'svc9', 'disk full again')");
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM logs WHERE text_match(body, 'disk full')")) {
        assertTrue(rs.next());
        assertEquals(5, rs.getLong(1));
      }
    }
  }

  private static long countWithLike(Statement st) throws Exception {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM logs WHERE body LIKE '%disk full%'")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
