package io.lumadb.storage.calcite;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.enumerable.EnumerableRelImplementor;
import org.apache.calcite.adapter.enumerable.JavaRowFormat;
import org.apache.calcite.adapter.enumerable.PhysType;
import org.apache.calcite.adapter.enumerable.PhysTypeImpl;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.tree.Blocks;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptCost;
import org.apache.calcite.plan.RelOptPlanner;
import org.apache.calcite.plan.RelTraitSet;
import org.apache.calcite.rel.AbstractRelNode;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.metadata.RelMetadataQuery;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexNode;

/**
 * An operator that runs inside a LumaDB table's scan and hands Calcite only its result rows
 * (the GROUP BY, DISTINCT ON and top-N in the scan, and the scan itself, {@link ResultScan}):
 * planned as one leaf, {@link Rel}, named after the operator in EXPLAIN.
 */
public abstract class ScanOperator {
  /** The rows, computed when the result is first read. */
  abstract List<Object[]> compute(DataContext root);

  /** The name EXPLAIN shows. */
  abstract String relName();

  abstract List<RexNode> filters();

  /** What EXPLAIN shows besides the table and the filters. */
  abstract RelWriter explainTerms(RelWriter pw);

  /** The values of the columns {@code cols} of one row of a part. */
  static Object[] values(List<io.lumadb.storage.ColumnReader> readers, int[] cols, int row) {
    Object[] out = new Object[cols.length];
    for (int k = 0; k < cols.length; k++) {
      out[k] = readers.get(cols[k]).get(row);
    }
    return out;
  }

  /** The rows (called by the generated code). */
  public Enumerable<Object[]> execute(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return Linq4j.enumerator(compute(root));
      }
    };
  }

  /** As {@link #execute}, for a result of one column: its values, as Calcite passes those. */
  public Enumerable<Object> executeScalar(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        List<Object> values = new ArrayList<>();
        for (Object[] row : compute(root)) {
          values.add(row[0]);
        }
        return Linq4j.enumerator(values);
      }
    };
  }

  /**
   * As {@link #execute}, for a result of no column (a scan under {@code count(*)}): an empty list
   * per row, as Calcite holds rows of no field (its LIST format).
   */
  public Enumerable<Object> executeNoColumns(DataContext root) {
    return execute(root).select(row -> org.apache.calcite.runtime.FlatLists.of());
  }

  /** The plan node: a leaf returning the operator's rows as rows of {@code rowType}. */
  static final class Rel extends AbstractRelNode implements EnumerableRel {
    private final ScanOperator op;
    private final List<String> tableName;
    private final double rows;

    Rel(RelOptCluster cluster, RelTraitSet traits, RelDataType rowType, ScanOperator op, List<String> tableName,
        double rows) {
      super(cluster, traits);
      this.rowType = rowType;
      this.op = op;
      this.tableName = tableName;
      this.rows = rows;
    }

    @Override
    public String getRelTypeName() {
      return op.relName();
    }

    @Override
    public RelNode copy(RelTraitSet traitSet, List<RelNode> inputs) {
      return traitSet.equals(getTraitSet()) ? this : new Rel(getCluster(), traitSet, rowType, op, tableName, rows);
    }

    @Override
    public double estimateRowCount(RelMetadataQuery mq) {
      return rows;
    }

    @Override
    public RelOptCost computeSelfCost(RelOptPlanner planner, RelMetadataQuery mq) {
      // Far cheaper than the scan and operators it replaces: only result rows are built.
      return planner.getCostFactory().makeCost(rows, rows, 0).multiplyBy(0.01);
    }

    @Override
    public RelWriter explainTerms(RelWriter pw) {
      return op.explainTerms(super.explainTerms(pw)
          .item("table", tableName)
          .itemIf("filters", op.filters(), !op.filters().isEmpty()));
    }

    @Override
    public Result implement(EnumerableRelImplementor implementor, Prefer pref) {
      // Rows of several columns as Object[], of one column as the bare values (Calcite's way);
      // ARRAY without "optimize", else a one-column result would be expected as scalars.
      // Rows of no field are lists (what the operators above expect of such rows).
      int fields = getRowType().getFieldCount();
      JavaRowFormat format = fields == 0 ? JavaRowFormat.LIST : fields == 1 ? JavaRowFormat.SCALAR : JavaRowFormat.ARRAY;
      PhysType physType = PhysTypeImpl.of(implementor.getTypeFactory(), getRowType(), format, false);
      Expression stashed = implementor.stash(op, ScanOperator.class);
      String method = fields == 0 ? "executeNoColumns" : fields == 1 ? "executeScalar" : "execute";
      return implementor.result(physType, Blocks.toBlock(Expressions.call(stashed, method, DataContext.ROOT)));
    }
  }
}
