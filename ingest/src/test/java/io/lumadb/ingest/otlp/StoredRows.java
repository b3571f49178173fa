package io.lumadb.ingest.otlp;

import io.lumadb.storage.LumaTable;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads a table's rows straight from storage, each as column name -> value (nulls left out). */
final class StoredRows {
  private StoredRows() {}

  static List<Map<String, Object>> rows(StorageEngine storage, String schema, String table) {
    List<Map<String, Object>> out = new ArrayList<>();
    LumaTable t = storage.table(new TableId(schema, table)).orElse(null);
    if (t == null) {
      return out;
    }
    try (TableSnapshot s = t.snapshot()) {
      List<String> names = s.schema().names();
      for (TableSnapshot.Part p : s.parts()) {
        for (int r = 0; r < p.rowCount(); r++) {
          Map<String, Object> row = new HashMap<>();
          for (int c = 0; c < names.size(); c++) {
            Object v = p.columns().get(c).get(r);
            if (v != null) {
              row.put(names.get(c), v);
            }
          }
          out.add(row);
        }
      }
    }
    return out;
  }

  static List<Map<String, Object>> metric(StorageEngine storage, String name) {
    return rows(storage, "metrics", name);
  }

  /** The one row whose columns hold all of {@code match}; fails if there is not exactly one. */
  static Map<String, Object> one(List<Map<String, Object>> rows, Object... match) {
    List<Map<String, Object>> hits = new ArrayList<>();
    for (Map<String, Object> r : rows) {
      boolean ok = true;
      for (int i = 0; i < match.length; i += 2) {
        ok &= match[i + 1].equals(r.get((String) match[i]));
      }
      if (ok) {
        hits.add(r);
      }
    }
    if (hits.size() != 1) {
      throw new AssertionError(hits.size() + " rows match " + java.util.Arrays.toString(match) + " in " + rows);
    }
    return hits.get(0);
  }

  static Map<String, Object> row(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
