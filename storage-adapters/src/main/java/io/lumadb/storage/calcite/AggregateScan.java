package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.ScanSpec;
import io.lumadb.storage.ScanStats;
import io.lumadb.storage.TableSchema;
import io.lumadb.storage.TableSnapshot;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rex.RexBuilder;
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
 * <p>Keys: columns, and {@code FLOOR(ts TO unit)} ({@code date_trunc}) of a TIMESTAMP column
 * for units of a fixed length. Aggregates: COUNT(*), COUNT(x), SUM, $SUM0, MIN, MAX over
 * numeric and timestamp columns; AVG arrives as SUM/COUNT (Calcite reduces it first). NULLs
 * follow SQL: a NULL key is a group, aggregates skip NULL inputs, SUM/MIN/MAX of no value is
 * NULL, and a grand total (no keys) is one row even when no row passes.
 */
public final class AggregateScan {
  /** A group key: table column {@code column}, floored to multiples of {@code floorMillis} (0: as is). */
  public record Key(int column, long floorMillis) {}

  /** What an aggregate computes. */
  public enum Kind { COUNT_STAR, COUNT, SUM, SUM0, MIN, MAX }

  /** An aggregate of table column {@code column} (-1 for COUNT(*)), returned as {@code type}. */
  public record Agg(Kind kind, int column, SqlTypeName type) {}

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

  public List<RexNode> filters() {
    return filters;
  }

  public List<Key> keys() {
    return List.of(keys);
  }

  public List<Agg> aggs() {
    return List.of(aggs);
  }

  /**
   * Whether the scan evaluates every one of these filters itself (literal comparisons, IN,
   * ranges, IS NULL and their AND/OR/NOT): then no row needs Calcite.
   */
  static boolean coversFilters(TableSchema schema, List<RexNode> filters, RexBuilder rexBuilder) {
    if (filters.isEmpty()) {
      return true;
    }
    for (RexNode f : filters) {
      if (hasDynamicParam(f)) {
        return false; // a parameter's value decides at run time whether the scan can compare it
      }
    }
    List<RexNode> rest = new ArrayList<>(filters);
    return RowFilter.compile(schema, rest, rexBuilder) != null && rest.isEmpty();
  }

  private static boolean hasDynamicParam(RexNode f) {
    return f.accept(new org.apache.calcite.rex.RexVisitorImpl<Boolean>(true) {
      @Override
      public Boolean visitDynamicParam(org.apache.calcite.rex.RexDynamicParam p) {
        return true;
      }

      @Override
      public Boolean visitCall(org.apache.calcite.rex.RexCall call) {
        for (RexNode o : call.getOperands()) {
          if (Boolean.TRUE.equals(o.accept(this))) {
            return true;
          }
        }
        return false;
      }
    }) == Boolean.TRUE;
  }

