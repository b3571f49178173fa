package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
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
      assertEquals(rows(plain(sql)), rows(sql), sql);
      // a condition the kernels cannot evaluate is evaluated row by row, still in the scan
      String residual = sql.replace(" WHERE ", " WHERE abs(usage_user) >= 0 AND ");
      assertTrue(plan(residual).contains("LumaAggregateScan"), residual);
      assertEquals(rows(plain(sql)), rows(residual), residual);
    }
  }

  @Test
  void timeBucketKeys() {
    assertEquals(java.time.LocalDateTime.of(2000, 1, 3, 0, 0).toInstant(java.time.ZoneOffset.UTC).toEpochMilli(),
        io.lumadb.storage.calcite.AggregateScanRule.TIME_BUCKET_ORIGIN, "TimescaleDB's Monday 2000-01-03");
    for (String sql : List.of(
        "SELECT time_bucket('5 minutes', ts) AS b, hostname, max(usage_user), count(*) FROM cpu "
            + "GROUP BY time_bucket('5 minutes', ts), hostname ORDER BY b, hostname",
        "SELECT time_bucket('7 minutes', ts) AS b, avg(usage_user) FROM cpu WHERE hostname = 'host_2' "
            + "GROUP BY time_bucket('7 minutes', ts) ORDER BY b",
        "SELECT time_bucket(INTERVAL '7 days', ts) AS b, count(*) FROM cpu GROUP BY time_bucket(INTERVAL '7 days', ts) ORDER BY b",
        "SELECT time_bucket('90 seconds', ts, TIMESTAMP '2016-01-01 00:00:45') AS b, sum(usage_user) FROM cpu "
            + "GROUP BY time_bucket('90 seconds', ts, TIMESTAMP '2016-01-01 00:00:45') ORDER BY b")) {
      assertTrue(plan(sql).contains("LumaAggregateScan"), sql + "\n" + plan(sql));
      List<String> expected = rows(plain(sql));
      assertTrue(expected.size() > 0, sql);
      assertEquals(expected, rows(sql), sql);
    }
  }

  /** The query over a subquery with a LIMIT, which keeps Calcite's aggregation (nothing is pushed into the scan). */
  static String plain(String sql) {
    return sql.replace("FROM cpu", "FROM (SELECT * FROM cpu LIMIT 1000000000) c");
  }

  @Test
  void parametersOfAPreparedStatement() {
    String sql = "SELECT date_trunc('minute', ts) AS minute, hostname, max(usage_user), count(*) FROM cpu "
        + "WHERE hostname IN ($1, $2) AND ts >= $3 AND ts < $4 AND usage_user > $5 "
        + "GROUP BY date_trunc('minute', ts), hostname ORDER BY minute, hostname";
    String literal = sql.replace("$1", "'host_3'").replace("$2", "'host_7'")
        .replace("$3", "TIMESTAMP '2016-01-01 00:02:00'").replace("$4", "TIMESTAMP '2016-01-01 00:12:00'")
        .replace("$5", "20");
    List<String> expected = rows(plain(literal));
    assertTrue(expected.size() > 10, expected.toString());
    List<String> plans = new ArrayList<>();
    try (org.apache.calcite.runtime.Hook.Closeable h = org.apache.calcite.runtime.Hook.PLAN_BEFORE_IMPLEMENTATION
        .addThread((org.apache.calcite.rel.RelRoot root) -> plans.add(org.apache.calcite.plan.RelOptUtil.toString(root.rel)));
        PreparedQuery q = session.prepare(sql, List.of(org.apache.calcite.sql.type.SqlTypeName.VARCHAR,
            org.apache.calcite.sql.type.SqlTypeName.VARCHAR, org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP,
            org.apache.calcite.sql.type.SqlTypeName.TIMESTAMP, org.apache.calcite.sql.type.SqlTypeName.DOUBLE))) {
      assertTrue(String.join("\n", plans).contains("LumaAggregateScan"), plans.toString());
      List<Object> params = List.of("host_3", "host_7", java.time.LocalDateTime.parse("2016-01-01T00:02:00"),
          java.time.LocalDateTime.parse("2016-01-01T00:12:00"), 20.0);
      List<String> got = new ArrayList<>();
      try (StatementResult r = q.execute(params)) {
        for (List<Object> row : ResultValues.of((StatementResult.Rows) r)) {
          got.add(row.toString());
        }
      }
      assertEquals(expected, got);
    }
    assertTrue(plan(literal).contains("LumaAggregateScan"));
  }
}
