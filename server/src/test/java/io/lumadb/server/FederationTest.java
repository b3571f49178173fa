package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.server.testing.PostgresTestServer;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Federation against a real PostgreSQL 15 started here: {@code [[federation]]} entries as
 * schemas, pushdown seen in EXPLAIN, joins with a LumaDB table, read-only, and sources that
 * are unreachable, refuse the login or go away and come back.
 */
class FederationTest {
  @TempDir
  static Path dir;

  static PostgresTestServer pg;
  static LumaServer server;
  static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    pg = PostgresTestServer.startOrSkip();
    pg.execute("""
        CREATE TABLE hosts (id int PRIMARY KEY, name text NOT NULL, owner text, cores bigint,
          price numeric(10,2), created timestamp, active boolean)""",
        """
        INSERT INTO hosts VALUES
          (1, 'h1', 'alice', 4, 10.50, '2024-03-01 10:00:00', true),
          (2, 'h2', 'alice', 8, 20.25, '2024-03-02 11:30:00', false),
          (3, 'h3', 'bob', 16, 99.99, '2024-03-03 12:45:30', true),
          (4, 'h4', NULL, NULL, NULL, NULL, NULL)""",
        """
        CREATE TABLE measures (n numeric, tz timestamptz, d date, f double precision, r real,
          s varchar(20), si smallint, c char(3))""",
        """
        INSERT INTO measures VALUES (12.345, '2024-03-01 10:00:00+00', '2024-03-01', 1.5, 2.5, 'x', 7, 'ab')""");
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    server = new LumaServer(TestServers.config(dir, """
        [[federation]]
        name = "pgsrc"
        url = "%s"
        user = "lumadb"
        password = "lumadb"

        [[federation]]
        name = "down"
        url = "jdbc:postgresql://127.0.0.1:%d/default?connectTimeout=5"
        user = "lumadb"
        password = "lumadb"

        [[federation]]
        name = "badlogin"
        url = "%s"
        user = "nobody"
        password = "wrong"
        """.formatted(pg.jdbcUrl(), closedPort, pg.jdbcUrl())));
    server.start();
    try (Connection c = connect(); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE cpu (ts TIMESTAMP, host TEXT, usage DOUBLE PRECISION)");
      st.execute("""
          INSERT INTO cpu VALUES (TIMESTAMP '2024-03-05 00:00:00', 'h1', 10), (TIMESTAMP '2024-03-05 00:00:10', 'h1', 30),
            (TIMESTAMP '2024-03-05 00:00:00', 'h2', 50), (TIMESTAMP '2024-03-05 00:00:00', 'h3', 70),
            (TIMESTAMP '2024-03-05 00:00:00', 'unknown', 1)""");
    }
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (pg != null) {
      pg.close();
    }
  }

  static Connection connect() throws SQLException {
    return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default",
        "lumadb", "lumadb");
  }

  static List<String> rows(Connection c, String sql) throws SQLException {
    try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
      return rows(rs);
    }
  }

  static List<String> rows(ResultSet rs) throws SQLException {
    return ResultRows.of(rs);
  }

  static String explain(Connection c, String sql) throws SQLException {
    return String.join("\n", rows(c, "EXPLAIN " + sql));
  }

  static SQLException fails(Connection c, String sql) {
    return assertThrows(SQLException.class, () -> {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
    }, sql);
  }

  @Test
  void tablesAndTypesOfTheSource() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM pgsrc.hosts ORDER BY id")) {
      List<String> types = ResultRows.columnTypes(rs.getMetaData());
      assertEquals(List.of("id int4", "name text", "owner text", "cores int8", "price numeric",
          "created timestamp", "active bool"), types);
      assertTrue(rs.next());
      assertEquals(1, rs.getInt("id"));
      assertEquals("h1", rs.getString("name"));
      assertEquals(4L, rs.getLong("cores"));
      assertEquals(new BigDecimal("10.50"), rs.getBigDecimal("price"));
      assertEquals(LocalDateTime.of(2024, 3, 1, 10, 0), rs.getObject("created", LocalDateTime.class));
      assertTrue(rs.getBoolean("active"));
      List<String> rest = rows(rs);
      assertEquals(List.of(
          "2|h2|alice|8|20.25|2024-03-02 11:30:00|f",
          "3|h3|bob|16|99.99|2024-03-03 12:45:30|t",
          "4|h4|null|null|null|null|null"), rest);
    }
  }

  @Test
  void moreTypesOfTheSource() throws Exception {
    try (Connection c = connect(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT * FROM pgsrc.measures")) {
      List<String> types = ResultRows.columnTypes(rs.getMetaData());
      // timestamptz arrives as the UTC timestamp; char(n) keeps its padding.
      assertEquals(List.of("n numeric", "tz timestamp", "d date", "f float8", "r float4", "s text",
          "si int2", "c text"), types);
      assertEquals(List.of("12.345|2024-03-01 10:00:00|2024-03-01|1.5|2.5|x|7|ab "), rows(rs));
    }
  }

  @Test
  void namesFoldToLowerCase() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("h3"), rows(c, "SELECT NAME FROM PGSRC.HOSTS WHERE CORES = 16"));
      SQLException e = fails(c, "SELECT * FROM pgsrc.\"HOSTS\"");
      assertEquals("42P01", e.getSQLState(), e.getMessage());
    }
  }

  @Test
  void filtersAndProjectionsArePushedToTheSource() throws Exception {
    try (Connection c = connect()) {
      String sql = "SELECT name, cores FROM pgsrc.hosts WHERE cores > 4 AND owner = 'alice'";
      assertEquals(List.of("h2|8"), rows(c, sql));
      String plan = explain(c, sql);
      // Everything below the converter runs in PostgreSQL as one SQL statement.
      assertTrue(plan.contains("JdbcToEnumerableConverter"), plan);
      assertTrue(plan.matches("(?s).*JdbcProject\\(name=\\[\\$1\\], cores=\\[\\$3\\]\\).*"), plan);
      assertTrue(plan.matches("(?s).*JdbcFilter\\(condition=\\[AND\\(>\\(\\$3, 4\\), =\\(\\$2, 'alice'\\)\\)\\]\\).*"),
          plan);
      assertTrue(plan.contains("JdbcTableScan(table=[[pgsrc, hosts]])"), plan);
      assertTrue(!plan.contains("EnumerableFilter") && !plan.contains("EnumerableCalc"), plan);
    }
  }

  @Test
  void aggregatesOnTheSource() throws Exception {
    try (Connection c = connect()) {
      String sql = "SELECT owner, count(*), sum(cores), max(price) FROM pgsrc.hosts GROUP BY owner ORDER BY owner";
      assertEquals(List.of("alice|2|12|20.25", "bob|1|16|99.99", "null|1|null|null"), rows(c, sql));
      String plan = explain(c, "SELECT owner, count(*) FROM pgsrc.hosts GROUP BY owner");
      assertTrue(plan.contains("JdbcAggregate(group=[{2}]"), plan);
    }
  }

  @Test
  void joinsWithLumaTables() throws Exception {
    try (Connection c = connect()) {
      String sql = "SELECT h.owner, avg(c.usage) FROM pgsrc.hosts h JOIN cpu c ON c.host = h.name"
          + " GROUP BY 1 ORDER BY 1";
      assertEquals(List.of("alice|30", "bob|70"), rows(c, sql));
      String plan = explain(c, sql);
      // Only the columns the join needs leave PostgreSQL; the LumaDB scan reads two columns.
      assertTrue(plan.contains("JdbcProject(name=[$1], owner=[$2])"), plan);
      assertTrue(plan.contains("LumaScan(table=[[public, cpu]], columns=[[1, 2]])"), plan);
      // Filters on each side go to that side's scan.
      assertEquals(List.of("h1|30"), rows(c, """
          SELECT h.name, c.usage FROM pgsrc.hosts h JOIN cpu c ON c.host = h.name
          WHERE h.owner = 'alice' AND c.usage > 20 AND c.usage < 40"""));
    }
  }

  @Test
  void parametersArePassedToTheSource() throws Exception {
    try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
        "SELECT name FROM pgsrc.hosts WHERE cores >= ? AND owner = ? ORDER BY name")) {
      ps.setLong(1, 8);
      ps.setString(2, "alice");
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(List.of("h2"), rows(rs));
      }
      ps.setLong(1, 1);
      try (ResultSet rs = ps.executeQuery()) {
        assertEquals(List.of("h1", "h2"), rows(rs));
      }
    }
  }

  @Test
  void federatedSchemasAreReadOnly() throws Exception {
    try (Connection c = connect()) {
      for (String sql : List.of(
          "INSERT INTO pgsrc.hosts (id, name) VALUES (9, 'h9')",
          "CREATE TABLE pgsrc.t (a int)",
          "DROP TABLE pgsrc.hosts",
          "ALTER TABLE pgsrc.hosts ADD COLUMN x int",
          "CREATE VIEW pgsrc.v AS SELECT 1",
          "DELETE FROM pgsrc.hosts WHERE id = 1",
          "UPDATE pgsrc.hosts SET owner = 'eve'")) {
        SQLException e = fails(c, sql);
        assertEquals("0A000", e.getSQLState(), sql + ": " + e.getMessage());
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
      }
      assertEquals(List.of("4"), rows(c, "SELECT count(*) FROM pgsrc.hosts"));
    }
  }

  @Test
  void catalogListsTheSchemas() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("badlogin", "down", "pgsrc"), rows(c,
          "SELECT nspname FROM pg_namespace WHERE nspname IN ('pgsrc', 'down', 'badlogin') ORDER BY 1"));
      assertEquals(List.of("pgsrc"), rows(c,
          "SELECT schema_name FROM information_schema.schemata WHERE schema_name = 'pgsrc'"));
    }
  }

  @Test
  void catalogListsTheSourcesTablesAsForeignTables() throws Exception {
    try (Connection c = connect()) {
      // The source's index hosts_pkey is not listed; the unreachable sources list nothing.
      assertEquals(List.of("pgsrc|hosts|f|7", "pgsrc|measures|f|8"), rows(c,
          "SELECT n.nspname, c.relname, c.relkind, c.relnatts FROM pg_class c"
              + " JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE n.nspname IN ('pgsrc', 'down', 'badlogin') ORDER BY 2"));
      assertEquals(List.of("id|int4|t", "name|text|t", "owner|text|f", "cores|int8|f", "price|numeric|f",
          "created|timestamp|f", "active|bool|f"), rows(c,
          "SELECT a.attname, t.typname, a.attnotnull FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid"
              + " WHERE a.attrelid = 'pgsrc.hosts'::regclass ORDER BY a.attnum"));
      assertEquals(List.of("hosts|FOREIGN", "measures|FOREIGN"), rows(c,
          "SELECT table_name, table_type FROM information_schema.tables WHERE table_schema = 'pgsrc' ORDER BY 1"));
      assertEquals(List.of("pgsrc|pgsrc|lumadb_jdbc"), rows(c,
          "SELECT n.nspname, s.srvname, w.fdwname FROM pg_foreign_table f"
              + " JOIN pg_foreign_server s ON s.oid = f.ftserver JOIN pg_foreign_data_wrapper w ON w.oid = s.srvfdw"
              + " JOIN pg_class c ON c.oid = f.ftrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
              + " WHERE c.relname = 'hosts'"));
      // The same table keeps its OID in another session.
      String oid = rows(c, "SELECT 'pgsrc.hosts'::regclass::oid").get(0);
      try (Connection other = connect()) {
        assertEquals(List.of(oid), rows(other, "SELECT 'pgsrc.hosts'::regclass::oid"));
      }
      var md = c.getMetaData();
      try (ResultSet rs = md.getTables(null, "pgsrc", "%", null)) {
        List<String> tables = new java.util.ArrayList<>();
        while (rs.next()) {
          tables.add(rs.getString("TABLE_NAME") + "|" + rs.getString("TABLE_TYPE"));
        }
        assertEquals(List.of("hosts|FOREIGN TABLE", "measures|FOREIGN TABLE"), tables);
      }
      try (ResultSet rs = md.getColumns(null, "pgsrc", "hosts", "price")) {
        assertTrue(rs.next());
        assertEquals("numeric", rs.getString("TYPE_NAME"));
      }
    }
  }

  @Test
  void psqlDescribesForeignTables() throws Exception {
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/psql")), "psql is not installed");
    ProcessBuilder pb = new ProcessBuilder("/usr/bin/psql", "-X", "-h", "127.0.0.1", "-p",
        String.valueOf(server.pgPort()), "-U", "lumadb", "-d", "default", "-c", "\\dE pgsrc.*",
        "-c", "\\d pgsrc.hosts").redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", "lumadb");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), out);
    assertEquals("""
                     List of relations
         Schema |   Name   |     Type      | Owner \s
        --------+----------+---------------+--------
         pgsrc  | hosts    | foreign table | lumadb
         pgsrc  | measures | foreign table | lumadb
        (2 rows)

                                     Foreign table "pgsrc.hosts"
         Column  |            Type             | Collation | Nullable | Default | FDW options\s
        ---------+-----------------------------+-----------+----------+---------+-------------
         id      | integer                     |           | not null |         |\s
         name    | text                        |           | not null |         |\s
         owner   | text                        |           |          |         |\s
         cores   | bigint                      |           |          |         |\s
         price   | numeric                     |           |          |         |\s
         created | timestamp without time zone |           |          |         |\s
         active  | boolean                     |           |          |         |\s
        Server: pgsrc

        """, out);
  }

  @Test
  void unreachableSourceFailsItsQueriesOnly() throws Exception {
    // The server started although this source was unreachable (a warning in the log).
    try (Connection c = connect()) {
      SQLException e = fails(c, "SELECT * FROM down.hosts");
      assertEquals("08001", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("federated schema \"down\"")
          && e.getMessage().contains("127.0.0.1:" + closedPort), e.getMessage());
      assertTrue(!e.getMessage().contains("connectTimeout"), "the URL's parameters stay out: " + e.getMessage());
      assertEquals(List.of("1"), rows(c, "SELECT 1"));
      assertEquals(List.of("5"), rows(c, "SELECT count(*) FROM cpu"));
    }
  }

  @Test
  void refusedLoginIsAConnectionError() throws Exception {
    try (Connection c = connect()) {
      SQLException e = fails(c, "SELECT * FROM badlogin.hosts");
      assertEquals("08001", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("federated schema \"badlogin\"")
          && e.getMessage().contains("\"nobody\""), e.getMessage());
      assertEquals(List.of("1"), rows(c, "SELECT 1"));
    }
  }

  @Test
  void sourceThatGoesAwayAndComesBack() throws Exception {
    try (Connection c = connect()) {
      assertEquals(List.of("4"), rows(c, "SELECT count(*) FROM pgsrc.hosts")); // pooled connections exist
      pg.stop();
      try {
        SQLException e = fails(c, "SELECT count(*) FROM pgsrc.hosts");
        assertTrue(e.getSQLState().startsWith("08"), e.getSQLState() + " " + e.getMessage());
        assertTrue(e.getMessage().contains("pgsrc"), e.getMessage());
        assertEquals(List.of("5"), rows(c, "SELECT count(*) FROM cpu"));
      } finally {
        pg.restart();
      }
      assertEquals(List.of("4"), rows(c, "SELECT count(*) FROM pgsrc.hosts"));
    }
  }
}
