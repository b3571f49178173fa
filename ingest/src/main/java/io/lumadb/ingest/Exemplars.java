package io.lumadb.ingest;

import io.lumadb.storage.Column;
import io.lumadb.storage.ColumnBatch;
import io.lumadb.storage.ColumnType;
import io.lumadb.storage.LumaTable;
import io.lumadb.storage.MetricsStorage;
import io.lumadb.storage.StorageEngine;
import io.lumadb.storage.TableId;
import io.lumadb.storage.TableSchema;
import java.util.List;
import java.util.Map;

/**
 * The table {@code metrics.exemplars}: one row per exemplar of any metric, with the metric, its
 * series' labels and the exemplar's own labels as JSON objects (read by key with
 * {@code JSON_VALUE(series_labels, 'lax $.job')}), {@code trace_id} and {@code span_id} copied
 * out of the exemplar labels of those names, the value, and {@code ts}, the exemplar's time (the
 * time it was received when the sender gives none). One table rather than one per metric: an
 * exemplar is looked up by trace or by metric and time, and metric tables keep their shape.
 */
public final class Exemplars {
  public static final TableId ID = new TableId(MetricsStorage.SCHEMA, "exemplars");
  public static final TableSchema SCHEMA = new TableSchema(List.of(
      Column.of("ts", ColumnType.TIMESTAMP),
      Column.of("metric", ColumnType.VARCHAR),
      Column.of("series_labels", ColumnType.VARCHAR),
      Column.of("trace_id", ColumnType.VARCHAR),
      Column.of("span_id", ColumnType.VARCHAR),
      Column.of("labels", ColumnType.VARCHAR),
      Column.of("value", ColumnType.DOUBLE)));
  static final FixedTable TABLE = new FixedTable(ID, SCHEMA, "timestamp=ts,sort=metric");

  /**
   * One exemplar: its series' labels ({@code __name__} included), its own labels as name/value
   * pairs, value and timestamp (epoch ms, 0 = none).
   */
  public record Exemplar(Map<String, String> seriesLabels, List<String> labelPairs, double value, long timestamp) {}

  private Exemplars() {}

  /** The rows for {@code exemplars}, or null when there are none; nothing is written here. */
  public static Map.Entry<LumaTable, ColumnBatch> batch(StorageEngine engine, List<Exemplar> exemplars, long nowMillis) {
    if (exemplars.isEmpty()) {
      return null;
    }
    ColumnBatch b = new ColumnBatch(SCHEMA, exemplars.size());
    for (Exemplar e : exemplars) {
      String trace = null;
      String span = null;
      List<String> p = e.labelPairs();
      for (int i = 0; i < p.size(); i += 2) {
        if (p.get(i).equals("trace_id")) {
          trace = p.get(i + 1);
        } else if (p.get(i).equals("span_id")) {
          span = p.get(i + 1);
        }
      }
      b.column(0).appendLong(e.timestamp() != 0 ? e.timestamp() : nowMillis);
      b.column(1).appendString(e.seriesLabels().get("__name__"));
      b.column(2).appendString(json(e.seriesLabels(), true));
      b.column(3).appendString(trace);
      b.column(4).appendString(span);
      b.column(5).appendString(json(p));
      b.column(6).appendDouble(e.value());
    }
    return Map.entry(TABLE.ensure(engine), b);
  }

  /** Labels as one JSON object, {@code __name__} left out when {@code withoutName}. */
  static String json(Map<String, String> labels, boolean withoutName) {
    return JsonText.write(g -> {
      g.writeStartObject();
      for (Map.Entry<String, String> l : labels.entrySet()) {
        if (!withoutName || !l.getKey().equals("__name__")) {
          g.writeStringField(l.getKey(), l.getValue());
        }
      }
      g.writeEndObject();
    });
  }

  /** Name/value pairs as one JSON object (a repeated name keeps its last value's place). */
  static String json(List<String> pairs) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < pairs.size(); i += 2) {
      m.remove(pairs.get(i));
      m.put(pairs.get(i), pairs.get(i + 1));
    }
    return json(m, false);
  }
}
