package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * DISTINCT ON runs as LumaFirstRowScan (each group's first row kept while scanning) on the
 * session's planner, with the answers of Calcite's window (the same query over a subquery with a
 * LIMIT, which keeps the window): directions, NULLs in the order and in the keys, several keys,
 * filters the kernels evaluate and ones they do not, the hot segments of several parts
 * (one per INSERT), and an empty result. Orders are unique within a group, so the first row is
 * one row.
 */
class DistinctOnInScanTest extends SessionTestBase {
  @BeforeEach
  void load() throws Exception {
    open(false);
    command("CREATE TABLE cpu (ts TIMESTAMP, hostname TEXT, region TEXT, usage DOUBLE PRECISION, n INTEGER)"
        + " WITH (timestamp = 'ts')");
    for (int from = 0; from < 2000; from += 500) { // one segment per INSERT: the groups span parts
      insert(from, from + 499);
    }
  }

  void insert(int from, int to) {
    command("INSERT INTO cpu SELECT CASE WHEN MOD(i, 37) = 0 THEN NULL ELSE TIMESTAMP '2016-01-01 00:00:00' + i * INTERVAL '10 seconds' END, "
        + "CASE WHEN MOD(i, 23) = 0 THEN NULL ELSE 'host_' || CAST(MOD(i, 9) AS VARCHAR) END, "
        + "'r' || CAST(MOD(i, 2) AS VARCHAR), CAST(MOD(i * 7, 101) AS DOUBLE PRECISION) + i / 1000.0, i "
        + "FROM generate_series(" + from + ", " + to + ") AS g(i)");
  }

  String plan(String sql) {
    return String.join("\n", rows("EXPLAIN " + sql));
  }

  static String plain(String sql) {
    return sql.replace("FROM cpu", "FROM (SELECT * FROM cpu LIMIT 1000000000) c");
  }

  @Test
  void firstAndLastGroupInTheScan() {
    // TimescaleDB's first/last arrive as ARG_MIN/ARG_MAX(ARRAY[v], t): NULL times do not count,
    // NULL values do; groups span the parts of four INSERTs
    for (String sql : List.of(
        "SELECT hostname, first(n, ts), last(usage, ts), last(region, ts), count(*) FROM cpu GROUP BY hostname ORDER BY hostname",
        "SELECT date_trunc('hour', ts) AS h, last(hostname, ts), first(usage, ts) FROM cpu "
            + "WHERE usage > 10 GROUP BY date_trunc('hour', ts) ORDER BY h",
        "SELECT region, last(ts, ts), first(ts, ts) FROM cpu WHERE n < 0 GROUP BY region")) {
      assertTrue(plan(sql).contains("LumaAggregateScan"), sql + "\n" + plan(sql));
      assertEquals(rows(plain(sql)), rows(sql), sql);
    }
  }

  @Test
  void sameRowsAsTheWindow() {
    for (String sql : List.of(
        "SELECT DISTINCT ON (hostname) * FROM cpu ORDER BY hostname, ts DESC",
        "SELECT DISTINCT ON (hostname) hostname, ts, usage FROM cpu ORDER BY hostname, ts",
        "SELECT DISTINCT ON (hostname) hostname, n FROM cpu ORDER BY hostname, ts DESC NULLS LAST",
        "SELECT DISTINCT ON (region, hostname) region, hostname, usage, ts FROM cpu ORDER BY region, hostname, usage DESC",
        "SELECT DISTINCT ON (hostname) * FROM cpu WHERE ts >= TIMESTAMP '2016-01-01 01:00:00' AND region = 'r1' "
            + "ORDER BY hostname, ts DESC",
        "SELECT DISTINCT ON (hostname) hostname, ts FROM cpu WHERE usage + n > 500 ORDER BY hostname, ts DESC",
        "SELECT DISTINCT ON (hostname) * FROM cpu WHERE n < 0 ORDER BY hostname, ts DESC")) {
      assertTrue(plan(sql).contains("LumaFirstRowScan"), sql + "\n" + plan(sql));
      assertFalse(plan(plain(sql)).contains("LumaFirstRowScan"), plain(sql));
      List<String> expected = rows(plain(sql));
      assertEquals(expected, rows(sql), sql);
      if (!sql.contains("n < 0")) {
        assertTrue(expected.size() > 1, sql);
      }
    }
  }
}
