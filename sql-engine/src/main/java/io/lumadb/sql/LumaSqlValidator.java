package io.lumadb.sql;

import io.lumadb.sql.pgcatalog.DateArithmetic;
import io.lumadb.sql.pgcatalog.PgArrays;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalciteSqlValidator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;
import org.apache.calcite.util.Util;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Calcite's validator, with PostgreSQL's library functions found by their lower-case names
 * ({@link PgLibraryFunctions}), PostgreSQL's date arithmetic ({@link DateArithmetic}), and except that an array may be cast to text ({@code indkey::text}), which
 * PostgreSQL allows and Calcite refuses (its cast rules and its result type for a cast from an
 * array both want an array). {@link PgArrays} converts such a cast.
 */
final class LumaSqlValidator extends CalciteSqlValidator {
  /** A validator configured as {@code calcites} is. */
  LumaSqlValidator(SqlValidator calcites) {
    super(new PgLibraryFunctions(calcites.getOperatorTable()), (CalciteCatalogReader) calcites.getCatalogReader(),
        (JavaTypeFactory) calcites.getTypeFactory(), calcites.config());
  }

  /**
   * PostgreSQL's names of unnamed select items where Calcite's differ: a cast is named after what
   * it casts ({@code SELECT a::text} is column {@code a}, {@code count(*)::int} is {@code count}),
   * a CASE is {@code case}, a window function its function's name. Also rewrites
   * {@code percent_rank()} and {@code cume_dist()}, which Calcite cannot run
   * ({@link WindowDistribution}). Calcite named both {@code EXPR$n} ({@code ?column?} to clients). Its
   * select-item names come from a static method, so the items get an alias here, before validation.
   */
  @Override
  protected @Nullable SqlNode performUnconditionalRewrites(@Nullable SqlNode node, boolean underFrom) {
    if (node instanceof SqlSelect select && select.getSelectList() != null) {
      SqlNodeList items = select.getSelectList();
      for (int i = 0; i < items.size(); i++) {
        String name = pgName(items.get(i));
        if (name != null) {
          SqlParserPos pos = items.get(i).getParserPosition();
          items.set(i, SqlStdOperatorTable.AS.createCall(pos, items.get(i), new SqlIdentifier(name, pos)));
        }
      }
    }
    SqlNode distribution = node == null ? null : WindowDistribution.rewrite(node);
    return super.performUnconditionalRewrites(distribution != null ? distribution : node, underFrom);
  }

  /** PostgreSQL's name for an unnamed select item Calcite would call EXPR$n, or null. */
  private static @Nullable String pgName(SqlNode item) {
    if (item.getKind() == SqlKind.CASE) {
      return "case";
    }
    if (item.getKind() == SqlKind.OVER && item instanceof SqlCall over
        && over.operand(0) instanceof SqlCall fn && fn.getOperator() instanceof SqlFunction f) {
      return f.getName().toLowerCase(java.util.Locale.ROOT); // rank() OVER (...) is "rank"
    }
    if (item.getKind() != SqlKind.CAST || !(item instanceof SqlCall cast) || cast.operandCount() == 0) {
      return null;
    }
    SqlNode operand = cast.operand(0);
    if (operand instanceof SqlIdentifier id && !id.isStar()) {
      return Util.last(id.names);
    }
    if (operand.getKind() == SqlKind.CAST) {
      return pgName(operand); // a cast of a cast
    }
    if (operand instanceof SqlCall call && call.getOperator() instanceof SqlFunction f
        && operand.getKind() != SqlKind.CASE) {
      return f.getName().toLowerCase(java.util.Locale.ROOT);
    }
    return null;
  }

  @Override
  public RelDataType deriveType(SqlValidatorScope scope, SqlNode expr) {
    if ((expr.getKind() == SqlKind.PLUS || expr.getKind() == SqlKind.MINUS)
        && expr instanceof SqlBasicCall call && call.operandCount() == 2) {
      // date + integer, date - integer, date - date: PostgreSQL's, which Calcite's + and - refuse
      boolean[] swap = new boolean[1];
      SqlOperator op = DateArithmetic.operator(expr.getKind() == SqlKind.PLUS,
          deriveType(scope, call.operand(0)), deriveType(scope, call.operand(1)), swap);
      if (op != null) {
        if (swap[0]) {
          SqlNode first = call.operand(0);
          call.setOperand(0, call.operand(1));
          call.setOperand(1, first);
        }
        call.setOperator(op);
      }
    }
    if (expr.getKind() == SqlKind.CAST && expr instanceof SqlCall cast
        && cast.operandCount() == 2 && cast.operand(1) instanceof SqlDataTypeSpec spec) {
      RelDataType target = spec.deriveType(this);
      if (SqlTypeUtil.isCharacter(target)) {
        RelDataType operand = deriveType(scope, cast.operand(0));
        if (operand.getSqlTypeName() == SqlTypeName.ARRAY) {
          RelDataType type = getTypeFactory().createTypeWithNullability(target, operand.isNullable());
          setValidatedNodeType(expr, type);
          return type;
        }
      }
    }
    return super.deriveType(scope, expr);
  }
}
