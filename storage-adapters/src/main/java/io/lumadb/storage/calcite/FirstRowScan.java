package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.rex.RexNode;

/**
 * The first row of each group in an order, inside the scan: what {@code SELECT DISTINCT ON (keys)
 * ... ORDER BY keys, order} asks (LumaDB writes it as {@code ROW_NUMBER() OVER (PARTITION BY keys
 * ORDER BY ...) = 1}). Instead of sorting every row by group and order, each part of the snapshot
 * is filtered by the scan's kernels, its rows get group ids ({@link Grouping}), each group keeps
 * its best row of the part, and only those are compared with the groups' best so far and read
 * out. Planned by {@link FirstRowScanRule}. Ties go to the row read first (PostgreSQL leaves the
 * choice among ties open too).
 */
public final class FirstRowScan extends ScanOperator {
  private final LumaTable table;
  private final List<RexNode> filters;
  private final int[] partition;
  private final RowOrder order;
  private final int[] output;

  /**
   * Groups by the table columns {@code partition}, orders by {@code order} (table columns, with
   * their directions and NULL placement), and returns for each group the table columns
   * {@code output} of its first row, then 1 (the row number).
   */
  public FirstRowScan(LumaTable table, List<RexNode> filters, int[] partition, int[] order, boolean[] descending,
      boolean[] nullsFirst, int[] output) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.partition = partition;
    this.order = new RowOrder(table.schema(), order, descending, nullsFirst);
    this.output = output;
  }

  @Override
  public List<RexNode> filters() {
    return filters;
  }

  @Override
  String relName() {
    return "LumaFirstRowScan";
  }

  @Override
  org.apache.calcite.rel.RelWriter explainTerms(org.apache.calcite.rel.RelWriter pw) {
    return pw.item("first", "partition " + Arrays.toString(partition) + " order " + order.describe());
  }

  @Override
  List<Object[]> compute(DataContext root) {
    TableSchema schema = table.schema();
    BitSet used = new BitSet();
    for (int[] cols : new int[][] {partition, order.columns, output}) {
      for (int c : cols) {
        used.set(c);
      }
    }
    ScanPlan plan = ScanPlan.evaluatingAll(table, filters, used, root);
    AggregateScan.Key[] keys = new AggregateScan.Key[partition.length];
    for (int k = 0; k < keys.length; k++) {
      keys[k] = new AggregateScan.Key(partition[k], 0);
    }
    Grouping grouping = new Grouping(schema, keys);
    Grouping.Scratch scratch = new Grouping.Scratch();
    List<Object[]> bestKey = new ArrayList<>();
    List<Object[]> bestRow = new ArrayList<>();
    int[][] partBest = {new int[16]};
    try (QueryMemory.Lease lease = QueryMemory.lease("DISTINCT ON")) {
      plan.forEachPart(table, scratch, (readers, sel, m) -> {
        int[] gid = scratch.gid;
        grouping.ids(readers, sel, m, gid, scratch);
        int groups = grouping.groups().size();
        if (partBest[0].length < groups) {
          partBest[0] = new int[Math.max(groups, partBest[0].length * 2)];
        }
        int[] best = partBest[0];
        Arrays.fill(best, 0, groups, -1);
        for (int i = 0; i < m; i++) {
          int g = gid[i];
          if (best[g] < 0 || order.compareRows(readers, sel[i], best[g]) < 0) {
            best[g] = sel[i];
          }
        }
        for (int g = 0; g < groups; g++) {
          int r = best[g];
          if (r < 0) {
            continue;
          }
          Object[] key = order.key(readers, r);
          while (bestKey.size() <= g) { // a new group
            bestKey.add(null);
            bestRow.add(null);
          }
          if (bestKey.get(g) == null || order.compareKeys(key, bestKey.get(g)) < 0) {
            Object[] row = Arrays.copyOf(values(readers, output, r), output.length + 1);
            row[output.length] = 1L;
            if (bestRow.get(g) == null) {
              lease.grow(Sorter.bytes(row) + Sorter.bytes(key));
            }
            bestKey.set(g, key);
            bestRow.set(g, row);
          }
        }
      });
    }
    return bestRow;
  }
}
