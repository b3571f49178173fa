package io.lumadb.sql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * LumaDB's sort (LumaSort) on the session's planner: every ORDER BY direction and NULL placement
 * as PostgreSQL orders (NULLs last ascending, first descending, unless NULLS FIRST/LAST says
 * otherwise), multi-key sorts, LIMIT and OFFSET as literals and as parameters (the top-N heap),
 * ties in input order, and empty inputs. Expected orders are computed here in Java from the rows.
 */
class LumaSortTest extends SessionTestBase {
  /** (id, grp, v, name): v and name have NULLs; grp repeats, so keys tie. */
  final List<Object[]> data = new ArrayList<>();

  @BeforeEach
  void load() throws Exception {
    open(false);
    command("CREATE TABLE t (id INTEGER, grp INTEGER, v DOUBLE PRECISION, name TEXT)");
    StringBuilder insert = new StringBuilder("INSERT INTO t VALUES ");
    for (int i = 0; i < 200; i++) {
      if (i > 0 && i % 50 == 0) { // one segment per INSERT: a top-N spans parts
        command(insert.toString());
        insert = new StringBuilder("INSERT INTO t VALUES ");
      }
      Integer grp = i % 7;
      Double v = i % 11 == 0 ? null : (double) ((i * 37) % 50) - 20;
      String name = i % 13 == 0 ? null : "n" + (i * 17) % 40;
      data.add(new Object[] {i, grp, v, name});
      insert.append(i % 50 == 0 ? "" : ", ").append('(').append(i).append(", ").append(grp).append(", ")
          .append(v).append(", ").append(name == null ? "NULL" : "'" + name + "'").append(')');
    }
    command(insert.toString());
  }

  String plan(String sql) {
    return String.join("\n", rows("EXPLAIN " + sql));
  }

  /**
   * The ids of the query's rows, after checking that LumaDB's sort ran it, or with a LIMIT
   * directly over the table the top-N in the scan.
   */
  List<Integer> ids(String sql) {
    String operator = sql.contains("LIMIT") ? "LumaTopNScan" : "LumaSort";
    assertTrue(plan(sql).contains(operator), sql + "\n" + plan(sql));
    List<Integer> out = new ArrayList<>();
    for (List<Object> row : values(sql)) {
      out.add(((Number) row.get(0)).intValue());
    }
    return out;
  }

  /** A comparator of one column: ascending or not, NULLs first or last. */
  static Comparator<Object[]> by(int col, boolean asc, boolean nullsFirst) {
    Function<Object[], Comparable<Object>> key = r -> cast(r[col]);
    Comparator<Comparable<Object>> natural = asc ? Comparator.naturalOrder() : Comparator.reverseOrder();
    return Comparator.comparing(key, nullsFirst ? Comparator.nullsFirst(natural) : Comparator.nullsLast(natural));
  }

  @SuppressWarnings("unchecked")
  static Comparable<Object> cast(Object o) {
    return (Comparable<Object>) o;
  }

  /** The ids of the data sorted by {@code order} (stable: ties keep insertion order), from offset, up to limit. */
  List<Integer> expected(Comparator<Object[]> order, int offset, int limit) {
    List<Object[]> sorted = new ArrayList<>(data);
    sorted.sort(order);
    List<Integer> out = new ArrayList<>();
    for (int i = offset; i < sorted.size() && out.size() < limit; i++) {
      out.add((Integer) sorted.get(i)[0]);
    }
    return out;
  }

  @Test
  void directionsAndNullPlacementAsPostgresql() {
    int all = Integer.MAX_VALUE;
    assertEquals(expected(by(2, true, false).thenComparing(by(0, true, false)), 0, all),
        ids("SELECT id FROM t ORDER BY v, id"));
    assertEquals(expected(by(2, false, true).thenComparing(by(0, true, false)), 0, all),
        ids("SELECT id FROM t ORDER BY v DESC, id"));
    assertEquals(expected(by(2, true, true).thenComparing(by(0, false, false)), 0, all),
        ids("SELECT id, v FROM t ORDER BY v NULLS FIRST, id DESC"));
    assertEquals(expected(by(3, false, false).thenComparing(by(1, true, false)).thenComparing(by(0, true, false)), 0, all),
        ids("SELECT id, name, grp FROM t ORDER BY name DESC NULLS LAST, grp, id"));
  }

