package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import io.lumadb.storage.ScanSpec;
import io.lumadb.storage.ScanStats;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexNode;

/**
 * One execution's scan of a table, shared by the row scan ({@link LumaCalciteTable}) and the
 * GROUP BY in the scan ({@link AggregateScan}): what it may skip ({@link ScanSpecs}), the columns
 * it reads, and the filter it evaluates itself ({@link RowFilter}), whose conditions come out of
 * the filter list given.
 */
record ScanPlan(ScanSpec spec, RowFilter filter, ResidualFilter residual) {
  /**
   * Plans a scan reading {@code columns} (table positions) under {@code filters}; the filters the
   * scan evaluates are removed from the (mutable) list, the rest stay for Calcite.
   */
  static ScanPlan of(LumaTable table, List<RexNode> filters, int[] columns, DataContext root) {
    ScanSpec pruning = ScanSpecs.from(table.schema(), table.timeColumn(), filters, columns, root);
    RowFilter filter = RowFilter.compile(table.schema(), filters, new RexBuilder(root.getTypeFactory()), root);
    if (filter == null) {
      return new ScanPlan(pruning, null, null);
    }
    BitSet read = (BitSet) filter.columns().clone();
    for (int c : columns) {
      read.set(c);
    }
    return new ScanPlan(new ScanSpec(read.stream().toArray(), pruning.minTime(), pruning.maxTime(),
        pruning.tagIn(), pruning.textAll()), filter, null);
  }

  /**
   * Plans a scan that evaluates every one of {@code filters} itself: the kernels what they can,
   * {@link ResidualFilter} the rest, row by row on what the kernels selected. For the operators
   * that leave nothing to Calcite (the GROUP BY and DISTINCT ON in the scan).
   */
  static ScanPlan evaluatingAll(LumaTable table, List<RexNode> filters, BitSet columns, DataContext root) {
    BitSet read = (BitSet) columns.clone();
    ResidualFilter.columns(filters).forEach(read::set);
    List<RexNode> rest = new java.util.ArrayList<>(filters);
    ScanPlan p = of(table, rest, read.stream().toArray(), root);
    ResidualFilter residual = ResidualFilter.compile(rest, new LumaCalciteTable(table).getRowType(root.getTypeFactory()), root);
    return new ScanPlan(p.spec(), p.filter(), residual);
  }

  /** What an operator does with each part: its columns and the rows that passed, {@code sel[0..m)}. */
  interface PartConsumer {
    void accept(List<io.lumadb.storage.ColumnReader> readers, int[] sel, int m);
  }

  /**
   * Runs the scan: each part of a snapshot of {@code table} that the spec does not rule out,
   * filtered into {@code scratch.sel} (sized for the part, with the rest of the scratch), is
   * handed to {@code consumer}; the query's cancellation is checked between parts.
   */
  void forEachPart(LumaTable table, Grouping.Scratch scratch, PartConsumer consumer) {
    ParallelScan.run(table, this, List.of(new ParallelScan.Worker(this, scratch, consumer)));
  }

  /** The rows of a part that pass every filter of the plan, into {@code sel}; returns how many. */
  int select(List<io.lumadb.storage.ColumnReader> cols, int rowCount, int[] sel) {
    int m = RowFilter.select(filter, cols, rowCount, sel);
    return residual == null || m == 0 ? m : residual.select(cols, sel, m);
  }

  /** Starts one run of the scan: the counters its parts fill, for the table's metrics and EXPLAIN ANALYZE. */
  ScanStats start(LumaTable table) {
    ScanStats stats = new ScanStats();
    table.recordScan(stats);
    ScanRecorder.record(table.id(), spec, stats);
    return stats;
  }
}
