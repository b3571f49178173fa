package io.lumadb.storage.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageConfig;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Consumer;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.runtime.Hook;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scan's GROUP BY against Calcite's own: each query runs once with {@link AggregateScanRule}
 * and once without, over a table whose rows are in a Parquet file, sealed Arrow segments
 * (dictionary-coded text) and the active segment, with NULL keys and NULL values. The answers
 * must be equal, and the plan with the rule must use the scan's operator. NaN is compared with
 * PostgreSQL's rule (greater than every number), which Calcite's MAX does not follow.
 */
class AggregateScanTest {
  static final TableId T = new TableId("public", "m");
  static final TableId EMPTY = new TableId("public", "e");
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP), Column.of("host", ColumnType.VARCHAR),
      Column.of("v", ColumnType.DOUBLE), Column.of("n", ColumnType.BIGINT),
      Column.of("i", ColumnType.INTEGER), Column.of("ok", ColumnType.BOOLEAN),
      Column.of("r", ColumnType.REAL), Column.of("x", ColumnType.DOUBLE),
      Column.of("d", ColumnType.NUMERIC)));
  static final long T0 = 1_700_000_000_000L;

  @TempDir
  static Path dir;
  static StorageEngine storage;

  @BeforeAll
  static void load() throws Exception {
    storage = StorageEngine.open(dir, StorageConfig.DEFAULTS.withSealRows(500));
    storage.createTable(T, SCHEMA, false, "timestamp=ts");
    storage.createTable(EMPTY, SCHEMA, false, "timestamp=ts");
    LumaTable t = storage.table(T).orElseThrow();
    storage.append(t, rows(0, 1200));
    storage.flushAll(); // a Parquet file
    storage.append(t, rows(1200, 1100)); // sealed segments (500 rows each) and the active one
    assertTrue(t.hotRows() > 0);
  }

  @AfterAll
  static void close() {
    storage.close();
  }

  static ColumnBatch rows(int from, int count) {
    ColumnBatch b = new ColumnBatch(SCHEMA, count);
    String[] hosts = {"a", "b", "c", null};
    for (int k = from; k < from + count; k++) {
      Double v = k % 17 == 0 ? null : (k * 7 % 50) / 4.0;
      b.appendRow(new Object[] {k % 53 == 0 ? null : T0 + k * 7_000L, hosts[k % 4], v,
          k % 13 == 0 ? null : (long) (k * 31 % 1000) - 500, k % 11 == 0 ? null : k % 9,
          k % 5 == 0 ? null : k % 2 == 0, (float) (k % 3), k % 101 == 0 ? Double.NaN : (double) (k % 7),
          new java.math.BigDecimal(k % 3 == 0 ? "1.0" : "1.00")});
    }
    return b;
  }

  static Connection connect() throws Exception {
    Properties p = new Properties();
    p.setProperty("caseSensitive", "true");
    p.setProperty("unquotedCasing", "TO_LOWER");
    p.setProperty("quotedCasing", "UNCHANGED");
    p.setProperty("timeZone", "UTC");
    p.setProperty("fun", "standard,postgresql"); // as LumaDB's sessions (ARG_MIN/ARG_MAX for first/last)
    Connection c = new org.apache.calcite.jdbc.Driver().connect("jdbc:calcite:", p);
    c.unwrap(CalciteConnection.class).getRootSchema().add("public", new LumaSchema(storage, "public"));
    c.unwrap(CalciteConnection.class).setSchema("public");
    return c;
  }

  /** The query's rows (sorted, as text) and its plan, with or without the rule. */
  static List<String> run(String sql, boolean withRule, List<String> plan) throws Exception {
    Consumer<RelOptPlanner> add = planner -> AggregateScanRule.ALL.forEach(planner::addRule);
    try (Hook.Closeable h = withRule ? Hook.PLANNER.addThread(add) : Hook.Closeable.EMPTY;
        Connection c = connect(); Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("EXPLAIN PLAN FOR " + sql)) {
        while (rs.next()) {
          plan.add(rs.getString(1));
        }
      }
      List<String> out = new ArrayList<>();
      try (ResultSet rs = st.executeQuery(sql)) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          StringBuilder b = new StringBuilder();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            b.append(i > 1 ? "|" : "").append(rs.getString(i));
          }
          out.add(b.toString());
        }
      }
      out.sort(null);
      return out;
    }
  }

  static void same(String sql) throws Exception {
    List<String> withPlan = new ArrayList<>();
    List<String> withoutPlan = new ArrayList<>();
    List<String> expected = run(sql, false, withoutPlan);
    List<String> actual = run(sql, true, withPlan);
    assertTrue(String.join("\n", withPlan).contains("LumaAggregateScan"), "not planned in the scan: " + withPlan);
    assertFalse(String.join("\n", withoutPlan).contains("LumaAggregateScan"));
    assertEquals(expected, actual, sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "SELECT host, count(*), count(v), sum(v), min(v), max(v), avg(v) FROM m GROUP BY host",
      "SELECT count(host), count(ok), count(ts) FROM m",
      "SELECT host FROM m GROUP BY host",
      "SELECT max(v) FROM m",
      "SELECT DISTINCT i FROM m",
      "SELECT count(*), count(n), sum(n), min(n), max(n), avg(v) FROM m",
      "SELECT FLOOR(ts TO MINUTE), host, max(v), min(ts), max(ts) FROM m GROUP BY FLOOR(ts TO MINUTE), host",
      "SELECT FLOOR(ts TO HOUR), sum(v), count(*) FROM m GROUP BY FLOOR(ts TO HOUR)",
      "SELECT FLOOR(ts TO DAY), FLOOR(ts TO SECOND), count(*) FROM m GROUP BY FLOOR(ts TO DAY), FLOOR(ts TO SECOND)",
      "SELECT ok, i, min(i), max(i), count(i), sum(n) FROM m GROUP BY ok, i",
      "SELECT r, count(*), max(n) FROM m GROUP BY r",
      "SELECT host, max(v) FROM m WHERE host IN ('a', 'c') AND ts >= TIMESTAMP '2023-11-14 22:15:00' GROUP BY host",
      "SELECT host, count(*) FROM m WHERE v > 5 OR n IS NULL GROUP BY host",
      "SELECT host, sum(v) FROM m WHERE host = 'nobody' GROUP BY host",
      "SELECT count(*), sum(v), max(ts) FROM m WHERE host = 'nobody'",
      "SELECT count(*), sum(v), min(n) FROM e",
      "SELECT host, count(DISTINCT v) FROM m GROUP BY host",
      "SELECT host, max(i) FROM m WHERE host IN (SELECT host FROM m WHERE i > 7) GROUP BY host",
      "SELECT host, count(*) FROM e GROUP BY host",
      // DOUBLE expressions as aggregate arguments (projection kernels); NULLs propagate
      "SELECT host, sum(v * 2), avg(v + x), max(v / 4.0), min(-v), count(v - 1) FROM m GROUP BY host",
      "SELECT FLOOR(ts TO HOUR), sum((v + 1) * (v - 1)), count(*) FROM m WHERE v > 2 GROUP BY FLOOR(ts TO HOUR)",
      "SELECT i, sum(CAST(i AS DOUBLE) / 2 + v) FROM m GROUP BY i",
      "SELECT sum(v * 2), count(v + 1) FROM e",
      "SELECT host, sum(v * 2) FROM m WHERE host = 'nobody' GROUP BY host",
      "SELECT host, sum(CASE WHEN n > 3 THEN v ELSE 0 END), avg(CASE WHEN ok THEN x ELSE v END) FROM m GROUP BY host",
      // conditions the projection kernels compute (ExprStep)
      "SELECT host, count(*) FROM m WHERE MOD(n, 2) = 0 OR v > x GROUP BY host",
      // TimescaleDB's first/last as LumaDB writes them: ARG_MIN/ARG_MAX(ARRAY[v], t); n and i
      // repeat within a group, so ties go to the row read first, threads or not
      "SELECT host, ARG_MIN(ARRAY[v], ts), ARG_MAX(ARRAY[ok], ts), ARG_MAX(ARRAY[host], ts) FROM m GROUP BY host",
      "SELECT host, ARG_MIN(ARRAY[v], n), ARG_MAX(ARRAY[x], n), ARG_MIN(ARRAY[ts], i), ARG_MAX(ARRAY[n], i) FROM m GROUP BY host",
      "SELECT FLOOR(ts TO HOUR), ARG_MIN(ARRAY[x], ts), ARG_MAX(ARRAY[n], ts), count(*) FROM m WHERE n > 0 GROUP BY FLOOR(ts TO HOUR)",
      // keys too spread for the array of group ids (hashed per row instead)
      "SELECT ts, count(*), max(v) FROM m GROUP BY ts",
      "SELECT FLOOR(ts TO SECOND), n, count(*) FROM m GROUP BY FLOOR(ts TO SECOND), n",
      "SELECT host, n, i, sum(v) FROM m WHERE i IS NOT NULL GROUP BY host, n, i",
      // conditions the kernels cannot evaluate run row by row (ResidualFilter)
      "SELECT host, sum(v) FROM m WHERE v + 1 > 2 GROUP BY host",
      "SELECT host, count(*), max(n) FROM m WHERE r > 1 GROUP BY host",
      "SELECT i, count(*) FROM m WHERE abs(n) < 100 AND host = 'a' GROUP BY i",
      "SELECT host, count(*) FROM m WHERE v * 2 > n OR host IS NULL GROUP BY host",
      "SELECT count(*), max(ts) FROM m WHERE CHAR_LENGTH(host) = 1 AND ts > TIMESTAMP '2023-11-14 22:30:00'",
  })
  void sameAnswersAsCalcite(String sql) throws Exception {
    same(sql);
    // and split over three threads (the parts taken from one iterator, partial results merged)
    ParallelScan.forcedThreads = 3;
    try {
      same(sql);
    } finally {
      ParallelScan.forcedThreads = 0;
    }
  }

  @Test
  void countAndTimeRangeFromMetadata() throws Exception {
    // ts has NULLs; the parts are a Parquet file, sealed segments and the active segment
    for (String sql : List.of("SELECT count(*), min(ts), max(ts) FROM m", "SELECT max(ts) FROM m",
        "SELECT count(*) FROM m", "SELECT min(ts), count(*) FROM e",
        // with a filter, a key or another aggregate the rows are read
        "SELECT count(*) FROM m WHERE host = 'a'", "SELECT max(n) FROM m",
        "SELECT host, max(ts) FROM m GROUP BY host", "SELECT count(ts) FROM m")) {
      same(sql);
      List<String> plan = new ArrayList<>();
      run(sql, true, plan);
      boolean metadata = !sql.contains("WHERE") && !sql.contains("(n)") && !sql.contains("GROUP") && !sql.contains("count(ts)");
      assertEquals(metadata, String.join("\n", plan).contains("from=[metadata]"), sql + ": " + plan);
    }
  }

  @Test
  void aFailureInAWorkerThreadStopsTheScanAndReachesTheStatement() throws Exception {
    ParallelScan.forcedThreads = 3;
    try (org.apache.arrow.memory.RootAllocator root = new org.apache.arrow.memory.RootAllocator()) {
      // a budget smaller than one reservation: the first group of any thread fails
      QueryCancellation.bind(new QueryCancellation.Token(new QueryMemory(root, 1024, "tiny")));
      Exception e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> run("SELECT ts, count(*) FROM m GROUP BY ts", true, new ArrayList<>()));
      assertTrue(causes(e).anyMatch(c -> c instanceof QueryMemory.LimitExceeded), String.valueOf(e));
      assertEquals(0, root.getAllocatedMemory(), "every lease given back");
      // a statement canceled before it runs stops in whichever thread checks first
      QueryCancellation.Token canceled = new QueryCancellation.Token();
      canceled.cancel("canceled by the test");
      QueryCancellation.bind(canceled);
      e = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
          () -> run("SELECT host, count(*) FROM m GROUP BY host", true, new ArrayList<>()));
      assertTrue(causes(e).anyMatch(c -> c instanceof QueryCancellation.CanceledException), String.valueOf(e));
    } finally {
      QueryCancellation.bind(null);
      ParallelScan.forcedThreads = 0;
    }
    assertEquals(List.of("3"), run("SELECT count(DISTINCT host) FROM m", true, new ArrayList<>())); // goes on
  }

  static java.util.stream.Stream<Throwable> causes(Throwable t) {
    return java.util.stream.Stream.iterate(t, java.util.Objects::nonNull, Throwable::getCause);
  }

  @Test
  void nanIsGreaterThanEveryNumberAsInPostgresql() throws Exception {
    List<String> plan = new ArrayList<>();
    List<String> rows = run("SELECT host, max(x), min(x), sum(x) FROM m WHERE host = 'a' GROUP BY host", true, plan);
    assertTrue(String.join("\n", plan).contains("LumaAggregateScan"), plan.toString());
    assertEquals(List.of("a|NaN|0.0|NaN"), rows);
    assertEquals(List.of("b|6.0|0.0"), run(
        "SELECT host, max(x), min(x) FROM m WHERE host = 'b' AND x < 100 GROUP BY host", true, plan));
  }

  @Test
  void uncoveredQueriesKeepCalcitesPlan() throws Exception {
    for (String sql : List.of(
        "SELECT FLOOR(ts TO MONTH), count(*) FROM m GROUP BY FLOOR(ts TO MONTH)",
        "SELECT host, sum(r) FROM m GROUP BY host",
        "SELECT d, count(*) FROM m GROUP BY d",
        "SELECT host, count(*) FILTER (WHERE v > 1) FROM m GROUP BY host")) {
      List<String> plan = new ArrayList<>();
      List<String> withRule = run(sql, true, plan);
      assertFalse(String.join("\n", plan).contains("LumaAggregateScan"), sql + ": " + plan);
      assertEquals(run(sql, false, new ArrayList<>()), withRule, sql);
    }
  }
}
