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

  @Override
  public int getDefaultPrecision(SqlTypeName typeName) {
    if (typeName == SqlTypeName.TIMESTAMP || typeName == SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE) {
      return 3;
    }
    return super.getDefaultPrecision(typeName);
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
