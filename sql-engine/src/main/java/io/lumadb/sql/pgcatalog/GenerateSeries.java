package io.lumadb.sql.pgcatalog;

import java.util.ArrayList;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.type.SqlTypeName;

/** PostgreSQL's generate_series(start, stop[, step]) over integers, as a table function. */
public final class GenerateSeries extends AbstractTable implements ScannableTable {
  private final int start;
  private final int stop;
  private final int step;

  private GenerateSeries(int start, int stop, int step) {
    if (step == 0) {
      throw new io.lumadb.sql.LumaException("22023", "step size cannot equal zero");
    }
    this.start = start;
    this.stop = stop;
    this.step = step;
  }

  public static ScannableTable generateSeries(Integer start, Integer stop) {
    return generateSeries(start, stop, 1);
  }

  /** A NULL bound gives no rows, as in PostgreSQL. */
  public static ScannableTable generateSeries(Integer start, Integer stop, Integer step) {
    if (start == null || stop == null || step == null) {
      return new GenerateSeries(1, 0, 1);
    }
    return new GenerateSeries(start, stop, step);
  }

  @Override
  public RelDataType getRowType(RelDataTypeFactory typeFactory) {
    return typeFactory.builder().add("generate_series", SqlTypeName.INTEGER).build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    List<Object[]> rows = new ArrayList<>();
    for (long i = start; step > 0 ? i <= stop : i >= stop; i += step) {
      rows.add(new Object[] {(int) i});
    }
    return Linq4j.asEnumerable(rows);
  }
}
