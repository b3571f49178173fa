package io.lumadb.storage.calcite;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.ScanSpec;
import io.lumadb.storage.TableSchema;
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
 * scan itself before a row is built ({@link RowFilter}) and taken out of Calcite's filters. In a
 * finished plan {@link ResultScan} stands for this scan wherever Calcite's interpreter would run
 * it; {@link #scan} serves the scans left to Calcite (a whole table below another operator,
 * filters with values of an outer row).
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
        return new ScanRows(table, plan, cols, null);
      }
    };
  }
}
