package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Result column names as PostgreSQL gives them: ?column? for an unnamed expression. */
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
    try (PreparedQuery p = session.prepare("SELECT i + $1 FROM t", List.of())) { // the extended protocol
      assertEquals("?column?", p.columns().get(0).name());
    }
  }
}
