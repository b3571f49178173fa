package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.util.NlsString;

/**
 * Filters a scan evaluates itself, exactly, on a part's columns before a row is built:
 * comparisons of a column with a literal or a prepared statement's parameter
 * ({@code = <> < <= > >=}), {@code IS [NOT] NULL},
 * {@code IN} lists and ranges (Calcite's SEARCH), and AND / OR / NOT of these, with SQL's
 * three-valued logic. {@link #compile} takes out of Calcite's filter list the filters it can
 * evaluate, so Calcite no longer runs them row by row on built rows; the rest stay with Calcite
 * (or go to {@link ResidualFilter} in the operators that run inside the scan). Columns of type
 * REAL are left to Calcite (its comparisons of a float with a decimal literal widen differently).
 *
 * <p>{@link #select} applies them to a whole part, a conjunct at a time narrowing a selection
 * vector: ranges of whole numbers, timestamps and dates and of doubles, IS [NOT] NULL, and any
 * condition on one text column (judged per dictionary value) run as {@link ColumnReader} kernels;
 * the other conditions run row by row on what the kernels left. {@link #test} answers for one row.
 */
final class RowFilter {
  /** One condition on a row: TRUE, FALSE, or null for UNKNOWN. */
  private interface Cond {
    Boolean eval(List<ColumnReader> cols, int row);
  }

  /**
   * One conjunct of the filter, applied to a whole selection of a part's rows at once (the
   * vectorized path) or to one row ({@link #test}).
   */
  private interface Step {
    /** Keeps, in place and in order, those of the rows {@code sel[0..m)} for which it is TRUE. */
    int select(List<ColumnReader> cols, int[] sel, int m);

    /** {@link #select} over every row of a part of {@code rowCount} rows. */
    default int selectAll(List<ColumnReader> cols, int rowCount, int[] sel) {
      return select(cols, sel, all(rowCount, sel));
    }

    Cond cond();
  }

  private final List<Step> steps;
  private final BitSet columns;

  private RowFilter(List<Step> steps, BitSet columns) {
    this.steps = steps;
    this.columns = columns;
  }

  /**
   * Compiles the filters it can evaluate and removes them from {@code filters}; returns null
   * when it can evaluate none.
   */
  static RowFilter compile(TableSchema schema, List<RexNode> filters, RexBuilder rexBuilder) {
    return compile(schema, filters, rexBuilder, null);
  }

  /**
   * As {@link #compile(TableSchema, List, RexBuilder)}, with the values of dynamic parameters
   * ({@code ?0}, {@code ?1}, ... of a prepared statement) taken from {@code params} (null: none),
   * so a prepared {@code WHERE id = $1} is evaluated here too. Called once per execution.
   */
  static RowFilter compile(TableSchema schema, List<RexNode> filters, RexBuilder rexBuilder,
      DataContext params) {
    List<Step> kernels = new ArrayList<>();
    List<Step> exprSteps = new ArrayList<>();
    List<Step> rowSteps = new ArrayList<>();
    BitSet columns = new BitSet();
    // The list is a conjunction, and so is each AND in it: take every conjunct on its own, so
    // that one the scan cannot evaluate leaves the others to it.
    List<RexNode> conjuncts = new ArrayList<>();
    for (RexNode f : filters) {
      conjuncts.addAll(org.apache.calcite.plan.RelOptUtil.conjunctions(f));
    }
    List<RexNode> rest = new ArrayList<>();
    for (RexNode f : conjuncts) {
      RexNode expanded = RexUtil.expandSearch(rexBuilder, null, f);
      BitSet used = new BitSet();
      if (cond(schema, expanded, used, params) == null) {
        ExprStep e = ExprStep.of(schema, expanded, rexBuilder);
        if (e == null) {
          rest.add(f);
        } else {
          e.expr().columns(columns);
          exprSteps.add(e);
        }
        continue;
      }
      columns.or(used);
      // A range (SEARCH) expands to an AND: each of its parts becomes a step of its own.
      for (RexNode part : org.apache.calcite.plan.RelOptUtil.conjunctions(expanded)) {
        Step s = step(schema, part, params);
        (s instanceof RowStep ? rowSteps : kernels).add(s);
      }
    }
    if (kernels.isEmpty() && exprSteps.isEmpty() && rowSteps.isEmpty()) {
      return null;
    }
    filters.clear();
    filters.addAll(rest);
    List<Step> steps = mergeRanges(kernels);
    // Conditions judged per dictionary value first: over a whole part, a selective one is
    // answered from the part's postings, and the other kernels then see only its rows.
    steps.sort(java.util.Comparator.comparingInt(st -> st instanceof DictionaryStep ? 0 : 1));
    steps.addAll(exprSteps); // computed columns after the plain ones
    steps.addAll(rowSteps); // row-at-a-time conditions last, on what the kernels left
    return new RowFilter(steps, columns);
  }

