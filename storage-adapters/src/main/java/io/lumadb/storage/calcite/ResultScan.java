package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.enumerable.EnumerableInterpreter;
import org.apache.calcite.adapter.enumerable.EnumerableTableScan;
import org.apache.calcite.interpreter.Bindables;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rel.core.TableScan;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlKind;

/**
 * A query whose whole plan is one scan of a LumaDB table (filters and a projection, as
 * {@code SELECT * FROM cpu WHERE usage_user > 90}): the scan evaluates every filter itself
 * (kernels, then {@link ResidualFilter}) and offers its parts' vectors to the front end
 * ({@link ResultVectors}), which encodes the rows from them; Calcite's interpreter and result set
 * are left out. Put at the root of a plan by {@link #atRoot}, never below another operator.
 */
public final class ResultScan extends ScanOperator {
  private final LumaTable table;
  private final List<RexNode> filters;
  private final int[] columns;

  private ResultScan(LumaTable table, List<RexNode> filters, int[] columns) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.columns = columns;
  }

  /**
   * The plan with its root scan made a {@link ResultScan} when the whole query is a scan of a
   * LumaDB table whose rows are the result as they are (no reordering or renaming of columns left
   * to do); else the plan unchanged.
   */
  public static RelRoot atRoot(RelRoot root) {
    if (!root.kind.belongsTo(SqlKind.QUERY) || !root.isRefTrivial()) {
      return root;
    }
    RelNode rel = root.rel;
    TableScan scan;
    if (rel instanceof EnumerableInterpreter interpreter && interpreter.getInput() instanceof Bindables.BindableTableScan b) {
      scan = b; // filters or a projection pushed into the scan
    } else if (rel instanceof EnumerableTableScan e) {
      scan = e; // the whole table
    } else {
      return root;
    }
    LumaCalciteTable table = scan.getTable().unwrap(LumaCalciteTable.class);
    if (table == null || rel.getRowType().getFieldCount() != root.validatedRowType.getFieldCount()) {
      return root;
    }
    List<RexNode> filters = List.of();
    int[] cols = io.lumadb.storage.ScanSpec.all(table.table().schema()).columns();
    if (scan instanceof Bindables.BindableTableScan b) {
      filters = b.filters;
      if (b.projects != null) {
        cols = b.projects.toIntArray();
      }
    }
    double rows = Math.max(1, rel.getCluster().getMetadataQuery().getRowCount(rel));
    return root.withRel(new Rel(rel.getCluster(), rel.getTraitSet(), rel.getRowType(),
        new ResultScan(table.table(), filters, cols), scan.getTable().getQualifiedName(), rows));
  }

  @Override
  String relName() {
    return "LumaResultScan";
  }

  @Override
  List<RexNode> filters() {
    return filters;
  }

  @Override
  RelWriter explainTerms(RelWriter pw) {
    return pw.item("columns", Arrays.toString(columns));
  }

  /** The rows as Calcite reads them; the same walk is offered to the front end as vectors. */
  private ScanRows start(DataContext root) {
    BitSet used = new BitSet();
    for (int c : columns) {
      used.set(c);
    }
    ScanRows rows = new ScanRows(table, ScanPlan.evaluatingAll(table, filters, used, root), columns);
    QueryCancellation.offerResult(rows);
    return rows;
  }

  @Override
  List<Object[]> compute(DataContext root) {
    List<Object[]> out = new ArrayList<>();
    try (ScanRows rows = start(root)) {
      while (rows.moveNext()) {
        out.add(rows.current());
      }
    }
    return out;
  }

  @Override
  public Enumerable<Object[]> execute(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return start(root);
      }
    };
  }

  @Override
  public Enumerable<Object> executeScalar(DataContext root) {
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object> enumerator() {
        ScanRows rows = start(root);
        return new Enumerator<>() {
          @Override
          public Object current() {
            return rows.current()[0];
          }

          @Override
          public boolean moveNext() {
            return rows.moveNext();
          }

          @Override
          public void reset() {
            rows.reset();
          }

          @Override
          public void close() {
            rows.close();
          }
        };
      }
    };
  }
}
