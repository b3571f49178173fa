package io.lumadb.sql;

import org.apache.calcite.plan.Strong;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql2rel.SqlRexConvertlet;
import org.apache.calcite.sql2rel.SqlRexConvertletTable;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Conversion to relational algebra that turns a call which is NULL whatever its other operands
 * are (a strict operator with a NULL operand: {@code a <> NULL}, {@code NULL / -a}, and so
 * up the tree) into a NULL literal of the call's type, as PostgreSQL's constant folding does.
 *
 * <p>Calcite leaves such calls to the planner's simplification, but metadata read before that
 * fails on them: {@code RelMdPredicates} takes a filter's conjuncts as they are and
 * {@code RelOptPredicateList} refuses a comparison with a NULL literal ("Comparison with NULL in
 * pulledUpPredicates", when DISTINCT or GROUP BY asks whether columns are unique), and
 * {@code SqlMonotonicBinaryOperator} takes {@code NULL / -a}, which it calls constant, for a
 * literal ("not a literal", when a projection's collation is derived).
 */
final class NullOperandFolding implements SqlRexConvertletTable {
  private static final Strong STRONG = Strong.of(ImmutableBitSet.of());

  private final SqlRexConvertletTable delegate;

  NullOperandFolding(SqlRexConvertletTable delegate) {
    this.delegate = delegate;
  }

  @Override
  public SqlRexConvertlet get(SqlCall call) {
    SqlRexConvertlet convertlet = delegate.get(call);
    if (convertlet == null) {
      return null;
    }
    return (cx, c) -> fold(cx.getRexBuilder(), convertlet.convertCall(cx, c));
  }

  /** The node, or a NULL literal of its type when it is a call that is certainly NULL. */
  static RexNode fold(RexBuilder rex, RexNode node) {
    return node instanceof RexCall && STRONG.isNull(node) ? rex.makeNullLiteral(node.getType()) : node;
  }
}
