package io.lumadb.sql;

import java.math.BigDecimal;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlWindow;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * {@code percent_rank()} and {@code cume_dist()} over an inline window, written with the window
 * functions Calcite's execution has (it plans them but cannot implement them: E005 "Unable to
 * implement EnumerableWindow"), as PostgreSQL defines them over the window's partition P:
 * <ul>
 *   <li>{@code percent_rank()}: (rank - 1) / (rows of P - 1), 0 for a partition of one row;
 *   <li>{@code cume_dist()}: rows of P up to the current row's last peer / rows of P.
 * </ul>
 * Both are double precision and, as in PostgreSQL, ignore the window's frame. A named window
 * ({@code OVER w}) is left as it is.
 */
final class WindowDistribution {
  private WindowDistribution() {}

  /** The rewritten call when {@code node} is one of the two over an inline window, else null. */
  static @Nullable SqlNode rewrite(SqlNode node) {
    if (node.getKind() != SqlKind.OVER || !(node instanceof SqlCall over) || over.operandCount() != 2
        || !(over.operand(0) instanceof SqlCall fn) || fn.operandCount() != 0
        || !(over.operand(1) instanceof SqlWindow w) || w.getRefName() != null) {
      return null;
    }
    // before validation the call is unresolved (OTHER_FUNCTION): known by its name
    String name = fn.getOperator().getName();
    boolean cumeDist = name.equalsIgnoreCase("CUME_DIST");
    if (!cumeDist && !name.equalsIgnoreCase("PERCENT_RANK")) {
      return null;
    }
    SqlParserPos pos = over.getParserPosition();
    if (cumeDist) {
      // COUNT(*) over the window's order with the default frame counts the rows up to the last peer
      return divide(pos, asDouble(pos, countOver(pos, w, true)), countOver(pos, w, false));
    }
    SqlNode rank = SqlStdOperatorTable.OVER.createCall(pos, SqlStdOperatorTable.RANK.createCall(pos),
        window(pos, w, true));
    SqlNode value = divide(pos,
        SqlStdOperatorTable.MINUS.createCall(pos, asDouble(pos, rank), one(pos)),
        SqlStdOperatorTable.MINUS.createCall(pos, countOver(pos, w, false), one(pos)));
    SqlNode several = SqlStdOperatorTable.GREATER_THAN.createCall(pos, countOver(pos, w, false), one(pos));
    return new SqlCase(pos, null, SqlNodeList.of(several), SqlNodeList.of(value),
        SqlLiteral.createApproxNumeric("0E0", pos));
  }

  private static SqlNode countOver(SqlParserPos pos, SqlWindow w, boolean ordered) {
    return SqlStdOperatorTable.OVER.createCall(pos,
        SqlStdOperatorTable.COUNT.createCall(pos, SqlIdentifier.star(pos)), window(pos, w, ordered));
  }

  /** {@code w}'s partition (and order, when {@code ordered}) with the default frame. */
  private static SqlWindow window(SqlParserPos pos, SqlWindow w, boolean ordered) {
    return SqlWindow.create(null, null, (SqlNodeList) w.getPartitionList().clone(pos),
        ordered ? (SqlNodeList) w.getOrderList().clone(pos) : SqlNodeList.EMPTY,
        SqlLiteral.createBoolean(false, pos), null, null, null, pos);
  }

  private static SqlNode divide(SqlParserPos pos, SqlNode a, SqlNode b) {
    return SqlStdOperatorTable.DIVIDE.createCall(pos, a, b);
  }

  private static SqlNode asDouble(SqlParserPos pos, SqlNode e) {
    return SqlStdOperatorTable.CAST.createCall(pos, e,
        new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, pos), pos));
  }

  private static SqlNode one(SqlParserPos pos) {
    return SqlLiteral.createExactNumeric(BigDecimal.ONE.toString(), pos);
  }
}
