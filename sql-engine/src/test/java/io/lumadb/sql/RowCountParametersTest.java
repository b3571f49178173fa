package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.calcite.sql.type.SqlTypeName;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LIMIT, OFFSET and FETCH take parameters a client declares as integers (pgjdbc's setInt), and a
 * negative one fails as in PostgreSQL: 2201W for LIMIT and FETCH, 2201X for OFFSET, whichever
 * operator (LumaDB's sort, the top-N in the scan, Calcite's limit) runs it.
 */
class RowCountParametersTest extends SessionTestBase {
  static final List<SqlTypeName> INTS = List.of(SqlTypeName.INTEGER, SqlTypeName.INTEGER);

  @BeforeEach
  void load() throws Exception {
    open(false);
    command("CREATE TABLE t (i INTEGER)");
    command("INSERT INTO t SELECT g.i FROM generate_series(1, 10) AS g(i)");
  }

  int count(String sql, Object... params) {
    try (PreparedQuery p = session.prepare(sql, INTS.subList(0, params.length));
        StatementResult r = p.execute(List.of(params))) {
      return ResultValues.of((StatementResult.Rows) r).size();
    }
  }

  String failure(String sql, Object... params) {
    try (PreparedQuery p = session.prepare(sql, INTS.subList(0, params.length))) {
      return assertThrows(LumaException.class, () -> p.execute(List.of(params)).close()).sqlState();
    }
  }

  @Test
  void declaredIntegerRowCounts() {
    assertEquals(2, count("SELECT i FROM t ORDER BY i LIMIT $1", 2));
    assertEquals(2, count("SELECT i FROM t LIMIT $1 OFFSET $2", 2, 1));
    assertEquals(1, count("SELECT i FROM t ORDER BY i LIMIT $1 OFFSET $2", 5, 9));
    assertEquals(3, count("SELECT i FROM t ORDER BY i FETCH FIRST $1 ROWS ONLY", 3));
    assertEquals(2, count("SELECT i FROM (VALUES (1), (2), (3)) v(i) LIMIT $1", 2));
  }

  @Test
  void negativeRowCountsFail() {
    assertEquals("2201W", failure("SELECT i FROM t ORDER BY i LIMIT $1", -1));
    assertEquals("2201W", failure("SELECT i FROM t LIMIT $1", -1));
    assertEquals("2201W", failure("SELECT i FROM (VALUES (1), (2)) v(i) LIMIT $1", -1));
    assertEquals("2201W", failure("SELECT i FROM t ORDER BY i FETCH NEXT $1 ROWS ONLY", -5));
    assertEquals("2201X", failure("SELECT i FROM t ORDER BY i LIMIT $1 OFFSET $2", 1, -1));
    assertEquals(10, count("SELECT i FROM t ORDER BY i OFFSET $1", 0)); // zero is fine
  }
}
