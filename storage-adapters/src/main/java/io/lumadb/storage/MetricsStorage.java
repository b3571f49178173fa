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
  /**
   * The column of a metric table that holds the series' created timestamp (remote write 2.0),
   * added the first time one arrives; a label of that name is stored as
   * {@code label_created_timestamp}.
   */
  public static final String CREATED_COLUMN = "created_timestamp";
  /** Tables of the metrics schema that are not metrics: the metadata and exemplar tables. */
  public static final java.util.Set<String> RESERVED_NAMES = java.util.Set.of("metadata", "exemplars");

  /**
   * One sample; {@code timestampMillis} is Unix epoch milliseconds. {@code createdMillis} (0 =
   * none) is when the series started counting, stored in {@link #CREATED_COLUMN}: a counter's
   * or histogram's created timestamp, or the start of a delta point's interval.
   */
  public record Sample(String metric, Map<String, String> labels, long timestampMillis, double value,
      long createdMillis) {
    public Sample(String metric, Map<String, String> labels, long timestampMillis, double value) {
      this(metric, labels, timestampMillis, value, 0);
    }
  }

  private final StorageEngine engine;

  public MetricsStorage(StorageEngine engine) {
    this.engine = engine;
  }

  /** The engine the tables are in. */
  public StorageEngine engine() {
    return engine;
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
    insertSamples(samples, List.of());
  }

  /**
   * As {@link #insertSamples(List)}, with more batches (other tables, e.g. exemplars) appended
   * in the same WAL group commit.
   */
  public void insertSamples(List<Sample> samples, List<Map.Entry<LumaTable, ColumnBatch>> alongside) {
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
    batches.addAll(alongside);
    engine.appendAll(batches); // one WAL group commit for the whole request
  }

  /**
   * Samples grouped by series, as a remote write request carries them: series {@code s} has a
   * metric name, its other labels as parallel name/value arrays (without {@code __name__}), and
   * the samples {@code [start(s), end(s))} of {@link #timestamp(int)}/{@link #value(int)}. A
   * series started with {@link #addSeries} but given no sample is dropped by the next
   * {@code addSeries}. Label arrays are not copied: callers must not change them afterwards
   * (they may share one array between series).
   */
  public static final class SeriesBatch {
    private String[] metrics;
    private String[][] names;
    private String[][] values;
    private int[] ends;
    private long[] timestamps;
    private double[] sampleValues;
    private int series;
    private int samples;
    /** Created timestamp (epoch ms) per series, 0 = none; null until one is set. */
    private long[] created;

    public SeriesBatch(int seriesHint, int sampleHint) {
      int s = Math.max(4, seriesHint);
      metrics = new String[s];
      names = new String[s][];
      values = new String[s][];
      ends = new int[s];
      int n = Math.max(16, sampleHint);
      timestamps = new long[n];
      sampleValues = new double[n];
    }

    /** Starts a series; the samples added next belong to it. */
    public void addSeries(String metric, String[] labelNames, String[] labelValues) {
      if (labelNames.length != labelValues.length) {
        throw new IllegalArgumentException("label names and values differ in length");
      }
      if (series > 0 && start(series - 1) == ends[series - 1]) {
        series--; // the previous series had no sample
        if (created != null) {
          created[series] = 0;
        }
      }
      if (series == metrics.length) {
        int cap = series * 2;
        metrics = java.util.Arrays.copyOf(metrics, cap);
        names = java.util.Arrays.copyOf(names, cap);
        values = java.util.Arrays.copyOf(values, cap);
        ends = java.util.Arrays.copyOf(ends, cap);
        if (created != null) {
          created = java.util.Arrays.copyOf(created, cap);
        }
      }
      metrics[series] = metric;
      names[series] = labelNames;
      values[series] = labelValues;
      ends[series] = samples;
      series++;
    }

    /**
     * Sets the created timestamp (epoch milliseconds, 0 = none) of the series started last: when
     * its counter, histogram or summary started counting. Stored in {@link #CREATED_COLUMN}.
     */
    public void setCreated(long createdMillis) {
      if (series == 0) {
        throw new IllegalStateException("addSeries first");
      }
      if (created == null) {
        if (createdMillis == 0) {
          return;
        }
        created = new long[metrics.length];
      }
      created[series - 1] = createdMillis;
    }

    /** The created timestamp of series {@code s}, 0 when it has none. */
    public long created(int s) {
      return created == null ? 0 : created[s];
    }

    /** Adds a sample to the series started last. */
    public void addSample(long timestampMillis, double value) {
      if (series == 0) {
        throw new IllegalStateException("addSeries first");
      }
      if (samples == timestamps.length) {
        int cap = samples * 2;
        timestamps = java.util.Arrays.copyOf(timestamps, cap);
        sampleValues = java.util.Arrays.copyOf(sampleValues, cap);
      }
      timestamps[samples] = timestampMillis;
      sampleValues[samples] = value;
      samples++;
      ends[series - 1] = samples;
    }

    /** Adds {@code n} samples to the series started last. */
    public void addSamples(long[] ts, double[] vals, int off, int n) {
      if (series == 0) {
        throw new IllegalStateException("addSeries first");
      }
      if (samples + n > timestamps.length) {
        int cap = Math.max(samples + n, samples * 2);
        timestamps = java.util.Arrays.copyOf(timestamps, cap);
        sampleValues = java.util.Arrays.copyOf(sampleValues, cap);
      }
      System.arraycopy(ts, off, timestamps, samples, n);
      System.arraycopy(vals, off, sampleValues, samples, n);
      samples += n;
      ends[series - 1] = samples;
    }

    /** Series with at least one sample. */
    public int seriesCount() {
      return series > 0 && start(series - 1) == ends[series - 1] ? series - 1 : series;
    }

    public int sampleCount() {
      return samples;
    }

    public String metric(int s) {
      return metrics[s];
    }

    /** Label names of series {@code s}, without {@code __name__}. */
    public String[] labelNames(int s) {
      return names[s];
    }

    public String[] labelValues(int s) {
      return values[s];
    }

    public int start(int s) {
      return s == 0 ? 0 : ends[s - 1];
    }

    public int end(int s) {
      return ends[s];
    }

    public long timestamp(int i) {
      return timestamps[i];
    }

    public double value(int i) {
      return sampleValues[i];
    }

    /** The samples one by one (tests, and callers of {@link #insertSamples}). */
    public List<Sample> toSamples() {
      List<Sample> out = new ArrayList<>(samples);
      for (int s = 0; s < seriesCount(); s++) {
        Map<String, String> labels = new LinkedHashMap<>();
        for (int k = 0; k < names[s].length; k++) {
          labels.put(names[s][k], values[s][k]);
        }
        Map<String, String> frozen = Map.copyOf(labels);
        for (int i = start(s); i < ends[s]; i++) {
          out.add(new Sample(metrics[s], frozen, timestamps[i], sampleValues[i], created(s)));
        }
      }
      return out;
    }
  }

  /**
   * Stores the samples of {@code batch} as {@link #insertSamples} would store
   * {@code batch.toSamples()}, but builds each metric's columns series by series (array copies
   * and repeated label values) instead of sample by sample.
   */
  public void insertSeries(SeriesBatch batch) {
    insertSeries(batch, List.of());
  }

  /**
   * As {@link #insertSeries(SeriesBatch)}, with more batches (other tables, e.g. metadata or
   * exemplars) appended in the same WAL group commit: when this returns all of them are durable.
   */
  public void insertSeries(SeriesBatch batch, List<Map.Entry<LumaTable, ColumnBatch>> alongside) {
    engine.checkWritable();
    int seriesCount = batch.seriesCount();
    Map<String, int[]> byMetric = new LinkedHashMap<>(); // metric -> [count, series...]
    for (int s = 0; s < seriesCount; s++) {
      String m = batch.metric(s);
      if (m == null || m.isEmpty()) {
        throw new StorageException("a sample needs a metric name");
      }
      int[] list = byMetric.get(m);
      if (list == null) {
        list = new int[8];
        byMetric.put(m, list);
      } else if (list[0] + 1 == list.length) {
        list = java.util.Arrays.copyOf(list, list.length * 2);
        byMetric.put(m, list);
      }
      list[++list[0]] = s;
    }
    List<Map.Entry<LumaTable, ColumnBatch>> batches = new ArrayList<>(byMetric.size());
    for (Map.Entry<String, int[]> e : byMetric.entrySet()) {
      batches.add(seriesBatch(e.getKey(), batch, e.getValue()));
    }
    batches.addAll(alongside);
    engine.appendAll(batches); // one WAL group commit for the whole request
  }

  private Map.Entry<LumaTable, ColumnBatch> seriesBatch(String metric, SeriesBatch b, int[] list) {
    int count = list[0];
    TreeSet<String> labelColumns = new TreeSet<>();
    int rows = 0;
    String[] lastNames = null;
    boolean created = false;
    for (int k = 1; k <= count; k++) {
      int s = list[k];
      rows += b.end(s) - b.start(s);
      created |= b.created(s) != 0;
      String[] names = b.labelNames(s);
      if (names != lastNames) {
        for (String l : names) {
          if (!l.equals("__name__")) {
            labelColumns.add(columnFor(l));
          }
        }
        lastNames = names;
      }
    }
    LumaTable table = ensureTable(new TableId(SCHEMA, metric), labelColumns, created);
    String[] columnNames = labelColumns.toArray(new String[0]);
    ColumnBatch batch = new ColumnBatch(metricSchema(labelColumns, created), rows);
    int[] slots = null; // column of each label of lastNames (-1: __name__)
    lastNames = null;
    String[] rowValues = new String[columnNames.length];
    for (int k = 1; k <= count; k++) {
      int s = list[k];
      int from = b.start(s);
      int n = b.end(s) - from;
      String[] names = b.labelNames(s);
      if (names != lastNames) {
        slots = new int[names.length];
        for (int i = 0; i < names.length; i++) {
          slots[i] = names[i].equals("__name__") ? -1 : java.util.Arrays.binarySearch(columnNames, columnFor(names[i]));
        }
        lastNames = names;
      }
      java.util.Arrays.fill(rowValues, null);
      String[] values = b.labelValues(s);
      for (int i = 0; i < names.length; i++) {
        int c = slots[i];
        // A label "label_ts" wins over a label "ts" for column label_ts (as labelValue does).
        if (c >= 0 && (rowValues[c] == null || columnNames[c].equals(names[i]))) {
          rowValues[c] = values[i];
        }
      }
      batch.column(0).appendLongs(b.timestamps, from, n);
      batch.column(1).appendDoubles(b.sampleValues, from, n);
      for (int c = 0; c < rowValues.length; c++) {
        batch.column(c + 2).appendRepeated(rowValues[c], n);
      }
      if (created) {
        appendCreated(batch.column(rowValues.length + 2), b.created(s), n);
      }
    }
    return Map.entry(table, batch);
  }

  /** The column a label is stored in. */
  public static String columnFor(String label) {
    return label.equals("ts") || label.equals("value") || label.equals(CREATED_COLUMN) ? "label_" + label : label;
  }

  private Map.Entry<LumaTable, ColumnBatch> batch(String metric, List<Sample> samples) {
    TableId id = new TableId(SCHEMA, metric);
    TreeSet<String> labelColumns = new TreeSet<>();
    boolean created = false;
    for (Sample s : samples) {
      created |= s.createdMillis() != 0;
      for (String l : s.labels().keySet()) {
        if (!l.equals("__name__")) {
          labelColumns.add(columnFor(l));
        }
      }
    }
    LumaTable table = ensureTable(id, labelColumns, created);
    ColumnBatch batch = new ColumnBatch(metricSchema(labelColumns, created), samples.size());
    for (Sample s : samples) {
      batch.column(0).appendLong(s.timestampMillis());
      batch.column(1).appendDouble(s.value());
      int c = 2;
      for (String l : labelColumns) {
        batch.column(c++).appendString(labelValue(s.labels(), l));
      }
      if (created) {
        appendCreated(batch.column(c), s.createdMillis(), 1);
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

  /** Appends a created timestamp {@code n} times (0: NULL). */
  private static void appendCreated(HeapColumn c, long createdMillis, int n) {
    for (int i = 0; i < n; i++) {
      if (createdMillis == 0) {
        c.appendNull();
      } else {
        c.appendLong(createdMillis);
      }
    }
  }

  /** A metric table's columns: ts, value, one text column per label, created_timestamp if asked. */
  private static TableSchema metricSchema(java.util.Collection<String> labelColumns, boolean created) {
    List<Column> cols = new ArrayList<>(labelColumns.size() + 3);
    cols.add(Column.of("ts", ColumnType.TIMESTAMP));
    cols.add(Column.of("value", ColumnType.DOUBLE));
    for (String l : labelColumns) {
      cols.add(Column.of(l, ColumnType.VARCHAR));
    }
    if (created) {
      cols.add(Column.of(CREATED_COLUMN, ColumnType.TIMESTAMP));
    }
    return new TableSchema(cols);
  }

  /**
   * Creates the metric's table and missing label columns. Schema changes are serialized by
   * the engine's schema-change lock, so MetricsStorage instances of other receivers (remote
   * write, OTLP) never race to add the same label.
   */
  private LumaTable ensureTable(TableId id, TreeSet<String> labelColumns, boolean created) {
    if (RESERVED_NAMES.contains(id.name())) {
      throw new StorageException(StorageException.Kind.INVALID, "metric name \"" + id.name()
          + "\" is reserved: metrics." + id.name() + " holds remote write " + id.name() + ", not samples");
    }
    synchronized (engine.schemaChangeLock()) {
      LumaTable t = engine.table(id).orElse(null);
      if (t == null) {
        engine.createTable(id, metricSchema(labelColumns, created), true, "timestamp=ts");
        return engine.table(id).orElseThrow();
      }
      TableSchema schema = t.schema();
      if (created && schema.indexOf(CREATED_COLUMN) < 0) {
        engine.addColumn(id, Column.of(CREATED_COLUMN, ColumnType.TIMESTAMP));
      } else if (created && schema.column(schema.indexOf(CREATED_COLUMN)).type() != ColumnType.TIMESTAMP) {
        throw new StorageException("column \"" + CREATED_COLUMN + "\" of metric \"" + id.name()
            + "\" is not a timestamp");
      }
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
