package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.lumadb.storage.ColumnType;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** bytea, json/jsonb and numeric columns through SQL: input, output, operators, errors. */
class NewColumnTypesSessionTest extends SessionTestBase {
  @BeforeEach
  void setUp() throws Exception {
    open(false);
  }

  private void run(String sql) {
    session.execute(sql).close();
  }

  private static String state(Runnable r) {
    return assertThrows(LumaException.class, r::run).sqlState();
  }

  @Test
  void bytea() {
    run("CREATE TABLE b (id INT, v BYTEA)");
    run("INSERT INTO b VALUES (1, '\\x00ff10'), (2, 'a\\\\b\\001'), (3, NULL), (4, '\\xDE AD')");
    run("INSERT INTO b SELECT id + 10, v FROM b WHERE id = 1");
    List<List<Object>> r = values("SELECT id, v FROM b ORDER BY id");
    assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, (byte[]) r.get(0).get(1));
    assertArrayEquals(new byte[] {'a', '\\', 'b', 1}, (byte[]) r.get(1).get(1));
    assertEquals(null, r.get(2).get(1));
    assertArrayEquals(new byte[] {(byte) 0xde, (byte) 0xad}, (byte[]) r.get(3).get(1));
    assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, (byte[]) r.get(4).get(1));
    assertEquals(List.of(List.of(1), List.of(11)), values("SELECT id FROM b WHERE v = '\\x00ff10'::bytea ORDER BY id"));
    assertEquals("22023", state(() -> run("INSERT INTO b VALUES (5, '\\xzz')")));
    assertEquals(5L, ((Number) values("SELECT count(*) FROM b").get(0).get(0)).longValue());
    assertEquals(SqlTypeName.VARBINARY, columns("SELECT v FROM b").get(0).type());
  }

  @Test
  void jsonAndJsonb() {
    run("CREATE TABLE j (id INT, a JSON, b JSONB)");
    run("INSERT INTO j VALUES (1, '{\"k\" : \"v\", \"n\": [1, {\"x\": 2}]}', '{\"z\": 1, \"a\": 1.50, \"a\": 2e2, \"s\": \"q\\\"\"}')");
    run("INSERT INTO j VALUES (2, '[10, 20, 30]', '[]'), (3, NULL, 'null')");
    assertEquals(List.of(Arrays.asList("{\"k\" : \"v\", \"n\": [1, {\"x\": 2}]}", "{\"a\": 200, \"s\": \"q\\\"\", \"z\": 1}")),
        values("SELECT a, b FROM j WHERE id = 1"));
    assertEquals(List.of(Arrays.asList("\"v\"", "v", "{\"x\": 2}", "2", "200")),
        values("SELECT a -> 'k', a->>'k', a->'n'->1, a->'n'->1->>'x', b->>'a' FROM j WHERE id = 1"));
    assertEquals(List.of(Arrays.asList("30", "10", null, null)),
        values("SELECT a ->> -1, a->>0, a->>5, a->>'k' FROM j WHERE id = 2"));
    assertEquals(List.of(List.of(1)), values("SELECT id FROM j WHERE a->>'k' = 'v'"));
    assertEquals(List.of(List.of(1)), values("SELECT id FROM j WHERE b @> '{\"z\": 1}'"));
    assertEquals(List.of(List.of(1)), values("SELECT id FROM j WHERE '{\"s\": \"q\\\"\"}' <@ b"));
    assertEquals("22P02", state(() -> run("INSERT INTO j VALUES (4, '{\"k\": }', NULL)")));
    assertEquals("22P02", state(() -> run("INSERT INTO j VALUES (4, NULL, '[1, 2')")));
    assertEquals(3L, ((Number) values("SELECT count(*) FROM j").get(0).get(0)).longValue());
    assertEquals(List.of(List.of("{\"a\": 1, \"b\": 2}")), values("SELECT '{\"b\":2,\"a\":1}'::jsonb"));
    assertEquals("22P02", state(() -> values("SELECT 'nope'::json")));
    List<ResultColumn> cols = columns("SELECT a, b, a->'k', a->>'k' FROM j");
    assertEquals(List.of("JSON", "JSONB", "JSON", "VARCHAR"), cols.stream().map(ResultColumn::typeName).toList());
    assertEquals(ColumnType.JSON_PRECISION, cols.get(0).precision());
  }

  @Test
  void numeric() {
    run("CREATE TABLE n (id INT, p NUMERIC(5, 2), u NUMERIC, d DECIMAL(3))");
    run("INSERT INTO n VALUES (1, 1.005, 1.50, 2.5)");
    run("INSERT INTO n VALUES (2, '-999.994', '12345678901234567890.123456789012345678901', -3.5)");
    run("INSERT INTO n VALUES (3, NULL, 0.1::numeric, NULL)");
    // wider than Calcite's DECIMAL: read as text, exactly
    run("CREATE TABLE wide (id INT, u NUMERIC)");
    run("INSERT INTO wide VALUES (4, 0.000123456789012345678901), (5, -123456789012345678901234567890123456789.5)");
    assertEquals(List.of(List.of(new BigDecimal("0.000123456789012345678901")),
        List.of(new BigDecimal("-123456789012345678901234567890123456789.5"))),
        values("SELECT u FROM wide ORDER BY id"));
    assertEquals(List.of(
        Arrays.asList(1, new BigDecimal("1.01"), new BigDecimal("1.50"), new BigDecimal("3")),
        Arrays.asList(2, new BigDecimal("-999.99"), new BigDecimal("12345678901234567890.123456789012345678901"), new BigDecimal("-4")),
        Arrays.asList(3, null, new BigDecimal("0.1"), null)),
        values("SELECT id, p, u, d FROM n ORDER BY id"));
    LumaException e = assertThrows(LumaException.class, () -> run("INSERT INTO n (p) VALUES (999.995)"));
    assertEquals("22003", e.sqlState());
    assertEquals("numeric field overflow", e.getMessage());
    assertEquals(List.of(List.of(1)), values("SELECT id FROM n WHERE p = 1.01"));
    assertEquals(List.of(List.of(2)), values("SELECT id FROM n WHERE p < 0"));
    assertEquals(List.of(List.of(new BigDecimal("-998.98"))), values("SELECT sum(p) FROM n"));
    assertEquals("0A000", state(() -> run("CREATE TABLE big (x NUMERIC(50, 2))")));
    assertEquals("22023", state(() -> run("CREATE TABLE big (x NUMERIC(0))")));
    ResultColumn p = columns("SELECT p FROM n").get(0);
    assertEquals(List.of(SqlTypeName.DECIMAL, 5, 2), List.of(p.type(), p.precision(), p.scale()));
  }

  private List<List<Object>> prepared(String sql, List<SqlTypeName> types, Object... params) {
    try (PreparedQuery q = session.prepare(sql, types);
        StatementResult r = q.execute(Arrays.asList(params))) {
      StatementResult.Rows rows = (StatementResult.Rows) r;
      List<List<Object>> out = new java.util.ArrayList<>();
      while (rows.cursor().next()) {
        out.add(java.util.Collections.singletonList(rows.cursor().get(0)));
      }
      return out;
    }
  }

  /** Parameters as the front ends decode them: bytea as byte[], numeric as BigDecimal. */
  @Test
  void parameters() {
    run("CREATE TABLE t (id INT, b BYTEA, jb JSONB, p NUMERIC(6, 3))");
    run("INSERT INTO t VALUES (1, '\\x0001', '{\"z\": 1}', -1.5)");
    assertEquals(List.of(List.of(1)), prepared("SELECT id FROM t WHERE b = $1",
        Arrays.asList((SqlTypeName) null), (Object) new byte[] {0, 1}));
    assertEquals(List.of(List.of(1)), prepared("SELECT id FROM t WHERE b = $1",
        List.of(SqlTypeName.VARBINARY), (Object) new byte[] {0, 1}));
    assertEquals(List.of(List.of(1)), prepared("SELECT id FROM t WHERE p < $1",
        List.of(SqlTypeName.DECIMAL), new BigDecimal("0")));
    assertEquals(List.of(List.of(1)), prepared("SELECT id FROM t WHERE jb ->> 'z' = $1",
        List.of(SqlTypeName.VARCHAR), "1"));
  }

  /** The example in README's types section. */
  @Test
  void readmeExample() {
    run("CREATE TABLE requests (ts TIMESTAMPTZ, attrs JSONB, body BYTEA, cost NUMERIC(12, 4))");
    run("INSERT INTO requests VALUES (now(), '{\"http\": {\"method\": \"GET\", \"status\": 200}}', '\\x1f8b', 0.00125)");
    run("INSERT INTO requests VALUES (now(), '{\"http\": {\"method\": \"GET\", \"status\": 500}}', NULL, 1)");
    assertEquals(List.of(List.of("GET", new BigDecimal("0.0013"))), values("""
        SELECT attrs -> 'http' ->> 'method' AS method, sum(cost) FROM requests
         WHERE attrs @> '{"http": {"status": 200}}' GROUP BY 1"""));
  }
}
