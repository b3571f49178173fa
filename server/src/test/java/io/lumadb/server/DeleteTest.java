package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * DELETE on a time range and TRUNCATE against a child server whose rows are spread over warm
 * files, sealed segments and the active segment: the right rows go, the rest stay, errors
 * change nothing, and after kill -9 the deleted rows stay deleted and the others are there.
 */
class DeleteTest {
  @TempDir
  Path dir;

  static final String SMALL = """
      [storage]
      seal_rows = 40
      flush_age = "1s"
      tiering_interval = "200ms"
      """;

  static long count(Statement st, String where) throws SQLException {
    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM ev" + where)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  static String sqlState(Statement st, String sql) {
    return assertThrows(SQLException.class, () -> st.execute(sql)).getSQLState();
  }

  @Test
  void deletesATimeRangeDurablyAndNothingElse() throws Exception {
    try (ChildServer s = ChildServer.start(dir, SMALL);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE ev (ts TIMESTAMP, day INT, v INT)");
      st.execute("CREATE TABLE evz (ts TIMESTAMPTZ, v INT)");
      // three days of 100 rows each (one per 10 minutes), inserted in batches of 20: some
      // reach warm files, some stay in sealed segments, the last in the active segment
      for (int day = 1; day <= 3; day++) {
        for (int b = 0; b < 5; b++) {
          StringBuilder sql = new StringBuilder("INSERT INTO ev VALUES ");
          for (int i = 0; i < 20; i++) {
            int minute = (b * 20 + i) * 10;
            sql.append(i == 0 ? "" : ", ").append(String.format(
                "(TIMESTAMP '2024-01-%02d %02d:%02d:00', %d, %d)", day, minute / 60, minute % 60, day, b * 20 + i));
          }
          st.execute(sql.toString());
        }
        if (day == 2) {
          Thread.sleep(1500); // let the tiering task flush days 1 and 2
        }
      }
      st.execute("INSERT INTO ev VALUES (NULL, 0, -1)");
      assertEquals(301, count(st, ""));

      // errors change nothing
      assertEquals("0A000", sqlState(st, "DELETE FROM ev WHERE v = 3"));
      assertEquals("0A000", sqlState(st, "DELETE FROM ev WHERE ts < '2024-01-02' OR v = 3"));
      assertEquals("0A000", sqlState(st, "DELETE FROM ev WHERE ts NOT BETWEEN '2024-01-02' AND '2024-01-03'"));
      assertEquals("42P01", sqlState(st, "DELETE FROM nosuch WHERE ts < '2024-01-02'"));
      st.execute("CREATE VIEW evv AS SELECT * FROM ev");
      assertEquals("42809", sqlState(st, "DELETE FROM evv"));
      assertEquals(301, count(st, ""));

      // day 2 from 12:00 on (12:00 to 16:30: 28 rows)
      assertEquals(28, st.executeUpdate("DELETE FROM ev WHERE ts >= '2024-01-02 12:00' AND ts < '2024-01-03'"));
      assertEquals(0, st.executeUpdate("DELETE FROM ev e WHERE e.ts BETWEEN '2024-01-02 12:00' AND '2024-01-02 23:59'"));
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM ev WHERE ? > ts AND ts >= ?")) {
        ps.setTimestamp(1, Timestamp.valueOf("2024-01-01 02:00:00"));
        ps.setTimestamp(2, Timestamp.valueOf("2024-01-01 01:00:00"));
        assertEquals(6, ps.executeUpdate()); // 01:00 .. 01:50
      }
      assertEquals(100, st.executeUpdate("DELETE FROM ev WHERE ts >= '2024-01-03'"));
      assertEquals(0, st.executeUpdate("DELETE FROM ev WHERE ts = NULL"));
      assertEquals(0, st.executeUpdate("DELETE FROM ev WHERE ts > '2024-02-01' AND ts < '2024-01-01'"));
      assertEquals(167, count(st, ""));
      assertEquals(0, count(st, " WHERE ts >= '2024-01-02 12:00'"));
      assertEquals(72, count(st, " WHERE day = 2"));
      assertEquals(94, count(st, " WHERE day = 1"));
      assertEquals(1, count(st, " WHERE ts IS NULL"), "a row without a time is in no range");
      st.execute("INSERT INTO ev VALUES (TIMESTAMP '2024-01-03 05:00:00', 3, 7)"); // after the DELETE: stays

      st.execute("INSERT INTO evz VALUES ('2024-01-01 10:00:00+02', 1), ('2024-01-01 10:00:00', 2)");
      st.execute("SET TIME ZONE 'Europe/Paris'");
      assertEquals(1, st.executeUpdate("DELETE FROM evz WHERE ts <= '2024-01-01 10:00:00'")); // 09:00Z
      st.execute("SET TIME ZONE 'UTC'");
      s.kill();
    }
    try (ChildServer s = ChildServer.start(dir, SMALL);
        Connection c = CrashRecoveryTest.connect(s); Statement st = c.createStatement()) {
      assertEquals(168, count(st, ""));
      assertEquals(0, count(st, " WHERE ts >= '2024-01-02 12:00' AND ts < '2024-01-03'"));
      assertEquals(1, count(st, " WHERE day = 3"));
      try (ResultSet rs = st.executeQuery("SELECT v FROM evz")) {
        rs.next();
        assertEquals(2, rs.getInt(1));
      }
      st.execute("TRUNCATE ev, evz");
      assertEquals(0, count(st, ""));
      st.execute("INSERT INTO ev VALUES (TIMESTAMP '2024-05-01 00:00:00', 5, 1)");
      assertEquals(1, st.executeUpdate("DELETE FROM ev"));
      assertEquals(0, count(st, ""));
    }
  }
}
