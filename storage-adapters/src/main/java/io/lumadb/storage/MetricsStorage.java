package io.lumadb.storage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Metric samples into tables: each metric name is a table {@code metrics.<name>} with columns
 * {@code ts TIMESTAMP}, {@code value DOUBLE PRECISION} and one text column per label name,
 * added the first time the label is seen (older rows read it as NULL). A label named
 * {@code ts} or {@code value} is stored as {@code label_ts} / {@code label_value}.
 *
 * <pre>{@code
 * metrics.insertSample("http_requests", Map.of("env", "prod"), 1702540800, 42.0);
 * // SQL: SELECT ts, env, value FROM metrics.http_requests
 * }</pre>
 */
public final class MetricsStorage {
  public static final String SCHEMA = "metrics";

  /** One sample; {@code timestampMillis} is Unix epoch milliseconds. */
  public record Sample(String metric, Map<String, String> labels, long timestampMillis, double value) {}

  private final StorageEngine engine;

  public MetricsStorage(StorageEngine engine) {
    this.engine = engine;
  }

  /** Stores one sample; {@code timestampSeconds} is Unix epoch seconds. */
  public void insertSample(String metric, Map<String, String> labels, long timestampSeconds, double value) {
    insertSamples(List.of(new Sample(metric, labels, timestampSeconds * 1000, value)));
  }

  /**
   * Stores samples, one batch per metric. Each metric's batch is written whole or not at all;
   * when this returns, every sample is durable.
   */
  public void insertSamples(List<Sample> samples) {
    engine.checkWritable();
    Map<String, List<Sample>> byMetric = new LinkedHashMap<>();
    for (Sample s : samples) {
      if (s.metric() == null || s.metric().isEmpty()) {
        throw new StorageException("a sample needs a metric name");
      }
      byMetric.computeIfAbsent(s.metric(), k -> new ArrayList<>()).add(s);
    }
    List<Map.Entry<LumaTable, ColumnBatch>> batches = new ArrayList<>(byMetric.size());
    for (Map.Entry<String, List<Sample>> e : byMetric.entrySet()) {
      batches.add(batch(e.getKey(), e.getValue()));
    }
    engine.appendAll(batches); // one WAL group commit for the whole request
  }

  /** The column a label is stored in. */
  public static String columnFor(String label) {
    return label.equals("ts") || label.equals("value") ? "label_" + label : label;
  }

  private Map.Entry<LumaTable, ColumnBatch> batch(String metric, List<Sample> samples) {
    TableId id = new TableId(SCHEMA, metric);
    TreeSet<String> labelColumns = new TreeSet<>();
    for (Sample s : samples) {
      for (String l : s.labels().keySet()) {
        if (!l.equals("__name__")) {
          labelColumns.add(columnFor(l));
        }
      }
    }
    LumaTable table = ensureTable(id, labelColumns);
    List<Column> cols = new ArrayList<>();
    cols.add(Column.of("ts", ColumnType.TIMESTAMP));
    cols.add(Column.of("value", ColumnType.DOUBLE));
    for (String l : labelColumns) {
      cols.add(Column.of(l, ColumnType.VARCHAR));
    }
    TableSchema batchSchema = new TableSchema(cols);
    ColumnBatch batch = new ColumnBatch(batchSchema, samples.size());
    for (Sample s : samples) {
      batch.column(0).appendLong(s.timestampMillis());
      batch.column(1).appendDouble(s.value());
      int c = 2;
      for (String l : labelColumns) {
        batch.column(c++).appendString(labelValue(s.labels(), l));
      }
    }
    return Map.entry(table, batch);
  }

  private static String labelValue(Map<String, String> labels, String column) {
    String v = labels.get(column);
    if (v == null && column.startsWith("label_")) {
      v = labels.get(column.substring("label_".length()));
    }
    return v;
  }

  /**
   * Creates the metric's table and missing label columns. Schema changes are serialized by
   * the engine's schema-change lock, so MetricsStorage instances of other receivers (remote write, OTLP) never race
   * to add the same label.
   */
  private LumaTable ensureTable(TableId id, TreeSet<String> labelColumns) {
    synchronized (engine.schemaChangeLock()) {
      LumaTable t = engine.table(id).orElse(null);
      if (t == null) {
        List<Column> cols = new ArrayList<>();
        cols.add(Column.of("ts", ColumnType.TIMESTAMP));
        cols.add(Column.of("value", ColumnType.DOUBLE));
        for (String l : labelColumns) {
          cols.add(Column.of(l, ColumnType.VARCHAR));
        }
        engine.createTable(id, new TableSchema(cols), true, "timestamp=ts");
        return engine.table(id).orElseThrow();
      }
      TableSchema schema = t.schema();
      for (String l : labelColumns) {
        if (schema.indexOf(l) < 0) {
          engine.addColumn(id, Column.of(l, ColumnType.VARCHAR));
        } else if (schema.column(schema.indexOf(l)).type() != ColumnType.VARCHAR) {
          throw new StorageException("label \"" + l + "\" of metric \"" + id.name()
              + "\" clashes with a non-text column of the table");
        }
      }
      return t;
    }
  }
}
