package io.lumadb.sql;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rel.type.RelDataTypeSystemImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's type system adjusted to PostgreSQL's: strings of different lengths unify to
 * VARCHAR, not blank-padded CHAR ('red' and 'blue' in one VALUES list stay 'red'), and
 * TIMESTAMP keeps milliseconds by default, sum of integers is BIGINT and avg of integers is
 * not truncated to an integer.
 */
public final class LumaTypeSystem extends RelDataTypeSystemImpl {
  public static final LumaTypeSystem INSTANCE = new LumaTypeSystem();

  @Override
  public boolean shouldConvertRaggedUnionTypesToVarying() {
    return true;
  }

  /**
   * PostgreSQL's {@code numeric} without a precision holds any scale; Calcite needs one, so a
   * bare NUMERIC/DECIMAL is DECIMAL(38, 16) ({@link #UNCONSTRAINED_DECIMAL_SCALE}), not
   * Calcite's DECIMAL(19, 0), which would round {@code 12.345::numeric} to 12. Front ends print
   * values of that type without trailing zeros, as PostgreSQL prints an unconstrained numeric.
   */
  public static final int UNCONSTRAINED_DECIMAL_PRECISION = 38;
  public static final int UNCONSTRAINED_DECIMAL_SCALE = 16;

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    if (typeName == SqlTypeName.TIMESTAMP || typeName == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      return 3;
    }
    if (typeName == SqlTypeName.DECIMAL) {
      return UNCONSTRAINED_DECIMAL_PRECISION;
    }
    return super.getDefaultPrecision(typeName);
  }

  @Override
  public int getMaxPrecision(SqlTypeName typeName) {
    return typeName == SqlTypeName.DECIMAL ? UNCONSTRAINED_DECIMAL_PRECISION : super.getMaxPrecision(typeName);
  }

  @Override
  public int getDefaultScale(SqlTypeName typeName) {
    if (typeName == SqlTypeName.DECIMAL) {
      return UNCONSTRAINED_DECIMAL_SCALE;
    }
    return super.getDefaultScale(typeName);
  }

  /** True for the type a bare NUMERIC becomes (see {@link #UNCONSTRAINED_DECIMAL_SCALE}). */
  public static boolean isUnconstrainedDecimal(SqlTypeName type, int precision, int scale) {
    return type == SqlTypeName.DECIMAL && precision == UNCONSTRAINED_DECIMAL_PRECISION
        && scale == UNCONSTRAINED_DECIMAL_SCALE;
  }

  /**
   * A value of the bare DECIMAL type as PostgreSQL would have it: Calcite gives such values
   * the scale {@link #UNCONSTRAINED_DECIMAL_SCALE} ({@code 12.5::numeric} is 12.5000000000000000),
   * which loses the value's own scale; trailing zeros of that scale are dropped. Values with
   * another scale (read from a numeric column, computed from them) are kept as they are.
   */
  public static java.math.BigDecimal unconstrainedValue(java.math.BigDecimal v) {
    if (v.scale() != UNCONSTRAINED_DECIMAL_SCALE) {
      return v;
    }
    java.math.BigDecimal s = v.stripTrailingZeros();
    return s.scale() < 0 ? s.setScale(0) : s;
  }

  @Override
  public RelDataType deriveSumType(RelDataTypeFactory factory, RelDataType argumentType) {
    SqlTypeName t = argumentType.getSqlTypeName();
    if (t == SqlTypeName.TINYINT || t == SqlTypeName.SMALLINT || t == SqlTypeName.INTEGER) {
      return factory.createTypeWithNullability(
          factory.createSqlType(SqlTypeName.BIGINT), argumentType.isNullable());
    }
    return super.deriveSumType(factory, argumentType);
  }

  @Override
  public RelDataType deriveAvgAggType(RelDataTypeFactory factory, RelDataType argumentType) {
    if (SqlTypeName.INT_TYPES.contains(argumentType.getSqlTypeName())) {
      return factory.createTypeWithNullability(
          factory.createSqlType(SqlTypeName.DOUBLE), argumentType.isNullable());
    }
    return super.deriveAvgAggType(factory, argumentType);
  }
}
