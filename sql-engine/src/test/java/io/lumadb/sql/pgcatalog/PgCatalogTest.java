package io.lumadb.sql.pgcatalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.sql.LumaException;
import io.lumadb.sql.PreparedQuery;
import io.lumadb.sql.Session;
import io.lumadb.sql.SqlEngine;
import io.lumadb.sql.StatementResult;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** pg_catalog and information_schema describe the storage engine's real tables. */
class PgCatalogTest {
  private StorageEngine storage;
  private SqlEngine engine;
  private Session session;

  @BeforeEach
  void setUp() {
    storage = new StorageEngine(StorageConfig.DEFAULTS.withSealRows(2));
    engine = new SqlEngine(storage, new PrometheusRegistry());
    session = engine.openSession("lumadb", "test", Map.of());
    run("CREATE TABLE cpu (ts TIMESTAMP, host TEXT, usage DOUBLE PRECISION, cores INT)");
    run("CREATE TABLE hosts (id BIGINT NOT NULL, name VARCHAR(32) NOT NULL, up BOOLEAN)"
        + " WITH (ttl = '30d')");
    run("CREATE TABLE metrics.node_load (ts TIMESTAMP NOT NULL, v DOUBLE PRECISION)");
    run("INSERT INTO cpu VALUES ('2024-01-01 00:00:00', 'a', 1.5, 2), ('2024-01-01 00:00:10', 'b', 2.5, 4),"
        + " ('2024-01-01 00:00:20', 'c', 3.5, 8)");
  }

  @AfterEach
  void tearDown() {
    session.close();
    storage.close();
  }

  private void run(String sql) {
    session.execute(sql).close();
  }

  private List<List<Object>> rows(String sql, Object... params) {
    try (StatementResult r = session.execute(sql, Arrays.asList(params))) {
      return drain((StatementResult.Rows) r);
    }
  }

  private static List<List<Object>> drain(StatementResult.Rows rows) {
    return io.lumadb.sql.ResultValues.of(rows);
  }

  private Object value(String sql) {
    List<List<Object>> r = rows(sql);
    assertEquals(1, r.size(), sql);
    return r.get(0).get(0);
  }

  private int oid(String table) {
    return (Integer) value("SELECT '" + table + "'::regclass");
  }

  @Test
  void pgClassListsTheTablesOfEverySchema() {
    assertEquals(List.of(
            List.of("metrics", "node_load", "r", (short) 2, 0f, "lumadb"),
            List.of("public", "cpu", "r", (short) 4, 3f, "lumadb"),
            List.of("public", "hosts", "r", (short) 3, 0f, "lumadb")),
        rows("""
            SELECT n.nspname, c.relname, c.relkind, c.relnatts, c.reltuples,
                   pg_catalog.pg_get_userbyid(c.relowner)
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"""));
    // Unqualified names search public, metrics, otel: all three tables are visible.
    assertEquals(List.of(List.of("metrics", "node_load", "table"), List.of("public", "cpu", "table"),
            List.of("public", "hosts", "table")),
        rows("""
            SELECT n.nspname, c.relname, CASE c.relkind WHEN 'r' THEN 'table' END
            FROM pg_catalog.pg_class c LEFT JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r','p','') AND n.nspname <> 'pg_catalog'
              AND n.nspname !~ '^pg_toast' AND n.nspname <> 'information_schema'
              AND pg_catalog.pg_table_is_visible(c.oid)
            ORDER BY 1, 2"""));
    assertEquals(List.of(List.of("ttl=2592000")),
        rows("SELECT pg_catalog.array_to_string(reloptions, ', ') FROM pg_class WHERE relname = 'hosts'"));
  }

