package io.lumadb.storage.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.plan.RelOptRule;
import org.apache.calcite.plan.RelOptRuleCall;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.core.Filter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rel.core.Window;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexInputRef;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * Plans {@link FirstRowScan}: {@code Filter(ROW_NUMBER() = 1)} over a {@code Window} whose only
 * function is {@code ROW_NUMBER() OVER (PARTITION BY columns ORDER BY columns)} over a LumaDB
 * table's scan (with the filters pushed into it) becomes one operator that keeps the first row
 * of each group while it scans. That is how {@code SELECT DISTINCT ON} arrives (and a QUALIFY or
 * a subquery written the same way). Anything else keeps Calcite's window.
 */
public final class FirstRowScanRule extends RelOptRule {
  /**
   * The scan directly below the window, or under the EnumerableInterpreter that runs a scan with
   * pushed filters (as for {@link AggregateScanRule}, each shape names the scan in its operands).
   */
  public static final List<FirstRowScanRule> ALL = List.of(new FirstRowScanRule(false), new FirstRowScanRule(true));

  private final boolean interpreted;

  private FirstRowScanRule(boolean interpreted) {
    super(operand(Filter.class, operand(Window.class, interpreted
        ? operand(org.apache.calcite.adapter.enumerable.EnumerableInterpreter.class, operand(TableScan.class, none()))
        : operand(TableScan.class, none()))), "LumaFirstRowScanRule" + (interpreted ? ":interpreter" : ""));
    this.interpreted = interpreted;
  }

  @Override
  public void onMatch(RelOptRuleCall call) {
    Filter filter = call.rel(0);
    Window window = call.rel(1);
    TableScan scan = call.rel(interpreted ? 3 : 2);
    LumaCalciteTable table = scan.getTable().unwrap(LumaCalciteTable.class);
    int inputs = window.getInput().getRowType().getFieldCount();
    if (table == null || window.groups.size() != 1 || !window.constants.isEmpty()
        || !isRowNumberOne(filter.getCondition(), inputs)) {
      return;
    }
    Window.Group group = window.groups.get(0);
    if (group.aggCalls.size() != 1 || group.aggCalls.get(0).getOperator().getKind() != SqlKind.ROW_NUMBER
        || group.keys.isEmpty()) {
      return;
    }
    List<RexNode> filters = List.of();
    int[] columns = null; // window input field -> table column (null: the same)
    if (scan instanceof Bindables.BindableTableScan b) { // with the filters and columns pushed into it
      filters = b.filters;
      columns = b.projects == null ? null : b.projects.toIntArray();
    }
    int[] partition = new int[group.keys.cardinality()];
    int p = 0;
    for (int f : group.keys) {
      partition[p++] = column(columns, f);
    }
    List<Integer> order = new ArrayList<>();
    List<Boolean> desc = new ArrayList<>();
    List<Boolean> nullsFirst = new ArrayList<>();
    for (RelFieldCollation c : group.orderKeys.getFieldCollations()) {
      if (group.keys.get(c.getFieldIndex())) {
        continue; // constant within a group
      }
      order.add(column(columns, c.getFieldIndex()));
      desc.add(c.getDirection().isDescending());
      nullsFirst.add(RowOrder.nullsFirst(c));
    }
    int[] output = new int[inputs];
    for (int f = 0; f < inputs; f++) {
      output[f] = column(columns, f);
    }
    boolean[] d = new boolean[desc.size()];
    boolean[] n = new boolean[desc.size()];
    for (int k = 0; k < d.length; k++) {
      d[k] = desc.get(k);
      n[k] = nullsFirst.get(k);
    }
    FirstRowScan plan = new FirstRowScan(table.table(), filters, partition,
        order.stream().mapToInt(Integer::intValue).toArray(), d, n, output);
    double groups = Math.max(1, call.getMetadataQuery().getRowCount(filter));
    call.transformTo(new ScanOperator.Rel(filter.getCluster(),
        filter.getCluster().traitSetOf(EnumerableConvention.INSTANCE), filter.getRowType(), plan,
        scan.getTable().getQualifiedName(), groups));
  }

  private static int column(int[] columns, int field) {
    return columns == null ? field : columns[field];
  }

  /** {@code $rn = 1} where $rn is the window's ROW_NUMBER (the field after its inputs). */
  private static boolean isRowNumberOne(RexNode c, int rn) {
    if (!(c instanceof RexCall call) || call.getKind() != SqlKind.EQUALS) {
      return false;
    }
    RexNode a = call.getOperands().get(0);
    RexNode b = call.getOperands().get(1);
    if (a instanceof RexLiteral) {
      RexNode t = a;
      a = b;
      b = t;
    }
    return a instanceof RexInputRef ref && ref.getIndex() == rn && b instanceof RexLiteral lit
        && lit.getValueAs(java.math.BigDecimal.class) != null
        && lit.getValueAs(java.math.BigDecimal.class).compareTo(java.math.BigDecimal.ONE) == 0;
  }
}