  @Test
  void limitAndOffsetKeepOnlyTheBestRows() {
    Comparator<Object[]> order = by(2, true, false).thenComparing(by(0, true, false));
    assertEquals(expected(order, 0, 5), ids("SELECT id FROM t ORDER BY v, id LIMIT 5"));
    assertEquals(expected(order, 7, 10), ids("SELECT id FROM t ORDER BY v, id LIMIT 10 OFFSET 7"));
    assertEquals(expected(order, 195, 10), ids("SELECT id FROM t ORDER BY v, id LIMIT 10 OFFSET 195"));
    assertEquals(expected(order, 30, Integer.MAX_VALUE), ids("SELECT id FROM t ORDER BY v, id OFFSET 30"));
    assertEquals(List.of(), values("SELECT id FROM t ORDER BY v, id LIMIT 0")); // planned as no rows at all
    assertEquals(List.of(), ids("SELECT id FROM t WHERE id < 0 ORDER BY v LIMIT 3"));
    // ties (grp repeats) keep the input order, with and without a LIMIT
    assertEquals(expected(by(1, false, true), 0, 12), ids("SELECT id FROM t ORDER BY grp DESC LIMIT 12"));
    assertEquals(expected(by(1, true, false), 0, Integer.MAX_VALUE), ids("SELECT id FROM t ORDER BY grp"));
  }

  @Test
  void aStatementOverItsMemoryLimitFailsAndGivesItBack() {
    engine.setQueryMemoryLimit(1 << 20);
    command("CREATE TABLE big (id INTEGER, pad TEXT)");
    command("INSERT INTO big SELECT i, 'row ' || CAST(i AS VARCHAR) FROM generate_series(1, 60000) AS g(i)");
    for (String sql : List.of(
        "SELECT id, pad FROM big ORDER BY pad DESC",
        "SELECT id, count(*) FROM big GROUP BY id")) {
      LumaException e = error(sql);
      assertEquals("53400", e.sqlState(), sql);
      assertTrue(e.getMessage().startsWith("E002") && e.getMessage().contains("query_memory_limit"), e.getMessage());
      assertEquals(0, engine.queryMemoryInUse(), "memory given back after " + sql);
    }
    // the session goes on: what fits runs, a top-N keeps only its rows, and a larger limit lets the sort through
    assertEquals(List.of(60000, 59999), ids("SELECT id FROM big ORDER BY id DESC LIMIT 2"));
    assertEquals(expected(by(0, false, false), 0, 3), ids("SELECT id FROM t ORDER BY id DESC LIMIT 3"));
    engine.setQueryMemoryLimit(64 << 20);
    assertEquals(60000, values("SELECT id, pad FROM big ORDER BY pad DESC").size());
    assertEquals(0, engine.queryMemoryInUse());
  }

  @Test
  void topNInTheScanWithFiltersAndFewerColumns() {
    Comparator<Object[]> byV = by(2, false, true).thenComparing(by(0, true, false));
    List<Object[]> kept = new ArrayList<>(data);
    data.removeIf(r -> (Integer) r[1] == 3 || ((Integer) r[0]) % 5 == 0); // grp <> 3, and id % 5 <> 0 (not a kernel)
    assertEquals(expected(byV, 2, 9), ids("SELECT id, v FROM t WHERE grp <> 3 AND MOD(id, 5) <> 0 ORDER BY v DESC, id LIMIT 9 OFFSET 2"));
    data.clear();
    data.addAll(kept);
    assertTrue(plan("SELECT v FROM t ORDER BY v LIMIT 3").contains("LumaTopNScan"));
    assertEquals(3, values("SELECT v FROM t ORDER BY v LIMIT 3").size());
  }

  @Test
  void limitAndOffsetAsParameters() {
    Comparator<Object[]> order = by(3, true, false).thenComparing(by(0, false, false));
    String sql = "SELECT id FROM t ORDER BY name, id DESC LIMIT $1 OFFSET $2";
    assertTrue(plan(sql.replace("$1", "3").replace("$2", "1")).contains("LumaTopNScan"));
    try (PreparedQuery q = session.prepare(sql, List.of())) {
      for (int[] p : new int[][] {{4, 0}, {10, 20}, {0, 0}, {5, 199}}) {
        List<Integer> got = new ArrayList<>();
        try (StatementResult r = q.execute(List.of(p[0], p[1]))) {
          for (List<Object> row : ResultValues.of((StatementResult.Rows) r)) {
            got.add(((Number) row.get(0)).intValue());
          }
        }
        assertEquals(expected(order, p[1], p[0]), got, "LIMIT " + p[0] + " OFFSET " + p[1]);
      }
    }
  }
}
