package io.lumadb.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * psql's meta-commands and pgjdbc's DatabaseMetaData against the real server. Both send the
 * catalog queries captured from PostgreSQL 15 in docs/research/pg-client-catalog-queries.md;
 * the answers must describe LumaDB's real tables.
 */
class PgCatalogClientsTest {
  @TempDir
  static Path dataDir;
  static LumaServer server;

  @BeforeAll
  static void start() throws Exception {
    server = TestServers.start(dataDir);
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE cpu (ts TIMESTAMP, host TEXT, usage DOUBLE PRECISION, cores INT)");
      s.execute("CREATE TABLE hosts (id BIGINT NOT NULL, name VARCHAR(32) NOT NULL, up BOOLEAN,"
          + " born DATE, load REAL, rack SMALLINT) WITH (ttl = '30d')");
      s.execute("CREATE TABLE metrics.node_load (ts TIMESTAMP NOT NULL, v DOUBLE PRECISION)");
      s.execute("INSERT INTO cpu VALUES ('2024-01-01 00:00:00', 'web-1', 12.5, 4),"
          + " ('2024-01-01 00:00:10', 'web-2', 80.25, 8)");
    }
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static Connection connect() throws Exception {
    Properties p = new Properties();
    p.setProperty("user", "lumadb");
    p.setProperty("password", "lumadb");
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + server.pgPort() + "/default", p);
  }

  /** Runs one psql meta-command as `psql -c`; returns what psql printed (stdout and stderr). */
  static String psql(String command) throws IOException, InterruptedException {
    return psql(command, 0);
  }

  static String psql(String command, int exitStatus) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("psql", "-X", "-h", "127.0.0.1", "-p",
        String.valueOf(server.pgPort()), "-U", "lumadb", "-d", "default", "-c", command)
        .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", "lumadb");
    pb.environment().put("PGCONNECT_TIMEOUT", "10");
    pb.environment().put("COLUMNS", "200");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("psql did not finish");
    }
    assertEquals(exitStatus, p.exitValue(), command + " printed:\n" + out);
    assertFalse(out.contains("ERROR"), command + " printed:\n" + out);
    return out;
  }

  static void hasLines(String output, String... lines) {
    List<String> printed = output.lines().toList();
    for (String line : lines) {
      assertTrue(printed.contains(line), "missing line \"" + line + "\" in:\n" + output);
    }
  }

  @Test
  void psqlListsDatabasesSchemasTablesRolesAndFunctions() throws Exception {
    hasLines(psql("\\l"),
        "  Name   | Owner  | Encoding | Collate | Ctype | ICU Locale | Locale Provider | Access privileges ",
        " default | lumadb | UTF8     | C       | C     |            | libc            | ",
        "(1 row)");
    hasLines(psql("\\dn"),
        " metrics | lumadb", " otel    | lumadb", " public  | lumadb", "(3 rows)");
    // \dt lists the tables found without a schema name: the search path is public, metrics, otel.
    hasLines(psql("\\dt"), " Schema  |   Name    | Type  | Owner  ",
        " metrics | node_load | table | lumadb", " public  | cpu       | table | lumadb",
        " public  | hosts     | table | lumadb", "(3 rows)");
    hasLines(psql("\\dt metrics.*"), " metrics | node_load | table | lumadb", "(1 row)");
    hasLines(psql("\\du"), " Role name |                  Attributes                   | Member of ",
        " lumadb    | Superuser, Create role, Create DB, Bypass RLS | {}");
    hasLines(psql("\\df"), " Schema | Name | Result data type | Argument data types | Type ",
        "(0 rows)");
  }

  @Test
  void psqlDescribesTables() throws Exception {
    hasLines(psql("\\d cpu"),
        "                          Table \"public.cpu\"",
        " Column |            Type             | Collation | Nullable | Default ",
        " ts     | timestamp without time zone |           |          | ",
        " host   | text                        |           |          | ",
        " usage  | double precision            |           |          | ",
        " cores  | integer                     |           |          | ");
    hasLines(psql("\\d hosts"),
        " id     | bigint   |           | not null | ",
        " name   | text     |           | not null | ",
        " up     | boolean  |           |          | ",
        " born   | date     |           |          | ",
        " load   | real     |           |          | ",
        " rack   | smallint |           |          | ");
    hasLines(psql("\\d+ hosts"),
        " Column |   Type   | Collation | Nullable | Default | Storage  | Compression | Stats target | Description ",
        " id     | bigint   |           | not null |         | plain    |             |              | ",
        " name   | text     |           | not null |         | extended |             |              | ",
        "Access method: lumadb",
        "Options: ttl=2592000");
    hasLines(psql("\\d+ cpu"), " host   | text                        |           |          |         | extended |             |              | ");
    hasLines(psql("\\d node_load"), "                       Table \"metrics.node_load\"");
    hasLines(psql("\\d metrics.node_load"),
        "                       Table \"metrics.node_load\"",
        " ts     | timestamp without time zone |           | not null | ",
        " v      | double precision            |           |          | ");
    // As with PostgreSQL, psql reports this as a failed command (exit status 1).
    hasLines(psql("\\d nosuch", 1), "Did not find any relation named \"nosuch\".");
    // The catalog describes itself too.
    hasLines(psql("\\dS pg_class"), "                     Table \"pg_catalog.pg_class\"",
        " relname             | name         |           |          | ");
    hasLines(psql("\\d pg_roles"), "                         View \"pg_catalog.pg_roles\"",
        " rolname        | name                     |           |          | ");
  }

  /** pgjdbc's getIndexInfo reads pg_index, pg_class, pg_am and pg_get_indexdef per key column. */
  @Test
  void pgjdbcIndexInfo() throws Exception {
    try (Connection c = connect(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE indexed (a INT, b TEXT, c DOUBLE PRECISION)");
      s.execute("CREATE UNIQUE INDEX indexed_key ON indexed (b, a DESC)");
      s.execute("CREATE INDEX indexed_c ON indexed (c)");
      try {
        DatabaseMetaData md = c.getMetaData();
        // ASC_OR_DESC: pgjdbc reads indoption[ordinal - 1] & 1 (int2vector subscripts start at 0).
        String[] cols = {"TABLE_NAME", "NON_UNIQUE", "INDEX_NAME", "ORDINAL_POSITION", "COLUMN_NAME",
            "ASC_OR_DESC"};
        assertEquals(List.of(
            List.of("indexed", false, "indexed_key", 1, "b", "A"),
            List.of("indexed", false, "indexed_key", 2, "a", "D"),
            List.of("indexed", true, "indexed_c", 1, "c", "A")),
            rows(md.getIndexInfo(null, "public", "indexed", false, true), cols));
        assertEquals(2, rows(md.getIndexInfo(null, "public", "indexed", true, true), cols).size());
      } finally {
        s.execute("DROP TABLE indexed");
      }
    }
  }

  static List<List<Object>> rows(ResultSet rs, String... columns) throws Exception {
    List<List<Object>> out = new ArrayList<>();
    try (rs) {
      while (rs.next()) {
        List<Object> row = new ArrayList<>();
        for (String c : columns) {
          row.add(rs.getObject(c));
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void pgjdbcSchemasAndTables() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of(List.of("default")), rows(md.getCatalogs(), "TABLE_CAT"));
      assertEquals(List.of(List.of("information_schema", "default"), List.of("metrics", "default"),
              List.of("otel", "default"), List.of("pg_catalog", "default"),
              List.of("public", "default")),
          rows(md.getSchemas(), "TABLE_SCHEM", "TABLE_CATALOG"));
      assertEquals(List.of(List.of("public")), rows(md.getSchemas(null, "public"), "TABLE_SCHEM"));
      assertEquals(List.of(List.of("default", "public", "cpu", "TABLE"),
              List.of("default", "public", "hosts", "TABLE")),
          rows(md.getTables(null, "public", "%", new String[] {"TABLE"}),
              "TABLE_CAT", "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"));
      assertEquals(List.of(List.of("metrics", "node_load"), List.of("public", "cpu"),
              List.of("public", "hosts")),
          rows(md.getTables(null, null, "%", new String[] {"TABLE", "VIEW"}),
              "TABLE_SCHEM", "TABLE_NAME"));
      assertEquals(List.of(List.of("pg_catalog", "pg_class", "SYSTEM TABLE")),
          rows(md.getTables(null, "pg_catalog", "pg_class", null),
              "TABLE_SCHEM", "TABLE_NAME", "TABLE_TYPE"));
      // _ is a wildcard unless escaped with the driver's search string escape.
      assertEquals(List.of(List.of("hosts")),
          rows(md.getTables(null, "public", "ho_ts", null), "TABLE_NAME"));
      assertEquals(List.of(),
          rows(md.getTables(null, "public", "ho" + md.getSearchStringEscape() + "_ts", null),
              "TABLE_NAME"));
    }
  }

  @Test
  void pgjdbcColumns() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      assertEquals(List.of(
              List.of("ts", Types.TIMESTAMP, "timestamp", 1, "YES"),
              List.of("host", Types.VARCHAR, "text", 2, "YES"),
              List.of("usage", Types.DOUBLE, "float8", 3, "YES"),
              List.of("cores", Types.INTEGER, "int4", 4, "YES")),
          rows(md.getColumns(null, "public", "cpu", "%"),
              "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "ORDINAL_POSITION", "IS_NULLABLE"));
      assertEquals(List.of(
              List.of("id", Types.BIGINT, "int8", DatabaseMetaData.columnNoNulls),
              List.of("name", Types.VARCHAR, "text", DatabaseMetaData.columnNoNulls),
              List.of("up", Types.BIT, "bool", DatabaseMetaData.columnNullable),
              List.of("born", Types.DATE, "date", DatabaseMetaData.columnNullable),
              List.of("load", Types.REAL, "float4", DatabaseMetaData.columnNullable),
              List.of("rack", Types.SMALLINT, "int2", DatabaseMetaData.columnNullable)),
          rows(md.getColumns(null, "public", "hosts", "%"),
              "COLUMN_NAME", "DATA_TYPE", "TYPE_NAME", "NULLABLE"));
      assertEquals(List.of(List.of("metrics", "node_load", "v", Types.DOUBLE)),
          rows(md.getColumns(null, "metrics", "node_load", "v"),
              "TABLE_SCHEM", "TABLE_NAME", "COLUMN_NAME", "DATA_TYPE"));
    }
  }

  @Test
  void pgjdbcKeysIndexesAndTypes() throws Exception {
    try (Connection c = connect()) {
      DatabaseMetaData md = c.getMetaData();
      // LumaDB has no primary keys, foreign keys or functions, and hosts no index: empty, not an error.
      assertEquals(List.of(), rows(md.getPrimaryKeys(null, "public", "hosts"), "COLUMN_NAME"));
      assertEquals(List.of(), rows(md.getPrimaryKeys(null, null, "hosts"), "COLUMN_NAME"));
      assertEquals(List.of(), rows(md.getIndexInfo(null, "public", "hosts", false, true), "INDEX_NAME"));
      assertEquals(List.of(), rows(md.getIndexInfo(null, "public", "hosts", true, false), "INDEX_NAME"));
      assertEquals(List.of(), rows(md.getImportedKeys(null, "public", "hosts"), "FK_NAME"));
      assertEquals(List.of(), rows(md.getExportedKeys(null, "public", "hosts"), "FK_NAME"));
      assertEquals(List.of(), rows(md.getFunctions(null, "public", "%"), "FUNCTION_NAME"));
      assertEquals(List.of(), rows(md.getBestRowIdentifier(null, "public", "hosts",
          DatabaseMetaData.bestRowSession, true), "COLUMN_NAME"));
      Map<String, Object> types = new TreeMap<>();
      for (List<Object> r : rows(md.getTypeInfo(), "TYPE_NAME", "DATA_TYPE")) {
        types.put((String) r.get(0), r.get(1));
      }
      for (Map.Entry<String, Integer> t : Map.of("int2", Types.SMALLINT, "int4", Types.INTEGER,
          "int8", Types.BIGINT, "float4", Types.REAL, "float8", Types.DOUBLE, "text", Types.VARCHAR,
          "bool", Types.BIT, "date", Types.DATE, "timestamp", Types.TIMESTAMP).entrySet()) {
        assertEquals(t.getValue(), ((Number) types.get(t.getKey())).intValue(), t.getKey());
      }
      assertEquals(Types.OTHER, ((Number) types.get("jsonb")).intValue(), "pgjdbc's type of jsonb");
      assertEquals(Types.NUMERIC, ((Number) types.get("numeric")).intValue());
      assertEquals(Types.BINARY, ((Number) types.get("bytea")).intValue());
    }
  }
}
