package io.lumadb.storage.calcite;

import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * A DOUBLE PRECISION expression evaluated a part at a time (a projection kernel): columns
 * (DOUBLE, or whole-number columns cast to DOUBLE), numeric literals, {@code + - * /} and unary
 * minus. Each node computes the values of all selected rows into an array; a NULL operand makes
 * the row NULL. Java's double arithmetic, as Calcite's generated code computes it. The argument
 * of an aggregate in the scan ({@code sum(usage_user * 2)}, {@code avg(a + b)}).
 */
abstract class DoubleExpr {
  /** The values of rows {@code sel[0..m)} into {@code out}; returns which are NULL (null: none). */
  abstract boolean[] eval(List<ColumnReader> readers, int[] sel, int m, double[] out);

  /** Table columns it reads. */
  abstract void columns(BitSet into);

  /**
   * The expression over the scan's fields ({@code scanColumns} maps them to table columns, null:
   * the same), or null when it is not one this class computes.
   */
  static DoubleExpr of(RexNode e, int[] scanColumns, TableSchema schema) {
    if (e.getType().getSqlTypeName() != SqlTypeName.DOUBLE) {
      return null;
    }
    return node(e, scanColumns, schema);
  }

  private static DoubleExpr node(RexNode e, int[] scanColumns, TableSchema schema) {
    if (e instanceof RexInputRef ref) {
      int col = scanColumns == null ? ref.getIndex() : scanColumns[ref.getIndex()];
      return schema.column(col).type() == ColumnType.DOUBLE ? new Column(col, false) : null;
    }
    if (e instanceof RexLiteral lit) {
      if (lit.isNull() || !SqlTypeName.NUMERIC_TYPES.contains(lit.getType().getSqlTypeName())) {
        return null;
      }
      Double v = lit.getValueAs(Double.class);
      return v == null ? null : new Const(v);
    }
    if (!(e instanceof RexCall call)) {
      return null;
    }
    List<RexNode> ops = call.getOperands();
    switch (call.getKind()) {
      case CAST -> {
        // a whole-number column as DOUBLE (Calcite widens it before mixing it with doubles)
        if (e.getType().getSqlTypeName() == SqlTypeName.DOUBLE && ops.get(0) instanceof RexInputRef ref) {
          int col = scanColumns == null ? ref.getIndex() : scanColumns[ref.getIndex()];
          ColumnType t = schema.column(col).type();
          if (t == ColumnType.SMALLINT || t == ColumnType.INTEGER || t == ColumnType.BIGINT) {
            return new Column(col, true);
          }
          return t == ColumnType.DOUBLE ? new Column(col, false) : null;
        }
        return null;
      }
      case MINUS_PREFIX -> {
        DoubleExpr x = node(ops.get(0), scanColumns, schema);
        return x == null ? null : new Binary('*', new Const(-1.0), x) {
          @Override
          public String toString() {
            return "-" + x;
          }
        };
      }
      case PLUS, MINUS, TIMES, DIVIDE -> {
        if (ops.size() != 2 || !doubleOrNumber(ops.get(0)) || !doubleOrNumber(ops.get(1))) {
          return null;
        }
        DoubleExpr a = node(ops.get(0), scanColumns, schema);
        DoubleExpr b = node(ops.get(1), scanColumns, schema);
        char op = switch (call.getKind()) {
          case PLUS -> '+';
          case MINUS -> '-';
          case TIMES -> '*';
          default -> '/';
        };
        return a == null || b == null ? null : new Binary(op, a, b);
      }
      default -> {
        return null;
      }
    }
  }

  /** An operand Calcite computes in double: a DOUBLE expression or a numeric literal widened to it. */
  private static boolean doubleOrNumber(RexNode n) {
    SqlTypeName t = n.getType().getSqlTypeName();
    return t == SqlTypeName.DOUBLE || n instanceof RexLiteral && SqlTypeName.NUMERIC_TYPES.contains(t);
  }

  private static final class Column extends DoubleExpr {
    private final int col;
    private final boolean fromLong;

    Column(int col, boolean fromLong) {
      this.col = col;
      this.fromLong = fromLong;
    }

    @Override
    boolean[] eval(List<ColumnReader> readers, int[] sel, int m, double[] out) {
      ColumnReader c = readers.get(col);
      if (fromLong) {
        long[] x = new long[m];
        c.gatherLongs(sel, m, x);
        for (int i = 0; i < m; i++) {
          out[i] = x[i];
        }
      } else {
        c.gatherDoubles(sel, m, out);
      }
      if (!c.mayHaveNulls()) {
        return null;
      }
      boolean[] nulls = new boolean[m];
      c.gatherNulls(sel, m, nulls);
      return nulls;
    }

    @Override
    void columns(BitSet into) {
      into.set(col);
    }

    @Override
    public String toString() {
      return "$" + col;
    }
  }

  private static final class Const extends DoubleExpr {
    private final double v;

    Const(double v) {
      this.v = v;
    }

    @Override
    boolean[] eval(List<ColumnReader> readers, int[] sel, int m, double[] out) {
      java.util.Arrays.fill(out, 0, m, v);
      return null;
    }

    @Override
    void columns(BitSet into) {}

    @Override
    public String toString() {
      return Double.toString(v);
    }
  }

  private static class Binary extends DoubleExpr {
    private final char op;
    private final DoubleExpr a;
    private final DoubleExpr b;

    Binary(char op, DoubleExpr a, DoubleExpr b) {
      this.op = op;
      this.a = a;
      this.b = b;
    }

    @Override
    boolean[] eval(List<ColumnReader> readers, int[] sel, int m, double[] out) {
      boolean[] na = a.eval(readers, sel, m, out);
      double[] y = new double[m];
      boolean[] nb = b.eval(readers, sel, m, y);
      switch (op) {
        case '+' -> {
          for (int i = 0; i < m; i++) {
            out[i] += y[i];
          }
        }
        case '-' -> {
          for (int i = 0; i < m; i++) {
            out[i] -= y[i];
          }
        }
        case '*' -> {
          for (int i = 0; i < m; i++) {
            out[i] *= y[i];
          }
        }
        default -> {
          for (int i = 0; i < m; i++) {
            out[i] /= y[i];
          }
        }
      }
      if (na == null) {
        return nb;
      }
      if (nb != null) {
        for (int i = 0; i < m; i++) {
          na[i] |= nb[i];
        }
      }
      return na;
    }

    @Override
    void columns(BitSet into) {
      a.columns(into);
      b.columns(into);
    }

    @Override
    public String toString() {
      return "(" + a + " " + op + " " + b + ")";
    }
  }
}
