package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Result column names as PostgreSQL gives them: ?column? for an unnamed expression, a function's
 * name, a cast's operand's name, "case".
 */
class ColumnNamesTest extends SessionTestBase {
  @Test
  void unnamedExpressionsAreQuestionColumn() throws Exception {
    open(false);
    command("CREATE TABLE t (i INTEGER, s TEXT)");
    command("INSERT INTO t VALUES (1, 'a')");
    assertEquals(List.of("?column?", "upper", "i", "?column?", "x"),
        columns("SELECT i + 1, upper(s), i, s || 'b', i * 2 AS x FROM t").stream().map(ResultColumn::name).toList());
    assertEquals(List.of("count", "max", "?column?"),
        columns("SELECT count(*), max(i), sum(i) + 1 FROM t").stream().map(ResultColumn::name).toList());
    // a cast is named after what it casts, a CASE is "case" (as PostgreSQL's FigureColname)
    assertEquals(List.of("i", "s", "count", "upper", "i", "case", "?column?"),
        columns("SELECT i::text, CAST(t.s AS VARCHAR(3)), count(*)::int, upper(s)::text, i::bigint::text,"
            + " CASE WHEN i > 0 THEN 1 END, (i + 1)::text FROM t GROUP BY i, s").stream().map(ResultColumn::name).toList());
    // a window function after its function (percent_rank is rewritten, its name stays)
    assertEquals(List.of("row_number", "percent_rank", "cume_dist"), columns("SELECT row_number() OVER (ORDER BY i),"
        + " percent_rank() OVER (ORDER BY i), cume_dist() OVER (PARTITION BY s) FROM t").stream().map(ResultColumn::name).toList());
    // the same name twice, as PostgreSQL allows
    assertEquals(List.of("i", "i"), columns("SELECT i, i::text FROM t").stream().map(ResultColumn::name).toList());
    // and an outer query reads it by that name
    assertEquals(List.of(List.of("1")), values("SELECT i FROM (SELECT i::text FROM t) x"));
    try (PreparedQuery p = session.prepare("SELECT i + $1 FROM t", List.of())) { // the extended protocol
      assertEquals("?column?", p.columns().get(0).name());
    }
  }
}
