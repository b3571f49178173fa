package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rows Calcite's own operators keep whole count against the per-query memory limit
 * (MemoryMeter): a hash join's build side, a window's input, a distinct UNION, the groups of a
 * hash aggregate. Past the limit the statement fails with E002 / 53400, every byte is given back,
 * and the session goes on; under a larger limit the same statements run, and their memory is
 * given back when their result closes.
 */
class CalciteOperatorMemoryTest extends SessionTestBase {
  static final List<String> KEEPING_WHOLE = List.of(
      "SELECT count(*) FROM big a FULL JOIN big b ON a.id = b.id + 1", // a hash join
      "SELECT id, row_number() OVER (ORDER BY pad) FROM big",
      "SELECT count(*) FROM (SELECT pad FROM big UNION SELECT pad || 'x' FROM big) u",
      // Calcite's hash aggregate (the scan's GROUP BY takes no expression key): its groups count
      "SELECT count(*) FROM (SELECT pad || 'x', count(*) FROM big GROUP BY pad || 'x') g");

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
    assertEquals(List.of(List.of(60000L)), values(KEEPING_WHOLE.get(3)));
    assertEquals(0, engine.queryMemoryInUse());
    // a GROUP BY of few groups over many rows counts its groups, not its rows
    try (StatementResult r = session.execute("SELECT pad || 'x', count(*) FROM big WHERE id % 1000 = 0 GROUP BY pad || 'x'"
        + " UNION ALL SELECT CAST(id % 3 AS VARCHAR), count(*) FROM big GROUP BY CAST(id % 3 AS VARCHAR)")) {
      assertTrue(((StatementResult.Rows) r).cursor().next());
      long held = engine.queryMemoryInUse();
      assertTrue(held > 0 && held <= 2 << 20, "held: " + held); // 60,000 rows would be ~12 MiB
    }
    // while a result is open, its statement holds the memory; closing the result gives it back
    try (StatementResult r = session.execute(KEEPING_WHOLE.get(1))) {
      assertTrue(((StatementResult.Rows) r).cursor().next());
      assertTrue(engine.queryMemoryInUse() > 60000L * 40, "held: " + engine.queryMemoryInUse());
    }
    assertEquals(0, engine.queryMemoryInUse());
  }
}