  @Test
  void oidsComeFromTableIdsAndStayTheSame() {
    int cpu = oid("cpu");
    int hosts = oid("hosts");
    assertTrue(cpu >= Oids.FIRST_USER_OID && hosts >= Oids.FIRST_USER_OID);
    assertNotEquals(cpu, hosts);
    assertEquals(cpu, value("SELECT oid FROM pg_class WHERE relname = 'cpu'"));
    try (Session other = engine.openSession("lumadb", "test", Map.of());
        StatementResult r = other.execute("SELECT 'cpu'::regclass")) {
      assertEquals(List.of(List.of(cpu)), drain((StatementResult.Rows) r));
    }
    // A table dropped and created again is a new relation with a new OID.
    run("DROP TABLE cpu");
    assertEquals(List.of(), rows("SELECT oid FROM pg_class WHERE relname = 'cpu'"));
    assertEquals(List.of(), rows("SELECT attname FROM pg_attribute WHERE attrelid = " + cpu));
    run("CREATE TABLE cpu (x INT)");
    assertNotEquals(cpu, oid("cpu"));
    assertEquals(List.of(List.of("x", "integer")),
        rows("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            + " WHERE attrelid = 'cpu'::regclass AND attnum > 0"));
  }

  @Test
  void attributesHaveThePostgresTypesLumaDbSends() {
    assertEquals(List.of(
            List.of("id", (short) 1, 20, "bigint", true, ""),
            List.of("name", (short) 2, 25, "text", true, ""),
            List.of("up", (short) 3, 16, "boolean", false, "")),
        rows("""
            SELECT a.attname, a.attnum, a.atttypid, pg_catalog.format_type(a.atttypid, a.atttypmod),
                   a.attnotnull, a.attidentity
            FROM pg_catalog.pg_attribute a
            WHERE a.attrelid = 'hosts'::regclass AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum"""));
    assertEquals(List.of(List.of("ts", "timestamp without time zone"),
            List.of("host", "text"), List.of("usage", "double precision"),
            List.of("cores", "integer")),
        rows("SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute"
            + " WHERE attrelid = " + oid("cpu") + " ORDER BY attnum"));
    // Each table has its row type, as in PostgreSQL.
    assertEquals(List.of(List.of("cpu", "c", oid("cpu"))),
        rows("SELECT t.typname, t.typtype, t.typrelid FROM pg_type t JOIN pg_class c"
            + " ON c.reltype = t.oid WHERE c.relname = 'cpu'"));
  }

  @Test
  void regclassAndFriends() {
    int load = oid("metrics.node_load");
    assertEquals("node_load", value("SELECT c.oid::regclass FROM pg_class c WHERE c.oid = " + load));
    // metrics.cpu is hidden by public.cpu, so it is named with its schema.
    run("CREATE TABLE metrics.cpu (x INT)");
    int hidden = oid("metrics.cpu");
    assertNotEquals(oid("cpu"), hidden);
    assertEquals(List.of(List.of("metrics.cpu", false)), rows("SELECT c.oid::regclass,"
        + " pg_table_is_visible(c.oid) FROM pg_class c WHERE c.oid = " + hidden));
    assertEquals("cpu", value("SELECT c.oid::pg_catalog.regclass::pg_catalog.text FROM pg_class c"
        + " WHERE c.relname = 'cpu' AND c.relnamespace = 2200"));
    assertEquals(1259, value("SELECT 'pg_catalog.pg_class'::regclass"));
    assertEquals(1259, value("SELECT 'pg_class'::regclass"));
    assertEquals(23, value("SELECT 'integer'::regtype"));
    assertEquals("character varying", value("SELECT 1043::regtype::text"));
    assertEquals("pg_catalog", value("SELECT 11::regnamespace::text"));
    assertEquals(PgTypes.ARRAY_IN, value("SELECT 'pg_catalog.array_in'::regproc"));
    LumaException e = assertThrows(LumaException.class, () -> rows("SELECT 'nosuch'::regclass"));
    assertEquals("42P01", e.sqlState());
    assertEquals("E004: relation \"nosuch\" does not exist", e.getMessage());
  }

  @Test
  void sessionAndCatalogFunctions() {
    assertEquals(List.of(List.of("default", "lumadb", "lumadb", "public",
            List.of("public", "metrics", "otel", "pg_catalog"), List.of("public", "metrics", "otel"))),
        rows("SELECT current_database(), current_user, session_user, current_schema,"
            + " pg_catalog.current_schemas(true), current_schemas(false)"));
    assertEquals("default", value("select current_catalog"));
    assertTrue(((String) value("SELECT version()")).startsWith("PostgreSQL 15"));
    assertEquals(List.of(List.of("character varying(32)", "numeric(10,2)", "text[]", "\"char\"", "???")),
        rows("SELECT format_type(1043, 36), format_type(1700, 655366), format_type(1009, NULL),"
            + " format_type(18, -1), format_type(999999, NULL)"));
    assertEquals(List.of(List.of(true, true, true, true)),
        rows("SELECT pg_table_is_visible('cpu'::regclass), pg_table_is_visible('metrics.node_load'::regclass),"
            + " pg_table_is_visible('pg_type'::regclass), pg_type_is_visible(23)"));
    assertEquals(List.of(List.of("\"Foo\"", "foo", "\"select\"", "a, b", "UTF8")),
        rows("SELECT quote_ident('Foo'), quote_ident('foo'), quote_ident('select'),"
            + " array_to_string(ARRAY['a', 'b'], ', '), pg_encoding_to_char(6)"));
    assertEquals(List.of(Arrays.asList(null, null, null, true, "8192 bytes", "10 kB", "public, metrics, otel")),
        rows("SELECT obj_description(1259, 'pg_class'), col_description(1259, 1),"
            + " pg_get_indexdef(1, 0, true), has_table_privilege('cpu', 'SELECT'),"
            + " pg_size_pretty(8192), pg_size_pretty(10240), current_setting('search_path')"));
    assertTrue((Long) value("SELECT pg_table_size('cpu')") > 0);
    assertEquals(List.of(List.of(1), List.of(2), List.of(3)),
        rows("SELECT s FROM generate_series(1, 3) s"));
  }

  @Test
  void featuresLumaDbDoesNotHaveAreEmpty() {
    for (String t : List.of("pg_index", "pg_constraint", "pg_attrdef",
        "pg_inherits", "pg_trigger", "pg_rewrite", "pg_policy", "pg_proc", "pg_sequence",
        "pg_extension", "pg_statistic_ext", "pg_publication", "pg_depend",
        "information_schema.key_column_usage", "information_schema.referential_constraints")) {
      assertEquals(List.of(), rows("SELECT * FROM " + t), t);
    }
  }

  @Test
  void informationSchema() {
    assertEquals(List.of(
            List.of("id", 1, "NO", "bigint", 64),
            List.of("name", 2, "NO", "text", 1073741824),
            List.of("up", 3, "YES", "boolean", -1)),
        rows("""
            SELECT column_name, ordinal_position, is_nullable, data_type,
                   coalesce(numeric_precision, character_octet_length, -1)
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name = 'hosts' ORDER BY ordinal_position"""));
    assertEquals(List.of(List.of("metrics", "node_load", "BASE TABLE"),
            List.of("public", "cpu", "BASE TABLE"), List.of("public", "hosts", "BASE TABLE")),
        rows("SELECT table_schema, table_name, table_type FROM information_schema.tables"
            + " WHERE table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2"));
    assertEquals(List.of(List.of("VIEW")), rows("SELECT table_type FROM information_schema.tables"
        + " WHERE table_name = 'pg_roles'"));
    assertEquals(List.of(List.of("hosts", "CHECK"), List.of("hosts", "CHECK"),
            List.of("node_load", "CHECK")),
        rows("SELECT table_name, constraint_type FROM information_schema.table_constraints ORDER BY 1"));
    assertEquals(List.of("information_schema", "metrics", "otel", "pg_catalog", "public"),
        rows("SELECT schema_name FROM information_schema.schemata ORDER BY 1").stream()
            .map(r -> r.get(0)).toList());
  }

  // The statements psql 15, pgjdbc 42.7.14 and psycopg 3 send, verbatim, captured from a real
  // PostgreSQL 15 (docs/research/pg-client-catalog-queries.md section B; T01 is psql's tab
  // completion). Their OID literals named the capture's tables: cpu was 16384, hosts 16390.

  private String captured(String name) throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/pgcatalog/" + name + ".sql")) {
      String sql = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      if (sql.endsWith(";")) {
        sql = sql.substring(0, sql.length() - 1);
      }
      return sql.replace("16384", Integer.toString(oid("cpu")))
          .replace("16390", Integer.toString(oid("hosts")));
    }
  }

