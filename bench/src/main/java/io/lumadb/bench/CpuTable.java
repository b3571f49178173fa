package io.lumadb.bench;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.HeapColumn;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * The TSBS cpu table as every system in the benchmark holds it: {@code ts TIMESTAMP}, the ten
 * tags as text, the ten fields as double. No indexes anywhere, so bytes compare like for like.
 */
public final class CpuTable {
  public static final TableId ID = new TableId("public", "cpu");
  public static final String OPTIONS = "timestamp=ts";
  public static final TableSchema SCHEMA = schema();
  public static final int COLUMNS = 1 + TsbsCpuGenerator.TAGS.size() + TsbsCpuGenerator.FIELDS.size();

  private CpuTable() {}

  private static TableSchema schema() {
    List<Column> cols = new ArrayList<>();
    cols.add(Column.of("ts", ColumnType.TIMESTAMP));
    TsbsCpuGenerator.TAGS.forEach(t -> cols.add(Column.of(t, ColumnType.VARCHAR)));
    TsbsCpuGenerator.FIELDS.forEach(f -> cols.add(Column.of(f, ColumnType.DOUBLE)));
    return new TableSchema(cols);
  }

  /** {@code CREATE TABLE} in the SQL that DuckDB and PostgreSQL share. */
  public static String createSql(String name) {
    StringBuilder b = new StringBuilder("CREATE TABLE ").append(name).append(" (ts TIMESTAMP");
    TsbsCpuGenerator.TAGS.forEach(t -> b.append(", ").append(t).append(" TEXT"));
    TsbsCpuGenerator.FIELDS.forEach(f -> b.append(", ").append(f).append(" DOUBLE PRECISION"));
    return b.append(')').toString();
  }

  /** Copies the generator's current batch into a new LumaDB column batch. */
  public static ColumnBatch toColumnBatch(TsbsCpuGenerator.Batch g) {
    int n = g.size();
    ColumnBatch b = new ColumnBatch(SCHEMA, n);
    HeapColumn ts = b.column(0);
    for (int i = 0; i < n; i++) {
      ts.appendLong(g.timestamps[i]);
    }
    int c = 1;
    for (String[] tag : g.tags) {
      HeapColumn col = b.column(c++);
      for (int i = 0; i < n; i++) {
        col.appendString(tag[i]);
      }
    }
    for (double[] field : g.fields) {
      HeapColumn col = b.column(c++);
      for (int i = 0; i < n; i++) {
        col.appendDouble(field[i]);
      }
    }
    return b;
  }

  /** Generates the whole data set as LumaDB batches of {@code batchRows} rows. */
  public static List<ColumnBatch> generate(TsbsCpuGenerator.Config config, int batchRows) {
    TsbsCpuGenerator gen = new TsbsCpuGenerator(config);
    TsbsCpuGenerator.Batch g = new TsbsCpuGenerator.Batch(batchRows);
    List<ColumnBatch> out = new ArrayList<>((int) (config.rows() / batchRows + 1));
    while (gen.fill(g) > 0) {
      out.add(toColumnBatch(g));
    }
    return out;
  }
}
