package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

/** COPY FROM STDIN / TO STDOUT in text and CSV, through pgjdbc's CopyManager and psql. */
class CopyTest {
  @TempDir
  static Path dir;
  static LumaServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dir.resolve("data"));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default",
        "lumadb", "lumadb");
  }

  static String scalar(Statement st, String sql) throws SQLException {
    try (ResultSet rs = st.executeQuery(sql)) {
      assertTrue(rs.next());
      return rs.getString(1);
    }
  }

  @Test
  void copyInAndOutTextAndCsv() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE cp (id INT, name TEXT, v DOUBLE PRECISION, ts TIMESTAMP)");
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      long n = copy.copyIn("COPY cp FROM STDIN",
          new StringReader("1\tplain\t1.5\t2024-01-01 00:00:00\n2\ttab\\there\t\\N\t\\N\n3\tback\\\\slash\t-2\t2024-01-02 03:04:05.5\n"));
      assertEquals(3, n);
      n = copy.copyIn("COPY cp (id, name) FROM STDIN WITH (FORMAT csv, HEADER true)",
          new StringReader("id,name\n4,\"comma, and \"\"quotes\"\"\"\n5,\"two\nlines\"\n6,\n"));
      assertEquals(3, n);
      assertEquals("6", scalar(st, "SELECT count(*) FROM cp"));
      assertEquals("tab\there", scalar(st, "SELECT name FROM cp WHERE id = 2"));
      assertEquals("back\\slash", scalar(st, "SELECT name FROM cp WHERE id = 3"));
      assertEquals("comma, and \"quotes\"", scalar(st, "SELECT name FROM cp WHERE id = 4"));
      assertEquals("two\nlines", scalar(st, "SELECT name FROM cp WHERE id = 5"));
      assertEquals(null, scalar(st, "SELECT name FROM cp WHERE id = 6"));

      StringWriter out = new StringWriter();
      assertEquals(2, copy.copyOut("COPY (SELECT id, name, v FROM cp WHERE id <= 2 ORDER BY id) TO STDOUT", out));
      assertEquals("1\tplain\t1.5\n2\ttab\\there\t\\N\n", out.toString());
      out = new StringWriter();
      copy.copyOut("COPY (SELECT id, name FROM cp WHERE id IN (4, 6) ORDER BY id) TO STDOUT WITH (FORMAT csv, HEADER)", out);
      assertEquals("id,name\n4,\"comma, and \"\"quotes\"\"\"\n6,\n", out.toString());
      out = new StringWriter();
      assertEquals(6, copy.copyOut("COPY cp TO STDOUT CSV", out));
    }
  }

  @Test
  void badDataLoadsNothingAndTheSessionGoesOn() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE cpbad (id INT NOT NULL, name TEXT)");
      CopyManager copy = c.unwrap(PGConnection.class).getCopyAPI();
      SQLException e = assertThrows(SQLException.class, () -> copy.copyIn("COPY cpbad FROM STDIN",
          new StringReader("1\ta\n2\tb\nnot-a-number\tc\n4\td\n")));
      assertEquals("22P02", e.getSQLState());
      assertTrue(e.getMessage().contains("line 3"), e.getMessage());
      e = assertThrows(SQLException.class, () -> copy.copyIn("COPY cpbad FROM STDIN",
          new StringReader("1\ta\n2\n")));
      assertEquals("22P04", e.getSQLState());
      e = assertThrows(SQLException.class, () -> copy.copyIn("COPY cpbad FROM STDIN",
          new StringReader("\\N\ta\n")));
      assertEquals("23502", e.getSQLState());
      assertEquals("0", scalar(st, "SELECT count(*) FROM cpbad"));
      e = assertThrows(SQLException.class, () -> copy.copyIn("COPY nosuch FROM STDIN", new StringReader("")));
      assertEquals("42P01", e.getSQLState());
      e = assertThrows(SQLException.class, () -> st.execute("COPY cpbad FROM '/etc/passwd'"));
      assertEquals("0A000", e.getSQLState());
      assertEquals("1", scalar(st, "SELECT 1"));
    }
  }

  @Test
  void psqlCopyCommands() throws Exception {
    Path csv = dir.resolve("in.csv");
    Files.writeString(csv, "host,usage\nweb-1,10.5\nweb-2,20\n");
    String[] r = PsqlTestSupport.psql(server.pgPort(), """
        CREATE TABLE pcp (host TEXT, usage DOUBLE PRECISION);
        \\copy pcp FROM '%s' WITH (FORMAT csv, HEADER)
        COPY (SELECT host, usage FROM pcp ORDER BY host) TO STDOUT WITH (FORMAT csv);
        """.formatted(csv));
    assertEquals("web-1,10.5\nweb-2,20\n", r[1]);
    assertEquals("0", r[0]);
  }
}
