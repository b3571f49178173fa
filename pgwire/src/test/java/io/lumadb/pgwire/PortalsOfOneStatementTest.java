package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two portals of one named statement, both open (the first suspended by a row limit): each reads
 * its own rows to the end. They once shared one Calcite statement, and executing the second closed
 * the first's result.
 */
class PortalsOfOneStatementTest {
  @BeforeAll
  static void start() throws Exception {
    PgServerRobustnessTest.start();
    try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + PgServerRobustnessTest.port
        + "/default", "lumadb", "lumadb"); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE nums (ts TIMESTAMP, i INTEGER) WITH (timestamp = 'ts')");
      st.execute("INSERT INTO nums SELECT TIMESTAMP '2024-01-01 00:00:00' + g.i * INTERVAL '1' SECOND, g.i"
          + " FROM generate_series(1, 10) AS g(i)");
    }
  }

  @AfterAll
  static void stop() {
    PgServerRobustnessTest.stop();
  }

  static byte[] body(Object... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DataOutputStream d = new DataOutputStream(out);
    for (Object p : parts) {
      if (p instanceof String s) {
        d.write(PgServerRobustnessTest.cstr(s));
      } else if (p instanceof Short v) {
        d.writeShort(v);
      } else if (p instanceof Integer v) {
        d.writeInt(v);
      } else {
        d.write((byte[]) p);
      }
    }
    return out.toByteArray();
  }

  /** Bind of a text parameter to the statement. */
  static byte[] bind(String portal, String statement, String param) throws IOException {
    byte[] v = param.getBytes(StandardCharsets.UTF_8);
    return PgServerRobustnessTest.frame('B', body(portal, statement, (short) 0, (short) 1, v.length, v,
        (short) 0));
  }

  static byte[] execute(String portal, int maxRows) throws IOException {
    return PgServerRobustnessTest.frame('E', body(portal, maxRows));
  }

  /** The messages up to ReadyForQuery, as "D:value" for each one-column DataRow and the tag of others. */
  static List<String> answers(Socket s) throws IOException {
    DataInputStream in = new DataInputStream(s.getInputStream());
    List<String> out = new ArrayList<>();
    while (true) {
      char t = (char) in.readUnsignedByte();
      byte[] b = new byte[in.readInt() - 4];
      in.readFully(b);
      switch (t) {
        case 'D' -> out.add("D:" + new String(b, 6, b.length - 6, StandardCharsets.UTF_8));
        case 'C' -> out.add("C:" + new String(b, 0, b.length - 1, StandardCharsets.UTF_8));
        case 's' -> out.add("suspended");
        case 'E' -> out.add("E:" + new String(b, StandardCharsets.UTF_8).replace('\0', '|'));
        case 'Z' -> {
          return out;
        }
        default -> { }
      }
    }
  }

  @Test
  void twoOpenPortalsOfOneStatementEachReadTheirRows() throws Exception {
    for (String sql : List.of("SELECT i FROM nums WHERE i > $1", // one scan: read from its vectors
        "SELECT i FROM nums WHERE i > $1 ORDER BY i")) { // through Calcite's result set
      try (Socket s = PgServerRobustnessTest.login()) {
        s.getOutputStream().write(PgServerRobustnessTest.concat(
            PgServerRobustnessTest.frame('P', body("s1", sql, (short) 0)),
            bind("p1", "s1", "0"), execute("p1", 3), // 3 of 10 rows, then suspended
            bind("p2", "s1", "7"), execute("p2", 0), // all of 3 rows
            execute("p1", 0), // the other 7 rows of p1
            PgServerRobustnessTest.frame('S', new byte[0])));
        List<String> expected = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
          expected.add("D:" + i);
        }
        expected.add("suspended");
        for (int i = 8; i <= 10; i++) {
          expected.add("D:" + i);
        }
        expected.add("C:SELECT 3");
        for (int i = 4; i <= 10; i++) {
          expected.add("D:" + i);
        }
        expected.add("C:SELECT 10");
        assertEquals(expected, answers(s), sql);
      }
    }
  }
}