  /** Runs a captured statement as psql does (simple query) or pgjdbc (prepared, varchar params). */
  private List<List<Object>> runCaptured(String name, Object... params) throws IOException {
    String sql = captured(name);
    if (params.length == 0) {
      return rows(sql);
    }
    List<SqlTypeName> types = new ArrayList<>();
    for (Object p : params) {
      types.add(p instanceof String ? SqlTypeName.VARCHAR
          : p instanceof Long ? SqlTypeName.BIGINT : SqlTypeName.INTEGER);
    }
    try (PreparedQuery q = session.prepare(sql, types);
        StatementResult r = q.execute(Arrays.asList(params))) {
      return drain((StatementResult.Rows) r);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10",
      "P11", "P12", "P13", "P14", "P15", "P18", "P19", "P20", "P21", "P22", "P23", "P24", "P25",
      "P26", "P27", "P28", "P29", "P30", "P31", "P32", "P33", "P34", "P35", "P36", "P37", "P38",
      "P41", "T01", "J02", "J03", "J04", "J08", "J11", "J12", "J14"})
  void capturedStatementsWithoutParametersRun(String name) throws IOException {
    runCaptured(name);
  }

  @Test
  void psqlDescribeTable() throws IOException {
    int cpu = oid("cpu");
    assertEquals(List.of(List.of(cpu, "public", "cpu")), runCaptured("P04"));
    // psql's pattern for \\d node_load finds the table through the search path.
    assertEquals(List.of(List.of(oid("node_load"), "metrics", "node_load")),
        rows(captured("P04").replace("^(cpu)$", "^(node_load)$")));
    assertEquals(List.of(List.of(cpu, "public", "cpu")), runCaptured("P35"));
    assertEquals(List.of(Arrays.asList((short) 0, "r", false, false, false, false, false, false,
            false, "", 0, "", "p", "d", "lumadb")), runCaptured("P05"));
    assertEquals(List.of(
            Arrays.asList("ts", "timestamp without time zone", null, false, null, "", ""),
            Arrays.asList("host", "text", null, false, null, "", ""),
            Arrays.asList("usage", "double precision", null, false, null, "", ""),
            Arrays.asList("cores", "integer", null, false, null, "", "")),
        runCaptured("P06"));
    assertEquals(4, runCaptured("P14").size());
    for (String empty : List.of("P07", "P08", "P09", "P10", "P11", "P12")) {
      assertEquals(List.of(), runCaptured(empty), empty);
    }
    assertEquals(List.of(Arrays.asList("lumadb", true, true, true, true, true, -1, null, List.of(),
        false, true)), runCaptured("P18"));
    assertEquals(List.of(), runCaptured("P19"));
  }

