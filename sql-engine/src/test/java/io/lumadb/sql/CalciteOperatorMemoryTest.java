package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rows Calcite's own operators keep whole count against the per-query memory limit
 * (MemoryMeter): a hash join's build side, a window's input, a distinct UNION. Past the limit the
 * statement fails with E002 / 53400, every byte is given back, and the session goes on; under a
 * larger limit the same statements run, and their memory is given back when their result closes.
 */
class CalciteOperatorMemoryTest extends SessionTestBase {
  static final List<String> KEEPING_WHOLE = List.of(
      "SELECT count(*) FROM big a FULL JOIN big b ON a.id = b.id + 1", // a hash join
      "SELECT id, row_number() OVER (ORDER BY pad) FROM big",
      "SELECT count(*) FROM (SELECT pad FROM big UNION SELECT pad || 'x' FROM big) u");

  @BeforeEach
  void load() throws Exception {
    open(false);
    command("CREATE TABLE big (id INTEGER, pad TEXT)");
    command("INSERT INTO big SELECT i, 'row ' || CAST(i AS VARCHAR) FROM generate_series(1, 60000) AS g(i)");
  }

  @Test
  void calcitesOperatorsOverTheLimitFailAndGiveTheMemoryBack() {
    engine.setQueryMemoryLimit(1 << 20);
    for (String sql : KEEPING_WHOLE) {
      assertTrue(rows("EXPLAIN " + sql).toString().contains("LumaMemoryMeter"), rows("EXPLAIN " + sql).toString());
      LumaException e = error(sql);
      assertEquals("53400", e.sqlState(), sql);
      assertTrue(e.getMessage().startsWith("E002") && e.getMessage().contains("query_memory_limit"), e.getMessage());
      assertEquals(0, engine.queryMemoryInUse(), "memory given back after " + sql);
    }
    // the session goes on: a join of few rows fits
    assertEquals(List.of(List.of(5L)), values("SELECT count(*) FROM (SELECT id FROM big WHERE id <= 4) a"
        + " FULL JOIN (SELECT id FROM big WHERE id <= 4) b ON a.id = b.id + 1"));
    assertEquals(0, engine.queryMemoryInUse());
  }

  @Test
  void underALargerLimitTheyRunAndGiveTheMemoryBackAtTheEnd() {
    engine.setQueryMemoryLimit(256 << 20);
    assertEquals(List.of(List.of(60001L)), values(KEEPING_WHOLE.get(0)));
    assertEquals(60000, values(KEEPING_WHOLE.get(1)).size());
    assertEquals(List.of(List.of(120000L)), values(KEEPING_WHOLE.get(2)));
    assertEquals(0, engine.queryMemoryInUse());
    // while a result is open, its statement holds the memory; closing the result gives it back
    try (StatementResult r = session.execute(KEEPING_WHOLE.get(1))) {
      assertTrue(((StatementResult.Rows) r).cursor().next());
      assertTrue(engine.queryMemoryInUse() > 60000L * 40, "held: " + engine.queryMemoryInUse());
    }
    assertEquals(0, engine.queryMemoryInUse());
  }
}
