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
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.sql.SqlKind;

/**
 * LumaDB's scan of a table in a finished plan, in place of the Calcite interpreter running a
 * {@code BindableTableScan}: it evaluates every filter pushed into the scan itself (kernels, then
 * {@link ResidualFilter}) and hands its rows to the operator above without Calcite's interpreter
 * rows. When the whole query is one scan ({@code SELECT * FROM cpu WHERE usage_user > 90}), the
 * scan is the plan's root and also offers its parts' vectors to the front end
 * ({@link ResultVectors}), which encodes the rows from them, leaving Calcite's result set out.
 * Put into a plan by {@link #install}.
 */
public final class ResultScan extends ScanOperator {
  private final LumaTable table;
  private final List<RexNode> filters;
  private final int[] columns;
  /** Whether this is the root of the plan, whose vectors are offered to the front end. */
  private final boolean offer;

  private ResultScan(LumaTable table, List<RexNode> filters, int[] columns, boolean offer) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.columns = columns;
    this.offer = offer;
  }

  /**
   * The plan with each scan of a LumaDB table that Calcite's interpreter would run made a
   * {@link ResultScan}; the root one, when the whole query is a scan whose rows are the result as
   * they are (no reordering or renaming of columns left to do), offers its vectors, and so does a
   * scan of the whole table at the root.
   */
  public static RelRoot install(RelRoot root) {
    boolean offer = root.kind.belongsTo(SqlKind.QUERY) && root.isRefTrivial()
        && root.rel.getRowType().getFieldCount() == root.validatedRowType.getFieldCount();
    RelNode rel = replace(root.rel, offer);
    return rel == root.rel ? root : root.withRel(rel);
  }

  private static RelNode replace(RelNode rel, boolean root) {
    RelNode scan = scan(rel, root);
    if (scan != null) {
      return scan;
    }
    List<RelNode> inputs = new ArrayList<>(rel.getInputs());
    boolean changed = false;
    for (int i = 0; i < inputs.size(); i++) {
      RelNode in = replace(inputs.get(i), false);
      changed |= in != inputs.get(i);
      inputs.set(i, in);
    }
    return changed ? rel.copy(rel.getTraitSet(), inputs) : rel;
  }

  /** {@code rel} as a {@link ResultScan} when it is a scan of a LumaDB table it may stand for, else null. */
  private static RelNode scan(RelNode rel, boolean root) {
    TableScan scan;
    if (rel instanceof EnumerableInterpreter interpreter && interpreter.getInput() instanceof Bindables.BindableTableScan b) {
      scan = b; // filters or a projection pushed into the scan
    } else if (root && rel instanceof EnumerableTableScan e) {
      scan = e; // the whole table
    } else {
      return null;
    }
    LumaCalciteTable table = scan.getTable().unwrap(LumaCalciteTable.class);
    if (table == null) {
      return null;
    }
    List<RexNode> filters = List.of();
    int[] cols = io.lumadb.storage.ScanSpec.all(table.table().schema()).columns();
    if (scan instanceof Bindables.BindableTableScan b) {
      filters = b.filters;
      if (b.projects != null) {
        cols = b.projects.toIntArray();
      }
    }
    if (filters.stream().anyMatch(f -> RexUtil.containsCorrelation(f))) {
      return null; // values of the outer row: left to Calcite's interpreter
    }
    double rows = Math.max(1, rel.getCluster().getMetadataQuery().getRowCount(rel));
    return new Rel(rel.getCluster(), rel.getTraitSet(), rel.getRowType(),
        new ResultScan(table.table(), filters, cols, root), scan.getTable().getQualifiedName(), rows);
  }

  @Override
  String relName() {
    return offer ? "LumaResultScan" : "LumaScan";
  }

  @Override
  List<RexNode> filters() {
    return filters;
  }

  @Override
  RelWriter explainTerms(RelWriter pw) {
    return pw.item("columns", Arrays.toString(columns));
  }

  /** The scan's plan for one execution (parameters bound). */
  private ScanPlan plan(DataContext root) {
    BitSet used = new BitSet();
    for (int c : columns) {
      used.set(c);
    }
    return ScanPlan.evaluatingAll(table, filters, used, root);
  }

  /** The rows as Calcite reads them; at the root the same walk is offered to the front end as vectors. */
  private ScanRows start(ScanPlan plan) {
    QueryCancellation.check(); // inner sides of nested loops start many short scans
    ScanRows rows = new ScanRows(table, plan, columns);
    if (offer) {
      QueryCancellation.offerResult(rows);
    }
    return rows;
  }

  @Override
  List<Object[]> compute(DataContext root) {
    return execute(root).toList(); // unused: the rows stream through execute and executeScalar
  }

  @Override
  public Enumerable<Object[]> execute(DataContext root) {
    ScanPlan plan = plan(root);
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<Object[]> enumerator() {
        return start(plan);
      }
    };
  }

  @Override
  public Enumerable<Object> executeScalar(DataContext root) {
    return execute(root).select(row -> row[0]); // streams, where the default keeps every row
  }
}
