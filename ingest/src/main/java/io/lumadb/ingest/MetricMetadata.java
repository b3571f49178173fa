package io.lumadb.ingest;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnReader;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import io.lumadb.storage.TableSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The table {@code metrics.metadata}: a metric's type, help text and unit as remote write 2.0
 * senders describe them. Senders repeat a metric's metadata on every request, so a row is
 * written only when a metric's metadata is new or differs from its last row: the table is the
 * history of each metric's metadata, and its latest row per metric ({@code updated}) is the
 * current one. The last row per metric is read back from the table the first time it is needed,
 * so a restart does not repeat rows either.
 */
public final class MetricMetadata {
  public static final TableId ID = new TableId(MetricsStorage.SCHEMA, "metadata");
  public static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("metric", ColumnType.VARCHAR),
      Column.of("type", ColumnType.VARCHAR),
      Column.of("help", ColumnType.VARCHAR),
      Column.of("unit", ColumnType.VARCHAR),
      Column.of("updated", ColumnType.TIMESTAMP)));
  static final FixedTable TABLE = new FixedTable(ID, SCHEMA, "timestamp=updated,sort=metric");

  /** One metric's metadata; type in Prometheus' lower-case words, help and unit "" when unset. */
  public record Entry(String metric, String type, String help, String unit) {}

  /** A write prepared by {@link #changes}: append the batch, then {@link #written} it. */
  public record Changes(LumaTable table, ColumnBatch batch, List<Entry> entries) {}

  private final StorageEngine engine;
  private final Map<String, Entry> current = new ConcurrentHashMap<>();
  private volatile boolean loaded;

  public MetricMetadata(StorageEngine engine) {
    this.engine = engine;
  }

  /** Prometheus' name of a {@code Metadata.MetricType} number. */
  public static String typeName(int type) {
    return switch (type) {
      case 1 -> "counter";
      case 2 -> "gauge";
      case 3 -> "histogram";
      case 4 -> "gaugehistogram";
      case 5 -> "summary";
      case 6 -> "info";
      case 7 -> "stateset";
      default -> "unknown";
    };
  }

  /**
   * The rows to write for {@code entries} (the last entry of a metric wins): those whose metric
   * has no metadata yet or other metadata; null when nothing changed. Nothing is written here.
   */
  public Changes changes(List<Entry> entries, long nowMillis) {
    if (entries.isEmpty()) {
      return null;
    }
    load();
    Map<String, Entry> latest = new LinkedHashMap<>();
    for (Entry e : entries) {
      latest.put(e.metric(), e);
    }
    List<Entry> changed = new ArrayList<>();
    for (Entry e : latest.values()) {
      if (!e.equals(current.get(e.metric()))) {
        changed.add(e);
      }
    }
    if (changed.isEmpty()) {
      return null;
    }
    ColumnBatch b = new ColumnBatch(SCHEMA, changed.size());
    for (Entry e : changed) {
      b.column(0).appendString(e.metric());
      b.column(1).appendString(e.type());
      b.column(2).appendString(e.help());
      b.column(3).appendString(e.unit());
      b.column(4).appendLong(nowMillis);
    }
    return new Changes(TABLE.ensure(engine), b, changed);
  }

  /** Remembers metadata once its rows are durable. */
  public void written(Changes c) {
    if (c != null) {
      c.entries().forEach(e -> current.put(e.metric(), e));
    }
  }

  /** The latest row per metric of the table, read once. */
  private void load() {
    if (loaded) {
      return;
    }
    synchronized (this) {
      if (loaded) {
        return;
      }
      LumaTable t = engine.table(ID).orElse(null);
      if (t != null) {
        Map<String, Long> when = new java.util.HashMap<>();
        try (TableSnapshot s = t.snapshot()) {
          int[] cols = new int[4];
          String[] names = {"metric", "type", "help", "unit"};
          for (int i = 0; i < 4; i++) {
            cols[i] = s.schema().indexOf(names[i]);
          }
          int updated = s.schema().indexOf("updated");
          for (TableSnapshot.Part p : s.parts()) {
            List<ColumnReader> c = p.columns();
            for (int r = 0; r < p.rowCount(); r++) {
              String metric = (String) c.get(cols[0]).get(r);
              long at = c.get(updated).isNull(r) ? Long.MIN_VALUE : c.get(updated).getLong(r);
              if (metric != null && at >= when.getOrDefault(metric, Long.MIN_VALUE)) {
                when.put(metric, at);
                current.put(metric, new Entry(metric, text(c, cols[1], r), text(c, cols[2], r), text(c, cols[3], r)));
              }
            }
          }
        }
      }
      loaded = true;
    }
  }

  private static String text(List<ColumnReader> c, int col, int row) {
    Object v = col < 0 ? null : c.get(col).get(row);
    return v == null ? "" : (String) v;
  }
}
