package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The session's real planner picks the scan's GROUP BY (LumaAggregateScan) for the shapes of
 * the TSBS queries, with their filters: in Calcite's Volcano planner the scan with the pushed
 * filter joins the input's set after the Aggregate, so a rule that looked only when the
 * Aggregate arrived missed every filtered query. The answers match the plain plan's.
 */
class AggregateInScanPlanTest extends SessionTestBase {
  @BeforeEach
  void load() throws Exception {
    open(false);
    session.execute("CREATE TABLE cpu (ts TIMESTAMP, hostname TEXT, usage_user DOUBLE PRECISION) "
        + "WITH (timestamp = 'ts')").close();
    session.execute("INSERT INTO cpu SELECT TIMESTAMP '2016-01-01 00:00:00' + (i / 10) * INTERVAL '10 seconds', "
        + "'host_' || CAST(MOD(i, 10) AS VARCHAR), MOD(i, 97) FROM generate_series(0, 9999) AS g(i)").close();
  }

  String plan(String sql) {
    return String.join("\n", rows("EXPLAIN " + sql));
  }

  @Test
  void filteredGroupBysRunInTheScan() {
    for (String sql : List.of(
        "SELECT date_trunc('minute', ts) AS minute, max(usage_user) FROM cpu WHERE hostname IN ('host_3') "
            + "AND ts >= '2016-01-01 00:02:00' AND ts < '2016-01-01 00:12:00' GROUP BY date_trunc('minute', ts) ORDER BY minute",
        "SELECT date_trunc('hour', ts) AS hour, max(usage_user) FROM cpu WHERE hostname IN ('host_1', 'host_2', 'host_5') "
            + "GROUP BY date_trunc('hour', ts) ORDER BY hour",
        "SELECT date_trunc('minute', ts) AS minute, hostname, avg(usage_user) FROM cpu "
            + "WHERE ts >= '2016-01-01 00:01:00' GROUP BY date_trunc('minute', ts), hostname ORDER BY minute, hostname",
        "SELECT hostname, count(*) FROM cpu WHERE usage_user > 50 GROUP BY hostname ORDER BY hostname")) {
      assertTrue(plan(sql).contains("LumaAggregateScan"), sql + "\n" + plan(sql));
      // The same query with a filter the scan cannot evaluate keeps Calcite's aggregation.
      String plain = sql.replace(" WHERE ", " WHERE abs(usage_user) >= 0 AND ");
      assertTrue(!plan(plain).contains("LumaAggregateScan"), plain);
      assertEquals(rows(plain), rows(sql), sql);
    }
  }
}
