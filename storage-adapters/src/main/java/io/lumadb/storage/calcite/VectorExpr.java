package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.runtime.SqlFunctions;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * An expression of a scan's row computed for a run of rows at a time (a projection kernel):
 * columns and literals, {@code + - * / %}, comparisons, AND / OR / NOT, IS [NOT] NULL, IN and
 * ranges (Calcite's SEARCH), LIKE with a literal pattern (judged once per dictionary value),
 * CASE, widening casts, and the time floors of {@code date_trunc} and {@code time_bucket}. Each
 * node computes the values of all the rows it is given into one {@link Vec}; CASE computes a
 * branch only for the rows that take it, so {@code CASE WHEN x <> 0 THEN 1 / x END} divides by no
 * zero. Results are what Calcite's generated code computes for the same expression (Java's
 * arithmetic: INTEGER wraps at 32 bits, integer division truncates and fails on zero);
 * {@link #of} returns null for anything else, which leaves the expression to Calcite.
 */
abstract class VectorExpr {
  /** How a value is held: a type kept as longs, a double, a boolean or a string. */
  enum Rep {
    LONG, DOUBLE, BOOL, STRING
  }

  /** The values of a run of rows, in the array of the expression's {@link Rep}. */
  static final class Vec {
    final int size;
    long[] longs;
    double[] doubles;
    boolean[] bools;
    String[] strings;
    /** Which values are NULL; null when none is. */
    boolean[] nulls;

    Vec(Rep rep, int size) {
      this.size = size;
      switch (rep) {
        case LONG -> longs = new long[size];
        case DOUBLE -> doubles = new double[size];
        case BOOL -> bools = new boolean[size];
        default -> strings = new String[size];
      }
    }

    boolean isNull(int i) {
      return nulls != null && nulls[i];
    }

    void setNull(int i) {
      if (nulls == null) {
        nulls = new boolean[size];
      }
      nulls[i] = true;
    }
  }

  final SqlTypeName type;
  final Rep rep;
  /** The expressions this one computes from. */
  private final List<VectorExpr> operands;

  VectorExpr(SqlTypeName type, VectorExpr... operands) {
    this.type = type;
    this.rep = rep(type);
    this.operands = List.of(operands);
  }

  /** The values of {@code v} (one of this expression's) as a reader indexed by position in the run. */
  ColumnReader reader(Vec v) {
    return new ColumnReader() {
      @Override
      public int rowCount() {
        return v.size;
      }

      @Override
      public boolean isNull(int i) {
        return v.isNull(i);
      }

      @Override
      public Object get(int i) {
        if (v.isNull(i)) {
          return null;
        }
        return switch (rep) {
          case LONG -> switch (type) { // Calcite's classes: a ?: chain would promote them all to Long
            case INTEGER -> (Object) (int) v.longs[i];
            case SMALLINT -> (Object) (short) v.longs[i];
            default -> (Object) v.longs[i];
          };
          case DOUBLE -> v.doubles[i];
          case BOOL -> v.bools[i];
          default -> v.strings[i];
        };
      }

      @Override
      public long getLong(int i) {
        return v.longs[i];
      }

      @Override
      public double getDouble(int i) {
        return v.doubles[i];
      }

      @Override
      public boolean mayHaveNulls() {
        return v.nulls != null;
      }
    };
  }

  /** The values for the rows {@code rows[0..m)} (positions in {@code readers}). */
  abstract Vec eval(List<ColumnReader> readers, int[] rows, int m);

  /** Adds the table columns it reads. */
  void columns(BitSet into) {
    operands.forEach(o -> o.columns(into));
  }

  private static Rep rep(SqlTypeName t) {
    return switch (t) {
      case SMALLINT, INTEGER, BIGINT, TIMESTAMP, DATE, TIMESTAMP_WITH_LOCAL_TIME_ZONE -> Rep.LONG;
      case DOUBLE -> Rep.DOUBLE;
      case BOOLEAN -> Rep.BOOL;
      case VARCHAR -> Rep.STRING;
      default -> null;
    };
  }

  /** Result types a computed column may have (as the front ends encode them from vectors). */
  static ColumnType columnType(SqlTypeName t) {
    return switch (t) {
      case SMALLINT -> ColumnType.SMALLINT;
      case INTEGER -> ColumnType.INTEGER;
      case BIGINT -> ColumnType.BIGINT;
      case DOUBLE -> ColumnType.DOUBLE;
      case BOOLEAN -> ColumnType.BOOLEAN;
      case VARCHAR -> ColumnType.VARCHAR;
      case TIMESTAMP -> ColumnType.TIMESTAMP;
      default -> null;
    };
  }

  /** {@code e}, over the table's columns, as a kernel, or null when a part of it is not one this class computes. */
  static VectorExpr of(RexNode e, TableSchema schema, RexBuilder rexBuilder) {
    return of(e, null, schema, rexBuilder);
  }

  /** {@code e} over a scan's fields ({@code scanColumns} maps them to table columns; null: the same). */
  static VectorExpr of(RexNode e, int[] scanColumns, TableSchema schema, RexBuilder rexBuilder) {
    try {
      VectorExpr x = node(e, scanColumns, schema, rexBuilder);
      x.text = e.toString();
      return x;
    } catch (Unsupported u) {
      return null;
    }
  }

  /**
   * The values of this DOUBLE expression for rows {@code sel[0..m)} into {@code out}; returns
   * which are NULL (null: none). How the scan's GROUP BY reads an aggregate's argument.
   */
  boolean[] evalDoubles(List<ColumnReader> readers, int[] sel, int m, double[] out) {
    Vec v = eval(readers, sel, m);
    System.arraycopy(v.doubles, 0, out, 0, m);
    return v.nulls;
  }

  /** The expression as Calcite prints it (over table columns), for EXPLAIN. */
  private String text;

  @Override
  public String toString() {
    return text != null ? text : getClass().getSimpleName();
  }

  /** Thrown while compiling a part this class does not compute. */
  private static final class Unsupported extends RuntimeException {
    Unsupported() {
      super(null, null, false, false);
    }
  }

  private static VectorExpr node(RexNode e, int[] scanColumns, TableSchema schema, RexBuilder rb) {
    SqlTypeName t = e.getType().getSqlTypeName();
    if (rep(t) == null) {
      throw new Unsupported();
    }
    if (e instanceof RexInputRef ref) {
      int col = scanColumns == null ? ref.getIndex() : scanColumns[ref.getIndex()];
      ColumnType ct = schema.column(col).type();
      if (ct.sqlType() != t || ct == ColumnType.JSON || ct == ColumnType.JSONB) {
        throw new Unsupported();
      }
      return new Column(col, t);
    }
    if (e instanceof RexLiteral lit) {
      return Const.of(lit);
    }
    if (!(e instanceof RexCall call)) {
      throw new Unsupported();
    }
    List<RexNode> ops = call.getOperands();
    switch (call.getKind()) {
      case PLUS, MINUS, TIMES, DIVIDE, MOD, CHECKED_PLUS, CHECKED_MINUS, CHECKED_TIMES, CHECKED_DIVIDE -> {
        // CHECKED_*: whole-number arithmetic that fails on overflow (PgConformance asks for it)
        boolean checked = SqlKind.CHECKED_ARITHMETIC.contains(call.getKind());
        SqlKind op = plain(call.getKind());
        if (t == SqlTypeName.DOUBLE && op != SqlKind.MOD) {
          return new Arithmetic(op, false, asDouble(ops.get(0), scanColumns, schema, rb),
              asDouble(ops.get(1), scanColumns, schema, rb), t);
        }
        VectorExpr a = node(ops.get(0), scanColumns, schema, rb);
        VectorExpr b = node(ops.get(1), scanColumns, schema, rb);
        if ((t == SqlTypeName.BIGINT || t == SqlTypeName.INTEGER) && isWhole(a.type) && isWhole(b.type)) {
          return new Arithmetic(op, checked, a, b, t);
        }
        throw new Unsupported();
      }
      case MINUS_PREFIX, CHECKED_MINUS_PREFIX -> {
        VectorExpr a = node(ops.get(0), scanColumns, schema, rb);
        if (a.type != t || !(a.rep == Rep.DOUBLE || t == SqlTypeName.BIGINT || t == SqlTypeName.INTEGER)) {
          throw new Unsupported();
        }
        return new Arithmetic(SqlKind.TIMES, call.getKind() == SqlKind.CHECKED_MINUS_PREFIX && a.rep == Rep.LONG,
            a, a.rep == Rep.DOUBLE ? new Const(SqlTypeName.DOUBLE, -1.0) : new Const(a.type, -1L), t);
      }
      case EQUALS, NOT_EQUALS, LESS_THAN, LESS_THAN_OR_EQUAL, GREATER_THAN, GREATER_THAN_OR_EQUAL -> {
        boolean doubles = ops.get(0).getType().getSqlTypeName() == SqlTypeName.DOUBLE
            || ops.get(1).getType().getSqlTypeName() == SqlTypeName.DOUBLE;
        VectorExpr a = doubles ? asDouble(ops.get(0), scanColumns, schema, rb) : node(ops.get(0), scanColumns, schema, rb);
        VectorExpr b = doubles ? asDouble(ops.get(1), scanColumns, schema, rb) : node(ops.get(1), scanColumns, schema, rb);
        boolean comparable = a.rep == b.rep
            && (a.rep != Rep.LONG || isWhole(a.type) && isWhole(b.type) || a.type == b.type);
        if (!comparable) {
          throw new Unsupported();
        }
        return new Comparison(call.getKind(), a, b);
      }
      case AND, OR -> {
        List<VectorExpr> args = new ArrayList<>();
        for (RexNode op : ops) {
          args.add(bool(node(op, scanColumns, schema, rb)));
        }
        return new Logic(call.getKind() == SqlKind.AND, args);
      }
      case NOT -> {
        return new Not(bool(node(ops.get(0), scanColumns, schema, rb)));
      }
      case IS_NULL, IS_NOT_NULL -> {
        return new IsNull(node(ops.get(0), scanColumns, schema, rb), call.getKind() == SqlKind.IS_NULL);
      }
      case SEARCH -> {
        return node(RexUtil.expandSearch(rb, null, call), scanColumns, schema, rb);
      }
      case LIKE -> {
        // LIKE with a literal pattern (and escape): Calcite's own matcher, once per distinct value
        if (call.getOperator().getName().equalsIgnoreCase("ILIKE") || ops.size() > 3
            || !(ops.get(1) instanceof RexLiteral p) || p.getValueAs(String.class) == null
            || ops.size() == 3 && (!(ops.get(2) instanceof RexLiteral esc) || esc.getValueAs(String.class) == null)) {
          throw new Unsupported();
        }
        String escape = ops.size() == 3 ? ((RexLiteral) ops.get(2)).getValueAs(String.class) : null;
        VectorExpr s = node(ops.get(0), scanColumns, schema, rb);
        if (s.rep != Rep.STRING) {
          throw new Unsupported();
        }
        return new LikeExpr(s, p.getValueAs(String.class), escape);
      }
      case CASE -> {
        List<VectorExpr> args = new ArrayList<>();
        for (int i = 0; i < ops.size(); i++) {
          VectorExpr x = node(ops.get(i), scanColumns, schema, rb);
          boolean condition = i % 2 == 0 && i < ops.size() - 1;
          if (condition ? x.rep != Rep.BOOL : x.type != t && !(x instanceof Const c && c.isNull()) && !widens(x.type, t)) {
            throw new Unsupported();
          }
          args.add(x);
        }
        return new Case(args, t);
      }
      case CAST -> {
        VectorExpr a = node(ops.get(0), scanColumns, schema, rb);
        RelDataType from = ops.get(0).getType();
        if (a.type == t && (t != SqlTypeName.VARCHAR
            || e.getType().getPrecision() == RelDataType.PRECISION_NOT_SPECIFIED
            || from.getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED
                && from.getPrecision() <= e.getType().getPrecision())) {
          return a; // only nullability or a wider VARCHAR changes
        }
        boolean widening = isWhole(a.type) && (t == SqlTypeName.BIGINT
            || t == SqlTypeName.INTEGER && a.type == SqlTypeName.SMALLINT);
        if (widening || isWhole(a.type) && t == SqlTypeName.DOUBLE) {
          return new Cast(a, t);
        }
        throw new Unsupported();
      }
      default -> {
        if (call.getOperator().getName().equalsIgnoreCase(ResultScan.FLOAT_DIVIDE) && ops.size() == 2 && t == SqlTypeName.DOUBLE) {
          // sql-engine's division of doubles that fails on zero (as PostgreSQL's)
          return new Arithmetic(SqlKind.DIVIDE, true, asDouble(ops.get(0), scanColumns, schema, rb),
              asDouble(ops.get(1), scanColumns, schema, rb), t);
        }
        AggregateScan.Key floor = AggregateScanRule.field(e, scanColumns, schema);
        if (floor != null && floor.floorMillis() > 0) {
          return new TimeFloor(floor);
        }
        throw new Unsupported();
      }
    }
  }

  /**
   * An operand of DOUBLE arithmetic or comparison: Java promotes a whole number to double, and
   * Calcite's code holds a numeric literal (DECIMAL 2.5, INTEGER 3) as a double there.
   */
  private static VectorExpr asDouble(RexNode op, int[] scanColumns, TableSchema schema, RexBuilder rb) {
    if (op instanceof RexLiteral lit && !lit.isNull()
        && SqlTypeName.NUMERIC_TYPES.contains(lit.getType().getSqlTypeName())) {
      Double d = lit.getValueAs(Double.class);
      if (d == null) {
        throw new Unsupported();
      }
      return new Const(SqlTypeName.DOUBLE, d);
    }
    VectorExpr x = node(op, scanColumns, schema, rb);
    if (x.rep == Rep.DOUBLE) {
      return x;
    }
    if (isWhole(x.type)) {
      return new Cast(x, SqlTypeName.DOUBLE);
    }
    throw new Unsupported();
  }

  private static SqlKind plain(SqlKind k) {
    return switch (k) {
      case CHECKED_PLUS -> SqlKind.PLUS;
      case CHECKED_MINUS -> SqlKind.MINUS;
      case CHECKED_TIMES -> SqlKind.TIMES;
      case CHECKED_DIVIDE -> SqlKind.DIVIDE;
      default -> k;
    };
  }

  /** Whether a whole-number value of {@code from} is one of {@code to} as it is (held as a long). */
  private static boolean widens(SqlTypeName from, SqlTypeName to) {
    return isWhole(from) && (to == SqlTypeName.BIGINT || to == SqlTypeName.INTEGER && from != SqlTypeName.BIGINT);
  }

  private static boolean isWhole(SqlTypeName t) {
    return t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER || t == SqlTypeName.BIGINT;
  }

  private static VectorExpr bool(VectorExpr x) {
    if (x.rep != Rep.BOOL) {
      throw new Unsupported();
    }
    return x;
  }

  /** A table column's values. */
  private static final class Column extends VectorExpr {
    private final int col;

    Column(int col, SqlTypeName type) {
      super(type);
      this.col = col;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      ColumnReader c = readers.get(col);
      Vec v = new Vec(rep, m);
      switch (rep) {
        case LONG -> c.gatherLongs(rows, m, v.longs);
        case DOUBLE -> c.gatherDoubles(rows, m, v.doubles);
        case BOOL -> {
          for (int i = 0; i < m; i++) {
            v.bools[i] = !c.isNull(rows[i]) && (Boolean) c.get(rows[i]);
          }
        }
        default -> {
          String[] dict = c.dictionary();
          if (dict != null) {
            for (int i = 0; i < m; i++) {
              v.strings[i] = c.isNull(rows[i]) ? null : dict[c.code(rows[i])];
            }
          } else {
            for (int i = 0; i < m; i++) {
              v.strings[i] = (String) c.get(rows[i]);
            }
          }
        }
      }
      if (c.mayHaveNulls()) {
        boolean[] nulls = new boolean[m];
        c.gatherNulls(rows, m, nulls);
        v.nulls = nulls;
      }
      return v;
    }

    @Override
    void columns(BitSet into) {
      into.set(col);
    }
  }

  /** A literal, the same for every row. */
  private static final class Const extends VectorExpr {
    private final Object value;

    Const(SqlTypeName type, Object value) {
      super(type);
      this.value = value;
    }

    static Const of(RexLiteral lit) {
      SqlTypeName t = lit.getType().getSqlTypeName();
      if (lit.isNull()) {
        return new Const(t, null);
      }
      Object v;
      try {
        v = switch (rep(t)) {
          case LONG -> t == SqlTypeName.DATE ? Long.valueOf(lit.getValueAs(Integer.class))
              : t == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE ? null : lit.getValueAs(Long.class);
          case DOUBLE -> lit.getValueAs(Double.class);
          case BOOL -> lit.getValueAs(Boolean.class);
          default -> lit.getValueAs(String.class);
        };
      } catch (RuntimeException | AssertionError e) {
        v = null; // a literal not held the way the column's values are
      }
      if (v == null) {
        throw new Unsupported();
      }
      return new Const(t, v);
    }

    boolean isNull() {
      return value == null;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec v = new Vec(rep, m);
      if (value == null) {
        v.nulls = new boolean[m];
        Arrays.fill(v.nulls, true);
        return v;
      }
      switch (rep) {
        case LONG -> Arrays.fill(v.longs, (Long) value);
        case DOUBLE -> Arrays.fill(v.doubles, (Double) value);
        case BOOL -> Arrays.fill(v.bools, (Boolean) value);
        default -> Arrays.fill(v.strings, (String) value);
      }
      return v;
    }
  }

  /** An operator of two operands: both computed for the rows, NULL where either is, then combined. */
  private abstract static class Binary extends VectorExpr {
    final SqlKind op;
    final VectorExpr a;
    final VectorExpr b;

    Binary(SqlKind op, VectorExpr a, VectorExpr b, SqlTypeName type) {
      super(type, a, b);
      this.op = op;
      this.a = a;
      this.b = b;
    }

    @Override
    final Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec x = a.eval(readers, rows, m);
      Vec y = b.eval(readers, rows, m);
      Vec v = new Vec(rep, m);
      v.nulls = orNulls(x, y, m);
      return combine(x, y, v, m);
    }

    /** Fills {@code v} (its NULLs set) from the operands' values; returns it. */
    abstract Vec combine(Vec x, Vec y, Vec v, int m);
  }

  /** NULL where either operand is. */
  private static boolean[] orNulls(Vec a, Vec b, int m) {
    if (a.nulls == null) {
      return b.nulls == null ? null : b.nulls.clone();
    }
    boolean[] n = a.nulls.clone();
    if (b.nulls != null) {
      for (int i = 0; i < m; i++) {
        n[i] |= b.nulls[i];
      }
    }
    return n;
  }

  /**
   * {@code + - * / %} of whole numbers (in the result type's width) or of doubles. Checked whole
   * arithmetic fails on overflow as Calcite's checked operators do (Java's exact arithmetic:
   * "integer overflow", "long overflow"); unchecked, INTEGER wraps at 32 bits.
   */
  private static final class Arithmetic extends Binary {
    private final boolean checked;

    Arithmetic(SqlKind op, boolean checked, VectorExpr a, VectorExpr b, SqlTypeName type) {
      super(op, a, b, type);
      this.checked = checked;
    }

    @Override
    Vec combine(Vec x, Vec y, Vec v, int m) {
      if (rep == Rep.DOUBLE) {
        double[] p = x.doubles;
        double[] q = y.doubles;
        double[] out = v.doubles;
        for (int i = 0; i < m; i++) {
          out[i] = switch (op) {
            case PLUS -> p[i] + q[i];
            case MINUS -> p[i] - q[i];
            case TIMES -> p[i] * q[i];
            default -> {
              if (checked && q[i] == 0 && !v.isNull(i)) {
                throw new ArithmeticException("/ by zero"); // PostgreSQL's float division by zero
              }
              yield p[i] / q[i];
            }
          };
        }
        return v;
      }
      long[] p = x.longs;
      long[] q = y.longs;
      long[] out = v.longs;
      boolean integer = type == SqlTypeName.INTEGER;
      for (int i = 0; i < m; i++) {
        if (v.isNull(i)) {
          continue; // the value of a NULL is undefined: it must not overflow or divide
        }
        long r = switch (op) {
          case PLUS -> checked && !integer ? Math.addExact(p[i], q[i]) : p[i] + q[i];
          case MINUS -> checked && !integer ? Math.subtractExact(p[i], q[i]) : p[i] - q[i];
          case TIMES -> checked && !integer ? Math.multiplyExact(p[i], q[i]) : p[i] * q[i];
          default -> {
            if (q[i] == 0) {
              throw new ArithmeticException("/ by zero"); // what Calcite's generated code throws
            }
            if (checked && !integer && p[i] == Long.MIN_VALUE && q[i] == -1 && op == SqlKind.DIVIDE) {
              throw new ArithmeticException("long overflow");
            }
            yield op == SqlKind.DIVIDE ? p[i] / q[i] : p[i] % q[i];
          }
        };
        if (integer) { // INTEGER operands: the exact result fits in a long
          if (checked && r != (int) r) {
            throw new ArithmeticException("integer overflow");
          }
          r = (int) r; // Java's int arithmetic, as Calcite computes unchecked INTEGER
        }
        out[i] = r;
      }
      return v;
    }
  }

  /** A comparison of two values of one kind (strings in Java's order, as Calcite compares them). */
  private static final class Comparison extends Binary {
    Comparison(SqlKind op, VectorExpr a, VectorExpr b) {
      super(op, a, b, SqlTypeName.BOOLEAN);
    }

    @Override
    Vec combine(Vec x, Vec y, Vec v, int m) {
      boolean[] out = v.bools;
      if (a.rep == Rep.DOUBLE) {
        // Java's primitive comparisons, as Calcite's generated code makes them (NaN: only <> holds)
        double[] p = x.doubles;
        double[] q = y.doubles;
        for (int i = 0; i < m; i++) {
          out[i] = switch (op) {
            case EQUALS -> p[i] == q[i];
            case NOT_EQUALS -> p[i] != q[i];
            case LESS_THAN -> p[i] < q[i];
            case LESS_THAN_OR_EQUAL -> p[i] <= q[i];
            case GREATER_THAN -> p[i] > q[i];
            default -> p[i] >= q[i];
          };
        }
        return v;
      }
      for (int i = 0; i < m; i++) {
        if (v.isNull(i)) {
          continue;
        }
        int c = switch (a.rep) {
          case LONG -> Long.compare(x.longs[i], y.longs[i]);
          case BOOL -> Boolean.compare(x.bools[i], y.bools[i]);
          default -> x.strings[i].compareTo(y.strings[i]);
        };
        out[i] = switch (op) {
          case EQUALS -> c == 0;
          case NOT_EQUALS -> c != 0;
          case LESS_THAN -> c < 0;
          case LESS_THAN_OR_EQUAL -> c <= 0;
          case GREATER_THAN -> c > 0;
          default -> c >= 0;
        };
      }
      return v;
    }
  }

  /**
   * AND / OR in SQL's three-valued logic. Each operand is computed only for the rows the ones
   * before it left undecided (as Calcite's code short-circuits a row), so
   * {@code x = 0 OR 1 / x > 1} divides by no zero.
   */
  private static final class Logic extends VectorExpr {
    private final boolean and;
    private final List<VectorExpr> args;

    Logic(boolean and, List<VectorExpr> args) {
      super(SqlTypeName.BOOLEAN, args.toArray(new VectorExpr[0]));
      this.and = and;
      this.args = args;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec v = new Vec(Rep.BOOL, m);
      Arrays.fill(v.bools, and); // TRUE for AND, FALSE for OR, until an operand decides
      boolean[] unknown = new boolean[m];
      int[] pending = Case.positions(m);
      int left = m;
      for (int a = 0; a < args.size() && left > 0; a++) {
        Vec x = args.get(a).eval(readers, Case.subset(rows, pending, left), left);
        int kept = 0;
        for (int j = 0; j < left; j++) {
          int p = pending[j];
          if (x.isNull(j)) {
            unknown[p] = true;
          } else if (x.bools[j] != and) {
            v.bools[p] = !and; // a FALSE operand decides AND, a TRUE one OR
            continue;
          }
          pending[kept++] = p;
        }
        left = kept;
      }
      for (int j = 0; j < left; j++) {
        if (unknown[pending[j]]) {
          v.setNull(pending[j]);
        }
      }
      return v;
    }
  }

  private static final class Not extends VectorExpr {
    private final VectorExpr a;

    Not(VectorExpr a) {
      super(SqlTypeName.BOOLEAN, a);
      this.a = a;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec x = a.eval(readers, rows, m);
      for (int i = 0; i < m; i++) {
        x.bools[i] = !x.bools[i];
      }
      return x;
    }
  }

  private static final class IsNull extends VectorExpr {
    private final VectorExpr a;
    private final boolean isNull;

    IsNull(VectorExpr a, boolean isNull) {
      super(SqlTypeName.BOOLEAN, a);
      this.a = a;
      this.isNull = isNull;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec x = a.eval(readers, rows, m);
      Vec v = new Vec(Rep.BOOL, m);
      for (int i = 0; i < m; i++) {
        v.bools[i] = x.isNull(i) == isNull;
      }
      return v;
    }
  }

  /** LIKE with a literal pattern; a run of one (dictionary) value is matched once. */
  private static final class LikeExpr extends VectorExpr {
    private final VectorExpr s;
    private final String pattern;
    private final String escape;
    private final SqlFunctions.LikeFunction like = new SqlFunctions.LikeFunction();

    LikeExpr(VectorExpr s, String pattern, String escape) {
      super(SqlTypeName.BOOLEAN, s);
      this.s = s;
      this.pattern = pattern;
      this.escape = escape;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec x = s.eval(readers, rows, m);
      Vec v = new Vec(Rep.BOOL, m);
      v.nulls = x.nulls;
      String last = null;
      boolean lastMatch = false;
      for (int i = 0; i < m; i++) {
        String str = x.strings[i];
        if (str == null) {
          continue;
        }
        if (str != last) { // dictionary values are shared objects
          last = str;
          lastMatch = escape == null ? like.like(str, pattern) : like.like(str, pattern, escape);
        }
        v.bools[i] = lastMatch;
      }
      return v;
    }
  }

  /** CASE WHEN c1 THEN v1 ... ELSE e END: each value computed only for the rows that take it. */
  private static final class Case extends VectorExpr {
    private final List<VectorExpr> args;

    Case(List<VectorExpr> args, SqlTypeName type) {
      super(type, args.toArray(new VectorExpr[0]));
      this.args = args;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec v = new Vec(rep, m);
      int[] pending = positions(m); // positions (in rows) no condition has taken yet
      int left = m;
      int arg = 0;
      for (; arg + 1 < args.size() && left > 0; arg += 2) {
        Vec cond = args.get(arg).eval(readers, subset(rows, pending, left), left);
        int[] taken = new int[left];
        int t = 0;
        int kept = 0;
        for (int j = 0; j < left; j++) {
          if (!cond.isNull(j) && cond.bools[j]) {
            taken[t++] = pending[j];
          } else {
            pending[kept++] = pending[j];
          }
        }
        fill(v, args.get(arg + 1), readers, rows, taken, t);
        left = kept;
      }
      if (left > 0) {
        if (args.size() % 2 == 1) {
          fill(v, args.get(args.size() - 1), readers, rows, pending, left);
        } else {
          for (int j = 0; j < left; j++) {
            v.setNull(pending[j]);
          }
        }
      }
      return v;
    }

    /** 0, 1, ..., m - 1. */
    static int[] positions(int m) {
      int[] p = new int[m];
      for (int i = 0; i < m; i++) {
        p[i] = i;
      }
      return p;
    }

    /** The rows at {@code positions[0..n)}. */
    static int[] subset(int[] rows, int[] positions, int n) {
      int[] out = new int[n];
      for (int j = 0; j < n; j++) {
        out[j] = rows[positions[j]];
      }
      return out;
    }

    /** Computes {@code value} for the rows at {@code positions[0..n)} into those positions of {@code v}. */
    private void fill(Vec v, VectorExpr value, List<ColumnReader> readers, int[] rows, int[] positions, int n) {
      if (n == 0) {
        return;
      }
      Vec x = value.eval(readers, subset(rows, positions, n), n);
      for (int j = 0; j < n; j++) {
        int p = positions[j];
        if (x.isNull(j)) {
          v.setNull(p);
          continue;
        }
        switch (rep) {
          case LONG -> v.longs[p] = x.longs[j];
          case DOUBLE -> v.doubles[p] = x.doubles[j];
          case BOOL -> v.bools[p] = x.bools[j];
          default -> v.strings[p] = x.strings[j];
        }
      }
    }
  }

  /** A whole number widened (to a wider whole type, or to DOUBLE). */
  private static final class Cast extends VectorExpr {
    private final VectorExpr a;

    Cast(VectorExpr a, SqlTypeName type) {
      super(type, a);
      this.a = a;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec x = a.eval(readers, rows, m);
      if (rep == Rep.LONG) {
        return x; // every whole type is held as a long already
      }
      Vec v = new Vec(Rep.DOUBLE, m);
      v.nulls = x.nulls;
      for (int i = 0; i < m; i++) {
        v.doubles[i] = x.longs[i];
      }
      return v;
    }
  }

  /** {@code FLOOR(ts TO unit)} ({@code date_trunc}) or {@code time_bucket}, as the scan's GROUP BY floors keys. */
  private static final class TimeFloor extends VectorExpr {
    private final AggregateScan.Key key;

    TimeFloor(AggregateScan.Key key) {
      super(SqlTypeName.TIMESTAMP);
      this.key = key;
    }

    @Override
    Vec eval(List<ColumnReader> readers, int[] rows, int m) {
      Vec v = new Column(key.column(), SqlTypeName.TIMESTAMP).eval(readers, rows, m);
      for (int i = 0; i < m; i++) {
        v.longs[i] = key.floor(v.longs[i]);
      }
      return v;
    }

    @Override
    void columns(BitSet into) {
      into.set(key.column());
    }
  }
}
