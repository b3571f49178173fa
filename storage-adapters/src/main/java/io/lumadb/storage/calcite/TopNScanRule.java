package io.lumadb.storage.calcite;

import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;

/**
 * Plans {@link TopNScan}: {@code ORDER BY ... LIMIT} directly over a LumaDB table's scan (with the
 * filters and columns pushed into it) becomes one operator that keeps only the best rows while it
 * scans, instead of building every row for a sort. OFFSET and LIMIT must be literals or
 * parameters; one shape per position of the scan, as for {@link AggregateScanRule}.
 */
public final class TopNScanRule extends RelOptRule {
  public static final List<TopNScanRule> ALL = List.of(new TopNScanRule(false), new TopNScanRule(true));

  private final boolean interpreted;

  private TopNScanRule(boolean interpreted) {
    super(operand(Sort.class, interpreted
        ? operand(org.apache.calcite.adapter.enumerable.EnumerableInterpreter.class, operand(TableScan.class, none()))
        : operand(TableScan.class, none())), "LumaTopNScanRule" + (interpreted ? ":interpreter" : ""));
    this.interpreted = interpreted;
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Sort sort = call.rel(0);
    TableScan scan = call.rel(interpreted ? 2 : 1);
    LumaCalciteTable table = scan.getTable().unwrap(LumaCalciteTable.class);
    List<RelFieldCollation> keys = sort.getCollation().getFieldCollations();
    if (table == null || keys.isEmpty() || sort.fetch == null || !LumaSortRule.bound(sort.fetch)
        || !LumaSortRule.bound(sort.offset)) {
      return;
    }
    if (LumaSortRule.literal(sort.fetch) + Math.max(0, LumaSortRule.literal(sort.offset)) > 100_000) {
      return; // a large "top" is a sort
    }
    List<RexNode> filters = List.of();
    int[] columns = null; // scan output field -> table column (null: the same)
    if (scan instanceof Bindables.BindableTableScan b) {
      filters = b.filters;
      columns = b.projects == null ? null : b.projects.toIntArray();
    }
    int[] order = new int[keys.size()];
    boolean[] desc = new boolean[keys.size()];
    boolean[] nullsFirst = new boolean[keys.size()];
    for (int k = 0; k < keys.size(); k++) {
      RelFieldCollation c = keys.get(k);
      order[k] = columns == null ? c.getFieldIndex() : columns[c.getFieldIndex()];
      desc[k] = c.getDirection().isDescending();
      nullsFirst[k] = RowOrder.nullsFirst(c);
    }
    int fields = scan.getRowType().getFieldCount();
    int[] output = new int[fields];
    for (int f = 0; f < fields; f++) {
      output[f] = columns == null ? f : columns[f];
    }
    TopNScan plan = new TopNScan(table.table(), filters, order, desc, nullsFirst, output,
        LumaSortRule.literal(sort.offset), LumaSortRule.param(sort.offset), LumaSortRule.literal(sort.fetch),
        LumaSortRule.param(sort.fetch));
    double rows = Math.max(1, call.getMetadataQuery().getRowCount(sort));
    call.transformTo(new ScanOperator.Rel(sort.getCluster(),
        sort.getCluster().traitSetOf(EnumerableConvention.INSTANCE).replace(sort.getCollation()),
        sort.getRowType(), plan, scan.getTable().getQualifiedName(), rows));
  }
}
