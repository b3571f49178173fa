package io.lumadb.sql;

import io.lumadb.sql.pgcatalog.PgArrays;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.prepare.CalciteSqlValidator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql.validate.SqlValidatorScope;

/**
 * Calcite's validator, with PostgreSQL's library functions found by their lower-case names
 * ({@link PgLibraryFunctions}), and except that an array may be cast to text ({@code indkey::text}), which
 * PostgreSQL allows and Calcite refuses (its cast rules and its result type for a cast from an
 * array both want an array). {@link PgArrays} converts such a cast.
 */
final class LumaSqlValidator extends CalciteSqlValidator {
  /** A validator configured as {@code calcites} is. */
  LumaSqlValidator(SqlValidator calcites) {
    super(new PgLibraryFunctions(calcites.getOperatorTable()), (CalciteCatalogReader) calcites.getCatalogReader(),
        (JavaTypeFactory) calcites.getTypeFactory(), calcites.config());
  }

  @Override
  public RelDataType deriveType(SqlValidatorScope scope, SqlNode expr) {
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
