package io.lumadb.pgwire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lumadb.sql.SqlEngine;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rows of a query that is one scan are encoded straight from the scan's vectors; pgjdbc
 * reads the same text and binary values from them as from the same query run through Calcite's
 * operators (a subquery with a LIMIT): every column type, NULLs, times before 1970, the session's
 * time zone for timestamptz, and a result fetched in several Execute messages.
 */
class VectorRowsWireTest {
  StorageEngine storage;
  PgServer server;
  int port;

  @BeforeEach
  void start() throws Exception {
    storage = new StorageEngine(StorageConfig.DEFAULTS.withSealRows(3));
    PrometheusRegistry registry = new PrometheusRegistry();
    server = new PgServer(new PgConfig("127.0.0.1", 0, 5, Map.of("lumadb", "lumadb"), "password", 1 << 20),
        new SqlEngine(storage, registry), registry);
    port = server.start();
    try (Connection c = connect(Map.of()); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE m (ts TIMESTAMP, tz TIMESTAMPTZ, d DATE, s SMALLINT, i INTEGER, b BIGINT, r REAL, "
          + "f DOUBLE PRECISION, t TEXT, j JSON, jb JSONB, n NUMERIC, n2 NUMERIC(10,2), bin BYTEA, bo BOOLEAN)"
          + " WITH (timestamp = 'ts')");
      for (int k = 0; k < 9; k++) {
        s.execute(k == 4 ? "INSERT INTO m (ts) VALUES (NULL)"
            : "INSERT INTO m VALUES (TIMESTAMP '" + (1960 + k * 9) + "-03-0" + (k + 1) + " 12:34:56." + (k * 111)
                + "', TIMESTAMPTZ '2021-06-0" + (k + 1) + " 01:02:03.5+02', DATE '" + (1950 + k * 7) + "-12-31', "
                + (k - 3) + ", " + (k * 1000 - 2000) + ", " + (k * 3_000_000_000L) + ", " + (k / 4.0 - 0.7) + ", "
                + (k * 1.1e-5 + k * 1e20) + ", 'text ü " + (k % 3) + "', '{\"a\": " + k + "}', '{\"b\":  " + k
                + "}', " + (k * 12.345 - 30) + ", " + (k * 1.5) + ", '\\x0" + k + "ff', " + (k % 2 == 0) + ")");
      }
    }
  }

  @AfterEach
  void stop() {
    server.close();
    storage.close();
  }

  Connection connect(Map<String, String> extra) throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    extra.forEach(p::setProperty);
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/default", p);
  }

  /** Each row as the text pgjdbc gives for every column, and its getObject's class and text. */
  static List<String> rows(Connection c, String sql) throws Exception {
    List<String> out = new ArrayList<>();
    c.setAutoCommit(false); // a fetch size applies in a transaction: several Execute messages
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setFetchSize(3);
      try (ResultSet rs = ps.executeQuery()) {
        int n = rs.getMetaData().getColumnCount();
        while (rs.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= n; i++) {
            Object o = rs.getObject(i);
            // pgjdbc's getString of a binary bytea is the array's identity: the hex below tells
            b.append(o instanceof byte[] ? "bytea" : rs.getString(i)).append(" / ")
                .append(o == null ? "null" : o.getClass().getSimpleName() + ":" + (o instanceof byte[] a
                    ? java.util.HexFormat.of().formatHex(a) : o)).append(" | ");
          }
          out.add(b.toString());
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
    return out;
  }

  void assertSameOnTheWire(Map<String, String> settings) throws Exception {
    try (Connection c = connect(settings)) {
      try (Statement s = c.createStatement()) {
        s.execute("SET TIME ZONE 'America/St_Johns'"); // a zone with a half-hour offset
      }
      for (String sql : List.of("SELECT * FROM m", "SELECT t, jb, tz, bin FROM m WHERE i <> 0",
          "SELECT f FROM m WHERE ts < TIMESTAMP '1980-01-01 00:00:00'", "SELECT * FROM m WHERE b < 0")) {
        List<String> calcite = rows(c, sql.replace("FROM m", "FROM (SELECT * FROM m LIMIT 1000000) m"));
        assertEquals(calcite, rows(c, sql), sql);
        assertEquals(calcite.size(), rows(c, sql).size());
      }
      assertEquals(9, rows(c, "SELECT * FROM m").size());
    }
  }

  @Test
  void textFormat() throws Exception {
    assertSameOnTheWire(Map.of("preferQueryMode", "extended", "binaryTransfer", "false"));
  }

  @Test
  void binaryFormat() throws Exception {
    // pgjdbc asks for binary results of the types it reads so when the statement is named from
    // its first execution
    assertSameOnTheWire(Map.of("prepareThreshold", "-1", "binaryTransfer", "true"));
  }

  @Test
  void simpleProtocol() throws Exception {
    assertSameOnTheWire(Map.of("preferQueryMode", "simple"));
  }
}
