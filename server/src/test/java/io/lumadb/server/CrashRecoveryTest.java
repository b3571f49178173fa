package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child server ingesting continuously is killed with kill -9 at random moments, several
 * rounds on the same data directory. After each restart every acknowledged row is there
 * exactly once, and no multi-row INSERT is half there, whether it was in the WAL, a hot
 * segment or a Parquet file when the process died.
 */
class CrashRecoveryTest {
  static final int WRITERS = 3;
  static final int ROWS_PER_INSERT = 4;

  @TempDir
  Path dir;

  static Connection connect(ChildServer s) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + s.pgPort + "/default", "lumadb", "lumadb");
  }

  @Test
  void killNineLosesNoAcknowledgedWrite() throws Exception {
    Random rnd = new Random(20261124);
    // batch key "round/writer/seq" -> acknowledged
    Map<String, Boolean> acked = new ConcurrentHashMap<>();
    // Small segments and a fast tiering task, so kills land during flushes and compactions too.
    String seal = """
        [storage]
        seal_rows = 50
        flush_age = "1s"
        tiering_interval = "100ms"
        compact_min_files = 3
        wal_segment_bytes = 16384
        """;
    try (ChildServer s = ChildServer.start(dir, seal); Connection c = connect(s); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE acks (round INT, writer INT, seq BIGINT, k INT, payload TEXT)");
    }
    for (int round = 0; round < 4; round++) {
      try (ChildServer s = ChildServer.start(dir, seal)) {
        verify(s, acked);
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> writers = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
          int writer = w;
          int r = round;
          Thread t = new Thread(() -> write(s, r, writer, acked, stop));
          t.start();
          writers.add(t);
        }
        Thread.sleep(300 + rnd.nextInt(1200));
        s.kill();
        stop.set(true);
        for (Thread t : writers) {
          t.join(30_000);
        }
      }
    }
    try (ChildServer s = ChildServer.start(dir, seal)) {
      long rows = verify(s, acked);
      assertTrue(acked.size() > 20, "enough writes were acknowledged to mean something: " + acked.size());
      assertTrue(rows >= (long) acked.size() * ROWS_PER_INSERT);
      assertTrue(java.nio.file.Files.list(s.dataDir.resolve("warm/public/acks")).findAny().isPresent(),
          "rows reached the warm tier during the test");
      assertEquals(143, s.terminate());
    }
  }

  static void write(ChildServer s, int round, int writer, Map<String, Boolean> acked, AtomicBoolean stop) {
    try (Connection c = connect(s); Statement st = c.createStatement()) {
      for (long seq = 0; !stop.get(); seq++) {
        StringBuilder sql = new StringBuilder("INSERT INTO acks VALUES ");
        for (int k = 0; k < ROWS_PER_INSERT; k++) {
          sql.append(k == 0 ? "" : ", ").append('(').append(round).append(", ").append(writer)
              .append(", ").append(seq).append(", ").append(k).append(", 'payload-").append(seq).append("')");
        }
        st.executeUpdate(sql.toString());
        acked.put(round + "/" + writer + "/" + seq, true);
      }
    } catch (SQLException e) {
      // The server was killed: writes in flight are not acknowledged.
    }
  }

  /** Checks every acknowledged insert is whole and present once; returns the row count. */
  static long verify(ChildServer s, Map<String, Boolean> acked) throws SQLException {
    Map<String, Integer> seen = new HashMap<>();
    long rows = 0;
    try (Connection c = connect(s); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT round, writer, seq, count(*), count(DISTINCT k) FROM acks GROUP BY round, writer, seq")) {
      while (rs.next()) {
        String key = rs.getInt(1) + "/" + rs.getInt(2) + "/" + rs.getLong(3);
        int n = rs.getInt(4);
        assertEquals(ROWS_PER_INSERT, n, "insert " + key + " is whole and not duplicated");
        assertEquals(ROWS_PER_INSERT, rs.getInt(5), "insert " + key + " has each row once");
        seen.put(key, n);
        rows += n;
      }
    }
    for (String key : acked.keySet()) {
      assertTrue(seen.containsKey(key), "acknowledged insert " + key + " survived the crash");
    }
    return rows;
  }
}