  /** Table column positions the conditions read. */
  BitSet columns() {
    return columns;
  }

  /** True when every condition is TRUE for the row (UNKNOWN drops it, as WHERE does). */
  boolean test(List<ColumnReader> cols, int row) {
    for (Step s : steps) {
      if (!Boolean.TRUE.equals(s.cond().eval(cols, row))) {
        return false;
      }
    }
    return true;
  }

  /**
   * The rows of a part (of {@code rowCount} rows) for which every condition is TRUE: written
   * to {@code sel} (at least {@code rowCount} long) in ascending order; returns how many.
   */
  int select(List<ColumnReader> cols, int rowCount, int[] sel) {
    int m = steps.get(0).selectAll(cols, rowCount, sel);
    for (int i = 1; i < steps.size() && m > 0; i++) {
      m = steps.get(i).select(cols, sel, m);
    }
    return m;
  }

  /** {@link #select} of {@code filter}, or every row when there is no filter. */
  static int select(RowFilter filter, List<ColumnReader> cols, int rowCount, int[] sel) {
    return filter == null ? all(rowCount, sel) : filter.select(cols, rowCount, sel);
  }

  private static int all(int rowCount, int[] sel) {
    for (int i = 0; i < rowCount; i++) {
      sel[i] = i;
    }
    return rowCount;
  }

  /** The step for one conjunct (with no AND at its top): a kernel when there is one for it. */
  private static Step step(TableSchema schema, RexNode n, DataContext params) {
    BitSet used = new BitSet();
    Cond c = cond(schema, n, used, params);
    if (n instanceof RexCall call && (call.getKind() == SqlKind.IS_NULL || call.getKind() == SqlKind.IS_NOT_NULL)
        && call.getOperands().get(0) instanceof RexInputRef ref) {
      return new NullStep(ref.getIndex(), call.getKind() == SqlKind.IS_NULL, c);
    }
    Comparison cmp = comparison(n, params);
    if (cmp != null && cmp.value().v() != null && cmp.kind() == SqlKind.NOT_EQUALS) {
      Long l = asLong(schema.column(cmp.column()).type(), cmp.value());
      if (l != null) {
        return new LongSet(cmp.column(), new long[] {l}, true, c);
      }
    }
    LongSet in = longsIn(schema, n, params, c);
    if (in != null) {
      return in;
    }
    if (cmp != null && cmp.value().v() != null && cmp.kind() != SqlKind.NOT_EQUALS) {
      ColumnType type = schema.column(cmp.column()).type();
      Long l = asLong(type, cmp.value());
      if (l != null) {
        return LongRange.of(cmp.column(), cmp.kind(), l, c);
      }
      if (type == ColumnType.DOUBLE && cmp.value().v() instanceof Number num) {
        return DoubleRange.of(cmp.column(), cmp.kind(), num.doubleValue(), c);
      }
    }
    int col = used.nextSetBit(0);
    if (used.cardinality() == 1 && schema.column(col).type() == ColumnType.VARCHAR) {
      return new DictionaryStep(col, c);
    }
    return new RowStep(c);
  }

