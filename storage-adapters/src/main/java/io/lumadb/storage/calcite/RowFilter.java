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
 * evaluate, so Calcite no longer runs them row by row on built rows; the rest stay with Calcite.
 * Columns of type REAL are left to Calcite (its comparisons of a float with a decimal literal
 * widen differently).
 */
final class RowFilter {
  /** One condition on a row: TRUE, FALSE, or null for UNKNOWN. */
  private interface Cond {
    Boolean eval(List<ColumnReader> cols, int row);
  }

  private final List<Cond> conds;
  private final BitSet columns;

  private RowFilter(List<Cond> conds, BitSet columns) {
    this.conds = conds;
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
    List<Cond> conds = new ArrayList<>();
    BitSet columns = new BitSet();
    // The list is a conjunction, and so is each AND in it: take every conjunct on its own, so
    // that one the scan cannot evaluate leaves the others to it.
    List<RexNode> conjuncts = new ArrayList<>();
    for (RexNode f : filters) {
      conjuncts.addAll(org.apache.calcite.plan.RelOptUtil.conjunctions(f));
    }
    List<RexNode> rest = new ArrayList<>();
    for (RexNode f : conjuncts) {
      BitSet used = new BitSet();
      Cond c = cond(schema, RexUtil.expandSearch(rexBuilder, null, f), used, params);
      if (c != null) {
        conds.add(memoized(schema, used, c));
        columns.or(used);
      } else {
        rest.add(f);
      }
    }
    if (conds.isEmpty()) {
      return null;
    }
    filters.clear();
    filters.addAll(rest);
    return new RowFilter(conds, columns);
  }

  /** Table column positions the conditions read. */
  BitSet columns() {
    return columns;
  }

  /** True when every condition is TRUE for the row (UNKNOWN drops it, as WHERE does). */
  boolean test(List<ColumnReader> cols, int row) {
    for (Cond c : conds) {
      if (!Boolean.TRUE.equals(c.eval(cols, row))) {
        return false;
      }
    }
    return true;
  }

  /**
   * A condition (one conjunct of the filter) that reads one text column alone is evaluated once
   * per dictionary value of a dictionary-coded part (a sealed segment's), not once per row:
   * {@code host IN ('a', 'b')} costs one array lookup per row there. Only whole conjuncts are
   * wrapped: a wrapper per node would cost a call per node on parts without a dictionary.
   */
  private static Cond memoized(TableSchema schema, BitSet used, Cond c) {
    int col = used.nextSetBit(0);
    if (used.cardinality() == 1 && schema.column(col).type() == ColumnType.VARCHAR) {
      return new DictionaryMemo(col, c);
    }
    return c;
  }

  /** A condition on one text column, remembered per dictionary code of the part it reads. */
  private static final class DictionaryMemo implements Cond {
    private static final byte TRUE = 1;
    private static final byte FALSE = 2;
    private static final byte UNKNOWN = 3;
    private final int col;
    private final Cond inner;
    private ColumnReader reader;
    private byte[] verdicts;

    DictionaryMemo(int col, Cond inner) {
      this.col = col;
      this.inner = inner;
    }

    @Override
    public Boolean eval(List<ColumnReader> cols, int row) {
      ColumnReader r = cols.get(col);
      if (r != reader) {
        reader = r;
        String[] dict = r.dictionary();
        verdicts = dict == null ? null : new byte[dict.length];
      }
      if (verdicts == null || r.isNull(row)) {
        return inner.eval(cols, row);
      }
      int code = r.code(row);
      byte v = verdicts[code];
      if (v == 0) {
        Boolean b = inner.eval(cols, row);
        v = b == null ? UNKNOWN : b ? TRUE : FALSE;
        verdicts[code] = v;
      }
      return v == UNKNOWN ? null : v == TRUE;
    }
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
        RexNode a = ops.get(0);
        RexNode b = ops.get(1);
        SqlKind kind = call.getKind();
        a = column(a);
        b = column(b);
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
        if (v == null) {
          return null;
        }
        Cond c = compare(schema.column(ref.getIndex()).type(), ref.getIndex(), kind, v);
        if (c != null) {
          used.set(ref.getIndex());
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