  /** The groups, computed when the result is first read (called by the generated code). */
  public Enumerable<Object[]> execute(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return Linq4j.enumerator(compute(root));
      }
    };
  }

  /** As {@link #execute}, for a result of one column: its values, as Calcite passes those. */
  public Enumerable<Object> executeScalar(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        List<Object> values = new ArrayList<>();
        for (Object[] row : compute(root)) {
          values.add(row[0]);
        }
        return Linq4j.enumerator(values);
      }
    };
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
    }
    List<RexNode> rest = new ArrayList<>(filters);
    ScanPlan plan = ScanPlan.of(table, rest, used.stream().toArray(), root);
    if (!rest.isEmpty()) {
      throw new IllegalStateException("the scan cannot evaluate " + rest); // the rule checked
    }
    RowFilter filter = plan.filter();
    ScanSpec spec = plan.spec();
    ScanStats stats = plan.start(table);
    Groups groups = new Groups(keys.length);
    Accumulators acc = new Accumulators(aggs, schema);
    int[] sel = new int[0];
    int[] gid = new int[0];
    Scratch scratch = new Scratch();
    Object[] probe = new Object[keys.length];
    // Each group's key tuple, hash slot and accumulators, counted against the statement's memory.
    long bytesPerGroup = 48 + 24L * keys.length + 16L * aggs.length;
    int counted = 0;
    try (TableSnapshot snapshot = table.snapshot(); QueryMemory.Lease lease = QueryMemory.lease("GROUP BY")) {
      Iterator<TableSnapshot.Part> parts = snapshot.scan(spec, stats);
      while (parts.hasNext()) {
        QueryCancellation.check();
        TableSnapshot.Part part = parts.next();
        List<ColumnReader> readers = part.columns();
        int n = part.rowCount();
        if (sel.length < n) {
          sel = new int[n];
          gid = new int[n];
          scratch.ensure(n);
        }
        int m = RowFilter.select(filter, readers, n, sel);
        groupIds(readers, sel, m, gid, groups, probe, scratch);
        lease.grow((groups.size() - counted) * bytesPerGroup);
        counted = groups.size();
        acc.grow(groups.size());
        int[] perGroup = scratch.rowsPerGroup(gid, m, groups.size());
        for (int a = 0; a < aggs.length; a++) {
          acc.update(a, aggs[a].column() < 0 ? null : readers.get(aggs[a].column()), sel, gid, m, scratch, perGroup);
        }
      }
    }
    if (keys.length == 0 && groups.size() == 0) {
      groups.id(probe); // a grand total is one row, even of no rows
      acc.grow(1);
    }
    List<Object[]> out = new ArrayList<>(groups.size());
    for (int g = 0; g < groups.size(); g++) {
      Object[] row = new Object[keys.length + aggs.length];
      System.arraycopy(groups.key(g), 0, row, 0, keys.length);
      for (int a = 0; a < aggs.length; a++) {
        row[keys.length + a] = acc.result(a, g);
      }
      out.add(row);
    }
    return out;
  }

  /** Buffers reused from part to part: gathered values, NULL flags, codes, local key indexes. */
  static final class Scratch {
    long[] longs = new long[0];
    double[] doubles = new double[0];
    boolean[] nulls = new boolean[0];
    int[] ints = new int[0];
    int[] index = new int[0];
    int[] map = new int[0];

    void ensure(int n) {
      if (longs.length < n) {
        longs = new long[n];
        doubles = new double[n];
        nulls = new boolean[n];
        ints = new int[n];
        index = new int[n];
      }
    }

    int[] perGroup = new int[0];
    int groupCount;

    /**
     * How many of the rows fall in each group, when there are not more groups than rows (else
     * null: adding per group would cost more than counting per row).
     */
    int[] rowsPerGroup(int[] gid, int m, int groups) {
      if (groups > m) {
        return null;
      }
      if (perGroup.length < groups) {
        perGroup = new int[Math.max(groups, perGroup.length * 2)];
      }
      Arrays.fill(perGroup, 0, groups, 0);
      groupCount = groups;
      for (int i = 0; i < m; i++) {
        perGroup[gid[i]]++;
      }
      return perGroup;
    }

    /** An array of at least {@code n} entries, the first {@code n} set to -1. */
    int[] emptyMap(int n) {
      if (map.length < n) {
        map = new int[n];
      }
      Arrays.fill(map, 0, n, -1);
      return map;
    }
  }

  /** Most combinations of key values a part may have for {@link #directIds} to map them with an array. */
  private static final int DIRECT_LIMIT = 1 << 18;

  /** The group id of each selected row, adding groups as they are first seen. */
  private void groupIds(List<ColumnReader> readers, int[] sel, int m, int[] gid, Groups groups, Object[] probe,
      Scratch scratch) {
    if (keys.length == 0) {
      if (m > 0 && groups.size() == 0) {
        groups.id(probe);
      }
      Arrays.fill(gid, 0, m, 0);
      return;
    }
    ColumnReader[] cols = new ColumnReader[keys.length];
    for (int k = 0; k < keys.length; k++) {
      cols[k] = readers.get(keys[k].column());
    }
    if (directIds(cols, sel, m, gid, groups, probe, scratch)) {
      return;
    }
    for (int i = 0; i < m; i++) {
      gid[i] = groups.id(key(cols, sel[i], probe));
    }
  }

  /** The key tuple of {@code row} into {@code probe}: what the groups hold. */
  private Object[] key(ColumnReader[] cols, int row, Object[] probe) {
    for (int k = 0; k < keys.length; k++) {
      ColumnReader c = cols[k];
      String[] dict = c.dictionary();
      long f = keys[k].floorMillis();
      if (c.isNull(row)) {
        probe[k] = null;
      } else if (dict != null) {
        probe[k] = dict[c.code(row)];
      } else if (f > 0) {
        probe[k] = Math.floorDiv(c.getLong(row), f) * f;
      } else {
        probe[k] = c.get(row);
      }
    }
    return probe;
  }

  /**
   * Group ids without hashing a key per row, when every key has a small range of values in this
   * part: a text key's dictionary code, a whole-number or timestamp key's (floored) value minus
   * the part's least. The keys' local values make one index into an array of group ids, and the
   * hash table is asked once per distinct combination. False (nothing done) when a key has no
   * such range here (text without a dictionary, a wide spread of numbers, too many combinations).
   */
  private boolean directIds(ColumnReader[] cols, int[] sel, int m, int[] gid, Groups groups, Object[] probe,
      Scratch s) {
    TableSchema schema = table.schema();
    int[] index = s.index;
    Arrays.fill(index, 0, m, 0);
    long range = 1;
    for (int k = 0; k < keys.length; k++) {
      ColumnReader c = cols[k];
      String[] dict = c.dictionary();
      long span;
      if (dict != null) {
        span = dict.length + 1L;
        if (range * span > DIRECT_LIMIT) {
          return false;
        }
        int[] codes = s.ints;
        c.gatherCodes(sel, m, codes);
        int stride = (int) range;
        for (int i = 0; i < m; i++) {
          index[i] += (codes[i] + 1) * stride; // NULL (-1) is 0
        }
      } else if (schema.column(keys[k].column()).type().storage() == ColumnType.Storage.LONG) {
        long[] x = s.longs;
        c.gatherLongs(sel, m, x);
        boolean[] nul = null;
        if (c.mayHaveNulls()) {
          nul = s.nulls;
          c.gatherNulls(sel, m, nul);
        }
        long f = keys[k].floorMillis();
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < m; i++) {
          if (nul == null || !nul[i]) {
            long b = f > 0 ? Math.floorDiv(x[i], f) : x[i];
            x[i] = b;
            min = Math.min(min, b);
            max = Math.max(max, b);
          }
        }
        if (min <= max && (max - min < 0 || max - min >= DIRECT_LIMIT)) {
          return false; // too wide (or so wide that the subtraction overflowed)
        }
        span = min > max ? 1 : max - min + 2;
        if (range * span > DIRECT_LIMIT) {
          return false;
        }
        int stride = (int) range;
        for (int i = 0; i < m; i++) {
          index[i] += (nul != null && nul[i] ? 0 : (int) (x[i] - min + 1)) * stride;
        }
      } else {
        return false;
      }
      range *= span;
    }
    int[] map = s.emptyMap((int) range);
    for (int i = 0; i < m; i++) {
      int j = index[i];
      int g = map[j];
      if (g < 0) {
        g = groups.id(key(cols, sel[i], probe));
        map[j] = g;
      }
      gid[i] = g;
    }
    return true;
  }

  /** Distinct key tuples by insertion order, in an open-addressing hash table. */
  static final class Groups {
    private final int width;
    private Object[][] keys = new Object[16][];
    private int[] slots = new int[64]; // group id + 1, 0 = empty
    private int[] hashes = new int[16];
    private int size;

    Groups(int width) {
      this.width = width;
    }

    int size() {
      return size;
    }

    Object[] key(int g) {
      return keys[g];
    }

    /** The id of the group of {@code probe} (not kept: copied when a group is added). */
    int id(Object[] probe) {
      int h = Arrays.hashCode(probe);
      h ^= h >>> 16;
      int mask = slots.length - 1;
      for (int s = h & mask; ; s = (s + 1) & mask) {
        int g = slots[s] - 1;
        if (g < 0) {
          return add(probe, h, s);
        }
        if (hashes[g] == h && equal(keys[g], probe)) {
          return g;
        }
      }
    }

    private boolean equal(Object[] a, Object[] b) {
      for (int i = 0; i < width; i++) {
        if (!Objects.equals(a[i], b[i])) {
          return false;
        }
      }
      return true;
    }

    private int add(Object[] probe, int h, int slot) {
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
        hashes = Arrays.copyOf(hashes, size * 2);
      }
      int g = size++;
      keys[g] = probe.clone();
      hashes[g] = h;
      slots[slot] = g + 1;
      if (size * 2 > slots.length) {
        int[] bigger = new int[slots.length * 2];
        int mask = bigger.length - 1;
        for (int i = 0; i < size; i++) {
          int s = hashes[i] & mask;
          while (bigger[s] != 0) {
            s = (s + 1) & mask;
          }
          bigger[s] = i + 1;
        }
        slots = bigger;
      }
      return g;
    }
  }

  /** Per aggregate, per group: a running value and how many inputs it has seen. */
  static final class Accumulators {
    private final Agg[] aggs;
    private final boolean[] isLong;
    private final long[][] longs;
    private final double[][] doubles;
    private final long[][] counts;
    private int capacity;

    Accumulators(Agg[] aggs, TableSchema schema) {
      this.aggs = aggs;
      int n = aggs.length;
      isLong = new boolean[n];
      longs = new long[n][];
      doubles = new double[n][];
      counts = new long[n][];
      for (int a = 0; a < n; a++) {
        isLong[a] = aggs[a].column() >= 0
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
     * Folds the selected rows' values of {@code col} into their groups' accumulators;
     * {@code perGroup}: the rows per group, or null (see {@link Scratch#rowsPerGroup}).
     */
    void update(int a, ColumnReader col, int[] sel, int[] gid, int m, Scratch s, int[] perGroup) {
      Kind kind = aggs[a].kind();
      boolean[] nul = null; // null: no row is NULL
      if (kind != Kind.COUNT_STAR && col.mayHaveNulls()) {
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
        col.gatherDoubles(sel, m, x);
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
