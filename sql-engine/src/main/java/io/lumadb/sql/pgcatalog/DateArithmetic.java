package io.lumadb.sql.pgcatalog;

import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * PostgreSQL's arithmetic of dates and whole numbers, which Calcite's {@code +} and {@code -}
 * refuse: {@code date + integer} and {@code integer + date} (a date that many days later),
 * {@code date - integer}, and {@code date - date} (the days between, an integer). The validator
 * swaps the operator of such a call for one of these functions once it knows the operand types
 * ({@code LumaSqlValidator.deriveType}). A DATE is its day number (days since 1970-01-01).
 */
public final class DateArithmetic {
  private DateArithmetic() {}

  private static final SqlUserDefinedFunction PLUS_DAYS =
      PgFunction.operator(DateArithmetic.class, "pg_date_plus_days", "plusDays", 2, SqlTypeName.DATE);
  private static final SqlUserDefinedFunction MINUS_DAYS =
      PgFunction.operator(DateArithmetic.class, "pg_date_minus_days", "minusDays", 2, SqlTypeName.DATE);
  private static final SqlUserDefinedFunction DAYS_BETWEEN =
      PgFunction.operator(DateArithmetic.class, "pg_date_minus_date", "daysBetween", 2, SqlTypeName.INTEGER);

  /**
   * The function computing {@code a + b} ({@code plus}) or {@code a - b} of these operand types
   * as PostgreSQL does, the operands swapped when {@code swap} is set to true; null when Calcite's
   * own operator applies.
   */
  public static @Nullable SqlOperator operator(boolean plus, RelDataType a, RelDataType b, boolean[] swap) {
    SqlTypeName x = a.getSqlTypeName();
    SqlTypeName y = b.getSqlTypeName();
    boolean wholeX = x == SqlTypeName.INTEGER || x == SqlTypeName.SMALLINT || x == SqlTypeName.BIGINT;
    boolean wholeY = y == SqlTypeName.INTEGER || y == SqlTypeName.SMALLINT || y == SqlTypeName.BIGINT;
    swap[0] = false;
    if (plus && x == SqlTypeName.DATE && wholeY) {
      return PLUS_DAYS;
    }
    if (plus && wholeX && y == SqlTypeName.DATE) {
      swap[0] = true;
      return PLUS_DAYS;
    }
    if (!plus && x == SqlTypeName.DATE && wholeY) {
      return MINUS_DAYS;
    }
    if (!plus && x == SqlTypeName.DATE && y == SqlTypeName.DATE) {
      return DAYS_BETWEEN;
    }
    return null;
  }

  public static Integer plusDays(Object date, Object days) {
    return date == null || days == null ? null : Math.toIntExact(((Number) date).longValue() + ((Number) days).longValue());
  }

  public static Integer minusDays(Object date, Object days) {
    return date == null || days == null ? null : Math.toIntExact(((Number) date).longValue() - ((Number) days).longValue());
  }

  public static Integer daysBetween(Object a, Object b) {
    return a == null || b == null ? null : ((Number) a).intValue() - ((Number) b).intValue();
  }


}
