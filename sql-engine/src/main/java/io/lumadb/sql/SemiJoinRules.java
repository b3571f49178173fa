package io.lumadb.sql;

import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Aggregate;
import org.apache.calcite.rel.core.Join;
import org.apache.calcite.rel.core.Project;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.rules.SemiJoinRule;
import org.apache.calcite.util.ImmutableBitSet;

/**
 * Calcite 1.42's {@code SemiJoinRule:project} and {@code SemiJoinRule:join}, made correct for a
 * grand total (an {@code Aggregate} without group keys) on the join's right side.
 *
 * <p>Calcite turns {@code Join(left, Aggregate(input))} into {@code SemiJoin(left, input)} when
 * the join keys are the aggregate's group keys. With no group keys at all the join is a cross
 * join with the aggregate's single row, and that single row exists even when {@code input} is
 * empty; the semi join keeps no rows then. SubQueryRemoveRule builds exactly this shape for
 * {@code x IN (subquery)} inside OR (a cross join with the subquery's {@code count(*)}), and once
 * the filter is simplified so that it no longer reads the subquery (as in {@code a OR (x IN (..)
 * AND b > 8) AND b <= 7}), every row was lost whenever the subquery was empty. Here a grand total
 * is dropped from the join instead (the left input, unchanged, is the answer); joins with grouped
 * aggregates go to Calcite's rule as before.
 */
public final class SemiJoinRules {
  /** Replaces {@link CoreRules#PROJECT_TO_SEMI_JOIN}. */
  public static final RelOptRule PROJECT_TO_SEMI_JOIN = new ProjectToSemiJoin(
      SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.DEFAULT
          .withDescription("LumaSemiJoinRule:project")
          .as(SemiJoinRule.ProjectToSemiJoinRule.ProjectToSemiJoinRuleConfig.class));

  /** Replaces {@link CoreRules#JOIN_TO_SEMI_JOIN}. */
  public static final RelOptRule JOIN_TO_SEMI_JOIN = new JoinToSemiJoin(
      SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.DEFAULT
          .withDescription("LumaSemiJoinRule:join")
          .as(SemiJoinRule.JoinToSemiJoinRule.JoinToSemiJoinRuleConfig.class));

  private SemiJoinRules() {}

  private static final class ProjectToSemiJoin extends SemiJoinRule.ProjectToSemiJoinRule {
    ProjectToSemiJoin(ProjectToSemiJoinRuleConfig config) {
      super(config);
    }

    @Override public void onMatch(RelOptRuleCall call) {
      Aggregate aggregate = call.rel(3);
      if (!aggregate.getGroupSet().isEmpty()) {
        super.onMatch(call);
        return;
      }
      // A grand total: exactly one row (its only grouping set is ()), whatever its input holds.
      Project project = call.rel(0);
      Join join = call.rel(1);
      RelNode left = call.rel(2);
      int leftCount = left.getRowType().getFieldCount();
      ImmutableBitSet used = RelOptUtil.InputFinder.bits(project.getProjects(), null);
      if (!join.getCondition().isAlwaysTrue()
          || used.intersects(ImmutableBitSet.range(leftCount, join.getRowType().getFieldCount()))) {
        return;
      }
      // INNER or LEFT join with one row on the right: every left row once, as it is.
      call.transformTo(call.builder()
          .push(left)
          .project(project.getProjects(), project.getRowType().getFieldNames())
          .build());
    }
  }

  private static final class JoinToSemiJoin extends SemiJoinRule.JoinToSemiJoinRule {
    JoinToSemiJoin(JoinToSemiJoinRuleConfig config) {
      super(config);
    }

    @Override public void onMatch(RelOptRuleCall call) {
      Aggregate aggregate = call.rel(2);
      if (!aggregate.getGroupSet().isEmpty()) {
        super.onMatch(call);
        return;
      }
      Join join = call.rel(0);
      // Without a Project above, the join's row type is the left input's only if the aggregate
      // has no columns (Calcite's rule fires on nothing else either).
      if (!join.getCondition().isAlwaysTrue()
          || aggregate.getRowType().getFieldCount() != 0) {
        return;
      }
      call.transformTo(call.rel(1));
    }
  }
}
