package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.TableSchema;
import io.lumadb.storage.TableSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A GROUP BY evaluated inside the scan, column by column, without building a row per table
 * row: for each part of the snapshot the filter gives a selection vector (the rows that pass),
 * the group keys a vector of group ids (one hash lookup per selected row), and each aggregate
 * is then one tight loop over the selection updating its accumulator arrays. Only the groups
 * leave the scan. {@link AggregateScanRule} plans it for {@code Aggregate(Project(scan))} when
 * every part is covered (see there); what it does not cover stays with Calcite.
 *
 * <p>Keys: columns, {@code FLOOR(ts TO unit)} ({@code date_trunc}) of a TIMESTAMP column for
 * units of a fixed length, and TimescaleDB's {@code time_bucket} with a day-time width (and
 * origin). Aggregates: COUNT(*), COUNT(x), SUM, $SUM0, MIN, MAX over
 * numeric and timestamp columns; AVG arrives as SUM/COUNT (Calcite reduces it first). NULLs
 * follow SQL: a NULL key is a group, aggregates skip NULL inputs, SUM/MIN/MAX of no value is
 * NULL, and a grand total (no keys) is one row even when no row passes.
 */
public final class AggregateScan extends ScanOperator {
  /**
   * A group key: table column {@code column}, as is ({@code floorMillis} 0) or floored to a
   * multiple of {@code floorMillis} counted from {@code offsetMillis} (date_trunc: 0;
   * TimescaleDB's time_bucket: its origin modulo the width).
   */
  public record Key(int column, long floorMillis, long offsetMillis) {
    public Key(int column, long floorMillis) {
      this(column, floorMillis, 0);
    }

    /** The bucket of {@code v} (floored keys only). */
    long floor(long v) {
      return Math.floorDiv(v - offsetMillis, floorMillis) * floorMillis + offsetMillis;
    }
  }

  /** What an aggregate computes. */
  public enum Kind {
    COUNT_STAR, COUNT, SUM, SUM0, MIN, MAX,
    /** TimescaleDB's first/last (Calcite's ARG_MIN/ARG_MAX of {@code ARRAY[value]} by a time). */
    FIRST, LAST
  }

  /** An aggregate of table column {@code column} (-1 for COUNT(*)), returned as {@code type}. */
  public record Agg(Kind kind, int column, SqlTypeName type, VectorExpr expr, int order) {
    public Agg(Kind kind, int column, SqlTypeName type) {
      this(kind, column, type, null, -1);
    }

    /** An aggregate of a DOUBLE expression of the row (a projection kernel), not of one column. */
    static Agg of(Kind kind, VectorExpr expr, SqlTypeName type) {
      return new Agg(kind, -1, type, expr, -1);
    }

    /**
     * FIRST/LAST: the value of column {@code column} (as a one-element array) at the least or
     * greatest non-NULL value of the whole-number or timestamp column {@code order}.
     */
    static Agg pick(Kind kind, int column, int order) {
      return new Agg(kind, column, SqlTypeName.ARRAY, null, order);
    }
  }

  private final LumaTable table;
  private final List<RexNode> filters;
  private final Key[] keys;
  private final Agg[] aggs;