  @Test
  void pgjdbcMetadataQueries() throws IOException {
    assertEquals(List.of(List.of("public", "default")), runCaptured("J05", "public"));
    assertEquals(List.of("cpu", "hosts"), runCaptured("J06", "public", "%").stream()
        .map(r -> r.get(2)).toList());
    assertTrue(runCaptured("J07", "%").stream().anyMatch(r -> r.get(2).equals("pg_class")
        && r.get(3).equals("SYSTEM TABLE")));
    assertEquals(List.of("node_load", "cpu", "hosts"), runCaptured("J31").stream()
        .map(r -> r.get(2)).toList());
    List<List<Object>> columns = runCaptured("J09", "public", "cpu", "%");
    assertEquals(List.of(Arrays.asList("default", "public", "cpu", "ts", 1114, false, -1, (short) 8, -1,
            1L, null, null, null, null, 0, "b"),
        Arrays.asList("default", "public", "cpu", "host", 25, false, -1, (short) -1, -1, 2L, null,
            null, null, null, 0, "b")), columns.subList(0, 2));
    assertEquals(3, runCaptured("J27", "public", "hosts").size());
    for (String empty : List.of("J10", "J13", "J33", "J34", "J15", "J16", "J17", "J18")) {
      assertEquals(List.of(), runCaptured(empty, "public", "hosts"), empty);
    }
    assertEquals(List.of(), runCaptured("J32", "hosts"));
    assertEquals(List.of(List.of(false, "b", "text", 25)), runCaptured("J28", 25L));
    assertEquals(List.of(List.of(true, "pg_catalog", "text")), runCaptured("J29", 25));
    assertEquals(List.of(List.of("text", 25, 1009, "text", ",")), runCaptured("Z07", "text"));
  }

  @Test
  void schemasHavePostgresCommentsAndNothingElseHasOne() {
    assertEquals(List.of(List.of(11, "system catalog schema"), List.of(2200, "standard public schema")),
        rows("SELECT objoid, description FROM pg_catalog.pg_description ORDER BY 1"));
    assertEquals("standard public schema", value("SELECT obj_description(2200, 'pg_namespace')"));
    assertEquals(null, value("SELECT obj_description(2200, 'pg_class')"));
    assertEquals(null, value("SELECT obj_description('cpu'::regclass, 'pg_class')"));
  }

  @Test
  void functionsBiToolsCall() {
    assertEquals(List.of("public", " metrics", " otel"),
        value("SELECT string_to_array(current_setting('search_path'), ',')"));
    assertEquals(List.of("public", "Cpu"), value("SELECT parse_ident('Public.\"Cpu\"')"));
    assertEquals("public.cpu \"A b\" 'it''s' NULL",
        value("SELECT format('%s.%I %I %L %L', 'public', 'cpu', 'A b', 'it''s', NULL)"));
    assertEquals(0L, value("SELECT pg_stat_get_numscans(1)"));
    // A set-returning function in the select list: one row per value, none for an empty array.
    assertEquals(List.of(List.of(1, 1), List.of(2, 1), List.of(2, 2)),
        rows("SELECT x, generate_series(1, x) AS i FROM (VALUES (1), (2), (0)) t(x) ORDER BY 1, 2"));
  }
}