  /**
   * {@code col = a OR col = b OR ...} (an IN list after expandSearch) on one column held as
   * longs, every value a whole number of its kind: one set lookup per row; null otherwise.
   */
  private static LongSet longsIn(TableSchema schema, RexNode n, DataContext params, Cond c) {
    if (!(n instanceof RexCall call) || call.getKind() != SqlKind.OR) {
      return null;
    }
    int col = -1;
    java.util.TreeSet<Long> values = new java.util.TreeSet<>();
    for (RexNode op : call.getOperands()) {
      Comparison cmp = comparison(op, params);
      if (cmp == null || cmp.kind() != SqlKind.EQUALS || cmp.value().v() == null || col >= 0 && cmp.column() != col) {
        return null;
      }
      col = cmp.column();
      Long l = asLong(schema.column(col).type(), cmp.value());
      if (l == null) {
        return null;
      }
      values.add(l);
    }
    return col < 0 ? null : new LongSet(col, values.stream().mapToLong(Long::longValue).toArray(), false, c);
  }

  /** The value compared with a column held as longs, when it is an exact whole number of its kind. */
  private static Long asLong(ColumnType type, Value v) {
    SqlTypeName t = v.type();
    switch (type) {
      case SMALLINT, INTEGER, BIGINT -> {
        if (SqlTypeName.EXACT_TYPES.contains(t) && v.v() instanceof BigDecimal d
            && d.stripTrailingZeros().scale() <= 0 && d.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
          return d.longValueExact();
        }
        return null;
      }
      case TIMESTAMP, TIMESTAMPTZ, DATE -> {
        boolean timestamps = type.isTimestamp() && (t == SqlTypeName.TIMESTAMP
            || t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
        return t == type.sqlType() || timestamps ? ((Number) v.v()).longValue() : null;
      }
      default -> {
        return null;
      }
    }
  }

  /** Ranges on the same long column, one pass instead of one per bound ({@code ts >= a AND ts < b}). */
  private static List<Step> mergeRanges(List<Step> kernels) {
    List<Step> out = new ArrayList<>();
    for (Step s : kernels) {
      if (s instanceof LongRange r) {
        int at = -1;
        for (int i = 0; i < out.size(); i++) {
          if (out.get(i) instanceof LongRange o && o.col() == r.col()) {
            at = i;
          }
        }
        if (at >= 0) {
          LongRange o = (LongRange) out.get(at);
          out.set(at, new LongRange(r.col(), Math.max(o.lo(), r.lo()), Math.min(o.hi(), r.hi()),
              and(List.of(o.cond(), r.cond()))));
          continue;
        }
      }
      out.add(s);
    }
    return out;
  }

  /** Any condition, row by row over the selection. */
  private record RowStep(Cond cond) implements Step {
    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        if (Boolean.TRUE.equals(cond.eval(cols, r))) {
          sel[k++] = r;
        }
      }
      return k;
    }
  }

  /** {@code column} (held as longs) in [lo, hi]: a comparison with a whole number, or two merged. */
  private record LongRange(int col, long lo, long hi, Cond cond) implements Step {
    static LongRange of(int col, SqlKind kind, long l, Cond cond) {
      return switch (kind) {
        case EQUALS -> new LongRange(col, l, l, cond);
        case LESS_THAN -> l == Long.MIN_VALUE ? new LongRange(col, 1, 0, cond) : new LongRange(col, Long.MIN_VALUE, l - 1, cond);
        case LESS_THAN_OR_EQUAL -> new LongRange(col, Long.MIN_VALUE, l, cond);
        case GREATER_THAN -> l == Long.MAX_VALUE ? new LongRange(col, 1, 0, cond) : new LongRange(col, l + 1, Long.MAX_VALUE, cond);
        default -> new LongRange(col, l, Long.MAX_VALUE, cond); // GREATER_THAN_OR_EQUAL
      };
    }

    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      if (lo > hi) {
        return 0;
      }
      ColumnReader r = cols.get(col);
      long[] b = r.longBounds();
      if (b != null && b[2] == 0 && lo <= b[0] && b[1] <= hi) {
        return m; // every row of the part passes (a part wholly inside a time range)
      }
      return r.selectLongs(sel, m, lo, hi);
    }
  }

  /** {@code column} (held as longs) one of the sorted values, or none of them ({@code <>}, NOT IN). */
  private record LongSet(int col, long[] sorted, boolean negate, Cond cond) implements Step {
    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      return cols.get(col).selectLongsIn(sel, m, sorted, negate);
    }
  }

  /** A DOUBLE column compared with a number, as Java compares doubles (NaN passes none). */
  private record DoubleRange(int col, double lo, boolean loOpen, double hi, boolean hiOpen, Cond cond)
      implements Step {
    static DoubleRange of(int col, SqlKind kind, double d, Cond cond) {
      double inf = Double.POSITIVE_INFINITY;
      return switch (kind) {
        case EQUALS -> new DoubleRange(col, d, false, d, false, cond);
        case LESS_THAN -> new DoubleRange(col, -inf, false, d, true, cond);
        case LESS_THAN_OR_EQUAL -> new DoubleRange(col, -inf, false, d, false, cond);
        case GREATER_THAN -> new DoubleRange(col, d, true, inf, false, cond);
        default -> new DoubleRange(col, d, false, inf, false, cond); // GREATER_THAN_OR_EQUAL
      };
    }

    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      return cols.get(col).selectDoubles(sel, m, lo, loOpen, hi, hiOpen);
    }
  }

  /**
   * A condition the projection kernels compute ({@link VectorExpr}: {@code a + b > 90},
   * {@code v % 2 = 0}, {@code CASE ... END > 1}, an OR across columns) for the whole selection,
   * keeping the rows where it is true.
   */
  private record ExprStep(VectorExpr expr) implements Step {
    static ExprStep of(TableSchema schema, RexNode n, RexBuilder rexBuilder) {
      VectorExpr e = VectorExpr.of(n, schema, rexBuilder);
      return e == null || e.rep != VectorExpr.Rep.BOOL ? null : new ExprStep(e);
    }

    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      VectorExpr.Vec v = expr.eval(cols, sel, m);
      int k = 0;
      for (int i = 0; i < m; i++) {
        int r = sel[i];
        sel[k] = r;
        k += !v.isNull(i) && v.bools[i] ? 1 : 0;
      }
      return k;
    }

    @Override
    public Cond cond() {
      return (cols, row) -> {
        VectorExpr.Vec v = expr.eval(cols, new int[] {row}, 1);
        return v.isNull(0) ? null : v.bools[0];
      };
    }
  }

  /** {@code column IS [NOT] NULL}. */
  private record NullStep(int col, boolean wantNull, Cond cond) implements Step {
    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      return cols.get(col).selectNulls(sel, m, wantNull);
    }
  }

  /**
   * A condition that reads one text column alone. On a dictionary-coded part (a sealed
   * segment's) it is evaluated once per dictionary value, then each row is one lookup by its
   * code: {@code host IN ('a', 'b')} costs an array read per row there. Elsewhere row by row.
   */
  private static final class DictionaryStep implements Step {
    private final int col;
    private final Cond cond;
    private final RowStep rows;
    private ColumnReader reader;
    private boolean[] accepted;
    private boolean acceptNull;

    DictionaryStep(int col, Cond cond) {
      this.col = col;
      this.cond = cond;
      this.rows = new RowStep(cond);
    }

    @Override
    public Cond cond() {
      return cond;
    }

    @Override
    public int select(List<ColumnReader> cols, int[] sel, int m) {
      ColumnReader r = cols.get(col);
      if (r.dictionary() == null) {
        return rows.select(cols, sel, m);
      }
      judge(cols, r);
      return r.selectCodes(sel, m, accepted, acceptNull);
    }

    @Override
    public int selectAll(List<ColumnReader> cols, int rowCount, int[] sel) {
      ColumnReader r = cols.get(col);
      if (r.dictionary() == null) {
        return rows.select(cols, sel, all(rowCount, sel));
      }
      judge(cols, r);
      return r.selectCodesAll(sel, accepted, acceptNull);
    }

    /** Judges the values of the dictionary of {@code r}, unless they were judged for it already. */
    private void judge(List<ColumnReader> cols, ColumnReader r) {
      String[] dict = r.dictionary();
      if (r != reader) { // a new part: judge its dictionary's values
        reader = r;
        accepted = new boolean[dict.length];
        List<ColumnReader> values = onlyColumn(cols.size(), col, new Values(dict));
        for (int code = 0; code < dict.length; code++) {
          accepted[code] = Boolean.TRUE.equals(cond.eval(values, code));
        }
        acceptNull = Boolean.TRUE.equals(cond.eval(onlyColumn(cols.size(), col, ColumnReader.nulls(1)), 0));
      }
    }

    private static List<ColumnReader> onlyColumn(int size, int col, ColumnReader reader) {
      ColumnReader[] cols = new ColumnReader[size];
      cols[col] = reader;
      return java.util.Arrays.asList(cols);
    }
  }

  /** The values of a dictionary as a column, one row per value. */
  private record Values(String[] values) implements ColumnReader {
    @Override
    public int rowCount() {
      return values.length;
    }

    @Override
    public boolean isNull(int row) {
      return values[row] == null;
    }

    @Override
    public Object get(int row) {
      return values[row];
    }

    @Override
    public long getLong(int row) {
      throw new IllegalStateException("text");
    }

    @Override
    public double getDouble(int row) {
      throw new IllegalStateException("text");
    }
  }

  private static final java.util.Set<SqlKind> COMPARISONS = java.util.EnumSet.of(SqlKind.EQUALS, SqlKind.NOT_EQUALS,
      SqlKind.LESS_THAN, SqlKind.LESS_THAN_OR_EQUAL, SqlKind.GREATER_THAN, SqlKind.GREATER_THAN_OR_EQUAL);

  /** A column compared with a literal or parameter: {@code column <kind> value}. */
  private record Comparison(int column, SqlKind kind, Value value) {}

  /** {@code n} as a column compared with a value (column first), or null when it is not one. */
  private static Comparison comparison(RexNode n, DataContext params) {
    if (!(n instanceof RexCall call) || !COMPARISONS.contains(call.getKind())
        || call.getOperands().size() != 2) {
      return null;
    }
    RexNode a = column(call.getOperands().get(0));
    RexNode b = column(call.getOperands().get(1));
    SqlKind kind = call.getKind();
    if (!(a instanceof RexInputRef) && b instanceof RexInputRef) {
      RexNode t = a;
      a = b;
      b = t;
      kind = kind.reverse();
    }
    if (!(a instanceof RexInputRef ref)) {
      return null;
    }
    Value v = value(b, params);
    return v == null ? null : new Comparison(ref.getIndex(), kind, v);
  }

  private static Cond cond(TableSchema schema, RexNode n, BitSet used, DataContext params) {
    if (!(n instanceof RexCall call)) {
      return null;
    }
    List<RexNode> ops = call.getOperands();
    switch (call.getKind()) {
      case AND, OR -> {
        List<Cond> parts = new ArrayList<>();
        for (RexNode op : ops) {
          Cond c = cond(schema, op, used, params);
          if (c == null) {
            return null;
          }
          parts.add(c);
        }
        return call.getKind() == SqlKind.AND ? and(parts) : or(parts);
      }
      case NOT -> {
        Cond c = cond(schema, ops.get(0), used, params);
        return c == null ? null : (cols, row) -> {
          Boolean v = c.eval(cols, row);
          return v == null ? null : !v;
        };
      }
      case IS_NULL, IS_NOT_NULL -> {
        if (!(ops.get(0) instanceof RexInputRef ref)) {
          return null;
        }
        int col = ref.getIndex();
        used.set(col);
        boolean wantNull = call.getKind() == SqlKind.IS_NULL;
        return (cols, row) -> cols.get(col).isNull(row) == wantNull;
      }
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        Comparison cmp = comparison(call, params);
        if (cmp == null) {
          return null;
        }
        Cond c = compare(schema.column(cmp.column()).type(), cmp.column(), cmp.kind(), cmp.value());
        if (c != null) {
          used.set(cmp.column());
        }
        return c;
      }
      default -> {
        return null;
      }
    }
  }

  private static Cond and(List<Cond> parts) {
    return (cols, row) -> {
      boolean unknown = false;
      for (Cond p : parts) {
        Boolean v = p.eval(cols, row);
        if (v == null) {
          unknown = true;
        } else if (!v) {
          return false;
        }
      }
      return unknown ? null : true;
    };
  }

  private static Cond or(List<Cond> parts) {
    return (cols, row) -> {
      boolean unknown = false;
      for (Cond p : parts) {
        Boolean v = p.eval(cols, row);
        if (v == null) {
          unknown = true;
        } else if (v) {
          return true;
        }
      }
      return unknown ? null : false;
    };
  }

  /** A comparison result (negative, zero, positive) turned into the operator's answer. */
  private static boolean holds(SqlKind kind, int cmp) {
    return switch (kind) {
      case EQUALS -> cmp == 0;
      case NOT_EQUALS -> cmp != 0;
      case LESS_THAN -> cmp < 0;
      case LESS_THAN_OR_EQUAL -> cmp <= 0;
      case GREATER_THAN -> cmp > 0;
      default -> cmp >= 0;
    };
  }

  /**
   * The column under a cast that cannot change its text ({@code CAST(text_column AS VARCHAR)},
   * which Calcite adds to compare a TEXT column with a VARCHAR parameter), else {@code n}.
   */
  static RexNode column(RexNode n) {
    if (n instanceof RexCall c && c.getKind() == SqlKind.CAST && c.getOperands().get(0) instanceof RexInputRef ref
        && SqlTypeName.CHAR_TYPES.contains(ref.getType().getSqlTypeName())
        && c.getType().getSqlTypeName() == SqlTypeName.VARCHAR
        && c.getType().getPrecision() == org.apache.calcite.rel.type.RelDataType.PRECISION_NOT_SPECIFIED
        && ref.getType().getSqlTypeName() == SqlTypeName.VARCHAR) {
      return ref;
    }
    return n;
  }

  /** What a column is compared with: a literal's or a parameter's value and its kind. */
  record Value(Object v, SqlTypeName type) {}

  /**
   * The value of a literal, or of a dynamic parameter (possibly under a CAST that only states
   * its type) read from the execution's parameters; null when it is anything else.
   */
  static Value value(RexNode n, DataContext params) {
    if (n instanceof RexLiteral lit) {
      SqlTypeName t = lit.getType().getSqlTypeName();
      if (lit.isNull()) {
        return new Value(null, t);
      }
      Object v;
      if (SqlTypeName.EXACT_TYPES.contains(t)) {
        v = lit.getValueAs(BigDecimal.class);
      } else if (SqlTypeName.APPROX_TYPES.contains(t)) {
        v = lit.getValueAs(Double.class);
      } else if (SqlTypeName.CHAR_TYPES.contains(t)) {
        NlsString nls = lit.getValueAs(NlsString.class);
        v = nls == null ? null : nls.getValue();
      } else if (t == SqlTypeName.BOOLEAN) {
        v = lit.getValueAs(Boolean.class);
      } else if (t == SqlTypeName.TIMESTAMP || t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
        v = lit.getValueAs(Long.class);
      } else if (t == SqlTypeName.DATE) {
        v = lit.getValueAs(Integer.class);
      } else {
        return null;
      }
      return v == null ? null : new Value(v, t);
    }
    RexNode inner = n.getKind() == SqlKind.CAST ? ((RexCall) n).getOperands().get(0) : n;
    if (params == null || !(inner instanceof RexDynamicParam p)) {
      return null;
    }
    SqlTypeName t = n.getType().getSqlTypeName();
    Object raw = params.get("?" + p.getIndex());
    if (raw == null) {
      return new Value(null, t);
    }
    // Only Java values whose meaning is plain; timestamps and dates stay with Calcite.
    if (SqlTypeName.EXACT_TYPES.contains(t) && (raw instanceof Long || raw instanceof Integer
        || raw instanceof Short || raw instanceof Byte)) {
      return new Value(BigDecimal.valueOf(((Number) raw).longValue()), t);
    }
    if (SqlTypeName.EXACT_TYPES.contains(t) && raw instanceof BigDecimal bd) {
      return new Value(bd, t);
    }
    if (SqlTypeName.APPROX_TYPES.contains(t) && t != SqlTypeName.REAL && raw instanceof Double d) {
      return new Value(d, t);
    }
    if (SqlTypeName.CHAR_TYPES.contains(t) && raw instanceof String str) {
      return new Value(str, t);
    }
    if (t == SqlTypeName.BOOLEAN && raw instanceof Boolean bool) {
      return new Value(bool, t);
    }
    // A timestamp or date parameter (not one cast from text) in Calcite's own representation:
    // the conversions Calcite applies before comparing it with a column.
    SqlTypeName own = inner.getType().getSqlTypeName();
    if ((t == SqlTypeName.TIMESTAMP || t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) && own == t) {
      if (raw instanceof java.sql.Timestamp ts) {
        return new Value(org.apache.calcite.runtime.SqlFunctions.toLong(ts), t);
      }
      if (raw instanceof Long l) {
        return new Value(l, t);
      }
    }
    if (t == SqlTypeName.DATE && own == SqlTypeName.DATE) {
      if (raw instanceof java.sql.Date d) {
        return new Value((long) org.apache.calcite.runtime.SqlFunctions.toInt(d), t);
      }
      if (raw instanceof Integer i) {
        return new Value(i.longValue(), t);
      }
    }
    return null;
  }

  /** {@code column <kind> l} on a column held as longs (integers, timestamps, dates). */
  private static Cond longs(int col, SqlKind kind, long l) {
    return (cols, row) -> {
      ColumnReader r = cols.get(col);
      return r.isNull(row) ? null : holds(kind, Long.compare(r.getLong(row), l));
    };
  }

  /** {@code column <kind> value}, or null when the value's type is not the column's. */
  private static Cond compare(ColumnType type, int col, SqlKind kind, Value val) {
    SqlTypeName litType = val.type();
    if (val.v() == null) {
      return (cols, row) -> null; // a comparison with NULL is UNKNOWN
    }
    switch (type) {
      case SMALLINT, INTEGER, BIGINT -> {
        if (!SqlTypeName.EXACT_TYPES.contains(litType)) {
          return null;
        }
        BigDecimal v = (BigDecimal) val.v();
        if (v.stripTrailingZeros().scale() <= 0 && v.abs().compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) <= 0) {
          long l = v.longValueExact();
          return longs(col, kind, l);
        }
        return (cols, row) -> {
          ColumnReader r = cols.get(col);
          return r.isNull(row) ? null : holds(kind, BigDecimal.valueOf(r.getLong(row)).compareTo(v));
        };
      }
      case DOUBLE -> {
        if (!SqlTypeName.NUMERIC_TYPES.contains(litType) || litType == SqlTypeName.REAL) {
          return null;
        }
        double d = ((Number) val.v()).doubleValue();
        if (Double.isNaN(d)) {
          return null;
        }
        // primitive comparisons, as Calcite's generated code compares doubles (NaN: all false but <>)
        return (cols, row) -> {
          ColumnReader r = cols.get(col);
          if (r.isNull(row)) {
            return null;
          }
          double x = r.getDouble(row);
          return switch (kind) {
            case EQUALS -> x == d;
            case NOT_EQUALS -> x != d;
            case LESS_THAN -> x < d;
            case LESS_THAN_OR_EQUAL -> x <= d;
            case GREATER_THAN -> x > d;
            default -> x >= d;
          };
        };
      }
      case TIMESTAMP, TIMESTAMPTZ, DATE -> {
        // timestamp and timestamptz values compare as epoch milliseconds: Calcite converts
        // between them in the connection's time zone, which is UTC
        boolean timestamps = type.isTimestamp() && (litType == SqlTypeName.TIMESTAMP
            || litType == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE);
        if (litType != type.sqlType() && !timestamps) {
          return null;
        }
        long l = ((Number) val.v()).longValue();
        return longs(col, kind, l);
      }
      case VARCHAR -> {
        if (!SqlTypeName.CHAR_TYPES.contains(litType)) {
          return null;
        }
        String s = (String) val.v();
        return (cols, row) -> {
          Object x = cols.get(col).get(row);
          return x == null ? null : holds(kind, ((String) x).compareTo(s));
        };
      }
      case BOOLEAN -> {
        if (litType != SqlTypeName.BOOLEAN || (kind != SqlKind.EQUALS && kind != SqlKind.NOT_EQUALS)) {
          return null;
        }
        boolean b = (Boolean) val.v();
        return (cols, row) -> {
          Object x = cols.get(col).get(row);
          return x == null ? null : (((Boolean) x) == b) == (kind == SqlKind.EQUALS);
        };
      }
      default -> {
        return null;
      }
    }
  }
}