  public AggregateScan(LumaTable table, List<RexNode> filters, List<Key> keys, List<Agg> aggs) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.keys = keys.toArray(new Key[0]);
    this.aggs = aggs.toArray(new Agg[0]);
  }

  public LumaTable table() {
    return table;
  }

  @Override
  public List<RexNode> filters() {
    return filters;
  }

  public List<Key> keys() {
    return List.of(keys);
  }

  public List<Agg> aggs() {
    return List.of(aggs);
  }

  @Override
  String relName() {
    return "LumaAggregateScan";
  }

  @Override
  org.apache.calcite.rel.RelWriter explainTerms(org.apache.calcite.rel.RelWriter pw) {
    return pw.item("keys", keys().stream()
            .map(k -> "$" + k.column() + (k.floorMillis() > 0 ? " floor " + k.floorMillis() + "ms" : "")
                + (k.offsetMillis() != 0 ? " from " + k.offsetMillis() + "ms" : "")).toList())
        .item("aggs", aggs().stream()
            .map(a -> a.kind() + (a.expr() != null ? "(" + a.expr() + ")"
                : a.order() >= 0 ? "($" + a.column() + " by $" + a.order() + ")"
                : a.column() >= 0 ? "($" + a.column() + ")" : ""))
            .toList())
        .itemIf("from", "metadata", fromMetadata());
  }

  /**
   * Whether the answer comes from metadata, no row read: a grand total without filters of only
   * COUNT(*) and MIN/MAX of the table's time column (every part records its row count and
   * exact time range when it is written).
   */
  public boolean fromMetadata() {
    if (!filters.isEmpty() || keys.length > 0 || table.timeColumn() < 0) {
      return false;
    }
    for (Agg a : aggs) {
      boolean timeRange = (a.kind() == Kind.MIN || a.kind() == Kind.MAX) && a.column() == table.timeColumn();
      if (a.kind() != Kind.COUNT_STAR && !timeRange) {
        return false;
      }
    }
    return true;
  }

  private List<Object[]> fromMetadata(TableSnapshot.TimeSummary s) {
    Object[] row = new Object[aggs.length];
    for (int a = 0; a < aggs.length; a++) {
      Long v = switch (aggs[a].kind()) {
        case COUNT_STAR -> s.rows();
        case MIN -> s.minTime();
        default -> s.maxTime();
      };
      row[a] = v == null ? null : Accumulators.convert(v, aggs[a].type());
    }
    List<Object[]> out = new ArrayList<>();
    out.add(row);
    return out;
  }

  @Override
  List<Object[]> compute(DataContext root) {
    if (fromMetadata()) {
      try (TableSnapshot snapshot = table.snapshot()) {
        return fromMetadata(snapshot.timeSummary());
      }
    }
    TableSchema schema = table.schema();
    BitSet used = new BitSet();
    for (Key k : keys) {
      used.set(k.column());
    }
    for (Agg a : aggs) {
      if (a.column() >= 0) {
        used.set(a.column());
      }
      if (a.expr() != null) {
        a.expr().columns(used);
      }
      if (a.order() >= 0) {
        used.set(a.order());
      }
    }
    // One partial result per thread (the filters too: their kernels keep per-part state),
    // merged into the first afterwards.
    int threads = ParallelScan.threadsFor(table);
    List<Partial> partials = new ArrayList<>();
    List<ParallelScan.Worker> workers = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        Partial p = new Partial(ScanPlan.evaluatingAll(table, filters, used, root), schema);
        partials.add(p);
        workers.add(new ParallelScan.Worker(p.plan, p.scratch, p));
      }
      ParallelScan.run(table, partials.get(0).plan, workers);
      Partial all = partials.get(0);
      for (int t = 1; t < partials.size(); t++) {
        all.merge(partials.get(t));
      }
      Grouping.Groups groups = all.grouping.groups();
      if (keys.length == 0 && groups.size() == 0) {
        groups.id(new Object[0]); // a grand total is one row, even of no rows
        all.acc.grow(1);
      }
      List<Object[]> out = new ArrayList<>(groups.size());
      for (int g = 0; g < groups.size(); g++) {
        Object[] row = new Object[keys.length + aggs.length];
        System.arraycopy(groups.key(g), 0, row, 0, keys.length);
        for (int a = 0; a < aggs.length; a++) {
          row[keys.length + a] = all.acc.result(a, g);
        }
        out.add(row);
      }
      return out;
    } finally {
      partials.forEach(p -> p.lease.close());
    }
  }

  /**
   * One thread's share of the GROUP BY: its filter, groups, accumulators and buffers, the
   * groups counted against the statement's memory.
   */
  private final class Partial implements ScanPlan.PartConsumer {
    final ScanPlan plan;
    final Grouping grouping;
    final Accumulators acc;
    final Grouping.Scratch scratch = new Grouping.Scratch();
    final QueryMemory.Lease lease = QueryMemory.lease("GROUP BY");
    /** Each group's key tuple, hash slot and accumulators, roughly. */
    final long bytesPerGroup = 48 + 24L * keys.length + 16L * aggs.length;
    int counted;

    Partial(ScanPlan plan, TableSchema schema) {
      this.plan = plan;
      this.grouping = new Grouping(schema, keys);
      this.acc = new Accumulators(aggs, schema);
    }

    @Override
    public void accept(List<ColumnReader> readers, int[] sel, int m) {
      Grouping.Groups groups = grouping.groups();
      int[] gid = scratch.gid;
      grouping.ids(readers, sel, m, gid, scratch);
      lease.grow((groups.size() - counted) * bytesPerGroup);
      counted = groups.size();
      acc.grow(groups.size());
      int[] perGroup = scratch.rowsPerGroup(gid, m, groups.size());
      for (int a = 0; a < aggs.length; a++) {
        acc.update(a, readers, sel, gid, m, scratch, perGroup);
      }
    }

    /** Folds another thread's groups into these. */
    void merge(Partial other) {
      Grouping.Groups mine = grouping.groups();
      Grouping.Groups theirs = other.grouping.groups();
      for (int g = 0; g < theirs.size(); g++) {
        int to = mine.id(theirs.key(g));
        acc.grow(mine.size());
        acc.merge(other.acc, g, to);
      }
      lease.grow((mine.size() - counted) * bytesPerGroup);
      counted = mine.size();
    }
  }

  /** Per aggregate, per group: a running value and how many inputs it has seen. */
  static final class Accumulators {
    private final Agg[] aggs;
    private final boolean[] isLong;
    private final long[][] longs;
    private final double[][] doubles;
    private final long[][] counts;
    /** FIRST/LAST: the picked value per group (longs hold its time) and the part it came from. */
    private final Object[][] picked;
    private final long[][] pickedPart;
    private int capacity;

    Accumulators(Agg[] aggs, TableSchema schema) {
      this.aggs = aggs;
      int n = aggs.length;
      isLong = new boolean[n];
      longs = new long[n][];
      doubles = new double[n][];
      counts = new long[n][];
      picked = new Object[n][];
      pickedPart = new long[n][];
      for (int a = 0; a < n; a++) {
        isLong[a] = aggs[a].order() >= 0 || aggs[a].column() >= 0
            && schema.column(aggs[a].column()).type().storage() == ColumnType.Storage.LONG;
      }
      grow(16);
    }

    void grow(int groups) {
      if (groups <= capacity) {
        return;
      }
      int cap = Math.max(groups, capacity * 2);
      for (int a = 0; a < aggs.length; a++) {
        counts[a] = counts[a] == null ? new long[cap] : Arrays.copyOf(counts[a], cap);
        // MIN and MAX start above (below) every value, so a loop needs no "first value" test:
        // NaN is above every number in Double.compare, as in PostgreSQL.
        Kind k = aggs[a].kind();
        if (aggs[a].order() >= 0) {
          picked[a] = picked[a] == null ? new Object[cap] : Arrays.copyOf(picked[a], cap);
          pickedPart[a] = pickedPart[a] == null ? new long[cap] : Arrays.copyOf(pickedPart[a], cap);
        }
        if (isLong[a]) {
          longs[a] = longs[a] == null ? new long[cap] : Arrays.copyOf(longs[a], cap);
          Arrays.fill(longs[a], capacity, cap, k == Kind.MIN ? Long.MAX_VALUE : k == Kind.MAX ? Long.MIN_VALUE : 0);
        } else {
          doubles[a] = doubles[a] == null ? new double[cap] : Arrays.copyOf(doubles[a], cap);
          Arrays.fill(doubles[a], capacity, cap,
              k == Kind.MIN ? Double.NaN : k == Kind.MAX ? Double.NEGATIVE_INFINITY : 0);
        }
      }
      capacity = cap;
    }

    /**
     * Folds the selected rows' values of aggregate {@code a}'s argument into their groups' accumulators;
     * {@code perGroup}: the rows per group, or null (see {@link Grouping.Scratch#rowsPerGroup}).
     */
    void update(int a, List<ColumnReader> readers, int[] sel, int[] gid, int m, Grouping.Scratch s, int[] perGroup) {
      Agg agg = aggs[a];
      Kind kind = agg.kind();
      if (agg.order() >= 0) {
        pick(a, readers, sel, gid, m, s);
        return;
      }
      ColumnReader col = agg.column() >= 0 ? readers.get(agg.column()) : null;
      boolean[] nul = null; // null: no row is NULL
      if (agg.expr() != null) { // computed into the doubles buffer
        nul = agg.expr().evalDoubles(readers, sel, m, s.doubles);
      } else if (kind != Kind.COUNT_STAR && col.mayHaveNulls()) {
        nul = s.nulls;
        col.gatherNulls(sel, m, nul);
      }
      // How many values each group has seen (the answer of COUNT; NULL for SUM/MIN/MAX of none).
      long[] cnt = counts[a];
      if (nul == null && perGroup != null) {
        for (int g = 0; g < s.groupCount; g++) {
          cnt[g] += perGroup[g];
        }
      } else {
        for (int i = 0; i < m; i++) {
          if (nul == null || !nul[i]) {
            cnt[gid[i]]++;
          }
        }
      }
      if (kind == Kind.COUNT_STAR || kind == Kind.COUNT) {
        return;
      }
      // The values gathered into an array first, then one loop per kind and representation,
      // each a tight loop for the JIT. Rows of one group often come in runs (warm files are
      // sorted by their tags): a run is folded in a local variable and stored once, which keeps
      // each step from waiting for the previous one's store to the same array slot.
      if (m == 0) {
        return;
      }
      if (isLong[a]) {
        long[] x = s.longs;
        col.gatherLongs(sel, m, x);
        long[] v = longs[a];
        int g = gid[0];
        long run = v[g];
        switch (kind) {
          case SUM, SUM0 -> {
            for (int i = 0; i < m; i++) {
              if (nul == null || !nul[i]) {
                if (gid[i] != g) {
                  v[g] = run;
                  g = gid[i];
                  run = v[g];
                }
                run = Math.addExact(run, x[i]);
              }
            }
          }
          case MIN -> {
            for (int i = 0; i < m; i++) {
              if (nul == null || !nul[i]) {
                if (gid[i] != g) {
                  v[g] = run;
                  g = gid[i];
                  run = v[g];
                }
                run = Math.min(run, x[i]);
              }
            }
          }
          default -> { // MAX
            for (int i = 0; i < m; i++) {
              if (nul == null || !nul[i]) {
                if (gid[i] != g) {
                  v[g] = run;
                  g = gid[i];
                  run = v[g];
                }
                run = Math.max(run, x[i]);
              }
            }
          }
        }
        v[g] = run;
      } else {
        double[] x = s.doubles;
        if (agg.expr() == null) {
          col.gatherDoubles(sel, m, x);
        }
        double[] v = doubles[a];
        int g = gid[0];
        double run = v[g];
        switch (kind) {
          case SUM, SUM0 -> {
            for (int i = 0; i < m; i++) {
              if (nul == null || !nul[i]) {
                if (gid[i] != g) {
                  v[g] = run;
                  g = gid[i];
                  run = v[g];
                }
                run += x[i];
              }
            }
          }
          case MIN -> {
            for (int i = 0; i < m; i++) {
              if (nul == null || !nul[i]) {
                if (gid[i] != g) {
                  v[g] = run;
                  g = gid[i];
                  run = v[g];
                }
                if (Double.compare(x[i], run) < 0) {
                  run = x[i];
                }
              }
            }
          }
          default -> { // MAX
            for (int i = 0; i < m; i++) {
              if (nul == null || !nul[i]) {
                if (gid[i] != g) {
                  v[g] = run;
                  g = gid[i];
                  run = v[g];
                }
                if (Double.compare(x[i], run) > 0) {
                  run = x[i];
                }
              }
            }
          }
        }
        v[g] = run;
      }
    }

    /**
     * FIRST/LAST: per group, the value at the least (greatest) order value seen; rows whose order
     * value is NULL do not count, and of equal order values the one read first stays: the first
     * of its part here, the one of the earlier part in {@link #merge}, so a parallel scan answers
     * as a sequential one.
     */
    private void pick(int a, List<ColumnReader> readers, int[] sel, int[] gid, int m, Grouping.Scratch s) {
      ColumnReader order = readers.get(aggs[a].order());
      ColumnReader value = readers.get(aggs[a].column());
      boolean first = aggs[a].kind() == Kind.FIRST;
      long[] x = s.longs;
      order.gatherLongs(sel, m, x);
      boolean[] nul = null;
      if (order.mayHaveNulls()) {
        nul = s.nulls;
        order.gatherNulls(sel, m, nul);
      }
      long[] best = longs[a];
      long[] cnt = counts[a];
      Object[] values = picked[a];
      long[] parts = pickedPart[a];
      for (int i = 0; i < m; i++) {
        if (nul != null && nul[i]) {
          continue;
        }
        int g = gid[i];
        if (cnt[g]++ == 0 || (first ? x[i] < best[g] : x[i] > best[g])) {
          best[g] = x[i];
          values[g] = value.get(sel[i]);
          parts[g] = s.part;
        }
      }
    }

    /** Folds group {@code from} of {@code other} (the same aggregates) into group {@code to}. */
    void merge(Accumulators other, int from, int to) {
      for (int a = 0; a < aggs.length; a++) {
        long n = other.counts[a][from];
        if (n == 0) {
          continue;
        }
        boolean first = counts[a][to] == 0;
        counts[a][to] += n;
        Kind kind = aggs[a].kind();
        if (kind == Kind.COUNT_STAR || kind == Kind.COUNT) {
          continue;
        }
        if (aggs[a].order() >= 0) {
          long x = other.longs[a][from];
          long y = longs[a][to];
          boolean better = kind == Kind.FIRST ? x < y : x > y;
          if (first || better || x == y && other.pickedPart[a][from] < pickedPart[a][to]) {
            longs[a][to] = x;
            picked[a][to] = other.picked[a][from];
            pickedPart[a][to] = other.pickedPart[a][from];
          }
          continue;
        }
        if (isLong[a]) {
          long x = other.longs[a][from];
          long[] v = longs[a];
          v[to] = switch (kind) {
            case SUM, SUM0 -> Math.addExact(v[to], x);
            case MIN -> first ? x : Math.min(v[to], x);
            default -> first ? x : Math.max(v[to], x);
          };
        } else {
          double x = other.doubles[a][from];
          double[] v = doubles[a];
          v[to] = switch (kind) {
            case SUM, SUM0 -> v[to] + x;
            case MIN -> first || Double.compare(x, v[to]) < 0 ? x : v[to];
            default -> first || Double.compare(x, v[to]) > 0 ? x : v[to];
          };
        }
      }
    }

    /** The value of aggregate {@code a} for group {@code g}, as its SQL type is held. */
    Object result(int a, int g) {
      Agg agg = aggs[a];
      long n = counts[a][g];
      if (agg.kind() == Kind.COUNT_STAR || agg.kind() == Kind.COUNT) {
        return convert(n, agg.type());
      }
      if (n == 0 && agg.kind() != Kind.SUM0) {
        return null;
      }
      if (agg.order() >= 0) {
        return java.util.Collections.singletonList(picked[a][g]); // ARRAY[value]
      }
      return isLong[a] ? convert(longs[a][g], agg.type()) : convert(doubles[a][g], agg.type());
    }

    static Object convert(long v, SqlTypeName type) {
      return switch (type) {
        case TINYINT -> (byte) v;
        case SMALLINT -> (short) v;
        case INTEGER, DATE -> Math.toIntExact(v);
        case DOUBLE, FLOAT -> (double) v;
        case REAL -> (float) v;
        default -> v; // BIGINT, TIMESTAMP
      };
    }

    private static Object convert(double v, SqlTypeName type) {
      return type == SqlTypeName.REAL ? (Object) (float) v : (Object) v;
    }
  }
}
