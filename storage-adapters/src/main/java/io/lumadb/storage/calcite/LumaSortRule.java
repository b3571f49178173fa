package io.lumadb.storage.calcite;

import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.tree.BlockBuilder;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.Convention;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.RelCollation;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.convert.ConverterRule;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rex.RexDynamicParam;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;

/**
 * Plans ORDER BY (with or without OFFSET / LIMIT) as {@link LumaSort}, LumaDB's sort: a top-N
 * heap when there is a LIMIT, and the statement's memory limit on the rows it keeps. It stands
 * beside Calcite's sort rules and costs a little less, so it is chosen wherever it applies
 * (every ORDER BY whose OFFSET and LIMIT are literals or parameters).
 */
public final class LumaSortRule extends ConverterRule {
  public static final LumaSortRule INSTANCE = new LumaSortRule(Config.INSTANCE
      .withConversion(LogicalSort.class, s -> !s.getCollation().getFieldCollations().isEmpty()
          && bound(s.offset) && bound(s.fetch), Convention.NONE, EnumerableConvention.INSTANCE, "LumaSortRule")
      .withRuleFactory(LumaSortRule::new));

  private LumaSortRule(Config config) {
    super(config);
  }

  /** An OFFSET or LIMIT LumaDB's operators take: none, a literal or a parameter. */
  static boolean bound(RexNode n) {
    return n == null || n instanceof RexLiteral || n instanceof RexDynamicParam;
  }

  /** The value of a literal OFFSET or LIMIT, else -1. */
  static long literal(RexNode n) {
    return n instanceof RexLiteral l ? l.getValueAs(Long.class) : -1;
  }

  /** The index of a parameter OFFSET or LIMIT, else -1. */
  static int param(RexNode n) {
    return n instanceof RexDynamicParam p ? p.getIndex() : -1;
  }

  @Override
  public RelNode convert(RelNode rel) {
    Sort sort = (Sort) rel;
    RelNode input = convert(sort.getInput(), sort.getInput().getTraitSet().replace(EnumerableConvention.INSTANCE));
    return new LumaSort(rel.getCluster(),
        rel.getCluster().traitSetOf(EnumerableConvention.INSTANCE).replace(sort.getCollation()),
        input, sort.getCollation(), sort.offset, sort.fetch);
  }

  /** The operator; EXPLAIN shows it as LumaSort. */
  public static final class LumaSort extends Sort implements EnumerableRel {
    LumaSort(RelOptCluster cluster, RelTraitSet traits, RelNode input, RelCollation collation, RexNode offset,
        RexNode fetch) {
      super(cluster, traits, input, collation, offset, fetch);
    }

    @Override
    public Sort copy(RelTraitSet traitSet, RelNode newInput, RelCollation newCollation, RexNode offset, RexNode fetch) {
      return new LumaSort(getCluster(), traitSet, newInput, newCollation, offset, fetch);
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
      RelOptCost cost = super.computeSelfCost(planner, mq);
      return cost == null ? null : cost.multiplyBy(0.9); // preferred to Calcite's sorts
    }

    Sorter sorter() {
      List<RelFieldCollation> keys = getCollation().getFieldCollations();
      int[] fields = new int[keys.size()];
      boolean[] desc = new boolean[keys.size()];
      boolean[] nullsFirst = new boolean[keys.size()];
      for (int k = 0; k < keys.size(); k++) {
        RelFieldCollation c = keys.get(k);
        fields[k] = c.getFieldIndex();
        desc[k] = c.getDirection().isDescending();
        nullsFirst[k] = RowOrder.nullsFirst(c);
      }
      return new Sorter(fields, desc, nullsFirst, literal(offset), param(offset), literal(fetch), param(fetch));
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      BlockBuilder builder = new BlockBuilder();
      Result child = implementor.visitChild(this, 0, (EnumerableRel) getInput(), Prefer.ARRAY);
      Expression rows = builder.append("rows", child.block);
      // Rows of several columns as Object[], of one column as the bare values (Calcite's way).
      boolean scalar = getRowType().getFieldCount() == 1;
      rows = Expressions.convert_(child.physType.convertTo(rows, scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY),
          org.apache.calcite.linq4j.Enumerable.class);
      PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(),
          scalar ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY, false);
      Expression sorter = implementor.stash(sorter(), Sorter.class);
      builder.add(Expressions.return_(null,
          Expressions.call(sorter, scalar ? "sortScalar" : "sort", rows, DataContext.ROOT)));
      return implementor.result(physType, builder.toBlock());
    }
  }
}
