package io.lumadb.storage.calcite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * first/last partial results merge as a sequential scan would pick: of equal times the value of
 * the earlier part wins, whichever thread read it and whichever partial is merged into which.
 */
class FirstLastMergeTest {
  static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("t", ColumnType.BIGINT), Column.of("v", ColumnType.VARCHAR)));
  static final AggregateScan.Agg[] AGGS = {
      AggregateScan.Agg.pick(AggregateScan.Kind.FIRST, 1, 0), AggregateScan.Agg.pick(AggregateScan.Kind.LAST, 1, 0)};

  /** One thread's accumulators after reading one part (its place in the scan: {@code ordinal}). */
  static AggregateScan.Accumulators partial(long ordinal, Object[]... rows) {
    ColumnBatch b = new ColumnBatch(SCHEMA, rows.length);
    for (Object[] r : rows) {
      b.appendRow(r);
    }
    List<ColumnReader> readers = new ArrayList<>();
    for (int c = 0; c < SCHEMA.size(); c++) {
      readers.add(b.column(c).view());
    }
    AggregateScan.Accumulators acc = new AggregateScan.Accumulators(AGGS, SCHEMA);
    acc.grow(1);
    Grouping.Scratch s = new Grouping.Scratch();
    s.ensure(rows.length);
    s.part = ordinal;
    int[] sel = new int[rows.length];
    for (int i = 0; i < sel.length; i++) {
      sel[i] = i;
    }
    for (int a = 0; a < AGGS.length; a++) {
      acc.update(a, readers, sel, new int[rows.length], rows.length, s, null);
    }
    return acc;
  }

  @Test
  void tiesGoToTheEarlierPartWhicheverWayTheyMerge() {
    // part 2 and part 5 both hold the least (10) and the greatest (30) time
    for (boolean earlierIntoLater : new boolean[] {true, false}) {
      AggregateScan.Accumulators early = partial(2, new Object[] {10L, "early-first"}, new Object[] {30L, "early-last"},
          new Object[] {10L, "early-tie-in-part"});
      AggregateScan.Accumulators late = partial(5, new Object[] {30L, "late-last"}, new Object[] {10L, "late-first"},
          new Object[] {null, "no time"});
      AggregateScan.Accumulators into = earlierIntoLater ? late : early;
      into.merge(earlierIntoLater ? early : late, 0, 0);
      assertEquals(List.of("early-first"), into.result(0, 0), "first, merged " + earlierIntoLater);
      assertEquals(List.of("early-last"), into.result(1, 0), "last, merged " + earlierIntoLater);
    }
  }

  @Test
  void aNullTimeDoesNotCountAndANullValueDoes() {
    AggregateScan.Accumulators acc = partial(0, new Object[] {null, "no time"}, new Object[] {7L, null},
        new Object[] {8L, "eight"});
    assertEquals(java.util.Collections.singletonList(null), acc.result(0, 0));
    assertEquals(List.of("eight"), acc.result(1, 0));
    AggregateScan.Accumulators none = partial(0, new Object[] {null, "no time"});
    assertEquals(null, none.result(0, 0));
  }
}
