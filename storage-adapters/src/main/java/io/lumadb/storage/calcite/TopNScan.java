package io.lumadb.storage.calcite;

import io.lumadb.storage.LumaTable;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.rel.RelWriter;
import org.apache.calcite.rex.RexNode;

/**
 * ORDER BY ... LIMIT over a LumaDB table, inside the scan: each part of the snapshot is filtered
 * by the scan's kernels, and a row is read out only when it beats the worst of the best
 * OFFSET + LIMIT rows kept so far (compared on the column readers). Ties keep the rows read
 * first, as LumaDB's sort over the scan would. Planned by {@link TopNScanRule}.
 */
public final class TopNScan extends ScanOperator {
  private final LumaTable table;
  private final List<RexNode> filters;
  private final RowOrder order;
  private final int[] output;
  private final long offset;
  private final int offsetParam;
  private final long fetch;
  private final int fetchParam;

  /**
   * The rows of the table columns {@code output}, ordered by the table columns {@code order}
   * (directions and NULL placement given), from OFFSET, at most LIMIT of them; OFFSET and LIMIT
   * are literals (-1: none) or the parameters {@code offsetParam} / {@code fetchParam} (-1: none).
   */
  public TopNScan(LumaTable table, List<RexNode> filters, int[] order, boolean[] descending, boolean[] nullsFirst,
      int[] output, long offset, int offsetParam, long fetch, int fetchParam) {
    this.table = table;
    this.filters = List.copyOf(filters);
    this.order = new RowOrder(table.schema(), order, descending, nullsFirst);
    this.output = output;
    this.offset = offset;
    this.offsetParam = offsetParam;
    this.fetch = fetch;
    this.fetchParam = fetchParam;
  }

  @Override
  String relName() {
    return "LumaTopNScan";
  }

  @Override
  List<RexNode> filters() {
    return filters;
  }

  @Override
  RelWriter explainTerms(RelWriter pw) {
    return pw.item("order", order.describe())
        .itemIf("offset", offsetParam >= 0 ? "?" + offsetParam : String.valueOf(offset), offset >= 0 || offsetParam >= 0)
        .item("fetch", fetchParam >= 0 ? "?" + fetchParam : String.valueOf(fetch));
  }

  @Override
  List<Object[]> compute(DataContext root) {
    long off = Math.max(0, Sorter.bound(offset, offsetParam, root, 0));
    long lim = Sorter.bound(fetch, fetchParam, root, -1);
    // A parameter may give no LIMIT (NULL) or a huge one: then every row that passes is kept.
    int n = (int) Math.min(lim < 0 ? Long.MAX_VALUE : off + lim, Integer.MAX_VALUE - 8);
    if (n == 0) {
      return new ArrayList<>();
    }
    BitSet used = new BitSet();
    for (int[] cols : new int[][] {order.columns, output}) {
      for (int c : cols) {
        used.set(c);
      }
    }
    ScanPlan plan = ScanPlan.evaluatingAll(table, filters, used, root);
    try (QueryMemory.Lease lease = QueryMemory.lease("top-N scan")) {
      TopRows top = new TopRows(n, order::compareKeys, lease);
      plan.forEachPart(table, new Grouping.Scratch(), (readers, sel, m) -> {
        for (int i = 0; i < m; i++) {
          int r = sel[i];
          // A row that does not come before the worst kept (a tie was read later) cannot enter:
          // compared on the readers, it is never built.
          Object[] worst = top.worstWhenFull();
          if (worst != null && order.compareToKey(readers, r, worst) >= 0) {
            top.skip();
          } else {
            top.offer(order.key(readers, r), values(readers, output, r));
          }
        }
      });
      return top.rows(off);
    }
  }
}
