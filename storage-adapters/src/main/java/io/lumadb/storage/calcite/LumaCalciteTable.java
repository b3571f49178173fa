package io.lumadb.storage.calcite;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.ScanSpec;
import io.lumadb.storage.ScanStats;
import io.lumadb.storage.TableSchema;
import io.lumadb.storage.TableSnapshot;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.AbstractEnumerable;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.ProjectableFilterableTable;
import org.apache.calcite.schema.Statistic;
import org.apache.calcite.schema.Statistics;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.util.ImmutableBitSet;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A LumaDB table as a Calcite table. Projection is pushed into the scan; time-range, tag and
 * text filters prune what is read ({@link ScanSpecs}); simple comparisons are evaluated by the
 * scan itself before a row is built ({@link RowFilter}) and taken out of Calcite's filters.
 */
public final class LumaCalciteTable extends AbstractTable implements ProjectableFilterableTable {
  private final LumaTable table;
  private final TableSchema schema;

  public LumaCalciteTable(LumaTable table) {
    this.table = table;
    this.schema = table.schema();
  }

  public LumaTable table() {
    return table;
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (Column c : schema.columns()) {
      RelDataType t = switch (c.type()) {
        case VARCHAR, BYTEA -> typeFactory.createSqlType(c.type().sqlType(), Integer.MAX_VALUE);
        case JSON -> typeFactory.createSqlType(SqlTypeName.VARCHAR, ColumnType.JSON_PRECISION);
        case JSONB -> typeFactory.createSqlType(SqlTypeName.VARCHAR, ColumnType.JSONB_PRECISION);
        // numeric(p,s) as is; unconstrained as the type system's bare DECIMAL (its values keep
        // whatever scale they have: Calcite does not rescale what a scan returns)
        case NUMERIC -> c.precision() > 0
            ? typeFactory.createSqlType(SqlTypeName.DECIMAL, c.precision(), c.scale())
            : typeFactory.createSqlType(SqlTypeName.DECIMAL,
                typeFactory.getTypeSystem().getDefaultPrecision(SqlTypeName.DECIMAL),
                typeFactory.getTypeSystem().getDefaultScale(SqlTypeName.DECIMAL));
        case TIMESTAMP, TIMESTAMPTZ -> typeFactory.createSqlType(c.type().sqlType(), 3);
        default -> typeFactory.createSqlType(c.type().sqlType());
      };
      b.add(c.name(), typeFactory.createTypeWithNullability(t, c.nullable()));
    }
    return b.build();
  }

  @Override
  public Statistic getStatistic() {
    return Statistics.of(Math.max(1, table.rowCount()), List.<ImmutableBitSet>of());
  }

  @Override
  public Enumerable<@Nullable Object[]> scan(
      DataContext root, List<RexNode> filters, int @Nullable [] projects) {
    int[] cols = projects != null ? projects : ScanSpec.all(schema).columns();
    // Filters evaluated here come out of the list, so Calcite does not evaluate them again.
    ScanPlan plan = ScanPlan.of(table, filters, cols, root);
    return new AbstractEnumerable<>() {
      @Override
      public Enumerator<@Nullable Object[]> enumerator() {
        QueryCancellation.check(); // inner sides of nested loops start many short scans
        ScanStats stats = plan.start(table);
        return new SnapshotEnumerator(table.snapshot(), plan.spec(), stats, cols, plan.filter());
      }
    };
  }

  /** Walks the parts of a snapshot row by row; closes the snapshot at the end. */
  private static final class SnapshotEnumerator implements Enumerator<@Nullable Object[]> {
    private final TableSnapshot snapshot;
    private final ScanSpec spec;
    private final ScanStats stats;
    private final int[] cols;
    private final RowFilter filter;
    private java.util.Iterator<TableSnapshot.Part> parts;
    private TableSnapshot.Part part;
    /** The rows of the part that passed the filter (all of them when there is none), and where we are. */
    private int[] sel = new int[0];
    private int selected;
    private int next;
    private @Nullable Object[] current;

    SnapshotEnumerator(TableSnapshot snapshot, ScanSpec spec, ScanStats stats, int[] cols, RowFilter filter) {
      this.snapshot = snapshot;
      this.filter = filter;
      this.spec = spec;
      this.stats = stats;
      this.cols = cols;
      this.parts = snapshot.scan(spec, stats);
    }

    @Override
    public @Nullable Object[] current() {
      return current;
    }

    private int sinceCheck;

    @Override
    public boolean moveNext() {
      if (++sinceCheck >= 4096) {
        sinceCheck = 0;
        QueryCancellation.check();
      }
      while (true) {
        if (part != null && next < selected) {
          int row = sel[next++];
          List<ColumnReader> readers = part.columns();
          Object[] r = new Object[cols.length];
          for (int i = 0; i < cols.length; i++) {
            r[i] = readers.get(cols[i]).get(row);
          }
          current = r;
          return true;
        }
        if (!parts.hasNext()) {
          current = null;
          return false;
        }
        QueryCancellation.check();
        part = parts.next();
        int n = part.rowCount();
        if (sel.length < n) {
          sel = new int[n];
        }
        selected = RowFilter.select(filter, part.columns(), n, sel);
        next = 0;
      }
    }

    @Override
    public void reset() {
      parts = snapshot.scan(spec, stats);
      part = null;
      selected = 0;
      next = 0;
    }

    @Override
    public void close() {
      snapshot.close();
    }
  }
}
