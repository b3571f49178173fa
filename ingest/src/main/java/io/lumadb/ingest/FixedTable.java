package io.lumadb.ingest;

import io.lumadb.storage.Column;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.StorageException;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;

/**
 * A table whose columns ingest defines ({@code otel.logs}, {@code metrics.exemplars}, ...):
 * created on first use, or given the columns a table made by an older version lacks.
 */
public record FixedTable(TableId id, TableSchema schema, String options) {
  /** The table, created or completed as needed; serialized so concurrent requests agree. */
  public LumaTable ensure(StorageEngine engine) {
    synchronized (engine.schemaChangeLock()) {
      LumaTable t = engine.table(id).orElse(null);
      if (t == null) {
        engine.createTable(id, schema, true, options);
        return engine.table(id).orElseThrow();
      }
      TableSchema have = t.schema();
      for (Column c : schema.columns()) {
        int i = have.indexOf(c.name());
        if (i < 0) {
          engine.addColumn(id, c);
        } else if (have.column(i).type() != c.type()) {
          throw new StorageException(StorageException.Kind.INVALID, "column \"" + c.name() + "\" of "
              + id + " is " + have.column(i).type().sqlName() + ", ingest needs " + c.type().sqlName());
        }
      }
      return t;
    }
  }
}
