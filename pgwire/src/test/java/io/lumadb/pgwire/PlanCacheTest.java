package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.sql.SqlEngine;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The unnamed statement's plan cache: the same text with other parameters is not planned
 * again; a new table of the same name, a new column or another search_path plans anew; two
 * open portals over the same text never share one plan.
 */
class PlanCacheTest {
  StorageEngine storage;
  PrometheusRegistry registry;
  PgServer server;
  Connection conn;

  @BeforeEach
  void start() throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS);
    registry = new PrometheusRegistry();
    server = new PgServer(new PgConfig("127.0.0.1", 0, 5, Map.of("lumadb", "lumadb"), "password", 1 << 20),
        new SqlEngine(storage, registry), registry);
    int port = server.start();
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    p.setProperty("prepareThreshold", "0"); // pgjdbc: always the unnamed statement
    conn = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/default", p);
  }

  @AfterEach
  void stop() throws Exception {
    conn.close();
    server.close();
    storage.close();
  }

  long counter(String name) {
    for (var s : registry.scrape().stream().toList()) {
      if (s instanceof CounterSnapshot c && c.getMetadata().getName().equals(name)) {
        return (long) c.getDataPoints().get(0).getValue();
      }
    }
    throw new AssertionError("no counter " + name);
  }

  /** Another connection to the server, with one pgjdbc property set. */
  Connection another(String property, String value) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    p.setProperty(property, value);
    return DriverManager.getConnection(conn.getMetaData().getURL(), p);
  }

  long one(String sql, Object param) throws Exception {
    return one(conn, sql, param);
  }

  @Test
  void sameTextOtherParametersIsNotPlannedAgain() throws Exception {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE kv (id BIGINT, v BIGINT)");
      st.execute("INSERT INTO kv VALUES (1, 10), (2, 20), (3, 30)");
    }
    String sql = "SELECT v FROM kv WHERE id = ?";
    long misses = counter("lumadb_pgwire_plan_cache_misses");
    long hits = counter("lumadb_pgwire_plan_cache_hits");
    for (int i = 1; i <= 3; i++) {
      assertEquals(i * 10L, one(sql, (long) i));
    }
    assertEquals(misses + 1, counter("lumadb_pgwire_plan_cache_misses"));
    assertEquals(hits + 2, counter("lumadb_pgwire_plan_cache_hits"));
  }

  /**
   * pgjdbc runs a text as the unnamed statement until prepareThreshold, then names it: the named
   * statement takes over the plan of the unnamed runs instead of planning again.
   */
  @Test
  void aNamedStatementTakesOverThePlanOfItsUnnamedRuns() throws Exception {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE kv2 (id BIGINT, v BIGINT)");
      st.execute("INSERT INTO kv2 VALUES (1, 10), (2, 20), (3, 30), (4, 40), (5, 50), (6, 60)");
    }
    try (Connection c = another("prepareThreshold", "3")) {
      long misses = counter("lumadb_pgwire_plan_cache_misses");
      long hits = counter("lumadb_pgwire_plan_cache_hits");
      for (int i = 1; i <= 6; i++) { // unnamed, unnamed, then named from the third run on
        try (PreparedStatement ps = c.prepareStatement("SELECT v FROM kv2 WHERE id = ?")) {
          ps.setLong(1, i);
          try (ResultSet rs = ps.executeQuery()) {
            assertTrue(rs.next());
            assertEquals(i * 10L, rs.getLong(1));
          }
        }
      }
      assertEquals(misses + 1, counter("lumadb_pgwire_plan_cache_misses"));
      assertEquals(hits + 2, counter("lumadb_pgwire_plan_cache_hits"));
      // the unnamed statement is used for other texts meanwhile; the named one still runs
      assertEquals(20, one(c, "SELECT v + 0 * ? FROM kv2 WHERE id = 2", 1));
      try (PreparedStatement ps = c.prepareStatement("SELECT v FROM kv2 WHERE id = ?")) {
        ps.setLong(1, 5);
        try (ResultSet rs = ps.executeQuery()) {
          assertTrue(rs.next());
          assertEquals(50, rs.getLong(1));
        }
      }
    }
  }

  static long one(Connection c, String sql, Object param) throws Exception {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setObject(1, param);
      try (ResultSet rs = ps.executeQuery()) {
        assertTrue(rs.next());
        return rs.getLong(1);
      }
    }
  }

  @Test
  void schemaChangesAndSearchPathInvalidate() throws Exception {
    String sql = "SELECT count(*) + 0 * ? FROM t";
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE t (a BIGINT)");
      st.execute("INSERT INTO t VALUES (1), (2)");
      assertEquals(2, one(sql, 1));
      st.execute("DROP TABLE t");
      st.execute("CREATE TABLE t (a BIGINT, b VARCHAR)");
      st.execute("INSERT INTO t VALUES (1, 'x')");
      assertEquals(1, one(sql, 1)); // the new table, not the dropped one
      st.execute("SET search_path TO metrics, public");
      long misses = counter("lumadb_pgwire_plan_cache_misses");
      assertEquals(1, one(sql, 1));
      assertEquals(misses + 1, counter("lumadb_pgwire_plan_cache_misses"));
    }
  }

  @Test
  void simpleProtocolQueriesUseTheCacheAndSeeSchemaChanges() throws Exception {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE s (a BIGINT)");
      st.execute("INSERT INTO s VALUES (1), (2)");
    }
    try (Connection simple = another("preferQueryMode", "simple");
        Statement st = simple.createStatement()) {
      long misses = counter("lumadb_pgwire_plan_cache_misses");
      long hits = counter("lumadb_pgwire_plan_cache_hits");
      for (int i = 0; i < 3; i++) {
        try (ResultSet rs = st.executeQuery("SELECT * FROM s ORDER BY a")) {
          assertEquals(1, rs.getMetaData().getColumnCount());
          assertTrue(rs.next());
        }
      }
      assertEquals(misses + 1, counter("lumadb_pgwire_plan_cache_misses"));
      assertEquals(hits + 2, counter("lumadb_pgwire_plan_cache_hits"));
      // a new column is seen at once; statements that are not plain queries do not go through it
      st.execute("ALTER TABLE s ADD COLUMN b VARCHAR");
      st.execute("INSERT INTO s VALUES (3, 'x')");
      try (ResultSet rs = st.executeQuery("SELECT * FROM s ORDER BY a")) {
        assertEquals(2, rs.getMetaData().getColumnCount());
      }
      // another time zone plans anew: a timestamptz literal is read in the session's zone
      try (ResultSet rs = st.executeQuery("SELECT CAST(TIMESTAMPTZ '2024-01-01 12:00:00' AS VARCHAR)")) {
        assertTrue(rs.next());
      }
      long before = counter("lumadb_pgwire_plan_cache_misses");
      st.execute("SET TimeZone TO 'Europe/Paris'");
      try (ResultSet rs = st.executeQuery("SELECT CAST(TIMESTAMPTZ '2024-01-01 12:00:00' AS VARCHAR)")) {
        assertTrue(rs.next());
      }
      assertEquals(before + 1, counter("lumadb_pgwire_plan_cache_misses"));
      // a syntax error is reported as before, and the connection goes on
      assertEquals("42601", org.junit.jupiter.api.Assertions.assertThrows(java.sql.SQLException.class,
          () -> st.executeQuery("SELECT FROM WHERE")).getSQLState());
      try (ResultSet rs = st.executeQuery("SELECT count(*) FROM s")) {
        assertTrue(rs.next());
        assertEquals(3, rs.getLong(1));
      }
    }
  }

  @Test
  void openPortalsDoNotShareAPlan() throws Exception {
    try (Statement st = conn.createStatement()) {
      st.execute("CREATE TABLE n (i BIGINT)");
      st.execute("INSERT INTO n SELECT * FROM (VALUES (1), (2), (3), (4), (5)) AS x(i)");
    }
    conn.setAutoCommit(false); // pgjdbc only fetches in portions inside a transaction
    String sql = "SELECT i FROM n WHERE i >= ? ORDER BY i";
    try (PreparedStatement outer = conn.prepareStatement(sql);
        PreparedStatement inner = conn.prepareStatement(sql)) {
      outer.setFetchSize(1);
      outer.setLong(1, 1);
      long sum = 0;
      int rows = 0;
      try (ResultSet o = outer.executeQuery()) {
        while (o.next()) {
          rows++;
          inner.setLong(1, o.getLong(1));
          try (ResultSet i = inner.executeQuery()) {
            while (i.next()) {
              sum += i.getLong(1);
            }
          }
        }
      }
      assertEquals(5, rows);
      assertEquals(15 + 14 + 12 + 9 + 5, sum);
    }
    conn.commit();
    assertFalse(conn.isClosed());
  }
}
