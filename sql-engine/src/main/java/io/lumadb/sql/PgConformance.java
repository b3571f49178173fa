package io.lumadb.sql;

import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlDelegatingConformance;

/**
 * The conformance LumaDB validates queries with: Calcite's LENIENT (GROUP BY aliases and
 * ordinals, LIMIT and OFFSET, {@code !=}, ...), except that a name in HAVING is an input column,
 * as in PostgreSQL (and whole-number arithmetic is checked for overflow). LENIENT looks output aliases up there too: a duplicate output alias made
 * {@code SELECT count(*) AS c, 0 AS c FROM t GROUP BY a HAVING count(c) > 1} ambiguous, and
 * {@code SELECT a AS b FROM t GROUP BY a HAVING b > 1} compared the alias where PostgreSQL
 * reports the ungrouped column b.
 *
 * <p>The connection property {@code conformance} takes only {@link SqlConformanceEnum} names;
 * {@link LumaPrepare} sets this one on every validator it creates.
 */
final class PgConformance extends SqlDelegatingConformance {
  static final PgConformance INSTANCE = new PgConformance();

  private PgConformance() {
    super(SqlConformanceEnum.LENIENT);
  }

  @Override
  public boolean isHavingAlias() {
    return false;
  }

  /**
   * Whole-number arithmetic that overflows fails (22003 "integer out of range"), as in
   * PostgreSQL; Calcite's default wraps around silently ({@code 2147483647 + 1} was -2147483648).
   */
  @Override
  public boolean checkedArithmetic() {
    return true;
  }
}
