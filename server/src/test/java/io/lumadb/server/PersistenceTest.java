package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.ScanStats;
import io.lumadb.storage.TableId;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data survives a restart, warm files are pruned by SQL predicates; views and added columns
 * survive kill -9.
 */
class PersistenceTest {
  @TempDir
  Path dir;

  static Connection connect(LumaServer s) throws Exception {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + s.pgPort() + "/default", "lumadb", "lumadb");
  }

  /** Seals every two rows and flushes them to Parquet within a tenth of a second. */
  static final String FAST_FLUSH = """
      [storage]
      seal_rows = 2
      flush_age = "100ms"
      tiering_interval = "100ms"
      """;

  static long scalar(Statement st, String sql) throws Exception {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getLong(1);
    }
  }

  @Test
  void restartKeepsTablesRowsAndWarmFiles() throws Exception {
    try (LumaServer s = TestServers.start(dir); Connection c = connect(s); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE cpu (ts TIMESTAMP, host TEXT, usage DOUBLE PRECISION) WITH (ttl = '3650d')");
      for (int day = 1; day <= 5; day++) {
        StringBuilder sql = new StringBuilder("INSERT INTO cpu VALUES ");
        for (int i = 0; i < 100; i++) {
          sql.append(i == 0 ? "" : ",").append("('2024-03-0").append(day).append(" 00:00:00'::timestamp + ")
              .append("INTERVAL '").append(i).append("' MINUTE, 'h").append(i % 4).append("', ").append(i).append(")");
        }
        st.execute(sql.toString());
      }
      s.storage().flushAll();
      st.execute("INSERT INTO cpu VALUES ('2024-03-06 00:00:00', 'h9', 1)");
      assertEquals(501, scalar(st, "SELECT count(*) FROM cpu"));
    }
    try (LumaServer s = TestServers.start(dir); Connection c = connect(s); Statement st = c.createStatement()) {
      assertEquals(501, scalar(st, "SELECT count(*) FROM cpu"));
      assertEquals(100, scalar(st, "SELECT count(*) FROM cpu WHERE ts >= TIMESTAMP '2024-03-02 00:00:00'"
          + " AND ts < TIMESTAMP '2024-03-03 00:00:00'"));
      ScanStats stats = s.storage().table(new TableId("public", "cpu")).orElseThrow().lastScan();
      assertEquals(4, stats.filesPruned.get(), stats.toString());
      assertEquals(1, stats.filesRead.get(), stats.toString());
      assertEquals(25, scalar(st, "SELECT count(*) FROM cpu WHERE host = 'h1' AND ts < TIMESTAMP '2024-03-02 00:00:00'"));
      assertEquals(0, scalar(st, "SELECT count(*) FROM cpu WHERE host IN ('x', 'y')"));
      stats = s.storage().table(new TableId("public", "cpu")).orElseThrow().lastScan();
      assertEquals(0, stats.rowGroupsRead.get(), stats.toString());

      // EXPLAIN shows what is pushed into the scan; EXPLAIN ANALYZE also what was pruned.
      StringBuilder plan = new StringBuilder();
      try (ResultSet rs = st.executeQuery("EXPLAIN SELECT host FROM cpu WHERE ts >= TIMESTAMP '2024-03-05 00:00:00'")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      assertTrue(plan.toString().contains("LumaResultScan(table=[[public, cpu]], filters=[[>=($0, 2024-03-05 00:00:00)]]"), plan.toString());
      plan.setLength(0);
      try (ResultSet rs = st.executeQuery(
          "EXPLAIN ANALYZE SELECT host FROM cpu WHERE ts >= TIMESTAMP '2024-03-05 00:00:00' AND host = 'h2'")) {
        while (rs.next()) {
          plan.append(rs.getString(1)).append('\n');
        }
      }
      String p = plan.toString();
      assertTrue(p.contains("LumaDB scan public.cpu: columns [0, 1], time range [2024-03-05T00:00:00Z, unbounded], tags {1=[h2]}"), p);
      assertTrue(p.contains("files read 1 pruned 4"), p);
      assertTrue(p.contains("hot segments read 1 pruned 0"), p);
      assertTrue(p.contains("Rows: 25"), p);
    }
  }

  /**
   * ALTER TABLE ... ADD COLUMN (WAL) and CREATE/DROP VIEW (catalog checkpoint) are durable when
   * they return: a server killed with kill -9 right after them has them on restart. Rows flushed
   * to Parquet before the column existed read it as NULL.
   */
  @Test
  void viewsAndAddedColumnsSurviveKillNine() throws Exception {
    try (ChildServer s = ChildServer.start(dir, FAST_FLUSH);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE m (a INT, b TEXT)");
      st.execute("INSERT INTO m VALUES (1, 'one'), (2, 'two'), (3, 'three')");
      Path warm = awaitParquet(s.dataDir.resolve("warm/public/m"));
      st.execute("ALTER TABLE m ADD COLUMN c DOUBLE PRECISION");
      st.execute("INSERT INTO m VALUES (4, 'four', 4.5)");
      st.execute("CREATE VIEW mv (k, c) AS SELECT a, c FROM m WHERE a > 1");
      st.execute("CREATE VIEW tmp AS SELECT 1 AS one");
      st.execute("DROP VIEW tmp");
      st.execute("CREATE OR REPLACE VIEW mv (k, c) AS SELECT a, c FROM m WHERE a > 1 AND a < 100");
      assertTrue(java.nio.file.Files.walk(warm).anyMatch(f -> f.toString().endsWith(".parquet")),
          "rows from before the new column reached Parquet");
      s.kill();
    }
    try (ChildServer s = ChildServer.start(dir, FAST_FLUSH);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      StringBuilder rows = new StringBuilder();
      try (ResultSet rs = st.executeQuery("SELECT k, c FROM mv ORDER BY k")) {
        while (rs.next()) {
          rows.append(rs.getInt(1)).append('=').append(rs.getObject(2)).append(' ');
        }
      }
      assertEquals("2=null 3=null 4=4.5 ", rows.toString());
      assertEquals(3, scalar(st, "SELECT count(*) FROM information_schema.columns WHERE table_name = 'm'"));
      assertEquals(1, scalar(st, "SELECT count(*) FROM pg_views WHERE viewname = 'mv'"));
      assertEquals(0, scalar(st, "SELECT count(*) FROM pg_class WHERE relname = 'tmp'"));
      st.execute("CREATE VIEW tmp AS SELECT 2 AS two"); // the dropped view's name is free again
      assertEquals(2, scalar(st, "SELECT two FROM tmp"));
      assertEquals(143, s.terminate());
    }
  }

  /**
   * CREATE/DROP INDEX are durable when they return: after kill -9 the indexes are listed, a unique
   * one still rejects duplicates (over rows in Parquet and in the WAL), and a duplicate rejected
   * before the crash left nothing behind.
   */
  @Test
  void indexesSurviveKillNine() throws Exception {
    try (ChildServer s = ChildServer.start(dir, FAST_FLUSH);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE k (a INT, b TEXT)");
      st.execute("INSERT INTO k VALUES (1, 'one'), (2, 'two'), (3, 'three')");
      st.execute("CREATE UNIQUE INDEX k_a ON k (a)");
      st.execute("CREATE INDEX k_b ON k (b DESC)");
      st.execute("CREATE INDEX k_tmp ON k (a, b)");
      st.execute("DROP INDEX k_tmp");
      st.execute("INSERT INTO k VALUES (4, 'four')");
      SQLException e = assertThrows(SQLException.class,
          () -> st.execute("INSERT INTO k VALUES (5, 'five'), (2, 'again')"));
      assertEquals("23505", e.getSQLState());
      s.kill();
    }
    try (ChildServer s = ChildServer.start(dir, FAST_FLUSH);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      assertEquals(4, scalar(st, "SELECT count(*) FROM k"));
      assertEquals(2, scalar(st, "SELECT count(*) FROM pg_indexes WHERE tablename = 'k'"));
      assertEquals(1, scalar(st, "SELECT count(*) FROM pg_index WHERE indisunique"));
      for (String dup : new String[] {"1", "4"}) {
        SQLException e = assertThrows(SQLException.class,
            () -> st.execute("INSERT INTO k VALUES (" + dup + ", 'dup')"));
        assertEquals("23505", e.getSQLState());
      }
      st.execute("CREATE INDEX k_tmp ON k (a, b)"); // the dropped index's name is free again
      st.execute("DROP TABLE k");
      assertEquals(0, scalar(st, "SELECT count(*) FROM pg_indexes"));
      assertEquals(143, s.terminate());
    }
  }

  /**
   * bytea, json, jsonb and numeric values come back after kill -9: those flushed to Parquet
   * (seal_rows = 2 and a fast flush) and those only in the WAL alike, numeric(p, s) with its
   * precision and scale.
   */
  @Test
  void byteaJsonNumericSurviveKillNine() throws Exception {
    String expected = "1 \\x00ff {\"a\" :1} {\"b\": [1, 2]} 1.50 0.000123456789012345678901|"
        + "2 null null null null null|3 \\x {\"x\": 1} [] -99999999.99 12345678901234567890|";
    String select = "SELECT id, b, j, jb, p, u FROM t ORDER BY id";
    try (ChildServer s = ChildServer.start(dir, FAST_FLUSH);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t (id INT, b BYTEA, j JSON, jb JSONB, p NUMERIC(10, 2), u NUMERIC)");
      st.execute("INSERT INTO t VALUES (1, '\\x00ff', '{\"a\" :1}', '{\"b\":[1,2]}', 1.5, 0.000123456789012345678901)");
      st.execute("INSERT INTO t VALUES (2, NULL, NULL, NULL, NULL, NULL)");
      Path warm = awaitParquet(s.dataDir.resolve("warm/public/t"));
      assertTrue(java.nio.file.Files.walk(warm).anyMatch(f -> f.toString().endsWith(".parquet")),
          "the first rows reached Parquet");
      st.execute("INSERT INTO t VALUES (3, '', '{\"x\": 1}', '[]', -99999999.994, '12345678901234567890')");
      assertEquals(expected, text(st, select));
      s.kill();
    }
    try (ChildServer s = ChildServer.start(dir, FAST_FLUSH);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      assertEquals(expected, text(st, select));
      assertEquals("numeric(10,2) numeric jsonb bytea |", text(st, "SELECT format_type(a.atttypid, a.atttypmod),"
          + " format_type(u.atttypid, u.atttypmod), format_type(jb.atttypid, jb.atttypmod),"
          + " format_type(b.atttypid, b.atttypmod) FROM pg_attribute a, pg_attribute u, pg_attribute jb,"
          + " pg_attribute b WHERE a.attrelid = 't'::regclass AND a.attname = 'p' AND u.attrelid = 't'::regclass"
          + " AND u.attname = 'u' AND jb.attrelid = 't'::regclass AND jb.attname = 'jb'"
          + " AND b.attrelid = 't'::regclass AND b.attname = 'b'").replace("|", " |"));
      assertEquals(143, s.terminate());
    }
  }

  /** Waits up to 10 s for a Parquet file under {@code warm} (the tiering task's flush). */
  static Path awaitParquet(Path warm) throws Exception {
    for (int i = 0; i < 200 && !(java.nio.file.Files.isDirectory(warm)
        && java.nio.file.Files.walk(warm).anyMatch(f -> f.toString().endsWith(".parquet"))); i++) {
      Thread.sleep(50);
    }
    return warm;
  }

  /** Every row's values as text, separated by spaces, each row ended by |. */
  static String text(Statement st, String sql) throws Exception {
    StringBuilder b = new StringBuilder();
    try (ResultSet rs = st.executeQuery(sql)) {
      int n = rs.getMetaData().getColumnCount();
      while (rs.next()) {
        for (int i = 1; i <= n; i++) {
          b.append(i > 1 ? " " : "").append(rs.getString(i));
        }
        b.append('|');
      }
    }
    return b.toString();
  }
}
